#!/usr/bin/env bats
# hostile-ctl-dump.bats: ctl-dump against damaged, huge and hostile trust lists and signed files (tests/hostile.bash).
# bats file_tags=full
load hostile

@test "hostile: ctl-dump: damaged, random, empty, huge, FIFO input: exit 2, names the file, -j valid" {
	need_tool ctl-dump
	local f fs l t
	fs=($(bad_files) "$BATS_TEST_TMPDIR/dir.pem" nonexistent.tlv)
	for f in "${fs[@]}"; do
		bq timeout 60 "$TOP/bin/ctl-dump" -q "$f"
		bq ctl-dump -q "$f"
		bq ctl-dump "$f"
		bq ctl-dump -j "$f"
		bq ctl-dump -b "$f"
		bq ctl-dump -x "$BATS_TEST_TMPDIR/dir.pem" "$f"
		[ ! -f "$H/good.tlv" ] || bq ctl-dump -t "$f" "$H/good.tlv"
	done
	brun
	# the checks without Bats' DEBUG trap (a few hundred commands)
	checks() {
		for f in "${fs[@]}"; do
			res -2
			[ -z "$output" ]
			[[ $stderr == "ctl-dump: $f: "* ]]
			res -2
			[ -z "$output" ]
			[[ $stderr == "ctl-dump: $f: "* ]]
			res -2
			[[ $stderr == *"ctl-dump: $f: "* ]]
			clean_later
			res -2
			json_later
			res -2
			# awk -F'\t' 'NF != 7' on each line, by builtins: six tabs a line
			[ -z "$output" ] || while IFS= read -r l; do
				t=${l//[!$'\t']/}
				[ ${#t} -eq 6 ]
			done <<<"$output"
			[[ $stderr == *"ctl-dump: $f: "* ]]
			res -2
			[[ $stderr == *"ctl-dump: "* ]]
			if [ -f "$H/good.tlv" ]; then
				res -2
				[[ $stderr == *"ctl-dump: $f: "* ]]
			fi
		done
		clean_check
		json_check
	}
	notrace checks
}

@test "hostile: trust lists over 1 MB or 1,024 records are refused, memory stays within 16x the file" {
	need_tool ctl-dump cert-expiry trust-prune itl-build
	[ -x /usr/bin/time ] || skip "/usr/bin/time is absent"
	tl_amp amp8.tlv 0100020005 1677721		# 8 MB of empty records
	tl_amp amp1025.tlv 0100020005 1025
	tl_amp amp1024.tlv 0100020005 1024
	# 16 records of 65,535 bytes, each 21,843 empty 3-byte tags: the most tags 1 MB can hold
	tl_amp dense.tlv "010002fffe$(printf '0b0000%.0s' $(seq 21843))" 16
	[ "$(stat -c %s dense.tlv)" -le 1048576 ]
	base=$(tl_rss ctl-dump -j "$H/good.tlv")
	# the modes' runs in one batch; tl_rss's measure as bq runs it: /usr/bin/time into rss.N
	for m in "" -j -b; do
		bq ctl-dump $m amp8.tlv
		bq ctl-dump $m amp1025.tlv
		bq ctl-dump $m amp1024.tlv
		bq /usr/bin/time -f %M -o rss.$((BQ + 1)) "$TOP/bin/ctl-dump" $m dense.tlv
		bq /usr/bin/time -f %M -o rss.$((BQ + 1)) "$TOP/bin/ctl-dump" $m amp8.tlv
	done
	brun
	for m in "" -j -b; do
		res -2 --no-output
		[ "$stderr" = "ctl-dump: amp8.tlv: trust list larger than 1048576 bytes at byte 1048576" ]
		res -2 --no-output
		[ "$stderr" = "ctl-dump: amp1025.tlv: more than 1024 records at byte 5132" ]
		res -1 --no-output
		res -1 --no-output
		mapfile -t rss <rss.$BR
		[ $((rss[-1] - base)) -le $((16 * 1024)) ]	# KB: 16x a 1 MB file
		res -2 --no-output
		mapfile -t rss <rss.$BR
		[ $((rss[-1] - base)) -le $((16 * 8192)) ]
	done
	xrun -2 --separate-stderr cert-expiry --now $NOW amp8.tlv
	[ "$stderr" = "cert-expiry: amp8.tlv: damaged CTL/ITL: trust list larger than 1048576 bytes at byte 1048576" ]
	rss=$(tl_rss cert-expiry --now $NOW amp8.tlv) || [ $? -eq 2 ]
	[ $((rss - base)) -le $((16 * 8192)) ]
	xrun -2 --separate-stderr trust-prune -s "$S" --keep-in amp8.tlv
	[ "$stderr" = "trust-prune: amp8.tlv: trust list larger than 1048576 bytes at byte 1048576" ]
	xrun -2 --separate-stderr itl-build -k "$H/ok.key" --sast "$H/ok.pem" --trust amp8.tlv -o x.tlv
	[ "$stderr" = "itl-build: amp8.tlv: trust list larger than 1048576 bytes at byte 1048576" ]
	xrun -2 --separate-stderr itl-build -k "$H/ok.key" --resign amp1025.tlv -o x.tlv
	[ "$stderr" = "itl-build: amp1025.tlv: more than 1024 records at byte 5132" ]
	[ ! -e x.tlv ]
}

@test "hostile: out of memory (ulimit -v) anywhere in ctl-dump: exit 2 with a message, never a signal" {
	need_tool ctl-dump
	tl_plain ctl-dump
	tl_amp amp8.tlv 0100020005 1677721
	tl_amp dense.tlv "010002fffe$(printf '0b0000%.0s' $(seq 21843))" 16
	xrun -2 --separate-stderr bash -c 'ulimit -v 600000; exec ctl-dump amp8.tlv'
	[ "$stderr" = "ctl-dump: amp8.tlv: trust list larger than 1048576 bytes at byte 1048576" ]
	# From too little to load the libraries to enough: every run ends in 0, 1 or 2, and 2 says why.
	# every 1,000 KB under make check-full; every 8,000 KB under make check
	local v m f oom=0 step
	# the runs in one sh, each in a subshell of its own limit
	step=$(pick_full 1000 8000)
	for ((v = 8000; v <= 24000; v += step)); do
		for f in dense.tlv "$H/good.tlv" amp8.tlv; do
			for m in "" -j -b; do
				bq sh -c "ulimit -v $v; exec ctl-dump $m $f"
			done
		done
	done
	brun
	# the checks without Bats' DEBUG trap (a few hundred commands)
	checks() {
		for ((v = 8000; v <= 24000; v += step)); do
			for f in dense.tlv "$H/good.tlv" amp8.tlv; do
				for m in "" -j -b; do
					res --no-output
					[ "$status" -le 2 ] || [ "$status" -eq 127 ]	# 127: the loader gave up
					[ "$status" -ne 2 ] || [[ $stderr == "ctl-dump: "* ]]
					[[ $stderr != *"out of memory"* ]] || oom=$((oom + 1))
				done
			done
		done
		[ "$oom" -gt 0 ]
	}
	notrace checks
}

@test "hostile: the trust check compares keys: a forged ITLRecovery (old subject and serial, new key) is rejected" {
	need_tool ctl-dump itl-build
	mkcert . rec 365 /CN=ITLRECOVERY_node1
	mkcert . tftp 365 /CN=node1
	serial=$(openssl x509 -in rec.pem -noout -serial | cut -d= -f2)
	mkcert . forged 365 /CN=ITLRECOVERY_node1 -set_serial "0x$serial"
	[ "$(openssl x509 -in forged.pem -noout -serial -subject -issuer)" = \
	  "$(openssl x509 -in rec.pem -noout -serial -subject -issuer)" ]
	itl-build -k rec.key --sast rec.pem --tftp tftp.pem --now @1700000000 -o old.tlv
	itl-build -k forged.key --sast forged.pem --tftp tftp.pem -o forged.tlv
	itl-build -k rec.key --sast rec.pem --tftp tftp.pem -o same.tlv
	xrun -1 ctl-dump --brief --trust old.tlv forged.tlv
	[[ ${lines[-1]} == "REJECTED forged.tlv: the new file's signer has the serial number and issuer of a SAST record of the old file, but not its key (record #1 of old.tlv)" ]]
	xrun -1 --separate-stderr ctl-dump -j --trust old.tlv forged.tlv
	jq -e '.signature.verified == true and .trust.accepted == false' <<<"$output" >/dev/null
	xrun -1 --separate-stderr ctl-dump -q --trust old.tlv forged.tlv
	[ -z "$output" ]
	xrun -0 ctl-dump --brief --trust old.tlv same.tlv
	[[ ${lines[-1]} == "ACCEPTED same.tlv: signed by a SAST certificate of the old file (record #1 of old.tlv)" ]]
	xrun -1 --separate-stderr itl-build -k forged.key --sast forged.pem --tftp tftp.pem --trust old.tlv -o out.tlv
	[[ $stderr == *"old.tlv: a phone holding it would reject the new file: "*"not its key; nothing written" ]]
	[ ! -e out.tlv ]
	xrun -0 --separate-stderr itl-build -k rec.key --sast rec.pem --tftp tftp.pem --trust old.tlv -o out.tlv
	ctl-dump -q --trust old.tlv out.tlv
}

@test "hostile: ctl-dump: damaged signed files exit 2 with the byte, never a crash or a hang; text clean, JSON valid" {
	need_tool ctl-dump itl-build
	cd "$BATS_TEST_TMPDIR"
	printf '<device/>\n' >a.cnf.xml
	itl-build --sign-file -k "$H/ok.key" --signer "$H/ok.pem" -o good.sgn a.cnf.xml
	mkdir v
	sgn_variants good.sgn v
	local f n=0
	for f in v/*; do
		bq timeout 60 "$TOP/bin/ctl-dump" "$f"
		bq ctl-dump -j --signer "$H/ok.pem" "$f"
		bq ctl-dump -b --trust "$H/good.tlv" "$f"
		bq ctl-dump --payload "$f"
	done
	brun
	# the checks without Bats' DEBUG trap (a few hundred commands)
	checks() {
		for f in v/*; do
			n=$((n + 1))
			res -2
			[[ $stderr =~ ^"ctl-dump: $f: ".*" at byte "[0-9]+$ ]] || [[ $stderr == "ctl-dump: $f: "* ]]
			clean_later
			res -2
			json_later
			res -2
			[ -z "$output" ]
			res -2
			[ -z "$output" ]
		done
		clean_check
		json_check
		[ "$n" -ge 19 ]
		# the fuzz target's way of reading them, when it is built and current
		if [ -x "$TOP/tests/fuzz/bin/fuzz_sgn" ] && [ "$TOP/tests/fuzz/bin/fuzz_sgn" -nt "$TOP/lib/libctk.a" ]; then
			for f in v/*; do
				{ printf '\000\000'; cat "$f"; } >one
				timeout 60 "$TOP/tests/fuzz/bin/fuzz_sgn" one 2>/dev/null
			done
		fi
	}
	notrace checks
}

@test "hostile: signed files whose signer names hold escape sequences and invalid UTF-8: escaped, JSON valid" {
	need_tool ctl-dump itl-build
	cd "$BATS_TEST_TMPDIR"
	printf '<device/>\n' >a.cnf.xml
	itl-build --sign-file -k "$H/evil.key" --signer "$H/evil.pem" -o evil.sgn a.cnf.xml
	cp evil.sgn evil-utf8.sgn
	patchbin evil-utf8.sgn '\xc3\xbf\xc3\xbe' '\xff\xfe\xc0\xaf'
	for f in evil.sgn evil-utf8.sgn; do
		xrun -0 --separate-stderr ctl-dump "$f"
		both_clean
		xrun --separate-stderr ctl-dump --trust "$H/good.tlv" "$f"
		[ "$status" -le 1 ]
		both_clean
		xrun -0 --separate-stderr ctl-dump -j "$f"
		jq -e '.header.signer.name | test("RED")' <<<"$output"
		xrun -0 --separate-stderr ctl-dump -b "$f"
		both_clean
		[ "$(awk -F'\t' '{print NF}' <<<"$output")" = 5 ]
	done
	# the TFTP record of good.tlv is evil.pem: the unpatched file is accepted, by serial and
	# issuer; the patched one names another issuer and no longer verifies
	xrun -0 --separate-stderr ctl-dump -b --trust "$H/good.tlv" evil.sgn
	[[ $output == "ACCEPTED	"* ]]
	xrun -1 --separate-stderr ctl-dump -b --trust "$H/good.tlv" evil-utf8.sgn
	[[ $output == "REJECTED	"* ]]
}
