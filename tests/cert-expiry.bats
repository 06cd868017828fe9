# cert-expiry: every input format, every output format, thresholds at their boundaries.
# (--all, a store's units and types, per-unit thresholds, trust-list records and the bundled
# samples, a directory walk, malformed operands, CUCM's alarm lines and bands, the Nagios
# plugin's lines and codes, the Prometheus lines, and names with control bytes in the table and
# JSON: tests/unit/t_report.c, cert-expiry's walk and reports run in process.)
load helpers
load storekit

NOW=2027-01-01T00:00:00Z

# mkctl OUT FUNCTION:CERT.der ...: a minimal CTL/ITL (version, header length, padding;
# each record RECORDLENGTH, FUNCTION, CERTIFICATE), enough for the parser.
mkctl() {
	local out=$1 pair fn f n rl
	shift
	{
		printf '\001\000\002\001\002\002\000\002\000\014\015\015'
		for pair in "$@"; do
			fn=${pair%%:*} f=${pair#*:} n=$(stat -c %s "$f") rl=$((13 + n))
			printf "\\001\\000\\002\\$(printf %03o $((rl >> 8)))\\$(printf %03o $((rl & 255)))"
			printf "\\004\\000\\002\\000\\$(printf %03o "$fn")"
			printf "\\011\\$(printf %03o $((n >> 8)))\\$(printf %03o $((n & 255)))"
			cat "$f"
		done
	} >"$out"
}

# pem2der NAME: NAME.der, the DER of NAME.pem (one certificate): its base64 lines decoded by
# one base64 (coreutils), where an openssl x509 process cost several times that
pem2der() {
	local t
	IFS= read -r -d '' t <"$1.pem" || true
	t=${t#*-----BEGIN CERTIFICATE-----$'\n'} t=${t%%-----END CERTIFICATE-----*}
	base64 -d <<<"$t" >"$1.der"
}

setup_file() {
	F="$BATS_FILE_TMPDIR/f"
	mkdir -p "$F"
	cd "$F"
	# RSA-1024 keys but for a, b, c and far (the 4 MiB bundles are made of them): no output
	# depends on the size
	# a bundle of three where the second expires first
	# (mkcerts: storekit.bash, each as mkcert_dates makes it, all in one process)
	# a bundle of three where the second expires first; seven: 7.0 days left (the boundaries
	# themselves: tests/unit/t_when.c)
	need_storekit
	mkcerts . <<-'EOF'
		a|20260101000000Z|20270301000000Z|/CN=alpha/O=Acme, Inc
		b|20260101000000Z|20270105000000Z|/CN=bravo
		c|20260101000000Z|20270120000000Z|/CN=charlie
		seven|20260101000000Z|20270108000000Z|/CN=seven|1024
		old|20250101000000Z|20261201000000Z|/CN=old|1024
		far|20260101000000Z|20300101000000Z|/CN=far
	EOF
	cat a.pem b.pem c.pem >bundle.pem
	pem2der b && pem2der far && pem2der seven
	openssl crl2pkcs7 -nocrl -certfile bundle.pem -out bundle.p7b
	openssl crl2pkcs7 -nocrl -certfile bundle.pem -outform DER -out bundle-der.p7b
	openssl pkcs12 -export -in b.pem -inkey b.key -certfile c.pem -passout pass:s3cret \
		-out pass.p12 2>/dev/null
	openssl pkcs12 -export -in b.pem -inkey b.key -passout pass: -out nopass.p12 2>/dev/null
	printf 's3cret\n' >pass.txt
	mkctl trust.tlv 0:far.der 21:seven.der 2:b.der
	# a store: own, trust, a key, a note, a hidden backup
	# (copied by builtins: text, no NUL; the key through copy600, 0600 from the start)
	mkdir -p store/tomcat store/CAPF-trust store/CallManager-trust store/.backup/x
	local p t
	for p in b.pem:store/tomcat/tomcat.pem c.pem:store/CAPF-trust/CAPF-1234abcd.pem \
	    far.pem:store/CallManager-trust/Far_01.pem old.pem:store/.backup/x/old.pem; do
		IFS= read -r -d '' t <"${p%%:*}" || true
		printf '%s' "$t" >"${p#*:}"
	done
	copy600 b.key store/tomcat/tomcat.key
	echo 'unit notes' >store/CallManager-trust/README
	printf 'not a certificate\n' >garbage.txt
	# a project-built ITL: every record its own name (read, never written, by the tests)
	itl-build -k far.key -o itl.tlv --sast far.pem --ccm-tftp b.pem --tvs seven.pem --capf c.pem \
	    --now @1790000000
}

setup() {
	F="$BATS_FILE_TMPDIR/f"
	cd "$F"
}

# a test that works in /dev/shm leaves nothing there, even when it fails
teardown() {
	[ -z "${SHM:-}" ] || rm -rf "$SHM"
}

@test "cert-expiry: --help prints the usage on stdout and exits 0; --version" {
	xrun -0 --separate-stderr cert-expiry --help
	[[ ${lines[0]} == "usage: cert-expiry [-ajqv]" ]]
	[[ $output == *"--threshold"* ]]
	[ -z "$stderr" ]
	xrun -0 cert-expiry --version
	[[ $output =~ ^cert-expiry\ ctlkit\ [0-9] ]]
}

@test "cert-expiry: usage errors exit 2 with the usage line and print nothing" {
	for args in "--bogus" "-w x b.pem" "-c -1 b.pem" "-t CAPF-trust=90 b.pem" \
	    "-t =1:2 b.pem" "--json --nagios b.pem" "--prometheus --alarm b.pem" \
	    "--max-depth -1 ." "--password a --password-file pass.txt pass.p12"; do
		xrun -2 --separate-stderr cert-expiry $args
		[ -z "$output" ]
		[[ $stderr == *"usage: cert-expiry"* ]]
	done
}

@test "cert-expiry: bundle of 3: the 2nd expires first and leads the table; exit 1" {
	xrun -1 --separate-stderr cert-expiry --now $NOW bundle.pem
	[ -z "$stderr" ]
	[ "${#lines[@]}" -eq 2 ]
	IFS=$'\t' read -r days na unit file subj serial state <<<"${lines[0]}"
	[ "$days" = 4.00 ] && [ "$na" = 2027-01-05T00:00:00Z ] && [ "$unit" = - ]
	[ "$file" = "bundle.pem#2" ] && [ "$subj" = CN=bravo ] && [ "$state" = critical ]
	[ "$serial" = "$(openssl x509 -in b.pem -noout -serial | cut -d= -f2)" ]
	IFS=$'\t' read -r days na unit file subj serial state <<<"${lines[1]}"
	[ "$days" = 19.00 ] && [ "$file" = "bundle.pem#3" ] && [ "$state" = warning ]
}

@test "cert-expiry: nothing in the window: no output, exit 0" {
	xrun -0 --separate-stderr cert-expiry --now $NOW far.pem far.der
	[ -z "$output" ] && [ -z "$stderr" ]
	xrun -0 cert-expiry -w 10 -c 1 --now 2027-01-03T00:00:00Z c.pem
	[ -z "$output" ]
}

@test "cert-expiry: --now, SOURCE_DATE_EPOCH and a bad --now" {
	xrun -0 cert-expiry --now 2026-01-02T00:00:00Z b.pem
	[ -z "$output" ]
	SOURCE_DATE_EPOCH=1798761600 xrun -1 cert-expiry b.pem	# 2027-01-01
	[ "$(cut -f1 <<<"$output")" = 4.00 ]
	xrun -2 --separate-stderr cert-expiry --now yesterday b.pem
	[ -z "$output" ]
	[[ $stderr == "cert-expiry: "*yesterday* ]]
}

@test "cert-expiry: DER, stdin with no operand and with -" {
	xrun -1 cert-expiry --now $NOW b.der
	[ "$(cut -f4,5 <<<"$output")" = $'b.der\tCN=bravo' ]
	xrun -1 cert-expiry --now $NOW <b.der
	[ "$(cut -f4 <<<"$output")" = '<stdin>' ]
	xrun -1 cert-expiry --now $NOW - <bundle.pem
	[ "$(cut -f4 <<<"${lines[0]}")" = '<stdin>#2' ]
}

@test "cert-expiry: PKCS#7, PEM and DER, give every certificate" {
	xrun -1 cert-expiry -a --now $NOW bundle.p7b bundle-der.p7b
	[ "${#lines[@]}" -eq 6 ]
	[ "$(cut -f4 <<<"$output" | sort | tr '\n' ' ')" = \
	    "bundle-der.p7b#1 bundle-der.p7b#2 bundle-der.p7b#3 bundle.p7b#1 bundle.p7b#2 bundle.p7b#3 " ]
}

@test "cert-expiry: PKCS#12 with a password (option, file, environment) and without" {
	xrun -1 cert-expiry -a --now $NOW nopass.p12
	[ "$(cut -f4,5 <<<"$output")" = $'nopass.p12\tCN=bravo' ]
	xrun -2 --separate-stderr cert-expiry --now $NOW pass.p12
	[ -z "$output" ]
	[[ $stderr == "cert-expiry: pass.p12: "*password* ]]
	xrun -1 cert-expiry -a --now $NOW --password s3cret pass.p12
	[ "$(cut -f4,5 <<<"$output" | tr '\n' ' ')" = $'pass.p12#1\tCN=bravo pass.p12#2\tCN=charlie ' ]
	xrun -1 cert-expiry -a --now $NOW --password-file pass.txt pass.p12
	[ "${#lines[@]}" -eq 2 ]
	CERT_EXPIRY_PASSWORD=s3cret xrun -1 cert-expiry -a --now $NOW pass.p12
	[ "${#lines[@]}" -eq 2 ]
	# the empty password is still tried on a file that does not take the one given
	xrun -1 cert-expiry -a --now $NOW --password s3cret pass.p12 nopass.p12
	[ "${#lines[@]}" -eq 3 ]
	xrun -2 --separate-stderr cert-expiry -a --now $NOW --password wrong pass.p12
	[ -z "$output" ]
	[[ $stderr == "cert-expiry: pass.p12: "*password* ]]
	xrun -2 --separate-stderr cert-expiry --password-file missing.txt pass.p12
	[ -z "$output" ]
	[[ $stderr == "cert-expiry: missing.txt: No such file or directory" ]]
}

@test "cert-expiry: an unreadable file among readable ones (needs a non-root user)" {
	[ "$(id -u)" != 0 ] || skip "root reads files whatever their mode"
	mkdir -p "$BATS_TEST_TMPDIR/u"
	cp b.pem far.pem "$BATS_TEST_TMPDIR/u/"
	chmod 000 "$BATS_TEST_TMPDIR/u/b.pem"
	xrun -2 --separate-stderr cert-expiry -a --now $NOW "$BATS_TEST_TMPDIR/u"
	[ "$stderr" = "cert-expiry: $BATS_TEST_TMPDIR/u/b.pem: Permission denied" ]
	[[ $output == *far.pem* ]]
}

@test "cert-expiry: JSON checks out against openssl" {
	local v o
	xrun -1 --separate-stderr cert-expiry -j --now $NOW bundle.pem
	# one jq (it fails, and v is short, unless the document parses), one openssl per certificate
	mapfile -t v < <(jq -rc '.now, [.certificates[] | .index], (.certificates[1] | .file, .type,
	    .unit, .state, .days_left, .not_before, .not_after, .serial, .sha256),
	    (.certificates[0] | .subject, .issuer), (.errors | length)' <<<"$output")
	[ "${#v[@]}" -eq 14 ]
	[ "${v[0]}" = $NOW ]
	[ "${v[1]}" = '[1,2,3]' ]
	[ "${v[2]}" = bundle.pem ]
	[ "${v[3]}" = null ] && [ "${v[4]}" = null ]
	[ "${v[5]}" = critical ] && [ "${v[6]}" = 4 ]
	[ "${v[7]}" = 2026-01-01T00:00:00Z ]
	[ "${v[8]}" = 2027-01-05T00:00:00Z ]
	o=$(openssl x509 -in b.pem -noout -serial -fingerprint -sha256)
	local serial=${o%%$'\n'*}
	[ "${v[9]}" = "${serial#serial=}" ]
	o=${o#*$'\n'} o=${o#*=}
	[ "${v[10]}" = "${o//:/}" ]
	o=$(openssl x509 -in a.pem -noout -subject -nameopt RFC2253)
	[ "${v[11]}" = "${o#subject=}" ]
	[ "${v[12]}" = 'O=Acme\, Inc,CN=alpha' ]
	[ "${v[13]}" -eq 0 ]
}

@test "cert-expiry: --json-lines: one object per certificate and per failed file" {
	xrun -2 --separate-stderr cert-expiry --json-lines --now $NOW bundle.pem garbage.txt
	[ "${#lines[@]}" -eq 4 ]
	# one jq: each line parsed as a document of its own (-R, fromjson); a line that is not one
	# fails jq, whose FAILED makes a fifth line
	local v
	mapfile -t v < <(jq -R -c 'fromjson | [type, .state, .]' <<<"$output" || echo FAILED)
	[ "${#v[@]}" -eq 4 ]
	[[ ${v[0]} == '["object",'* ]] && [[ ${v[2]} == '["object",'* ]]
	[[ ${v[1]} == '["object","critical",'* ]]
	[ "${v[3]}" = \
	    '["object",null,{"tool":"cert-expiry","version":"0.1.0","file":"garbage.txt","error":"not a PEM, DER, PKCS#7, PKCS#12 or CTL/ITL file"}]' ]
}

@test "cert-expiry: -q prints nothing; the status says it" {
	xrun -1 --separate-stderr cert-expiry -q --now $NOW bundle.pem
	[ -z "$output" ] && [ -z "$stderr" ]
	xrun -0 --separate-stderr cert-expiry -q --now $NOW far.pem
	[ -z "$output" ] && [ -z "$stderr" ]
	xrun -2 --separate-stderr cert-expiry -q --now $NOW garbage.txt
	[ -z "$output" ]
	[[ $stderr == "cert-expiry: garbage.txt: "* ]]
}

@test "cert-expiry: a write error on stdout exits 2" {
	xrun -2 --separate-stderr sh -c "cert-expiry --now $NOW bundle.pem >/dev/full"
	[[ $stderr == *"cert-expiry: stdout: "* ]]
	xrun -2 --separate-stderr sh -c "cert-expiry -j --now $NOW far.pem >/dev/full"
	[[ $stderr == *"cert-expiry: stdout: "* ]]
	xrun -3 --separate-stderr sh -c "cert-expiry --nagios --now $NOW far.pem >/dev/full"
	[[ $stderr == *"cert-expiry: stdout: "* ]]
}

# bats test_tags=full
@test "cert-expiry: the man page's examples run" {
	xrun -1 cert-expiry -w 60 --now 2027-01-01T00:00:00Z bundle.pem
	[ "${#lines[@]}" -eq 3 ]
	xrun -1 cert-expiry -a --threshold CAPF-trust=90:30 -s store --now $NOW
	[ "${#lines[@]}" -eq 3 ]
	xrun -0 bash -c "cert-expiry -j -s store --now $NOW | jq -r '.certificates[] | select(.state != \"ok\") | .file'"
	[ "$output" = "$(printf '%s\n' store/CAPF-trust/CAPF-1234abcd.pem store/tomcat/tomcat.pem)" ]
	xrun -0 bash -c "out=\$(cert-expiry --now $NOW -s store) || echo \"\$out\" | cat"
	[ "${#lines[@]}" -eq 2 ]
	xrun -2 cert-expiry --nagios -w 30 -c 7 -s store --now $NOW
	[[ $output == "CERT-EXPIRY CRITICAL"* ]]
	cd "$BATS_TEST_TMPDIR"
	xrun -0 bash -c "cert-expiry --prometheus -s '$F/store' --now $NOW >x509.prom.tmp; mv x509.prom.tmp x509.prom"
	xrun -0 grep -c '^x509_cert_not_after{' x509.prom
	[ "$output" = 3 ]
	CERT_EXPIRY_SYSLOG=$BATS_TEST_TMPDIR/nolog xrun -2 --separate-stderr cert-expiry --syslog --node CUCM01 \
	    --cluster StandAloneCluster -s "$F/store" --now $NOW
	[ "${#lines[@]}" -eq 2 ]
	[[ $stderr == "cert-expiry: "*nolog* ]]
}

# bats test_tags=full
@test "cert-expiry: a directory too large to sort in memory is walked in one pass (sorted runs merged), in the order and with the output of its files given one by one" {
	local d=$BATS_TEST_TMPDIR/many
	cd "$BATS_TEST_TMPDIR"
	mkdir "$d"
	# three certificates, hard-linked under 600 names that arrive out of order; runs of 64
	# names (CTK_DIRSORT_RUN; 32,768 by default) make ten sorted runs to merge
	D="$d" perl -e 'my @c = @ARGV; for (1 .. 600) {
		link $c[$_ % 3], sprintf("%s/%03d-%d.pem", $ENV{D}, ($_ * 7919) % 600, $_) or die }' \
	    "$F/a.pem" "$F/b.pem" "$F/c.pem"
	export CTK_DIRSORT_RUN=64
	xrun -1 --separate-stderr cert-expiry --now $NOW -j "$d"
	[ -z "$stderr" ]
	jq -c '.certificates[] | del(.unit) | .file |= sub("^.*/many/"; "")' <<<"$output" >walk.txt
	(cd "$d" && exec cert-expiry --now $NOW -j *) >ops.json || [ $? = 1 ]
	jq -c '.certificates[] | del(.unit)' ops.json >ops.txt
	[ "$(wc -l <walk.txt)" = 600 ]
	[ "$(head -c 20 walk.txt)" = '{"file":"000-600.pem' ]
	cmp walk.txt ops.txt
	# the same without the knob (one run in memory), and the table without the unit column
	CTK_DIRSORT_RUN= cert-expiry --now $NOW -j "$d" | jq -c '.certificates[] | del(.unit) |
	    .file |= sub("^.*/many/"; "")' | cmp - walk.txt
	cert-expiry --now $NOW -a "$d" | cut -f1,2,4- | sed "s|$d/||" >walk.tsv
	(cd "$d" && cert-expiry --now $NOW -a * | cut -f1,2,4-) >ops.tsv
	[ "$(wc -l <walk.tsv)" = 600 ]
	cmp walk.tsv ops.tsv
}

# bats test_tags=full
@test "cert-expiry: a bundle over 4 MiB is streamed (PEM and DER) with the output of the same bytes read whole and of its certificates one by one" {
	cd "$BATS_TEST_TMPDIR"
	local i ops=() a b c k
	a=$(<"$F/a.pem") b=$(<"$F/b.pem") c=$(<"$F/c.pem") k=$(<"$F/a.key")
	# 3,900 certificates (about 4.5 MB) with a key block and explanatory text among them,
	# written by builtins outside Bats' trace (notrace: a subshell, so ops is filled apart)
	bigpem() {
		local i
		for ((i = 1; i <= 1300; i++)); do
			printf '%s\n' "$a"
			[ "$i" != 500 ] || printf 'Subject: a key in the middle\n%s\n' "$k"
			printf 'explanatory text %s\n%s\n%s\n' "$i" "$b" "$c"
		done >big.pem
	}
	notrace bigpem
	for ((i = 1; i <= 1300; i++)); do ops+=("$F/a.pem" "$F/b.pem" "$F/c.pem"); done
	[ "$(stat -c %s big.pem)" -gt 4194304 ]
	# stdin is read whole: the same bytes, the same lines and JSON but for the name
	xrun -1 --separate-stderr cert-expiry --now $NOW -a big.pem
	[ -z "$stderr" ] && [ "${#lines[@]}" = 3900 ]
	[[ ${lines[0]} == *$'\tbig.pem#'* ]]
	cert-expiry --now $NOW -a - <big.pem | sed 's/<stdin>/big.pem/' | cmp - <(printf '%s\n' "$output")
	cert-expiry --now $NOW -j big.pem >streamed.json || [ $? = 1 ]
	cert-expiry --now $NOW -j - <big.pem | sed 's/<stdin>/big.pem/g' | cmp - streamed.json
	jq -c '.certificates[] | del(.file, .index, .unit)' streamed.json >streamed.txt
	cert-expiry --now $NOW -j "${ops[@]}" | jq -c '.certificates[] | del(.file, .index, .unit)' |
	    cmp - streamed.txt
	jq -e '[.certificates[].index] == [range(1; 3901)]' streamed.json >/dev/null
	# DER certificates back to back
	cat "$F/b.der" "$F/far.der" "$F/b.der" "$F/far.der" >four.der
	local fours=() fifties=()
	for ((i = 0; i < 50; i++)); do fours+=(four.der); done
	cat "${fours[@]}" >fifty.der
	for ((i = 0; i < 34; i++)); do fifties+=(fifty.der); done
	cat "${fifties[@]}" >big.der
	[ "$(stat -c %s big.der)" -gt 4194304 ]
	xrun -1 --separate-stderr cert-expiry --now $NOW -a big.der
	[ -z "$stderr" ] && [ "${#lines[@]}" = 6800 ]
	cert-expiry --now $NOW -a - <big.der | sed 's/<stdin>/big.der/' | cmp - <(printf '%s\n' "$output")
	# one certificate, then 5 MB of text: still one certificate, labelled without #1
	{ cat "$F/b.pem"; yes "padding line of text" | head -n 250000; } >one.pem
	xrun -1 --separate-stderr cert-expiry --now $NOW -a one.pem
	[ "${#lines[@]}" = 1 ] && [[ ${lines[0]} == *$'\tone.pem\t'* ]]
	# a damaged block half-way: the certificates before it, then the error, exit 2
	{ head -c 3000000 big.pem; printf -- '-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n'; cat big.pem; } >bad.pem
	xrun -2 --separate-stderr cert-expiry --now $NOW -a bad.pem
	[ "$stderr" = "cert-expiry: bad.pem: bad base64" ]
	[ "${#lines[@]}" -gt 1000 ]
	# damaged at once: one message, nothing on stdout
	{ printf -- '-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n'; cat big.pem; } >bad0.pem
	xrun -2 --separate-stderr cert-expiry --now $NOW -a bad0.pem
	[ "$stderr" = "cert-expiry: bad0.pem: bad base64" ] && [ -z "$output" ]

	CERT_EXPIRY_SYSLOG=$BATS_TEST_TMPDIR/nolog xrun -2 --separate-stderr cert-expiry --syslog --node CUCM01 \
	    --cluster StandAloneCluster -s "$F/store" --now $NOW
	[ "${#lines[@]}" -eq 2 ]
}

# --- issue 15: what breaks, bundled CAs, exclusions, CUCM's alarm bands, Prometheus, pipes ---

# seed_store DIR: own units that are fine, an expired Cisco bundled CA in CAPF-trust and
# CallManager-trust, and an expired trust certificate nobody needs (trust-prune's to remove).
seed_store() {
	local d=$1
	mkdir -p "$d"/tomcat "$d"/CallManager "$d"/CAPF-trust "$d"/CallManager-trust "$d"/tomcat-trust
	cp far.pem "$d/tomcat/tomcat.pem" && cp far.key "$d/tomcat/tomcat.key"
	cp far.pem "$d/CallManager/CallManager.pem" && cp far.key "$d/CallManager/CallManager.key"
	cp cmca.pem "$d/CAPF-trust/Cisco_Manufacturing_CA_01.pem"
	cp cmca.pem "$d/CallManager-trust/Cisco_Manufacturing_CA_01.pem"
	cp old.pem "$d/tomcat-trust/old-idp.pem"
}

@test "cert-expiry: after the seed's procedure, expired bundled CAs are kept: exit 0, Nagios OK" {
	[ -f cmca.pem ] ||
		mkcerts . <<<"cmca|20050101000000Z|20261101000000Z|/O=Cisco Systems/CN=Cisco Manufacturing CA|1024"
	seed_store "$BATS_TEST_TMPDIR/s"
	cd "$BATS_TEST_TMPDIR"
	xrun -1 cert-expiry --now $NOW -s s
	[ "$output" = "$(printf '%s\t' -31.00 2026-12-01T00:00:00Z tomcat-trust s/tomcat-trust/old-idp.pem \
	    CN=old "$(openssl x509 -in "$F/old.pem" -noout -serial | cut -d= -f2)")expired" ]
	xrun -0 trust-prune --apply --now $NOW -s s
	[ ! -e s/tomcat-trust/old-idp.pem ] && [ -e s/CAPF-trust/Cisco_Manufacturing_CA_01.pem ]
	xrun -0 --separate-stderr cert-expiry --now $NOW -s s
	[ -z "$output" ] && [ -z "$stderr" ]
	xrun -0 cert-expiry --nagios --now $NOW -s s
	[[ ${lines[0]} == "CERT-EXPIRY OK - 4 certificates: 0 expired, 0 critical, 0 warning, 0 not yet valid, 2 ok, 2 kept (bundled CAs); 0 files unreadable | "* ]]
	[ "${#lines[@]}" -eq 1 ]
	xrun -0 cert-expiry -a --now $NOW -s s
	[ "$(cut -f3,7 <<<"$output" | head -2)" = $'CAPF-trust\tkept\nCallManager-trust\tkept' ]
	xrun -0 cert-expiry -j --now $NOW -s s
	[ "$(jq -r '[.certificates[].state] | join(" ")' <<<"$output")" = "kept ok kept ok" ]
	# --check-bundled: they count again
	xrun -1 cert-expiry --check-bundled --now $NOW -s s
	[ "$(cut -f4,7 <<<"$output")" = $'s/CAPF-trust/Cisco_Manufacturing_CA_01.pem\texpired\ns/CallManager-trust/Cisco_Manufacturing_CA_01.pem\texpired' ]
	xrun -2 cert-expiry --nagios --check-bundled --now $NOW -s s
	[[ ${lines[0]} == "CERT-EXPIRY CRITICAL - 4 certificates: 2 expired,"* ]]
	# the same name on an own certificate is no bundled CA
	cp "$F/cmca.pem" s/tomcat/tomcat.pem
	xrun -1 cert-expiry --now $NOW -s s
	[ "$(cut -f3,7 <<<"$output")" = $'tomcat\texpired' ]
}

@test "cert-expiry: --exclude and --exclude-serial leave certificates out and JSON lists them" {
	serial=$(openssl x509 -in c.pem -noout -serial | cut -d= -f2)
	xrun -1 cert-expiry --now $NOW --exclude '*/tomcat/*' -s store
	[ "$(cut -f4 <<<"$output")" = store/CAPF-trust/CAPF-1234abcd.pem ]
	xrun -0 --separate-stderr cert-expiry --now $NOW --exclude '*/tomcat/*' \
	    --exclude-serial "$(tr A-F a-f <<<"00$serial")" -s store
	[ -z "$output" ] && [ -z "$stderr" ]
	xrun -0 cert-expiry -j --now $NOW --exclude 'store/tomcat/*' --exclude-serial "$serial" -s store
	[ "$(jq -c '[.skipped[] | [.file, .index, .skipped, .match]]' <<<"$output")" = \
	    "[[\"store/CAPF-trust/CAPF-1234abcd.pem\",1,\"exclude-serial\",\"${serial#0}\"],[\"store/tomcat/tomcat.pem\",1,\"exclude\",\"store/tomcat/*\"]]" ]
	[ "$(jq -r '.skipped[0].serial' <<<"$output")" = "$serial" ]
	[ "$(jq '.certificates | length' <<<"$output")" -eq 1 ]
	xrun -0 cert-expiry --json-lines --now $NOW --exclude '*.pem' b.pem
	[ "$(jq -c '[.file, .skipped]' <<<"$output")" = '["b.pem","exclude"]' ]
	xrun -2 --separate-stderr cert-expiry --exclude-serial 12xz b.pem
	[[ $stderr == 'cert-expiry: --exclude-serial: not a serial number in hex: "12xz"'* ]]
}

@test "cert-expiry: impact of every certificate: -v column, JSON, Nagios long output" {
	xrun -1 cert-expiry -v --now $NOW -s store
	[ "$(cut -f3,8 <<<"${lines[0]}")" = $'tomcat\tweb administration and HTTPS services (UDS, AXL, SSO) present an expired certificate' ]
	[[ $(cut -f8 <<<"${lines[1]}") == "an expired CA stops LSC enrolment for phones"* ]]
	# without -v and not on a terminal: seven columns, as before
	xrun -1 cert-expiry --now $NOW -s store
	[ "$(awk -F'\t' '{ print NF }' <<<"$output" | sort -u)" = 7 ]
	# on a terminal the column comes by itself
	if command -v script >/dev/null; then
		xrun -1 script -qec "cert-expiry --now $NOW -s store" /dev/null
		[[ $output == *"present an expired certificate"* ]]
	fi
	xrun -1 cert-expiry -j --now $NOW -s store trust.tlv
	[ "$(jq -r '.certificates[] | "\(.file) \(.role) \(.impact[0:24])"' <<<"$output")" = "$(printf '%s\n' \
	    'store/CAPF-trust/CAPF-1234abcd.pem null an expired CA stops LSC ' \
	    'store/CallManager-trust/Far_01.pem null an expired entry breaks ' \
	    'store/tomcat/tomcat.pem null web administration and H' \
	    'trust.tlv SAST signs configuration file' \
	    'trust.tlv TVS phones cannot authentica' \
	    'trust.tlv CCM+TFTP signs configuration file')" ]
	[ "$(jq -r '.certificates[0].impact' <<<"$(cert-expiry -j --now $NOW b.pem)")" = null ]
	# Nagios: the status line with perfdata, then one line per alerting certificate
	xrun -2 cert-expiry --nagios --now $NOW -s store
	[ "${#lines[@]}" -eq 3 ]
	[[ ${lines[0]} =~ ^CERT-EXPIRY\ CRITICAL\ -\ [^|]*\ \|\ \'[^\']+\'=-?[0-9.]+\;[0-9.]+:\;[0-9.]+:\;\; ]]
	[ "${lines[1]}" = "store/CAPF-trust/CAPF-1234abcd.pem (CAPF-trust): expires in 19.0 days (warning) — an expired CA stops LSC enrolment for phones whose certificates it issued (the bundled MIC roots stay, expired or not)" ]
	[ "${lines[2]}" = "store/tomcat/tomcat.pem (tomcat): expires in 4.0 days (critical) — web administration and HTTPS services (UDS, AXL, SSO) present an expired certificate" ]
	# no '|' in long output: it would start perfdata
	cp b.pem "$BATS_TEST_TMPDIR/a|b.pem"
	xrun -2 cert-expiry --nagios --now $NOW "$BATS_TEST_TMPDIR/a|b.pem"
	[ "${lines[1]}" = "$BATS_TEST_TMPDIR/a/b.pem: expires in 4.0 days (critical)" ]
}

@test "cert-expiry: alarms name trust-list records apart; Unit: the list, never a lone file's directory" {
	xrun -1 cert-expiry --alarm --now $NOW trust.tlv
	[ "${#lines[@]}" -eq 2 ]
	[[ ${lines[0]} == "%UC_CERT-2-CertValidfor7days: %[Message=Certificate expiration Notification. Certificate name:trust.tlv#2(TVS) Unit:trust.tlv Type:cert "* ]]
	[[ ${lines[1]} == "%UC_CERT-2-CertValidfor7days: %[Message=Certificate expiration Notification. Certificate name:trust.tlv#3(CCM+TFTP) Unit:trust.tlv Type:cert "* ]]
	xrun -1 cert-expiry --alarm --now $NOW store/tomcat/tomcat.pem
	[[ $output == *"Certificate name:tomcat.der Unit: Type:cert "* ]]
	xrun -1 cert-expiry --alarm --now $NOW bundle.pem
	[[ ${lines[0]} == *"Certificate name:bundle.pem#2 Unit: "* ]]
	# a project-built ITL (setup_file's): every record its own name
	xrun -1 cert-expiry --alarm --now $NOW itl.tlv
	[ "${#lines[@]}" -eq 3 ]
	[ "$(grep -o 'Certificate name:[^ ]*' <<<"$output" | sort -u | wc -l)" -eq 3 ]
}

@test "cert-expiry: thresholds: warning below critical is a usage error, here and per unit" {
	for args in "-w 5 -c 30" "-c 31" "-w 6.5 -c 6.75" "-t tomcat=5:30" "-t tomcat=1.5:2"; do
		xrun -2 --separate-stderr cert-expiry $args b.pem
		[ -z "$output" ]
		[[ $stderr == *"usage: cert-expiry"* ]]
		[ "$args" != "-w 5 -c 30" ] ||
			[[ $stderr == "cert-expiry: warning (5 days) must be at least critical (30 days)"* ]]
	done
	xrun -1 cert-expiry -w 6.75 -c 6.75 --now 2026-12-29T06:00:00Z b.pem
	[ "$(cut -f1,7 <<<"$output")" = $'6.75\tcritical' ]
	xrun -1 cert-expiry -w 0.5 -c 0.25 --now 2027-01-04T12:00:00Z b.pem
	[ "$(cut -f1,7 <<<"$output")" = $'0.50\twarning' ]
}

@test "cert-expiry: --syslog sends CUCM's lines to the socket; no socket: said, exit 2, table printed" {
	cd "$BATS_TEST_TMPDIR"
	"$TOP/tests/bin/sockrecv" log 2 >got &
	pid=$!
	for _ in $(seq 50); do [ -e log.ready ] && break; sleep 0.1; done
	CERT_EXPIRY_SYSLOG=$PWD/log xrun -1 --separate-stderr cert-expiry --syslog --now $NOW \
	    --node N "$F/old.pem" "$F/b.pem"
	[ -z "$output" ] && [ -z "$stderr" ]
	wait $pid
	[[ $(sed -n 1p got) =~ ^\<185\>[A-Z][a-z]{2}\ [\ 0-9][0-9]\ [0-9:]{8}\ cert-expiry\[[0-9]+\]:\ %UC_CERT-0-CertExpired:\ .*Certificate\ name:old.der\ .*\[NodeID=N\]:\ Certificate\ has\ Expired ]]
	[[ $(sed -n 2p got) =~ ^\<186\>.*\ cert-expiry\[[0-9]+\]:\ %UC_CERT-2-CertValidfor7days:\ .*Certificate\ name:b.der ]]
	CERT_EXPIRY_SYSLOG=$PWD/nolog xrun -2 --separate-stderr cert-expiry --syslog --now $NOW \
	    "$F/old.pem" "$F/far.pem"
	[ "$stderr" = "cert-expiry: $PWD/nolog: cannot reach syslog: No such file or directory" ]
	[ "$(cut -f4,7 <<<"$output")" = "$F/old.pem"$'\texpired' ]
}

# prom_reader: reads cucm.prom (a builtin: the reader forks nothing) until the writer is done,
# outside Bats' trace; none of the reads may be partial, and there must be more than $rounds.
prom_reader() {
	local bad=0 reads=0 t0=$SECONDS got
	while [ ! -e done ] && [ $((SECONDS - t0)) -lt 120 ]; do
		mapfile -t got <cucm.prom
		[ "${#got[@]}" -eq "${#want[@]}" ] && [ "${got[-1]}" = "x509_read_errors 0" ] ||
		    bad=$((bad + 1))
		reads=$((reads + 1))
	done
	[ -e done ] && [ "$bad" -eq 0 ] && [ "$reads" -gt "$rounds" ] ||
	    { echo "done: $([ -e done ] && echo yes), bad reads: $bad, reads: $reads"; false; }
}

# bats test_tags=full
@test "cert-expiry: --prometheus passes promtool; --node and --cluster labels; -o is atomic" {
	need_cmd promtool prometheus
	cd "$BATS_TEST_TMPDIR"
	run -0 --separate-stderr bash -c "cert-expiry --prometheus --node CUCM01 --cluster 'A \"B\"' --now $NOW -s '$F/store' '$F/bundle.pem' '$F/trust.tlv' | promtool check metrics"
	[ -z "$output$stderr" ]
	run -1 cert-expiry --prometheus --node CUCM01 --cluster 'A "B"' --now $NOW -o cucm.prom "$F/b.pem"
	[ -z "$output" ]
	run -0 promtool check metrics <cucm.prom
	[ -z "$output" ]
	grep -qx "x509_cert_expires_in_seconds{file=\"$F/b.pem\",index=\"1\",unit=\"\",type=\"\",subject=\"CN=bravo\",issuer=\"CN=bravo\",serial=\"[0-9A-F]*\",node=\"CUCM01\",cluster=\"A \\\\\"B\\\\\"\"} 345600" cucm.prom
	# every metric the output carries is documented in the man page
	for m in $(grep -o '^x509_[a-z_]*' cucm.prom | sort -u); do
		grep -qx "\.It Li $m" "$TOP/man/cert-expiry.1"
	done
	# a reader in a loop never sees a partial file while it is rewritten 200 times (50 under
	# make check: the reader spins as long as the writer runs) (in RAM
	# when /dev/shm is there: the syncs of a shared disk would make it slow, not more exact)
	if [ -d /dev/shm ] && [ -w /dev/shm ]; then
		SHM=$(mktemp -d /dev/shm/cert-expiry-bats.XXXXXX)
		cd "$SHM"
	fi
	cert-expiry --prometheus --now $NOW -o cucm.prom "$F/b.pem" || :
	mapfile -t want <cucm.prom
	rounds=$(pick_full 200 50)
	(for ((i = 0; i < rounds; i++)); do cert-expiry --prometheus --now $NOW -o cucm.prom "$F/b.pem" || :; done
	    : >done) &
	notrace prom_reader
	wait
	[ "$(ls -A | sort | tr '\n' ' ')" = "cucm.prom done " ]
}

@test "cert-expiry: ctl-dump --certs keeps the names: labels equal reading the file itself" {
	local f certs a
	# itl.tlv: setup_file's; each list's certificates written once, then piped to each reader
	for f in itl.tlv "$F/trust.tlv"; do
		ctl-dump --certs "$f" 2>/dev/null >"$BATS_TEST_TMPDIR/${f##*/}.pem" || true
		IFS= read -r -d '' certs <"$BATS_TEST_TMPDIR/${f##*/}.pem" || true
		[[ ${certs%%$'\n'*} == "Source: $f#1(SAST)" ]]
		xrun -1 cert-expiry -a -v --now $NOW < <(printf '%s' "$certs")
		a=$output
		xrun -1 cert-expiry -a -v --now $NOW "$f"
		[ "$a" = "$output" ]
		xrun -1 cert-expiry -j --now $NOW < <(printf '%s' "$certs")
		a=$output
		xrun -1 cert-expiry -j --now $NOW "$f"
		jq -e -s 'map([.certificates[] | [.file, .record, .role, .impact]]) | length == 2 and .[0] == .[1]' \
		    <<<"$a"$'\n'"$output" >/dev/null
		xrun -1 cert-expiry --alarm --now $NOW < <(printf '%s' "$certs")
		a=$output
		xrun -1 cert-expiry --alarm --now $NOW "$f"
		[ "$a" = "$output" ]
	done
	# openssl still reads the stream: every certificate
	xrun -0 bash -c "openssl crl2pkcs7 -nocrl -certfile '$BATS_TEST_TMPDIR/itl.tlv.pem' | openssl pkcs7 -print_certs -noout"
	a=$'\n'$output
	a=${a//$'\n'subject=/$'\n'@}
	a=${a//[!@]/}
	[ "${#a}" = 4 ]
	# a Source: line that is not a record's is the label as it stands; control bytes stay escaped
	local b d
	IFS= read -r -d '' b <"$F/b.pem" || true
	xrun -1 cert-expiry --now $NOW < <(printf 'Source: my\001cert\n%s' "$b")
	IFS=$'\t' read -r d d d f d <<<"$output"
	[ "${#lines[@]}" = 1 ] && [ "$f" = 'my\x01cert' ]
	# text that is not a Source: line right before BEGIN changes nothing
	xrun -1 cert-expiry --now $NOW < <(printf 'Source: far away\n\n%s' "$b")
	IFS=$'\t' read -r d d d f d <<<"$output"
	[ "${#lines[@]}" = 1 ] && [ "$f" = '<stdin>' ]
}

@test "cert-expiry: ctl-dump --certs labels equal cert-expiry's on the bundled samples" {
	local f a l n c
	cd "$BATS_TEST_TMPDIR"
	# each list's certificates written once, then piped to cert-expiry and read by openssl
	for f in "$TOP/samples/CTLFile-demo.tlv" "$TOP/samples/ITLFile-demo.tlv"; do
		ctl-dump --certs "$f" 2>/dev/null >certs.pem || true
		IFS= read -r -d '' c <certs.pem || true
		xrun -1 cert-expiry -a -v --now 2016-01-01T00:00:00Z < <(printf '%s' "$c")
		a=$output
		xrun -1 cert-expiry -a -v --now 2016-01-01T00:00:00Z "$f"
		[ "$a" = "$output" ]
		[[ $output == *"#"[0-9]*"("[A-Z]*")"* ]]
		# every line not yet valid (the 7th column); n lines
		n=0
		for l in "${lines[@]}"; do
			IFS=$'\t' read -r c c c c c c c l <<<"$l"
			[ "$c" = not-yet-valid ]
			n=$((n + 1))
		done
		xrun -0 bash -c "openssl crl2pkcs7 -nocrl -certfile certs.pem | openssl pkcs7 -print_certs -noout"
		c=$'\n'$output
		c=${c//$'\n'subject=/$'\n'@}
		c=${c//[!@]/}
		[ "${#c}" = "$n" ] && [ "$n" -gt 0 ]
	done
}

@test "cert-expiry: the report formats share reportbase, below them: no include circle" {
	local f t
	cd "$TOP/lib/report"
	# (the files read by builtins: a grep per file cost a process each)
	for f in report_*.c reportbase.c reportbase.h; do
		[ -f "$f" ]
		IFS= read -r -d '' t <"$f" || true
		[[ $t != *'#include "report/report.h"'* ]]
		[[ $f == reportbase.* ]] || [[ $t == *'#include "report/reportbase.h"'* ]]
	done
}
