#!/usr/bin/env bats
# Phones refuse an ITL of more than 64 KB (15 security guide), whatever its count of
# certificates: itl-build and the cluster plan warn, naming the node (the 39-certificate limit
# has its test in cluster.bats).
load helpers
load clusterkit

TS=1798761600

setup() {
	cd "$BATS_TEST_TMPDIR"
}

# big DIR UNIT CN KB: a certificate carrying a KB-kilobyte comment (a large certificate, as one
# with many subjectAltNames or a long chain of policies is).
big() {
	mkdir -p "$1/$2"
	MKCERT_BITS=1024 mkcert "$1/$2" "$2" 400 "/O=Example/CN=$3" -addext basicConstraints=CA:FALSE \
		-addext "nsComment=$(head -c $(($4 * 1024)) /dev/zero | tr '\0' x)"
}

@test "itl-size: an ITL past 64 KB with a few certificates is a warning naming the node: itl-build, itl-build --cluster and the plan; just under it is not" {
	local k
	big . sast sast 1
	for k in 1 2 3 4 5 6 7; do big . ccm$k ccm$k 7; done
	# 1 + 7 records of about 8 KB: under 64 KB, no word
	xrun -0 --separate-stderr itl-build -k sast/sast.key --sast sast/sast.pem \
		$(for k in 1 2 3 4 5 6 7; do printf -- '--ccm ccm%s/ccm%s.pem ' $k $k; done) --now @$TS -o under.tlv
	[ -z "$stderr" ]
	[ "$(stat -c %s under.tlv)" -le 65536 ]
	big . ccm8 ccm8 7
	xrun -0 --separate-stderr itl-build -k sast/sast.key --sast sast/sast.pem \
		$(for k in 1 2 3 4 5 6 7 8; do printf -- '--ccm ccm%s/ccm%s.pem ' $k $k; done) --now @$TS -o over.tlv
	local n
	n=$(stat -c %s over.tlv)
	[ "$n" -gt 65536 ]
	[ "$stderr" = "itl-build: warning: over.tlv: the ITL holds 9 certificates in $n bytes: phones refuse an ITL of more than 39 certificates or 64 KB (15 security guide)" ]

	# a two-node cluster whose TVS certificates are 30 KB each: every TFTP node's ITL passes 64 KB
	clusterkit_mk2 c
	big c/cucm-pub TVS cucm-pub 30
	big c/cucm-sub1 TVS cucm-sub1 30
	xrun -0 --separate-stderr itl-build --cluster c --node cucm-sub1 --now @$TS -o sub1.tlv
	n=$(stat -c %s sub1.tlv)
	[ "$n" -gt 65536 ]
	[ "$stderr" = "itl-build: warning: cucm-sub1: the ITL holds 5 certificates in $n bytes: phones refuse an ITL of more than 39 certificates or 64 KB (15 security guide)" ]
	xrun -0 --separate-stderr itl-build --cluster c --all --now @$TS
	[[ $stderr == *"warning: cucm-pub: the ITL holds 5 certificates in "*" bytes: phones refuse"* ]]
	[[ $stderr == *"warning: cucm-sub1: the ITL holds 5 certificates in "*" bytes: phones refuse"* ]]
	# the plan reads the served ITLs and names each node whose ITL is past the limit
	xrun -0 --separate-stderr cert-regen --cluster c --plan tomcat
	[[ $stderr == *"cert-regen: warning: cucm-pub: the ITL holds 5 certificates in "*" bytes"* ]]
	[[ $stderr == *"cert-regen: warning: cucm-sub1: the ITL holds 5 certificates in "*" bytes"* ]]
}
