#!/usr/bin/env bats
# hostile-every-tool.bats: every tool at once: hostile names, FIFOs, vanishing files, read-only directories, /dev/full, secrets, the fuzz regressions, serials and bidi controls (tests/hostile.bash).
# bats file_tags=full
load hostile

@test "hostile: control bytes, escape sequences and invalid UTF-8 in certificate names: escaped, JSON valid" {
	need_tool ctl-dump cert-expiry
	local f
	[ -f "$H/good.tlv" ] || skip "bin/itl-build could not build the fixture"
	local tl=("$H/good.tlv" "$H/evil-utf8.tlv") cs=("$H/evil.pem" "$H/evil-utf8.pem" "$H/evil-utf8.der" "$H/good.tlv")
	for f in "${tl[@]}"; do
		for m in "" -b -c -j; do
			bq ctl-dump $m "$f"
		done
	done
	for f in "${cs[@]}"; do
		for m in "" -a --alarm --prometheus --nagios -j --json-lines; do
			bq cert-expiry --now $NOW $m "$f"
		done
	done
	brun
	# the checks without Bats' DEBUG trap (a few hundred commands)
	checks() {
		for f in "${tl[@]}"; do
			for m in "" -b -c; do
				res
				[ "$status" -le 1 ]
				clean_later
				[ "$m" != "" ] || [[ $output == *'ev\x1B[31mRED\x07\xC2\x9B2J'* ]]
			done
			res
			[ "$status" -le 1 ]
			json_later '.records | length == 2'
			clean_later
		done
		json_check
		JSON=() JSONF=()
		for f in "${cs[@]}"; do
			for m in "" -a --alarm --prometheus --nagios; do
				res
				[ "$status" -le 2 ]
				[ -z "$stderr" ]
				clean_later
				[ "$m" != -a ] || [[ $output == *'\x1B[31mRED'* ]]
			done
			for m in -j --json-lines; do
				res -0
				json_later .
				clean_later
			done
		done
		json_check
		clean_check
	}
	notrace checks
}

@test "hostile: hostile names in stores and file names: escaped on stdout and stderr" {
	need_tool ctl-dump cert-expiry
	local n=$'bad\e[2J\e]0;title\a\nname\xff\xc2\x9b.pem' t
	cp "$B/random" "$n"
	# one batch for the runs, one perl for their clean-text checks
	bq ctl-dump "$n"
	for t in "" -j --json-lines --nagios --prometheus --alarm; do
		bq cert-expiry --now $NOW $t "$n"
	done
	bq cp "$H/evil.pem" "$S/tomcat-trust/$n"
	bq cp "$H/evil-utf8.pem" "$S/CallManager-trust/x$n"
	for t in "" -a -j --json-lines --nagios --prometheus --alarm; do
		bq cert-expiry --now $NOW $t -s "$S"
	done
	if [ -x "$TOP/bin/trust-prune" ]; then
		for t in "" -v -j; do
			bq trust-prune -s "$S" --now $LATER $t
		done
	fi
	brun
	res -2
	[[ $stderr == 'ctl-dump: bad\x1B[2J\x1B]0;title\x07\x0Aname\xFF\xC2\x9B.pem: '* ]]
	clean_later
	for t in "" -j --json-lines --nagios --prometheus --alarm; do
		res
		[ "$status" -ge 2 ]
		clean_later
	done
	res -0
	res -0
	for t in "" -a -j --json-lines --nagios --prometheus --alarm; do
		res
		[ "$status" -le 2 ]
		clean_later
	done
	if [ -x "$TOP/bin/trust-prune" ]; then
		for t in "" -v -j; do
			res
			[ "$status" -le 2 ]
			clean_later
		done
	fi
	clean_check
	if [ -x "$TOP/bin/itl-build" ]; then
		xrun -2 --separate-stderr itl-build -k "$H/ok.key" --sast "$n" -o out.tlv
		both_clean
		cp "$H/evil.pem" "e$n"
		xrun -0 --separate-stderr itl-build -j -k "$H/ok.key" --sast "$H/ok.pem" --tftp "e$n" -o out.tlv
		jq -e . <<<"$output" >/dev/null
		both_clean
	fi
}

