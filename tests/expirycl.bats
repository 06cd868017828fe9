#!/usr/bin/env bats
# expirycl.bats: cert-expiry --cluster: every node's store and served files, each finding with
# its node in every format; signed files read as signed files (a stale one a finding of its
# own); served ITL records once per certificate, never as a unit named tftp.
# Full tier: the fixture is a whole three-node rollover (cert-regen --cluster -y), seconds each test.
# bats file_tags=full
load helpers
load storekit

NOW=2027-01-01T00:00:00Z
TS=1798761600	# the same instant, for itl-build --now @TS

# Three nodes (RSA-1024, from mkkey's pool), CAPF and ITLRecovery on cucm-pub, CallManager-trust
# replicated, the ITLs served (itl-build --all), a configuration file signed by cucm-pub's
# CallManager; then rolled over by cert-regen --cluster (the run the administrator makes).
setup_file() {
	local t="$BATS_FILE_TMPDIR/cl" n m u
	for n in cucm-pub cucm-sub1 cucm-sub2; do
		for u in CallManager tomcat ipsec TVS; do
			mkdir -p "$t/$n/$u"
			MKCERT_BITS=1024 mkcert "$t/$n/$u" $u 400 "/O=Example/CN=$n" -addext basicConstraints=CA:FALSE
		done
		mkdir -p "$t/$n/CallManager-trust"
	done
	for u in CAPF:CAPF-1a2b3c4d ITLRecovery:ITLRECOVERY_cucm-pub; do
		mkdir -p "$t/cucm-pub/${u%%:*}"
		MKCERT_BITS=1024 mkcert "$t/cucm-pub/${u%%:*}" ${u%%:*} 400 "/O=Example/CN=${u#*:}" -addext basicConstraints=CA:FALSE
	done
	for n in cucm-pub cucm-sub1 cucm-sub2; do
		for m in cucm-pub cucm-sub1 cucm-sub2; do
			cp "$t/$m/CallManager/CallManager.pem" "$t/$n/CallManager-trust/$m.pem"
		done
		cp "$t/cucm-pub/CAPF/CAPF.pem" "$t/$n/CallManager-trust/CAPF-1a2b3c4d.pem"
	done
	printf 'cucm-pub    10.0.0.1   publisher tftp\ncucm-sub1   10.0.0.2   tftp\ncucm-sub2   10.0.0.3\n' >"$t/nodes"
	itl-build --cluster "$t" --all --now @$TS
	cp -a "$t" "$BATS_FILE_TMPDIR/before"	# served, not rolled: for the stale signed file
	cert-regen --cluster "$t" -y -q --now $NOW
}

setup() {
	cd "$BATS_TEST_TMPDIR"
	cp -a "$BATS_FILE_TMPDIR/cl" cl
}

@test "expirycl: a freshly rolled cluster is OK in every format; served ITLs add no line; every finding names its node" {
	[ -f cl/cucm-pub/tftp/ITLFile.tlv ] && [ -d cl/cucm-pub/tftp/history ]
	xrun -0 --separate-stderr cert-expiry --cluster cl --now $NOW
	[ -z "$output$stderr" ]
	xrun -0 --separate-stderr cert-expiry --cluster cl --now $NOW -a
	# a node column; no unit "tftp"; each own certificate once, its ITL records not again
	[ "$(cut -f3 <<<"$output" | sort -u | tr '\n' ' ')" = "cucm-pub cucm-sub1 cucm-sub2 " ]
	[[ $output != *"	tftp	"* && $output != *ITLFile* ]]
	[ "$(grep -c "	TVS	" <<<"$output")" = 3 ]
	xrun -0 --separate-stderr cert-expiry --cluster cl --now $NOW -j
	[ "$(jq -r '[.certificates[] | .node] | unique | join(" ")' <<<"$output")" = "cucm-pub cucm-sub1 cucm-sub2" ]
	[ "$(jq -c '[.errors, .stale_signed_files, ([.certificates[] | select(.unit == "tftp")])]' <<<"$output")" = "[[],[],[]]" ]
	xrun -0 --separate-stderr cert-expiry --cluster cl --now $NOW --nagios
	[[ ${lines[0]} == "CERT-EXPIRY OK - "*" 0 files unreadable |"* ]]
	xrun -0 --separate-stderr cert-expiry --cluster cl --now $NOW --prometheus
	[[ $output == *'node="cucm-sub2"'* ]]
	[[ $output != *"ctlkit_signed_file_stale{"* ]]
	xrun -0 --separate-stderr cert-expiry --cluster cl --now $NOW --alarm
	[ -z "$output" ]
	xrun -0 --separate-stderr cert-expiry --cluster cl --now $NOW --json-lines
	[ -n "$output" ]
	# the single-store form of one node: no node column, and its tftp/ read cleanly too
	xrun -0 --separate-stderr cert-expiry -s cl/cucm-sub1 --now $NOW -a
	[ -z "$stderr" ] && [ "$(head -1 <<<"$output" | awk -F'\t' '{print NF}')" = 7 ]
}

