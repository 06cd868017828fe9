#!/usr/bin/env bats
# live: a change window steered from the outside, as an administrator does it. A keyed cluster
# stands in for the live nodes (each step carried out on it with cert-regen -s and itl-build
# --cluster --all), its TFTP nodes serve their tftp/ over HTTP port 6970 on their own loopback
# addresses (python3's http.server; one node over TFTP too, tftpd-hpa, as root), and the
# administrator's key-less cluster (nodes and the fetched files) runs the runbook's check lines
# exactly as printed between the steps.
# bats file_tags=full
load helpers
load clusterkit
load servers

setup_file() {
	need_cmd python3 python3
	need_cmd curl curl
	[ "$(id -u)" != 0 ] || { need_cmd in.tftpd tftpd-hpa; need_cmd tftp tftp-hpa; }
	servers_net
	cd "$BATS_FILE_TMPDIR"
	mkcluster3 tpl
	# the nodes' addresses: this file's loopback /24
	sed -i "s/ 10\.0\.0\.\([1-3]\)/ $SERVERS_NET.\1/" tpl/nodes
	grep -q "^cucm-sub2 $SERVERS_NET.3$" tpl/nodes
}

teardown() {
	servers_stop
}

setup() {
	cd "$BATS_TEST_TMPDIR"
}

TS=1798761600

# window: ./live, the live cluster at 11.5 (each TFTP node's ITL signed by its CallManager),
# serving over HTTP (and cucm-sub1 over TFTP, as root); ./k, what the administrator holds.
window() {
	cp -a "$BATS_FILE_TMPDIR/tpl" live
	itl-build --cluster live --cucm-version 11.5 --all --now @$TS
	servers_cluster live
	if [ "$(id -u)" = 0 ]; then
		servers_addr live cucm-sub1
		servers_tftp live/cucm-sub1/tftp "$REPLY"
	fi
	keyless live k
}

# carry N NODE UNIT...: step N done on the live node: the units regenerated, every TFTP node
# serving the ITL that makes (what set cert regen and the restarts of the runbook do).
carry() {
	local n=$1 node=$2
	shift 2
	cert-regen -s "live/$node" -y -q --now @$((TS + 100 * n)) "$@"
	itl-build --cluster live --all -f --now @$((TS + 100 * n)) >/dev/null
}

# checks N: step N's host lines from the runbook (rb.json), run by sh exactly as printed,
# bounded; the result as run sets it.
checks() {
	jq -r --argjson n "$1" '.steps[$n - 1].check[]' rb.json >"check$1.sh"
	[ "$(grep -c '^curl -fsS -o k/cucm-[a-z0-9]*/tftp/ITLFile.tlv http://127\.' "check$1.sh")" = 2 ]
	xrun --separate-stderr timeout 60 sh -e "check$1.sh"
}

# tftp_same: what cucm-sub1 serves over TFTP is what its HTTP fetch brought (root only).
tftp_same() {
	[ "$(id -u)" = 0 ] || return 0
	servers_addr live cucm-sub1
	(cd "$BATS_TEST_TMPDIR" && timeout 20 tftp -m binary "$REPLY" -c get ITLFile.tlv tftp.tlv)
	cmp tftp.tlv k/cucm-sub1/tftp/ITLFile.tlv
}