@test "hostile: FIFOs and directories where certificates and keys belong: no hang, exit 2" {
	need_storekit
	need_tool cert-expiry
	mkfifo "$S/CallManager-trust/fifo.pem"
	mkdir "$S/CallManager-trust/dir.pem"
	xrun --separate-stderr timeout 60 "$TOP/bin/cert-expiry" --now $NOW -s "$S"
	[ "$status" -le 2 ]
	xrun -2 --separate-stderr timeout 60 "$TOP/bin/cert-expiry" --now $NOW "$S/CallManager-trust/fifo.pem"
	[[ $stderr == "cert-expiry: $S/CallManager-trust/fifo.pem: "* ]]
	if [ -x "$TOP/bin/trust-prune" ]; then
		xrun --separate-stderr timeout 60 "$TOP/bin/trust-prune" -s "$S" --now $LATER --apply
		[ "$status" -le 2 ]
		[ -p "$S/CallManager-trust/fifo.pem" ] && [ -d "$S/CallManager-trust/dir.pem" ]
	fi
	if [ -x "$TOP/bin/cert-regen" ]; then
		local f before
		for f in CallManager.pem CallManager.key; do
			rm -rf "$S/CallManager"
			cp -a "$H/tpl/CallManager" "$S/"
			rm "$S/CallManager/$f"
			mkfifo "$S/CallManager/$f"
			before=$(tree "$S")
			xrun -2 --separate-stderr timeout 60 "$TOP/bin/cert-regen" -y -s "$S" --now $NOW CallManager
			[[ $stderr == *"cert-regen: "*"$f"* ]]
			[ "$(tree "$S")" = "$before" ]
			rm "$S/CallManager/$f"
			mkdir "$S/CallManager/$f"
			xrun -2 --separate-stderr timeout 60 "$TOP/bin/cert-regen" -y -s "$S" --now $NOW CallManager
			[ -d "$S/CallManager/$f" ]
		done
	fi
	if [ -x "$TOP/bin/itl-build" ]; then
		xrun -2 --separate-stderr timeout 60 "$TOP/bin/itl-build" -k "$S/CallManager-trust/fifo.pem" \
			--sast "$H/ok.pem" -o out.tlv
		[ ! -e out.tlv ]
	fi
}

@test "hostile: a FIFO with a writer is refused at once by name (ctl-dump, cert-expiry, cert-regen); stdin stays a pipe" {
	need_storekit
	need_tool cert-expiry
	local f=$BATS_TEST_TMPDIR/held.pem
	hold_fifo "$f"
	xrun -2 --separate-stderr timeout 20 "$TOP/bin/cert-expiry" --now $NOW "$f"
	[ "$stderr" = "cert-expiry: $f: a FIFO, not a regular file" ]
	[ -z "$output" ]
	if [ -x "$TOP/bin/ctl-dump" ]; then
		xrun -2 --separate-stderr timeout 20 "$TOP/bin/ctl-dump" "$f"
		[ "$stderr" = "ctl-dump: $f: a FIFO, not a regular file" ]
		[ -z "$output" ]
	fi
	kill "$HOLDER"
	# a pipe on stdin is still read
	xrun -0 --separate-stderr sh -c 'cat "$1" | cert-expiry --now "$2" -a -' sh "$H/ok.pem" $NOW
	[[ $output == *"<stdin>"* ]]
	if [ -x "$TOP/bin/cert-regen" ]; then
		local before
		hold_fifo "$S/CallManager/CallManager.pem"
		before=$(tree "$S")
		xrun -2 --separate-stderr timeout 20 "$TOP/bin/cert-regen" -y -s "$S" --now $NOW CallManager
		[[ $stderr == *"cert-regen: $S/CallManager/CallManager.pem: a FIFO, not a regular file"* ]]
		[ "$(tree "$S")" = "$before" ]
		kill "$HOLDER"
	fi
}

