#!/usr/bin/env bats
# expiryalarm.bats: cert-expiry --alarm and --syslog for a stale signed file: ctlkit's own
# %UC_CERT-4-SignedFileStale line, with the node it was found on, never a Unit.
load helpers

NOW=2027-01-01T00:00:00Z
TS=1798761600	# the same instant, for itl-build --now @TS
SERVED=cl/cucm-pub/tftp/SEP001122334455.cnf.xml.sgn

# One publisher with TFTP (RSA-1024 from mkkey's pool), its ITL served, and a configuration
# file signed by a certificate the cluster does not hold (a CallManager retired long ago).
setup_file() {
	local t="$BATS_FILE_TMPDIR/cl" u
	for u in CallManager tomcat ipsec TVS CAPF ITLRecovery; do
		mkdir -p "$t/cucm-pub/$u"
		MKCERT_BITS=1024 mkcert "$t/cucm-pub/$u" $u 400 "/O=Example/CN=cucm-pub-$u" -addext basicConstraints=CA:FALSE
	done
	printf 'cucm-pub    10.0.0.1   publisher tftp\n' >"$t/nodes"
	itl-build --cluster "$t" --all --now @$TS
	MKCERT_BITS=1024 mkcert "$BATS_FILE_TMPDIR" retired 400 "/O=Example/CN=cucm-pub"
	printf '<device/>\n' >"$BATS_FILE_TMPDIR/a.cnf.xml"
	itl-build --sign-file -k "$BATS_FILE_TMPDIR/retired.key" --signer "$BATS_FILE_TMPDIR/retired.pem" \
		--now @$TS -o "$t/cucm-pub/tftp/SEP001122334455.cnf.xml.sgn" "$BATS_FILE_TMPDIR/a.cnf.xml"
}

setup() {
	cd "$BATS_TEST_TMPDIR"
	cp -a "$BATS_FILE_TMPDIR/cl" cl
	serial=$(openssl x509 -in "$BATS_FILE_TMPDIR/retired.pem" -noout -serial | cut -d= -f2)
	line="%UC_CERT-4-SignedFileStale: %[Message=Signed file stale. File name:SEP001122334455.cnf.xml.sgn Signer serial:$serial Reason:its signer is no certificate of the store or cluster any more][AppID=Cisco Certificate Monitor][ClusterID=cl][NodeID=cucm-pub]: Phones ignore the signed file until it is signed again by a current certificate"
}

@test "expiryalarm: a stale signed file is one alarm line with its node and no Unit; exit 1" {
	xrun -1 --separate-stderr cert-expiry --cluster cl --now $NOW --alarm
	[ -z "$stderr" ]
	[ "$output" = "$line" ]
	# the single-store form: the node from --node, no cluster
	xrun -1 --separate-stderr cert-expiry -s cl/cucm-pub --node CUCM01 --now $NOW --alarm
	[ "$output" = "${line/\[ClusterID=cl\]\[NodeID=cucm-pub\]/[ClusterID=][NodeID=CUCM01]}" ]
	# signed again by the node's CallManager: no alarm, exit 0
	cp "$BATS_FILE_TMPDIR/a.cnf.xml" SEP001122334455.cnf.xml
	itl-build --sign-file -f --cluster cl --node cucm-pub --now @$TS SEP001122334455.cnf.xml
	ctl-dump -q --trust cl/cucm-pub/tftp/ITLFile.tlv $SERVED
	xrun -0 --separate-stderr cert-expiry --cluster cl --now $NOW --alarm
	[ -z "$output$stderr" ]
}

@test "expiryalarm: --syslog sends the stale signed file's line with priority warning (local7)" {
	"$TOP/tests/bin/sockrecv" log 1 >got &
	pid=$!
	for _ in $(seq 50); do [ -e log.ready ] && break; sleep 0.1; done
	CERT_EXPIRY_SYSLOG=$PWD/log xrun -1 --separate-stderr cert-expiry --syslog --cluster cl --now $NOW
	[ -z "$output$stderr" ]
	wait $pid
	[[ $(cat got) =~ ^\<188\>[A-Z][a-z]{2}\ [\ 0-9][0-9]\ [0-9:]{8}\ cert-expiry\[[0-9]+\]:\ (.*)$ ]]
	[ "${BASH_REMATCH[1]}" = "$line" ]
}
