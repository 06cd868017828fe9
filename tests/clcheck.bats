#!/usr/bin/env bats
# cert-regen --cluster C --check STEP: the live cluster (a keyed copy standing in for it) carries
# out a step, what it serves is copied into the key-less cluster (the fetch), and the check judges.
load helpers
load clusterkit

TS=1798761600

# The live cluster at 14 and at 11.5, serving their ITLs (and signed files), built once.
setup_file() {
	cd "$BATS_FILE_TMPDIR"
	mkcluster3 live14
	itl-build --cluster live14 --all --now @$TS
	printf '<device><n>pub</n></device>\n' >SEPpub.cnf.xml
	itl-build --sign-file --cluster live14 --node cucm-pub --now @$TS SEPpub.cnf.xml
	reserve live14 live115 $TS --cucm-version 11.5
	reserve live14 livemixed $TS --mixed
}

setup() {
	cd "$BATS_TEST_TMPDIR"
}

# window LIVE: ./live (the live cluster) and ./k (what the administrator holds: nodes, the
# served files, and history/000- as --runbook keeps them before step 1).
window() {
	local d
	cp -a "$BATS_FILE_TMPDIR/$1" live
	keyless live k
	for d in k/*/tftp; do
		mkdir "$d/history"
		cp "$d/ITLFile.tlv" "$d/history/000-ITLFile.tlv"
		[ ! -f "$d/CTLFile.tlv" ] || cp "$d/CTLFile.tlv" "$d/history/000-CTLFile.tlv"
	done
}

# step N NODE UNIT...: carry the step out on the live node (cert-regen -s, then every TFTP node
# serves its new ITL), and fetch what every TFTP node serves into k.
step() {
	local n=$1 node=$2 d f
	shift 2
	cert-regen -s "live/$node" -y -q --now @$((TS + 100 * n)) "$@"
	itl-build --cluster live --all -f --now @$((TS + 100 * n)) >/dev/null
	for d in live/*/tftp; do	# one cp a node
		local fs=()
		for f in "$d"/*; do [ ! -f "$f" ] || fs+=("$f"); done
		cp "${fs[@]}" "k/${d#live/}/"
	done
}

# sums DIR: every file under DIR but the store locks, with its SHA-256.
sums() {
	filesums "$1" -l
}

@test "clcheck: every step of the plan carried out on the live cluster: go on, adopted, kept" {
	local s node units u st
	window live14
	# the plan of the window, from the key-less cluster; each step carried out and checked
	mapfile -t steps < <(cert-regen --cluster k --plan --json ITLRecovery TVS cucm-pub:CallManager |
		jq -r '.steps[] | "\(.step) \(.node) \(.units | join(" "))"')
	[ ${#steps[@]} -eq 5 ]
	for s in "${steps[@]}"; do
		read -r st node units <<<"$s"
		step "$st" "$node" $units
		local ops=()
		for u in $units; do ops+=("$node:$u"); done
		if [ "$units" = CallManager ]; then
			# CUCM's TFTP signs its configuration files again with the new CallManager;
			# served as they were, phones of the node ignore them: the check stops
			xrun -1 cert-regen --cluster k --check "$st" "${ops[@]}"
			[[ $output == *$'\nsgn cucm-pub: SEPpub.cnf.xml.sgn: REJECTED: '* ]]
			[[ $output == *$'\nphones: phones of cucm-pub ignore SEPpub.cnf.xml.sgn (the new ITL does not vouch for its signer)\n'* ]]
			[ ! -e k/cucm-pub/tftp/history/005-ITLFile.tlv ]
			itl-build --sign-file --cluster live --node cucm-pub -f --now @$TS \
				"$BATS_FILE_TMPDIR/SEPpub.cnf.xml" >/dev/null
			cp live/cucm-pub/tftp/SEPpub.cnf.xml.sgn k/cucm-pub/tftp/
		fi
		xrun -0 --separate-stderr cert-regen --cluster k --check "$st" "${ops[@]}"
		[ -z "$stderr" ] || { echo "$stderr"; false; }
		[ "${lines[0]}" = "check step $st: $node: $units" ]
		[ "${lines[-1]}" = "go on: step $st is served as planned; carry out the next step" ]
		[[ $output == *"itl cucm-pub: changed as expected; signed by CN=ITLRECOVERY_cucm-pub;O=Example; accepted "* ]]
		[[ $output != *"REJECTED"* && $output != *"when the plan"* && $output != *"should have"* ]]
		for u in $units; do
			[[ $output == *$'\n'"unit $node:$u: changed as expected"$'\n'* ]]
			cmp "live/$node/$u/$u.pem" "k/$node/$u/$u.pem"	# adopted: the live certificate
			[ "$(stat -c %a "k/$node/$u/$u.pem")" = 644 ]
		done
		cmp live/cucm-sub1/tftp/ITLFile.tlv "k/cucm-sub1/tftp/history/$(printf %03d "$st")-ITLFile.tlv"
	done
	[[ $output == *$'\nsgn cucm-pub: SEPpub.cnf.xml.sgn: accepted directly\n'* ]]
	# the key-less cluster now plans as the live one does
	diff <(cert-regen --cluster live --plan --json TVS) <(cert-regen --cluster k --plan --json TVS)
	# the last step checked again: the same answer, nothing written twice; an earlier one: refused
	local before
	before=$(sums k)
	xrun -0 cert-regen --cluster k --check 5 cucm-pub:CallManager
	[ "${lines[-1]}" = "go on: step 5 is served as planned; carry out the next step" ]
	xrun -2 --separate-stderr cert-regen --cluster k --check 2 cucm-pub:TVS
	[ "$stderr" = "cert-regen: k/cucm-pub/tftp/history/003-ITLFile.tlv: a later step was checked already" ]
	[ "$(sums k)" = "$before" ]
}

@test "clcheck: a wrong step (the second TFTP node's CallManager changed with its TVS) stops, naming the phones' verdict" {
	window live115
	[ "$(cert-regen --cluster k --plan --json TVS | jq -r '[.steps[] | .node + ":" + (.units | join(","))] | join(" ")')" = "cucm-pub:TVS cucm-sub1:TVS cucm-sub2:TVS" ]
	step 1 cucm-pub TVS
	xrun -0 cert-regen --cluster k --check 1 cucm-pub:TVS
	# step 2 as planned is cucm-sub1's TVS; the live node regenerates its CallManager too
	step 2 cucm-sub1 TVS CallManager
	local before
	before=$(sums k)
	xrun -1 --separate-stderr cert-regen --cluster k --check 2 cucm-sub1:TVS
	[ -z "$stderr" ]
	[ "${lines[1]}" = "itl cucm-pub: changed as expected; signed by CN=cucm-pub;O=Example; accepted directly" ]
	[[ ${lines[2]} == "itl cucm-sub1: changed as expected; signed by CN=cucm-sub1;O=Example; REJECTED: "* ]]
	[[ ${lines[2]} == *"TVS cucm-sub1 was regenerated since; stranded groups: cucm-sub1" ]]
	[[ $output == *$'\nunit cucm-sub1:CallManager: changed when the plan did not change it\n'* ]]
	[[ $output == *$'\nstop: nothing adopted, the key-less stores are as they were\n'* ]]
	[[ $output == *$'\nphones: phones of cucm-sub1 reject its new ITLFile.tlv and keep the one they hold'* ]]
	[[ ${lines[-1]} == "way back: what phones held before step 2 is kept in NODE/tftp/history/001-ITLFile.tlv; phones that rejected a new ITL take one again after utils itl reset localkey on cucm-pub (from 10.0), then a reset of those phones" ]]
	[ "$(sums k)" = "$before" ]
	xrun -1 bash -o pipefail -c "cert-regen --cluster k --check 2 --json cucm-sub1:TVS | jq -c '.verdict, [.files[] | [.node, .accepted, .path]], .adopted, .kept'"
	[ "$output" = $'"stop"\n[["cucm-pub",true,"direct"],["cucm-sub1",false,null]]\n[]\n[]' ]
}

@test "clcheck: mixed mode: the CTL each TFTP node serves judged too; a CallManager only the CTL shows adopted" {
	window livemixed
	step 1 cucm-sub2 CallManager
	xrun -0 --separate-stderr cert-regen --cluster k --check 1 cucm-sub2:CallManager
	[ "${lines[1]}" = "itl cucm-pub: unchanged as expected; signed by CN=ITLRECOVERY_cucm-pub;O=Example" ]
	[ "${lines[2]}" = "ctl cucm-pub: changed as expected; signed by CN=cucm-pub;O=Example; accepted directly" ]
	[[ $output == *$'\nunit cucm-sub2:CallManager: changed as expected\nadopted: cucm-sub2/CallManager/CallManager.pem\n'* ]]
	cmp live/cucm-sub2/CallManager/CallManager.pem k/cucm-sub2/CallManager/CallManager.pem
	[ -f k/cucm-sub1/tftp/history/001-CTLFile.tlv ]
	# the publisher's CallManager signs the CTL: only TVS vouches for the new one, said
	step 2 cucm-pub CallManager
	xrun -0 cert-regen --cluster k --check 2 --json cucm-pub:CallManager
	[ "$(jq -c '[.verdict, (.files[] | select(.file == "CTLFile.tlv") | [.node, .path, .devices_without_tvs_reject])]' <<<"$output")" = '["go on",["cucm-pub","tvs",true],["cucm-sub1","tvs",true]]' ]
}

@test "clcheck: a fetched file that does not parse or does not verify is reported, nothing adopted" {
	local before
	window live14
	step 1 cucm-pub ITLRecovery
	head -c 700 live/cucm-sub1/tftp/ITLFile.tlv >k/cucm-sub1/tftp/ITLFile.tlv	# a cut download
	before=$(sums k)
	xrun -2 --separate-stderr cert-regen --cluster k --check 1 cucm-pub:ITLRecovery
	[[ $stderr == "cert-regen: k/cucm-sub1/tftp/ITLFile.tlv: "*" at byte "* ]]
	[[ $output == *$'\nitl cucm-sub1: does not parse: '*"; not adopted"$'\n'* ]]
	[[ $output == *$'\nitl cucm-pub: changed as expected; '* ]]
	[ "${lines[-1]}" = "trouble: nothing adopted, the key-less stores are as they were" ]
	[ "$(sums k)" = "$before" ]
	[ ! -e k/cucm-pub/ITLRecovery ]
	# a signature byte flipped (inverted: a fixed value is already there once in 256 signatures of
	# the step's new key): parses, does not verify
	cp live/cucm-sub1/tftp/ITLFile.tlv k/cucm-sub1/tftp/ITLFile.tlv
	b=$(od -An -tu1 -j200 -N1 k/cucm-sub1/tftp/ITLFile.tlv)
	unhex "$(printf %02x $((b ^ 0xff)))" | dd of=k/cucm-sub1/tftp/ITLFile.tlv bs=1 seek=200 conv=notrunc 2>/dev/null
	[ "$(od -An -tu1 -j200 -N1 k/cucm-sub1/tftp/ITLFile.tlv)" -eq $((b ^ 0xff)) ]
	before=$(sums k)
	xrun -1 --separate-stderr cert-regen --cluster k --check 1 cucm-pub:ITLRecovery
	[[ $output == *$'\nitl cucm-sub1: changed as expected; signed by CN=ITLRECOVERY_cucm-pub;O=Example; does not verify: '* ]]
	[[ $output == *$'\nstop: nothing adopted'* ]]
	[ "$(sums k)" = "$before" ]
	# the step not served yet: "not changed when it should have"
	cp k/cucm-sub1/tftp/history/000-ITLFile.tlv k/cucm-sub1/tftp/ITLFile.tlv
	xrun -1 cert-regen --cluster k --check 1 cucm-pub:ITLRecovery
	[[ $output == *$'\nitl cucm-sub1: not changed when it should have; '* ]]
	[[ $output == *"phones: phones of cucm-sub1 still hold the ITLFile.tlv served before the step: restart Cisco TFTP on cucm-sub1, fetch again and check again"* ]]
	# the right files: go on
	cp live/cucm-sub1/tftp/ITLFile.tlv k/cucm-sub1/tftp/ITLFile.tlv
	xrun -0 cert-regen --cluster k --check 1 cucm-pub:ITLRecovery
}

@test "clcheck: steps out of order, a missing history, bad operands: exit 2, nothing written" {
	local before
	window live14
	before=$(sums k)
	# step 1 not checked: judged against what was served before it (000-), whatever step 1 did
	# shows as a change the plan does not make at step 2, or the step not served at all
	xrun -1 --separate-stderr cert-regen --cluster k --check 2 cucm-pub:TVS
	[[ $output == *$'\nitl cucm-pub: not changed when it should have; '* ]]
	rm k/cucm-sub1/tftp/history/000-ITLFile.tlv
	xrun -2 --separate-stderr cert-regen --cluster k --check 1 cucm-pub:ITLRecovery
	[ "$stderr" = "cert-regen: k/cucm-sub1/tftp/history/000-ITLFile.tlv: no such file: keep what is served before step 1 there first (--runbook does)" ]
	cp k/cucm-sub1/tftp/ITLFile.tlv k/cucm-sub1/tftp/history/000-ITLFile.tlv
	xrun -2 --separate-stderr cert-regen --cluster k --check 1 TVS
	[ "$stderr" = "cert-regen: TVS: want NODE:UNIT, the step's units as the plan lists them" ]
	xrun -2 --separate-stderr cert-regen --cluster k --check 1 cucm-pub:TVS cucm-sub1:TVS
	[ "$stderr" = "cert-regen: cucm-sub1:TVS: a step changes one node" ]
	xrun -2 --separate-stderr cert-regen --cluster k --check 1
	[ "$stderr" = "cert-regen: --check: the step's units (NODE:UNIT ...) are missing" ]
	xrun -2 --separate-stderr cert-regen --cluster k --check 0 cucm-pub:TVS
	[[ $stderr == "cert-regen: --check: "* ]]
	xrun -2 --separate-stderr cert-regen --cluster k --check 1 --plan cucm-pub:TVS
	[[ $stderr == "usage: cert-regen"* ]]
	xrun -2 --separate-stderr cert-regen --check 1 cucm-pub:TVS
	[[ $stderr == "usage: cert-regen"* ]]
	[ "$(sums k)" = "$before" ]
	# a later step checked already
	mkdir -p k/cucm-pub/tftp/history && cp k/cucm-pub/tftp/ITLFile.tlv k/cucm-pub/tftp/history/003-ITLFile.tlv
	xrun -2 --separate-stderr cert-regen --cluster k --check 1 cucm-pub:ITLRecovery
	[ "$stderr" = "cert-regen: k/cucm-pub/tftp/history/003-ITLFile.tlv: a later step was checked already" ]
}

@test "clcheck: the runbook's check line runs as printed (the fetch stood in for by a copy)" {
	cp -a "$BATS_FILE_TMPDIR/live14" live
	keyless live k
	xrun -0 --separate-stderr cert-regen --cluster k --runbook --json ITLRecovery
	[ "$(jq -r '.kept | length' <<<"$output")" = 2 ]
	local line
	line=$(jq -r '.steps[0].check[] | select(startswith("cert-regen "))' <<<"$output")
	[ "$line" = "cert-regen --cluster k --check 1 cucm-pub:ITLRecovery" ]
	step 1 cucm-pub ITLRecovery
	xrun -0 bash -c "$line"
	[ "${lines[-1]}" = "go on: step 1 is served as planned; carry out the next step" ]
	cmp live/cucm-pub/ITLRecovery/ITLRecovery.pem k/cucm-pub/ITLRecovery/ITLRecovery.pem
}