@test "expirycl: one expired TVS certificate: one finding naming its node, in every format" {
	mkcerts cl/cucm-sub2/TVS <<<"TVS|20100101000000Z|20200101000000Z|/O=Example/CN=cucm-sub2|1024"
	xrun -1 --separate-stderr cert-expiry --cluster cl --now $NOW
	[ "$(cut -f3,4,5,8 <<<"$output")" = "cucm-sub2	TVS	cl/cucm-sub2/TVS/TVS.pem	expired" ]
	xrun -1 --separate-stderr cert-expiry --cluster cl --now $NOW -j
	[ "$(jq -r '[.certificates[] | select(.state != "ok") | .node + " " + .unit] | join(",")' <<<"$output")" = "cucm-sub2 TVS" ]
	xrun -1 --separate-stderr cert-expiry --cluster cl --now $NOW --alarm
	[ "${#lines[@]}" = 1 ] && [[ $output == *"Unit:TVS "*"[NodeID=cucm-sub2]"* ]]
	xrun -2 --separate-stderr cert-expiry --cluster cl --now $NOW --nagios
	[[ ${lines[0]} == "CERT-EXPIRY CRITICAL - "*"1 expired"* ]]
	[[ ${lines[1]} == "cucm-sub2: cl/cucm-sub2/TVS/TVS.pem (TVS): expired "* ]]
	xrun -1 --separate-stderr cert-expiry --cluster cl --now $NOW --prometheus
	grep -q '^x509_cert_expired{file="cl/cucm-sub2/TVS/TVS.pem",.*,node="cucm-sub2",cluster="cl"} 1$' <<<"$output"
}

@test "expirycl: a signed file whose signer is no certificate of the cluster any more is a stale signed file, never a damaged trust list" {
	# signed by cucm-pub's CallManager before the rollover replaced it
	printf '<device/>\n' >a.cnf.xml
	itl-build --sign-file -k "$BATS_FILE_TMPDIR/before/cucm-pub/CallManager/CallManager.key" \
		--signer "$BATS_FILE_TMPDIR/before/cucm-pub/CallManager/CallManager.pem" \
		-o cl/cucm-sub1/tftp/SEP001122334455.cnf.xml.sgn a.cnf.xml
	serial=$(openssl x509 -in "$BATS_FILE_TMPDIR/before/cucm-pub/CallManager/CallManager.pem" -noout -serial | cut -d= -f2)
	xrun -1 --separate-stderr cert-expiry --cluster cl --now $NOW
	[ -z "$stderr" ]
	[ "$output" = "-	-	cucm-sub1	-	cl/cucm-sub1/tftp/SEP001122334455.cnf.xml.sgn	its signer is no certificate of the store or cluster any more	$serial	stale-signed" ]
	xrun -1 --separate-stderr cert-expiry --cluster cl --now $NOW -j
	[ "$(jq -c '.stale_signed_files[] | [.node, .signer_serial]' <<<"$output")" = "[\"cucm-sub1\",\"$serial\"]" ]
	xrun -1 --separate-stderr cert-expiry --cluster cl --now $NOW --nagios
	[[ ${lines[0]} == "CERT-EXPIRY WARNING - "*", 1 stale signed file |"* ]]
	[ "${lines[1]}" = "cucm-sub1: cl/cucm-sub1/tftp/SEP001122334455.cnf.xml.sgn: stale signed file: its signer is no certificate of the store or cluster any more" ]
	xrun -1 --separate-stderr cert-expiry --cluster cl --now $NOW --prometheus
	grep -qx 'ctlkit_signed_file_stale{file="cl/cucm-sub1/tftp/SEP001122334455.cnf.xml.sgn",node="cucm-sub1"} 1' <<<"$output"
	# the same file in the store it was signed for, with its signer expired since
	cp cl/cucm-sub1/tftp/SEP001122334455.cnf.xml.sgn "$BATS_FILE_TMPDIR/before/cucm-pub/tftp/" 
	xrun -1 --separate-stderr cert-expiry -s "$BATS_FILE_TMPDIR/before/cucm-pub" --now 2029-01-01T00:00:00Z -j
	[[ $(jq -r '.stale_signed_files[0].why' <<<"$output") == "its signer expired 2028-"* ]]
	rm "$BATS_FILE_TMPDIR/before/cucm-pub/tftp/SEP001122334455.cnf.xml.sgn"
	# a damaged signed file is still trouble, named as one
	head -c 40 cl/cucm-sub1/tftp/SEP001122334455.cnf.xml.sgn >cl/cucm-sub1/tftp/cut.cnf.xml.sgn
	xrun -2 --separate-stderr cert-expiry cl/cucm-sub1/tftp/cut.cnf.xml.sgn
	[[ $stderr == "cert-expiry: cl/cucm-sub1/tftp/cut.cnf.xml.sgn: damaged signed file: "*" at byte "* ]]
}
