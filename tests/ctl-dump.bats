#!/usr/bin/env bats
# ctl-dump: the show ctl/itl layout, JSON, certificates, verification, trust, hostile input.
# (The genuine samples' views, escaping, unknown tags, the malformed corpus, --brief's and --certs'
# columns, a signature that does not verify and damaged files: tests/unit/t_ctl.c.)
load helpers

CTL=CTLFile-cucm10.tlv
ITL=ITLFile-certutils.tlv
# The project's own samples (samples/README.md): every test but the genuine files' goldens
# runs on these and on trust lists built in setup_file, so a clone without ../shared runs them.
DCTL=CTLFile-demo.tlv
DITL=ITLFile-demo.tlv

setup_file() {
	# foreign.tlv: an ITL signed by a key that no record of the demo files holds
	cd "$BATS_FILE_TMPDIR"
	mkcert . foreign 30 /CN=foreign
	itl-build -k foreign.key --sast foreign.pem --tftp foreign.pem --now @1798761600 -o foreign.tlv
	# what setup copies into each test, writable
	mkdir tpl
	cp "$TOP/samples/$DCTL" "$TOP/samples/$DITL" foreign.tlv tpl/
	chmod u+w tpl/*.tlv
}

setup() {
	cd "$BATS_TEST_TMPDIR"
	cp "$BATS_FILE_TMPDIR"/tpl/*.tlv .
}

# certkey NAME [days [subject [extra openssl req args...]]]: mkcert in ., the key a copy of
# foreign.key, made by setup_file (for certificates whose keys need not differ, in tests where
# foreign.tlv plays no part: a key is an RSA key generation on a cold pool).
certkey() {
	MKCERT_KEY="$BATS_FILE_TMPDIR/foreign.key" mkcert . "$@"
}

# jqall DOC FILTER...: every FILTER is true of the JSON document DOC, in one jq process (one
# per filter cost a fork each); when one is not, the list of results shows which.
jqall() {
	local doc=$1 f all=
	shift
	for f in "$@"; do
		all+="${all:+, }($f)"
	done
	jq -e "[$all] | all" <<<"$doc" >/dev/null ||
		{ jq -c "[$all]" <<<"$doc" >&2; false; }
}

@test "ctl-dump: --help on stdout exits 0; --version; bad usage exits 2" {
	xrun -0 --separate-stderr ctl-dump --help
	[[ $output == "usage: ctl-dump "* ]]
	[ -z "$stderr" ]
	xrun -0 ctl-dump --version
	[[ $output == "ctl-dump ctlkit "* ]]
	xrun -2 --separate-stderr ctl-dump --bogus
	[ -z "$output" ]
	[[ $stderr == *"usage: ctl-dump"* ]]
	xrun -2 --separate-stderr ctl-dump -j -b x
	[[ $stderr == *"exclude each other"* ]]
}

@test "ctl-dump: record fields match what Cisco's own CTL parser printed" {
	need_shared $CTL
	need_shared ../reference/ctlparser-CTLFile-cucm10.txt
	# Lines both tools print identically: lengths, DNS names, subject and issuer names.
	grep -E $'^(1\tRECORDLENGTH|2\tDNSNAME|3\tSUBJECTNAME|5\tISSUERNAME)' \
		"$SHARED/../reference/ctlparser-CTLFile-cucm10.txt" | tr -d '\r' >cisco.txt
	[ "$(wc -l <cisco.txt)" -eq 24 ]
	ctl-dump "$SHARED/$CTL" | grep -E $'^(1\tRECORDLENGTH|2\tDNSNAME|3\tSUBJECTNAME|5\tISSUERNAME)' >ours.txt
	diff -u cisco.txt ours.txt
	# Field lengths of PUBLICKEY, SIGNATURE and CERTIFICATE per record, and the header lengths.
	grep -E $'^(7\tPUBLICKEY|8\tSIGNATURE|9\tCERTIFICATE)' "$SHARED/../reference/ctlparser-CTLFile-cucm10.txt" |
		tr -d '\r' | awk -F'\t' '{print $2, $3}' >cisco2.txt
	ctl-dump "$SHARED/$CTL" | sed -n '/^CTL Record/,$p' | grep -E $'^(7\tPUBLICKEY|8\tSIGNATURE|9\tCERTIFICATE)' |
		awk -F'\t' '{print $2, $3}' >ours2.txt
	diff -u cisco2.txt ours2.txt
	xrun ctl-dump "$SHARED/$CTL"
	[[ $output == *$'HeaderLength:\t312 (BYTES)'* ]]
	[[ $output == *$'3\tSIGNERID\t2\t127'* ]]
	[[ $output == *$'12\tSIGNATURE\t128\n35  6d  f0  f8  aa  f1  5   6e\n'* ]]
}

@test "ctl-dump: --json for a certutils-layout ITL shows signer_version and the record tag order" {
	# built by the project as certutils writes them (the genuine one's in its golden test)
	certkey signer 30 /CN=signer
	certkey ccm 30 /CN=ccm
	itl-build --layout certutils --signer-version 1.0 -k signer.key --sast signer.pem --ccm ccm.pem \
		--ccm signer.pem --app-server ccm.pem --app-server signer.pem --now @1798761600 -o cu.tlv
	xrun -0 ctl-dump -j cu.tlv
	jqall "$output" \
		'.type == "ITL" and .header.signer_version == "1.0" and (.header.length % 4) == 0' \
		'(.records | length) == 5 and .records[0].tags == [3,5,6,4,7,8,9]' \
		'[.records[] | has("dns") or has("ip")] | any | not' \
		'[.records[].role] == ["SAST","CCM","CCM","APP-SERVER","APP-SERVER"]' \
		'.signature.verified and .signature.record == 1'
}

@test "ctl-dump: several files give JSON Lines, one valid document each" {
	xrun -0 ctl-dump -j $DCTL $DITL
	[ "${#lines[@]}" -eq 2 ]
	[ "$(jq -s 'map(.type) | join(",")' <<<"$output")" = '"CTL,ITL"' ]
}

@test "ctl-dump: --extract writes one file per record and never clobbers without -f" {
	mkdir out
	xrun -0 ctl-dump --extract out $DITL
	[ -z "$output" ]
	[ "$(ls out | paste -sd' ')" = "01-SAST-ITLRECOVERY_cucm-pub.pem 02-SAST-cucm-pub.pem 03-TFTP-cucm-pub.pem 04-CAPF-CAPF-47f9f689.pem 05-TVS-cucm-pub.pem" ]
	openssl x509 -in out/04-CAPF-CAPF-47f9f689.pem -noout -subject | grep -q 'CAPF-47f9f689'
	xrun -2 --separate-stderr ctl-dump -x out $DITL
	[[ $stderr == *"exists (use --force"* ]]
	xrun -0 ctl-dump -f -x out $DITL
	[ -z "$output" ]
	cmp out/04-CAPF-CAPF-47f9f689.pem <(ctl-dump --certs $DITL | awk '/^Source:/{next} /BEGIN/{n++} n == 4')
	xrun -2 --separate-stderr ctl-dump -x nodir $DITL
	[[ $stderr == "ctl-dump: nodir: not a directory" ]]
}

@test "ctl-dump: --trust says whether a phone holding the old file accepts the new one" {
	xrun -0 ctl-dump --brief --trust $DCTL $DCTL
	[[ ${lines[-1]} == "ACCEPTED "*"(record #1 of "* ]]
	xrun -0 ctl-dump --brief --trust $DCTL $DITL
	[[ ${lines[-1]} == "ACCEPTED "*"(record #2 of "* ]]
	xrun -1 ctl-dump --trust $DCTL foreign.tlv
	[[ ${lines[-1]} == "REJECTED "*"not a SAST record of the old file" ]]
	xrun -1 ctl-dump -j -t $DCTL foreign.tlv
	jq -e '.trust.accepted == false and .trust.record == null and .signature.verified' <<<"$output"
	xrun -2 --separate-stderr ctl-dump -t /nonexistent $DCTL
	[[ $stderr == "ctl-dump: /nonexistent: No such file or directory" ]]
}

@test "ctl-dump: stdin, '-' and several files; a damaged file does not stop the others" {
	xrun -0 ctl-dump -q <$DCTL
	[ -z "$output" ]
	xrun -0 ctl-dump -q - <$DITL
	[ -z "$output" ]
	xrun -0 --separate-stderr ctl-dump -b <$DITL
	[ "$(cut -f2,7 <<<"$output" | paste -sd,)" = $'SAST\t<stdin>,SAST\t<stdin>,TFTP\t<stdin>,CAPF\t<stdin>,TVS\t<stdin>' ]
	head -c 1000 $DCTL >cut.tlv
	xrun -2 --separate-stderr ctl-dump -b $DCTL cut.tlv $DITL
	[ "$(grep -c "$DITL" <<<"$output")" -eq 5 ]
	[ "$(grep -c "$DCTL" <<<"$output")" -eq 4 ]
	[[ $stderr == "ctl-dump: cut.tlv: record 1 length 1438 past the end of the file at byte 364" ]]
	# what is not a readable file (what a file cut short or damaged shows: tests/unit/t_ctl.c)
	xrun -2 --separate-stderr ctl-dump /nonexistent.tlv
	[[ $stderr == "ctl-dump: /nonexistent.tlv: No such file or directory" ]]
	[ -z "$output" ]
	xrun -2 --separate-stderr ctl-dump .
	[[ $stderr == "ctl-dump: .: is a directory" ]]
}

@test "ctl-dump: a write error on stdout exits 2" {
	xrun -2 --separate-stderr bash -c "ctl-dump $DCTL >/dev/full"
	[[ $stderr == *"stdout: No space left on device"* ]]
	xrun -2 --separate-stderr bash -c "ctl-dump -j $DCTL >/dev/full"
	[[ $stderr == *"stdout: No space left on device"* ]]
}

# bats test_tags=full
@test "ctl-dump: the man page's examples run as written" {
	mkdir ex && cd ex
	cp ../$DITL ITLFile.tlv
	cp ../$DCTL CTLFile.tlv
	cp ../foreign.tlv ITLFile.tlv.old
	xrun -0 ctl-dump ITLFile.tlv
	[[ $output == *"The ITL file was verified successfully."* ]]
	xrun -0 bash -c "ctl-dump --brief CTLFile.tlv | cut -f2,3,5"
	[ "${lines[3]}" = $'CAPF\tCAPF-47f9f689\t2031-11-26T11:21:19Z' ]
	xrun -0 bash -c "ctl-dump -q --trust ITLFile.tlv.old ITLFile.tlv || echo phones will reject it"
	[ "$output" = "phones will reject it" ]
	xrun -0 bash -c "ctl-dump -q --trust CTLFile.tlv ITLFile.tlv || echo phones will reject it"
	[ -z "$output" ]
	xrun -0 bash -c "ctl-dump --json *.tlv | jq -r '.header.signer.serial'"
	[ "$output" = $'58E620267BB715144F5085E4E0259957\n6611E778352DF9B0DA41C93F768C62EB' ]
	xrun -0 bash -c "ctl-dump --certs ITLFile.tlv | cert-expiry --now 2027-01-01T00:00:00Z"
	[ -z "$output" ]
	xrun -1 bash -c "ctl-dump --certs ITLFile.tlv | cert-expiry --now 2031-11-01T00:00:00Z"
	# the labels are those of reading the file itself: the Source: lines carry them through the pipe
	[ "$(cut -f4,7 <<<"$output" | sort | paste -sd' ')" = \
	    "ITLFile.tlv#1(SAST)	warning ITLFile.tlv#2(SAST)	warning ITLFile.tlv#3(TFTP)	warning ITLFile.tlv#4(CAPF)	warning ITLFile.tlv#5(TVS)	warning" ]
}

# Fixtures the project writes itself: itl-build over openssl-made certificates.
mkitl() {	# mkitl OUT SIGNER-BASENAME [itl-build args...]
	local out=$1 s=$2
	shift 2
	itl-build -k "$s.key" --sast "$s.pem" --now @1798761600 "$@" -o "$out"
}

@test "ctl-dump: project-built ITLs with SHA-256/SHA-512 digests and 1024/4096-bit signers verify" {
	command -v itl-build >/dev/null || skip "itl-build is not built"
	MKCERT_BITS=4096 mkcert . big 30
	MKCERT_BITS=1024 mkcert . small 30
	certkey tvs 30
	sh -ec 'for d in sha1 sha256 sha512; do
		itl-build -k big.key --sast big.pem --now @1798761600 --tvs tvs.pem --digest $d -o $d.tlv
		$VG ctl-dump -j $d.tlv >$d.json
	done
	itl-build -k small.key --sast small.pem --now @1798761600 --tvs tvs.pem -o small.tlv
	$VG ctl-dump -j small.tlv >small.json'
	jq -e -n '[inputs] | length == 4 and ([.[:3][] | .header.digest] == ["sha1", "sha256", "sha512"]) and
		all(.[:3][]; .header.signature_length == 512 and .header.modulus == 3 and .signature.verified) and
		(.[3] | .header.signature_length == 128 and .records[0].certificate.key == "RSA-1024")' \
		sha1.json sha256.json sha512.json small.json
}

@test "ctl-dump: EC certificates in records, and every header padding from 0 to 3" {
	command -v itl-build >/dev/null || skip "itl-build is not built"
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ec.key -out ec.pem \
		-days 30 -subj /CN=ecdsa-node 2>/dev/null
	# serials of 1 to 4 bytes grow the header (SERIALNUMBER) one byte at a time
	sh -ec 'for n in 11 1122 112233 11223344; do
		cp "$0" s$n.key
		openssl req -x509 -key s$n.key -out s$n.pem -days 30 -subj /CN=signer -sha256 -set_serial 0x$n 2>/dev/null
		itl-build -k s$n.key --sast s$n.pem --now @1798761600 --ccm ec.pem,dns=ecdsa-node,ip=10.0.0.7 -o $n.tlv
		$VG ctl-dump -j $n.tlv >$n.json
	done' "$BATS_FILE_TMPDIR/foreign.key"
	jq -e -n '[inputs] | length == 4 and
		all(.records[1].certificate.key == "EC-P256" and .records[1].ip == "10.0.0.7" and (.header.length % 4) == 0) and
		([.[].header.padding] | sort) == [0, 1, 2, 3]' 11.json 1122.json 112233.json 11223344.json
}

@test "ctl-dump: a non-secure stub record (no certificate) is shown, not fatal" {
	command -v itl-build >/dev/null || skip "itl-build is not built"
	certkey sast 30
	mkitl base.tlv sast
	# RECORDLENGTH 25 (5), DNSNAME "stub\0" (8), FUNCTION CCM (5), IPADDRESS 10.0.0.9 (7)
	cp base.tlv stub.tlv
	printf '\001\000\002\000\031\002\000\005stub\000\004\000\002\000\001\012\000\004\012\000\000\011' >>stub.tlv
	xrun -1 ctl-dump -j stub.tlv
	jqall "$output" \
		'.records[1] | .role == "CCM" and .dns == "stub" and .ip == "10.0.0.9" and .tags == [2,4,10] and (has("certificate") | not)' \
		'.signature.verified == false'
	xrun -1 ctl-dump stub.tlv
	[[ $output == *$'ITL Record #:2\n----\nBYTEPOS\tTAG\t\tLENGTH\tVALUE\n-------\t---\t\t------\t-----\n1\tRECORDLENGTH\t2\t25\n2\tDNSNAME\t\t5\tstub\n4\tFUNCTION\t2\tCCM\n10\tIPADDRESS\t4\n'* ]]
	xrun -1 --separate-stderr ctl-dump -b stub.tlv
	[ "${lines[1]}" = $'2\tCCM\tstub\t-\t-\t-\tstub.tlv' ]
}

@test "ctl-dump: --trust across a rollover built by the project: same signer accepted, new signer rejected" {
	command -v itl-build >/dev/null || skip "itl-build is not built"
	certkey rec 30 /CN=ITLRECOVERY_node
	certkey ccm1 30 /CN=node
	mkcert . ccm2 30 /CN=node
	mkitl old.tlv rec --sast ccm1.pem --tftp ccm1.pem
	mkitl new.tlv rec --sast ccm2.pem --tftp ccm2.pem
	itl-build -k ccm2.key --sast ccm2.pem --tftp ccm2.pem --now @1798761600 -o stray.tlv
	xrun -0 ctl-dump -q --trust old.tlv new.tlv
	[ -z "$output" ]
	xrun -0 ctl-dump --brief --trust old.tlv new.tlv
	[[ ${lines[-1]} == "ACCEPTED new.tlv"*"(record #1 of old.tlv"* ]]
	xrun -1 --separate-stderr ctl-dump --brief --trust old.tlv stray.tlv
	[[ ${lines[-1]} == "REJECTED stray.tlv: the new file's signer is not a SAST record of the old file" ]]
}

@test "ctl-dump: a file name with escape sequences is escaped in diagnostics too" {
	f="a$(printf '\033')[31mb.tlv"
	printf 'x' >"$f"
	xrun -2 --separate-stderr ctl-dump "$f"
	[ "$stderr" = 'ctl-dump: a\x1B[31mb.tlv: not a CTL/ITL file nor a show itl/show ctl capture' ]
	! grep -q $'\x1b' <<<"$stderr"
}
