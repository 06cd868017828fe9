#!/usr/bin/env bats
# hostile-cert-expiry.bats: cert-expiry against damaged input, PKCS#12 bombs and walks it may not read (tests/hostile.bash).
# bats file_tags=full
load hostile

@test "hostile: cert-expiry: damaged, random, empty, huge, FIFO input: exit 2 (nagios 3), names the file" {
	need_tool cert-expiry
	local f fs
	fs=($(bad_files) nonexistent.pem)
	for f in "${fs[@]}"; do
		bq timeout 60 "$TOP/bin/cert-expiry" --now $NOW "$f"
		bq cert-expiry --now $NOW -j "$f" "$H/ok.pem"
		bq cert-expiry --now $NOW --json-lines "$f"
		bq cert-expiry --now $NOW --nagios "$f"
		bq cert-expiry --now $NOW --prometheus "$f"
	done
	brun
	# the checks without Bats' DEBUG trap (a few hundred commands)
	checks() {
		# json_check: one jq for the -j documents, one for the --json-lines ones
		for f in "${fs[@]}"; do
			res -2
			[ -z "$output" ]
			[[ $stderr == "cert-expiry: $f: "* ]]
			res -2
			json_later '.certificates | length == 1'
			res -2
			json_later
			res -3
			[[ $output == "CERT-EXPIRY UNKNOWN"* ]]
			res -2
			[[ $stderr == *"cert-expiry: $f: "* ]]
			[[ $output == *$'\nx509_read_errors 1'* ]]
			[[ $'\n'$output != *$'\nx509_cert_'* ]]
		done
		json_check
	}
	notrace checks
}

@test "secrets: a PKCS#12 password comes from a file or the environment, never required in argv" {
	need_tool cert-expiry
	openssl pkcs12 -export -in "$H/ok.pem" -inkey "$H/ok.key" -passout pass:s3cret -out ok.p12
	printf 's3cret\n' >pw
	chmod 600 pw
	xrun -2 --separate-stderr cert-expiry --now $NOW ok.p12
	[[ $stderr == "cert-expiry: ok.p12: "* ]]
	xrun -0 --separate-stderr cert-expiry --now $NOW -a --password-file pw ok.p12
	[[ $output == *"CN=ok"* ]]
	CERT_EXPIRY_PASSWORD=s3cret xrun -0 --separate-stderr cert-expiry --now $NOW -a ok.p12
	[[ $output == *"CN=ok"* ]]
	CERT_EXPIRY_PASSWORD=Leak-Me-Not xrun -2 --separate-stderr cert-expiry --now $NOW ok.p12
	[[ $stderr == "cert-expiry: ok.p12: "* && $stderr != *Leak-Me-Not* ]]
	no_secret
}

@test "hostile: a PKCS#12 asking for 2^31 key derivation iterations is refused at once, not obeyed" {
	need_tool cert-expiry
	local f
	for f in "$REGRESS"/cert-p12-*-iter-*.p12; do
		xrun -2 --separate-stderr timeout 30 "$TOP/bin/cert-expiry" "$f"
		[[ $stderr == "cert-expiry: $f: PKCS#12: refused: "* ]]
	done
}

