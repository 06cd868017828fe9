#!/usr/bin/env bats
# Certificates as an administrator gets them from a live cluster, read by the one certificate
# reader (lib/load/certfile): OS Administration's downloads (UNIT.pem, UNIT.der) and a
# `show cert own UNIT` capture (the PEM inside a session's text, CRLF, prompts).
load helpers

NOW=2027-01-01T00:00:00Z

setup_file() {
	cd "$BATS_FILE_TMPDIR"
	mkcert . CallManager 400 /CN=cucm-pub.example/OU=UC/O=ctlkit
	mkcert . sast 400 /CN=sast
	openssl x509 -in CallManager.pem -outform DER -out CallManager.der
	# an SSH session as TAC receives it: the command, a summary, the PEM, the next prompt, CRLF
	{
		printf 'admin:show cert own CallManager\n\n[\n  Version: V3\n'
		printf '  Serial Number: %s\n' "$(openssl x509 -in CallManager.pem -noout -serial | cut -d= -f2)"
		printf '  Subject Name: CN=cucm-pub.example, OU=UC, O=ctlkit\n]\n\n'
		cat CallManager.pem
		printf 'admin:\n'
	} | sed 's/$/\r/' >show-cert-own.txt
	serial=$(openssl x509 -in CallManager.pem -noout -serial | cut -d= -f2)
	echo "$serial" >serial
}

setup() {
	cd "$BATS_FILE_TMPDIR"
}

@test "downloads: UNIT.pem, UNIT.der and a show cert own capture are one certificate to cert-expiry" {
	grep -q $'\r$' show-cert-own.txt
	read -r serial <serial
	for f in CallManager.pem CallManager.der show-cert-own.txt; do
		xrun -0 --separate-stderr cert-expiry --now $NOW -w 10 -c 1 "$f"
		[ -z "$stderr" ]
		xrun -1 --separate-stderr cert-expiry --now $NOW -w 1000 "$f"
		[ "$(wc -l <<<"$output")" = 1 ]
		[ "$(cut -f4,6 <<<"$output")" = "$f	$serial" ]
	done
}

@test "downloads: each form as an itl-build record gives the same ITL record" {
	for f in CallManager.pem CallManager.der show-cert-own.txt; do
		itl-build -k sast.key --sast sast.pem --ccm "$f" --now @1798761600 -o "$BATS_TEST_TMPDIR/$f.tlv"
		ctl-dump -b "$BATS_TEST_TMPDIR/$f.tlv" | sed -n 2p | cut -f1-6 >"$BATS_TEST_TMPDIR/$f.rec"
	done
	cd "$BATS_TEST_TMPDIR"
	[ -s CallManager.pem.rec ]
	cmp CallManager.pem.rec CallManager.der.rec
	cmp CallManager.pem.rec show-cert-own.txt.rec
	# byte for byte: the same file whatever form the certificate came in
	cmp CallManager.pem.tlv CallManager.der.tlv
	cmp CallManager.pem.tlv show-cert-own.txt.tlv
}

@test "downloads: a store unit whose UNIT.pem is a download in DER or a capture is read as its own" {
	mkdir -p "$BATS_TEST_TMPDIR/st/CallManager" "$BATS_TEST_TMPDIR/st/tomcat"
	cp show-cert-own.txt "$BATS_TEST_TMPDIR/st/CallManager/CallManager.pem"
	cp CallManager.der "$BATS_TEST_TMPDIR/st/tomcat/tomcat.pem"
	read -r serial <serial
	xrun -1 --separate-stderr cert-expiry --now $NOW -w 1000 -s "$BATS_TEST_TMPDIR/st"
	[ -z "$stderr" ]
	[ "$(cut -f3,6 <<<"$output")" = "CallManager	$serial
tomcat	$serial" ]
}
