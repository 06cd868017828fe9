#!/usr/bin/env bats
# A cluster from what it serves: node stores without keys, the rest read from the served trust lists.
load helpers
load clusterkit

TS=1798761600

# The live cluster (keyed, serving its ITLs; and the same in mixed mode), built once.
setup_file() {
	cd "$BATS_FILE_TMPDIR"
	mkcluster3 live
	itl-build --cluster live --all --now @$TS
	reserve live mixed $TS --mixed
}

setup() {
	cd "$BATS_TEST_TMPDIR"
}

# plans_equal LIVE KEYLESS [ops]: --plan, text and JSON, the same bytes on both.
plans_equal() {
	local a=$1 b=$2 f
	shift 2
	for f in --plan --json; do
		[ $f = --plan ] || f="--plan --json"
		diff -u <(cert-regen --cluster "$a" $f "$@") <(cert-regen --cluster "$b" $f "$@") || return 1
	done
}

# certonly LIVE KEYLESS NODE UNIT...: the certificates (no key) an administrator downloaded.
certonly() {
	local a=$1 b=$2 n=$3 u
	shift 3
	for u; do
		mkdir -p "$b/$n/$u"
		cp "$a/$n/$u/$u.pem" "$b/$n/$u/"
	done
}

@test "clserved: nodes and the served ITLs plan as the keyed cluster they came from; the units no file shows are named" {
	keyless "$BATS_FILE_TMPDIR/live" k
	[ -z "$(find k -name '*.pem' -o -name '*.key')" ]
	plans_equal "$BATS_FILE_TMPDIR/live" k ITLRecovery CAPF TVS cucm-pub:CallManager cucm-sub1:CallManager
	plans_equal "$BATS_FILE_TMPDIR/live" k cucm-sub2:TVS
	# every unit: tomcat and ipsec nowhere, nor cucm-sub2's CallManager (no TFTP, no CTL): said, not planned
	xrun -0 --separate-stderr cert-regen --cluster k --plan
	[ -z "$stderr" ]
	[ "${lines[2]}" = "note: key-less nodes: not planned, no certificate in the store nor in a served file (put it in the node's store to plan it): cucm-pub:tomcat, cucm-pub:ipsec, cucm-sub1:tomcat, cucm-sub1:ipsec, cucm-sub2:CallManager, cucm-sub2:tomcat, cucm-sub2:ipsec" ]
	[[ $output != *tomcat\ * && $output != *"cucm-sub2: CallManager"* ]]
	[ "${lines[-1]}" = "safe: 6 steps" ]
	xrun -0 bash -c "cert-regen --cluster k --plan --json CallManager | jq -c '.unseen, [.steps[].node]'"
	[ "$output" = $'["cucm-sub2:CallManager"]\n["cucm-pub","cucm-sub1"]' ]
	xrun -0 bash -c "cert-regen --cluster '$BATS_FILE_TMPDIR/live' --plan --json | jq -c .unseen"
	[ "$output" = '[]' ]
	xrun -2 --separate-stderr cert-regen --cluster k --plan tomcat
	[ "$stderr" = "cert-regen: tomcat: no node has tomcat/tomcat.pem" ]
}

@test "clserved: certificates as OS Administration downloads them (PEM, DER) or show cert own captures complete the plan" {
	local l="$BATS_FILE_TMPDIR/live" n
	keyless "$l" k
	for n in cucm-pub cucm-sub1 cucm-sub2; do
		certonly "$l" k $n tomcat ipsec
	done
	mkdir k/cucm-sub2/CallManager
	openssl x509 -in "$l/cucm-sub2/CallManager/CallManager.pem" -outform DER \
		-out k/cucm-sub2/CallManager/CallManager.der
	{	# the text CUCM's show cert own prints around the PEM, CRLF line ends
		printf 'admin:show cert own tomcat\r\n[\r\n  Version: V3\r\n  Serial Number: 1\r\n]\r\n'
		sed 's/$/\r/' "$l/cucm-pub/tomcat/tomcat.pem"
		printf 'admin:\r\n'
	} >k/cucm-pub/tomcat/tomcat.pem
	plans_equal "$l" k
	xrun -0 cert-regen --cluster k --plan
	[[ $output != *"not planned"* && ${lines[-1]} == "safe: 10 steps" ]]
	# a store's certificate wins over the served one: a TVS regenerated behind the served ITL
	certonly "$l" k cucm-sub1 TVS
	plans_equal "$l" k
}

@test "clserved: mixed mode: every node's CallManager from the served CTL" {
	keyless "$BATS_FILE_TMPDIR/mixed" k
	for n in cucm-pub cucm-sub1 cucm-sub2; do
		certonly "$BATS_FILE_TMPDIR/mixed" k $n tomcat ipsec
	done
	plans_equal "$BATS_FILE_TMPDIR/mixed" k
	xrun -0 bash -c "cert-regen --cluster k --plan --json | jq -c '.unseen, [.steps[] | select(.units == [\"CallManager\"]) | .node]'"
	[ "$output" = $'[]\n["cucm-sub2","cucm-pub","cucm-sub1"]' ]
}

@test "clserved: -y on a key-less cluster exits 2 before any change, naming --runbook" {
	local before
	keyless "$BATS_FILE_TMPDIR/live" k
	certonly "$BATS_FILE_TMPDIR/live" k cucm-pub tomcat
	before=$(filesums k -n)
	xrun -2 --separate-stderr cert-regen --cluster k -y cucm-pub:TVS
	[ -z "$output" ]
	[ "$stderr" = "cert-regen: k/cucm-pub: no private key: a key-less cluster is planned and checked, not run: nothing changed (cert-regen --cluster k --runbook prints the steps to carry out on the live cluster and the --check after each)" ]
	[ "$(filesums k -n)" = "$before" ]
	# a keyed cluster missing the key of a unit to regenerate: the same refusal, naming the key
	cp -a "$BATS_FILE_TMPDIR/live" c
	rm c/cucm-sub1/TVS/TVS.key
	before=$(filesums c -n)
	xrun -2 --separate-stderr cert-regen --cluster c -y ITLRecovery cucm-sub1:TVS
	[[ $stderr == "cert-regen: c/cucm-sub1/TVS/TVS.key: no such key: a key-less cluster is planned and checked, not run: nothing changed "* ]]
	[ "$(filesums c -n)" = "$before" ]
	# the ITL signer's key (ITLRecovery from 12.0) is needed whatever the step
	rm c/cucm-pub/ITLRecovery/ITLRecovery.key
	xrun -2 --separate-stderr cert-regen --cluster c -y cucm-pub:tomcat
	[[ $stderr == "cert-regen: c/cucm-pub/ITLRecovery/ITLRecovery.key: no such key (it signs every ITL): "* ]]
	[ -z "$(ls -A c/cucm-pub/.backup 2>/dev/null | grep -v '^\.')" ]
}