@test "hostile: PKCS#12 key-derivation bombs (scrypt p=4096, 30 safes x 2,000,000 iterations) are refused by their price; a walk goes on" {
	need_tool cert-expiry
	[ -x "$TOP/tests/bin/mkp12" ] || skip "tests/bin/mkp12 is not built (make check builds it)"
	"$TOP/tests/bin/mkp12" "$H/ok.pem" scrypt.p12 scrypt 16384 8 4096
	"$TOP/tests/bin/mkp12" "$H/ok.pem" safes.p12 pbkdf2 30 2000000
	"$TOP/tests/bin/mkp12" "$H/ok.pem" fine.p12 pbkdf2 1 600000
	[ "$(stat -c %s scrypt.p12)" -lt 1048576 ] && [ "$(stat -c %s safes.p12)" -lt 1048576 ]
	# timeout: a hang guard only (obeyed, the two would cost minutes), not a timed test
	xrun -2 --separate-stderr timeout 60 "$TOP/bin/cert-expiry" --now $NOW scrypt.p12
	[ "$stderr" = "cert-expiry: scrypt.p12: PKCS#12: refused: scrypt parameters over the cap" ]
	[ -z "$output" ]
	xrun -2 --separate-stderr timeout 60 "$TOP/bin/cert-expiry" --now $NOW safes.p12
	[ "$stderr" = "cert-expiry: safes.p12: PKCS#12: refused: key derivation work over the per-file budget" ]
	# within the budget: a safe of 600,000 iterations, as some exporters write
	xrun --separate-stderr cert-expiry --now $NOW -a fine.p12
	[ "$status" -le 1 ] && [ -z "$stderr" ]
	[[ $output == *"fine.p12"*"CN=ok"* ]]
	# a walk reports each bomb and goes on with the next file
	mkdir walk
	cp scrypt.p12 safes.p12 "$H/ok.pem" walk/
	xrun -2 --separate-stderr timeout 60 "$TOP/bin/cert-expiry" --now $NOW -a walk
	[[ $output == *"walk/ok.pem"*"CN=ok"* ]]
	[ "$stderr" = "cert-expiry: walk/safes.p12: PKCS#12: refused: key derivation work over the per-file budget
cert-expiry: walk/scrypt.p12: PKCS#12: refused: scrypt parameters over the cap" ]
	if [ -x "$TOP/bin/itl-build" ]; then
		xrun -2 --separate-stderr timeout 60 "$TOP/bin/itl-build" -n -k "$H/ok.key" --sast "$H/ok.pem" --tftp scrypt.p12
		[ "$stderr" = "itl-build: scrypt.p12: PKCS#12: refused: scrypt parameters over the cap" ]
	fi
}

@test "walks: a service account skips 0600 keys unread (--nagios not UNKNOWN); symlinked certificates are reported and counted" {
	need_tool cert-expiry
	RO=$(mktemp -d /tmp/ctk-keys.XXXXXX)
	chmod 755 "$RO"
	cp -a "$S" "$RO/store"
	# a key under another name that holds a key only: skipped by its content
	cp "$H/ok.key" "$RO/store/CallManager/stray-key.pem"
	find "$RO/store" -type d -exec chmod 755 {} +
	find "$RO/store" -type f -exec chmod 644 {} +
	find "$RO/store" -name '*.key' -exec chmod 600 {} +
	[ -n "$(find "$RO/store" -name '*.key')" ]
	xrun --separate-stderr as_user cert-expiry --now $NOW --nagios -s "$RO/store"
	[ "$status" -ne 3 ]
	[[ $output == "CERT-EXPIRY "*"; 0 files unreadable |"* && $output != *UNKNOWN* ]]
	[ -z "$stderr" ]
	xrun --separate-stderr as_user cert-expiry --now $NOW --prometheus -s "$RO/store"
	[ "$status" -le 1 ]
	[[ $output == *$'\nx509_read_errors 0\n'* || $output == *$'\nx509_read_errors 0' ]]
	# a symlinked certificate: a note on stderr, an entry in JSON's skipped, the table lines as before
	xrun --separate-stderr cert-expiry --now $NOW -a -s "$RO/store"
	local table=$output st=$status
	[ "$st" -le 1 ] && [ -n "$table" ]
	ln -s "$H/ok.pem" "$RO/store/CallManager-trust/linked.pem"
	xrun --separate-stderr cert-expiry --now $NOW -a -s "$RO/store"
	[ "$status" = "$st" ] && [ "$output" = "$table" ]
	[ "$stderr" = "cert-expiry: $RO/store/CallManager-trust/linked.pem: symbolic link: not followed, skipped" ]
	xrun --separate-stderr cert-expiry --now $NOW -j -s "$RO/store"
	jq -e '([.skipped[] | select(.skipped == "symbolic link: not followed")] | length) == 1 and .errors == []' <<<"$output" >/dev/null
	rm "$RO/store/CallManager-trust/linked.pem"
	xrun --separate-stderr cert-expiry --now $NOW -j -s "$RO/store"
	jq -e '.skipped == []' <<<"$output" >/dev/null
}