@test "live: every step of the runbook carried out, fetched from the real servers, checked: go on each time" {
	window
	xrun -0 --separate-stderr cert-regen --cluster k --runbook --json TVS CallManager
	[ -z "$stderr" ]
	echo "$output" >rb.json
	[ "$(jq -r .cucm_version rb.json)" = 11.5 ]
	[ "$(jq -c .kept rb.json)" = '["k/cucm-pub/tftp/history/000-ITLFile.tlv","k/cucm-sub1/tftp/history/000-ITLFile.tlv"]' ]
	# the key-less cluster's plan (cucm-sub2's CallManager is in no served file without a CTL)
	[ "$(jq -c '[.steps[] | [.node, .units]]' rb.json)" = "$(cert-regen --cluster k --plan --json TVS CallManager | jq -c '[.steps[] | [.node, .units]]')" ]
	local n steps node units
	steps=$(jq '.steps | length' rb.json)
	[ "$steps" = 5 ]
	[ "$(jq -c .unseen rb.json)" = '["cucm-sub2:CallManager"]' ]
	for ((n = 1; n <= steps; n++)); do
		node=$(jq -r --argjson n $n '.steps[$n - 1].node' rb.json)
		units=$(jq -r --argjson n $n '.steps[$n - 1].units | join(" ")' rb.json)
		# the CLI lines name what the live node does
		[ "$(jq -r --argjson n $n '[.steps[$n - 1].commands[] | select(.cli | startswith("set cert regen")) | .node + " " + .cli[15:]] | join(",")' rb.json)" = \
		  "$(for u in $units; do printf '%s %s\n' "$node" "$u"; done | paste -sd,)" ]
		carry "$n" "$node" $units
		checks "$n"
		[ "$status" = 0 ] || { echo "step $n: $output $stderr"; false; }
		[ "${lines[0]}" = "check step $n: $node: $units" ]
		[ "${lines[-1]}" = "go on: step $n is served as planned; carry out the next step" ]
		[[ $output != *REJECTED* ]]
		# the fetch brought what the live node serves, and the check kept it as the step's
		cmp live/cucm-pub/tftp/ITLFile.tlv k/cucm-pub/tftp/ITLFile.tlv
		cmp live/cucm-sub1/tftp/ITLFile.tlv "k/cucm-sub1/tftp/history/$(printf %03d $n)-ITLFile.tlv"
		tftp_same
	done
	# what phones saw, replayed over the history the checks kept: every handover accepted
	local prev f
	for node in cucm-pub cucm-sub1; do
		prev=
		for f in k/$node/tftp/history/*-ITLFile.tlv; do
			[ -z "$prev" ] || ctl-dump --cluster live --cucm-version 11.5 -q -t "$prev" "$f"
			prev=$f
		done
	done
	# the HTTP servers answered every fetch: one GET per node per step
	servers_addr live cucm-sub1
	[ "$(grep -c '"GET /ITLFile.tlv HTTP/1.1" 200' "$BATS_FILE_TMPDIR/http-$REPLY.log")" -ge "$steps" ]
}

@test "live: a wrong step (the second TFTP node's CallManager changed with its TVS) stops the check, naming the phones' verdict" {
	window
	xrun -0 cert-regen --cluster k --runbook --json TVS
	echo "$output" >rb.json
	[ "$(jq -r '[.steps[] | .node + ":" + (.units | join(","))] | join(" ")' rb.json)" = "cucm-pub:TVS cucm-sub1:TVS cucm-sub2:TVS" ]
	carry 1 cucm-pub TVS
	checks 1
	[ "$status" = 0 ] && [ "${lines[-1]}" = "go on: step 1 is served as planned; carry out the next step" ]
	# step 2 as printed is cucm-sub1's TVS; the live node regenerates its CallManager too
	carry 2 cucm-sub1 TVS CallManager
	local before
	before=$(find k -path '*/.backup' -prune -o -type f ! -name ITLFile.tlv ! -name .lock -print | sort | xargs sha256sum)
	checks 2
	[ "$status" = 1 ]
	[ -z "$stderr" ]
	[[ ${lines[2]} == "itl cucm-sub1: changed as expected; signed by CN=cucm-sub1;O=Example; REJECTED: "* ]]
	[[ $output == *$'\nunit cucm-sub1:CallManager: changed when the plan did not change it\n'* ]]
	[[ $output == *$'\nphones: phones of cucm-sub1 reject its new ITLFile.tlv and keep the one they hold'* ]]
	[[ $output == *$'\nstop: nothing adopted, the key-less stores are as they were\n'* ]]
	# nothing adopted, nothing kept: only the fetched copies changed
	[ "$(find k -path '*/.backup' -prune -o -type f ! -name ITLFile.tlv ! -name .lock -print | sort | xargs sha256sum)" = "$before" ]
	[ ! -e k/cucm-sub1/tftp/history/002-ITLFile.tlv ]
	tftp_same
}