@test "hostile: files that disappear between listing and reading: message, exit 2, nothing lost" {
	[ -f "$BATS_FILE_TMPDIR/vanish.so" ] || skip "no C compiler for the LD_PRELOAD shim"
	need_tool cert-expiry
	export LD_PRELOAD="$BATS_FILE_TMPDIR/vanish.so" ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
	CTK_VANISH=valid.pem xrun -2 --separate-stderr cert-expiry --now $NOW -a -s "$S"
	[[ $stderr == *"cert-expiry: $S/"*"valid.pem: "* ]]
	[[ $output == *CallManager.pem* ]]
	if [ -x "$TOP/bin/trust-prune" ]; then
		rm -rf "$S"
		cp -a "$H/tpl" "$S"
		CTK_VANISH=valid.pem xrun -2 --separate-stderr trust-prune -s "$S" --now $LATER --apply
		[[ $stderr == *"valid.pem"* ]]
		cmp "$H/expired.pem" "$S"/.backup/*/CallManager-trust/expired.pem
	fi
	if [ -x "$TOP/bin/cert-regen" ]; then
		rm -rf "$S"
		cp -a "$H/tpl" "$S"
		rm "$S/CallManager-trust/valid.pem"
		cp "$H/tpl/CallManager/CallManager.key" keep.key
		CTK_VANISH=CallManager.key xrun -2 --separate-stderr cert-regen -y -s "$S" --now $NOW CallManager
		[[ $stderr == *"CallManager.key"* ]]
		cmp "$H/tpl/CallManager/CallManager.pem" "$S/CallManager/CallManager.pem"
	fi
	unset LD_PRELOAD
}

@test "hostile: read-only directories: writers exit 2 and change nothing" {
	need_storekit
	RO=$(mktemp -d /tmp/ctk-ro.XXXXXX)
	chmod 755 "$RO"
	cp -a "$S" "$RO/store"
	mkdir "$RO/out"
	cp "$H/ok.key" "$H/ok.pem" "$RO/"
	[ "$(id -u)" != 0 ] || chown -R 65534:65534 "$RO"
	find "$RO" -type d -exec chmod 555 {} +
	local before=$(tree "$RO/store")
	if [ -x "$TOP/bin/cert-regen" ]; then
		xrun -2 --separate-stderr as_user cert-regen -y -s "$RO/store" --now $NOW CallManager
		[[ $stderr == "cert-regen: $RO/store"* ]]
		[ "$(tree "$RO/store")" = "$before" ]
		[ ! -e "$RO/store/.backup" ]
	fi
	if [ -x "$TOP/bin/trust-prune" ]; then
		xrun -2 --separate-stderr as_user trust-prune -s "$RO/store" --now $LATER --apply
		[[ $stderr == "trust-prune: $RO/store"* ]]
		[ "$(tree "$RO/store")" = "$before" ]
	fi
	if [ -x "$TOP/bin/itl-build" ]; then
		xrun -2 --separate-stderr as_user itl-build -k "$RO/ok.key" --sast "$RO/ok.pem" -o "$RO/out/x.tlv"
		[[ $stderr == "itl-build: $RO/out/x.tlv"* ]]
		[ -z "$(ls -A "$RO/out")" ]
	fi
	if [ -x "$TOP/bin/ctl-dump" ] && [ -f "$H/good.tlv" ]; then
		xrun -2 --separate-stderr as_user ctl-dump -x "$RO/out" "$H/good.tlv"
		[ -z "$(ls -A "$RO/out")" ]
	fi
}

@test "hostile: stdout on /dev/full: every tool exits 2 with a message" {
	local t
	if [ -x "$TOP/bin/ctl-dump" ] && [ -f "$H/good.tlv" ]; then
		for t in "" -b -j -c; do
			xrun -2 --separate-stderr full ctl-dump $t "$H/good.tlv"
			[[ $stderr == *"ctl-dump: stdout: No space left on device"* ]]
		done
	fi
	if [ -x "$TOP/bin/cert-expiry" ]; then
		for t in "" -j --nagios --prometheus --alarm; do
			xrun --separate-stderr full cert-expiry --now $LATER -a $t "$H/ok.pem"
			[ "$status" -ge 2 ] || { echo "cert-expiry $t: exit $status" >&2; false; }
			[[ $stderr == *"No space left on device"* ]]
		done
	fi
	if [ -x "$TOP/bin/itl-build" ]; then
		xrun -2 --separate-stderr full itl-build -k "$H/ok.key" --sast "$H/ok.pem"
		[[ $stderr == *"No space left on device"* ]]
	fi
	if [ -x "$TOP/bin/trust-prune" ]; then
		xrun -2 --separate-stderr full trust-prune -s "$S" --now $LATER
		[[ $stderr == *"No space left on device"* ]]
	fi
	if [ -x "$TOP/bin/cert-regen" ]; then
		xrun -2 --separate-stderr full cert-regen -n -s "$S" --now $NOW CallManager
		[[ $stderr == *"No space left on device"* ]]
	fi
}

@test "regress: every input that once crashed a fuzz target replays cleanly through the tools" {
	local f t n=0
	for f in "$REGRESS"/*; do
		[ -f "$f" ] || continue
		n=$((n + 1))
		# the fuzz targets too, when `make fuzz-build` made them after the last library change
		for t in "$TOP"/tests/fuzz/bin/fuzz_*; do
			[ "${t%.log}" != "$t" ] || [ ! -x "$t" ] || [ ! "$t" -nt "$TOP/lib/libctk.a" ] ||
				timeout 120 "$t" "$f" 2>/dev/null
		done
		if [ -x "$TOP/bin/ctl-dump" ]; then
			for t in "" -b -j -c; do
				bq ctl-dump $t "$f"
			done
		fi
		if [ -x "$TOP/bin/cert-expiry" ]; then
			bq cert-expiry --now $NOW "$f"
			bq cert-expiry --now $NOW -j "$f"
		fi
		if [ -x "$TOP/bin/itl-build" ]; then
			bq itl-build -n -k "$H/ok.key" --sast "$H/ok.pem" --tftp "$f"
			bq itl-build -n -k "$H/ok.key" --resign "$f"
		fi
	done
	[ "$n" -gt 0 ]
	brun
	# the checks without Bats' DEBUG trap (a few hundred commands)
	checks() {
		# the tools' runs, checked in the same order (one jq for the JSON of them all)
		for f in "$REGRESS"/*; do
			[ -f "$f" ] || continue
			if [ -x "$TOP/bin/ctl-dump" ]; then
				for t in "" -b -j -c; do
					res
					[ "$status" -le 2 ]
					[ "$t" != -j ] || json_later
				done
			fi
			if [ -x "$TOP/bin/cert-expiry" ]; then
				res
				[ "$status" -le 2 ]
				res
				[ "$status" -le 2 ]
				json_later .
			fi
			if [ -x "$TOP/bin/itl-build" ]; then
				res
				[ "$status" -le 2 ]
				res
				[ "$status" -le 2 ]
			fi
		done
		json_check
	}
	notrace checks
}

@test "hostile: bidi controls (U+202E, U+2066, ...) in names are escaped in text and diagnostics, kept as \\u in JSON" {
	need_tool ctl-dump cert-expiry itl-build
	local c m
	# CN "invoice<U+202E>fdp.exe<U+2066>x<U+2069><U+200F>" shows as "invoiceexe.pdf" when not escaped
	printf '[req]\ndistinguished_name=dn\nprompt=no\n[dn]\nCN=invoice\342\200\256fdp.exe\342\201\246x\342\201\251\342\200\217\n' >bidi.cnf
	mkkey bidi.key
	openssl req -x509 -utf8 -key bidi.key -out bidi.pem -days 365 \
		-config bidi.cnf 2>/dev/null
	itl-build -k bidi.key --sast bidi.pem -o bidi.tlv
	esc='invoice\xE2\x80\xAEfdp.exe\xE2\x81\xA6x\xE2\x81\xA9\xE2\x80\x8F'
	for m in "" -b; do
		xrun -0 --separate-stderr ctl-dump $m bidi.tlv
		[[ $output == *"$esc"* ]]
		! grep -q "$(printf '\342\200\256\\|\342\201\246\\|\342\201\251\\|\342\200\217')" <<<"$output"
	done
	xrun -0 --separate-stderr ctl-dump -j bidi.tlv
	[ "$(jq -r '.records[0].subject' <<<"$output")" = "$(printf 'CN=invoice\342\200\256fdp.exe\342\201\246x\342\201\251\342\200\217')" ]
	[[ $output == *'invoice\u202efdp.exe\u2066x\u2069\u200f'* ]]
	for m in -a --nagios --prometheus --alarm; do
		xrun --separate-stderr cert-expiry --now $NOW $m bidi.pem
		! grep -q "$(printf '\342\200\256')" <<<"$output$stderr"
	done
	[[ $(cert-expiry --now $NOW -a bidi.pem) == *"CN=$esc"* ]]
	# a file name with U+202E in a diagnostic
	c=$(printf 'evil\342\200\256gpj.tlv')
	printf 'x' >"$c"
	xrun -2 --separate-stderr ctl-dump "$c"
	[ "$stderr" = 'ctl-dump: evil\xE2\x80\xAEgpj.tlv: not a CTL/ITL file nor a show itl/show ctl capture' ]
}

@test "hostile: serials over 64 bytes print in full, negative ones with a '-' (cert-expiry, ctl-dump, trust-prune)" {
	need_tool ctl-dump cert-expiry itl-build trust-prune
	long=$(printf '7F%.0s' $(seq 70))
	mkcert . long 365 /CN=long -set_serial "0x$long"
	mkcert . neg 365 /CN=neg -set_serial -0x1234
	[ "$(openssl x509 -in neg.pem -noout -serial)" = "serial=-1234" ]
	xrun -1 cert-expiry -a --now $LATER long.pem neg.pem
	[ "$(cut -f6 <<<"${lines[0]}")" = "$long" ]
	[ "$(cut -f6 <<<"${lines[1]}")" = "-1234" ]
	xrun -1 cert-expiry -j --now $LATER long.pem neg.pem
	[ "$(jq -r '.certificates | map(.serial) | join(" ")' <<<"$output")" = "$long -1234" ]
	xrun -1 cert-expiry --prometheus --now $LATER neg.pem
	[[ $output == *'serial="-1234"'* ]]
	itl-build -k neg.key --sast neg.pem --tftp long.pem -o nl.tlv
	xrun -0 ctl-dump -b nl.tlv
	[ "$(cut -f4 <<<"${lines[0]}")" = "-1234" ]
	[ "$(cut -f4 <<<"${lines[1]}")" = "$long" ]
	mkcert_dates . old 20100101000000Z 20200101000000Z /CN=old
	cp long.pem neg.pem old.pem "$S/CallManager-trust/"
	xrun -1 --separate-stderr trust-prune -s "$S" --now $NOW -v
	[[ $output == *$'\t'"$long"$'\t'* ]]
	[[ $output == *$'\t-1234\t'* ]]
	xrun -1 --separate-stderr trust-prune -s "$S" --now $NOW -j
	jq -e --arg l "$long" '[.. | objects | select(.serial? == $l or .serial? == "-1234")] | length == 2' <<<"$output" >/dev/null
}
