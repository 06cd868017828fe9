#!/usr/bin/env bats
# cert-regen --cluster --runbook: the safe plan as the change window's steps (CLI lines per node,
# phones to reset, the fetch and check lines), in text and JSON, against the plan it comes from.
load helpers
load clusterkit

TS=1798761600	# 2027-01-01T00:00:00Z, for itl-build --now @TS

setup_file() {
	clusterkit_tpl "$BATS_FILE_TMPDIR/tpl"
}

setup() {
	cd "$BATS_TEST_TMPDIR"
}

# mk DIR [A1 A2 A3]: the three-node cluster in DIR, each TFTP node serving the ITL its store yields.
mk() {
	clusterkit_mk "$1" "$BATS_FILE_TMPDIR/tpl" "${2:-10.0.0.1}" "${3:-10.0.0.2}" "${4:-10.0.0.3}"
	itl-build --cluster "$1" --all --now @$TS
}

# full tier (about 2 s of CPU): the other runbook tests keep --runbook in make check
# bats test_tags=full
@test "runbook: every step of the plan, its CLI lines per node, restarts and resets as the plan's, a check after each" {
	mk c
	cert-regen --cluster c --plan --json >plan.json
	xrun -0 --separate-stderr cert-regen --cluster c --runbook --json
	[ -z "$stderr" ]
	echo "$output" >rb.json
	# the same steps, nodes and units as the plan
	[ "$(jq -c '[.steps[] | [.step, .node, .units]]' rb.json)" = "$(jq -c '[.steps[] | [.step, .node, .units]]' plan.json)" ]
	[ "$(jq '.steps | length' rb.json)" = 10 ]
	# each step opens with set cert regen of its units, typed on its node
	[ "$(jq -c '[.steps[] | [.commands[] | select(.cli | startswith("set cert regen ")) | "\(.node) \(.cli[15:])"]]' rb.json)" = \
	  "$(jq -c '[.steps[] | .node as $n | [.units[] | "\($n) \(.)"]]' plan.json)" ]
	# the restarts: the plan's, service by service, node by node (its condition kept)
	[ "$(jq -c '[.steps[] | [.commands[] | select(.cli | startswith("utils service restart ")) | "\(.cli[22:]) \(.node)\(if .only then " (" + .only + ")" else "" end)"] | sort]' rb.json)" = \
	  "$(jq -c '[.steps[] | [.restart[] | .service as $s | (.where | capture("^(?<n>[^(]*?)(?<c> \\(.*\\))?$")) as $w | ($w.n | split(", ")[]) | "\($s) \(.)\($w.c // "")"] | sort]' plan.json)" ]
	# the phones to reset: those of the TFTP nodes whose ITL changes
	[ "$(jq -c '[.steps[] | .reset_phones]' rb.json)" = "$(jq -c '[.steps[] | [.itl | to_entries[] | select(.value.changed) | .key]]' plan.json)" ]
	# the check after step N: every TFTP node's ITL fetched from its address, then --check N
	# (with the step's units, which the check simulates)
	# (one jq for every step's check, one for every step's units: two processes, not 21)
	local n want=() ops=()
	mapfile -t ops < <(jq -r '.steps[] | .node as $d | [.units[] | "\($d):\(.)"] | join(" ")' plan.json)
	[ ${#ops[@]} = 10 ]
	for ((n = 1; n <= 10; n++)); do
		want+=(3 'curl -fsS -o c/cucm-pub/tftp/ITLFile.tlv http://10.0.0.1:6970/ITLFile.tlv' \
			'curl -fsS -o c/cucm-sub1/tftp/ITLFile.tlv http://10.0.0.2:6970/ITLFile.tlv' \
			"cert-regen --cluster c --check $n ${ops[n - 1]}")
	done
	[ "$(jq -r '.steps[] | (.check | length), .check[]' rb.json)" = "$(printf '%s\n' "${want[@]}")" ]
	[ "$(jq -r '.steps[3].check[2]' rb.json)" = "cert-regen --cluster c --check 4 cucm-pub:ITLRecovery" ]
	[ "$(jq -r '.steps[4].check[2]' rb.json)" = "cert-regen --cluster c --check 5 cucm-pub:CAPF cucm-pub:TVS" ]
	# the text holds the same lines in the same order: CLI lines under their node, host lines
	xrun -0 cert-regen --cluster c --runbook
	[ "$(grep '^    ' <<<"$output" | sed 's/^    //')" = "$(jq -r '.steps[] | (.commands[] | .cli), .check[]' rb.json)" ]
	[ "$(grep -c '^  on [a-z0-9-]*\(, where SIP OAuth is on\)\? (CLI):$' <<<"$output")" -gt 10 ]
	[ "$(grep '^step ' <<<"$output")" = "$(cert-regen --cluster c --plan | grep '^step ')" ]
	[[ ${lines[0]} == "runbook: cert-regen --cluster c, CUCM 14: 10 steps; "* ]]
	# around the window: backups first; afterwards the certificates to carry, by unit
	[ "$(sed -n '/^before the window:$/,/^step 1:/p' <<<"$output" | sed '1d;$d' | cut -c1-40)" = "$(printf '%s\n' \
		'  a DRS backup of the cluster (Disaster ' '  the ITLRecovery certificate and key, k')" ]
	[ "$(sed -n '/^after the window:$/,$p' <<<"$output" | cut -c1-60)" = "$(printf '%s\n' 'after the window:' \
		'  a DRS backup again: a restore of an older one leaves phone' \
		'  carry the new cucm-pub, cucm-sub1, cucm-sub2 CallManager c' \
		'  carry the new cucm-pub, cucm-sub1, cucm-sub2 tomcat certif' \
		'  CAPF changed: phones with an LSC need a new one the new CA')" ]
	[ "$(jq -c '[.carry[] | [.unit, .nodes]], .new_lscs' rb.json)" = \
	  "$(printf '%s\n' '[["CallManager",["cucm-pub","cucm-sub1","cucm-sub2"]],["tomcat",["cucm-pub","cucm-sub1","cucm-sub2"]]]' true)" ]
}

@test "runbook: one step, word for word; the units that changed decide what is carried" {
	mk c
	xrun -0 --separate-stderr cert-regen --cluster c --cucm-version 14 --runbook cucm-sub1:TVS
	[ -z "$stderr" ]
	[ "$output" = "$(printf '%s\n' \
		'runbook: cert-regen --cluster c, CUCM 14: 1 step; CLI lines at the admin: prompt of the node named, host lines in a shell where the runbook was printed' \
		'kept: c/cucm-pub/tftp/history/000-ITLFile.tlv (served now: the first check judges against it)' \
		'kept: c/cucm-sub1/tftp/history/000-ITLFile.tlv (served now: the first check judges against it)' \
		'before the window:' \
		'  a DRS backup of the cluster (Disaster Recovery System on cucm-pub: Backup, Manual Backup, every feature), kept off the cluster' \
		"  the ITLRecovery certificate and key, kept off the cluster: utils itl reset remotekey signs the recovery ITL with them when the publisher's own key is lost" \
		'step 1: cucm-sub1: TVS' \
		'  on cucm-sub1 (CLI):' \
		'    set cert regen TVS' \
		'    utils service restart Cisco Trust Verification Service' \
		'  reset the phones of TFTP node cucm-pub, cucm-sub1 (Cisco Unified CM Administration on cucm-pub: Device, Phone, find them, Select All, Reset Selected), and let them fetch the new ITL' \
		'  check after the last step (host):' \
		'    curl -fsS -o c/cucm-pub/tftp/ITLFile.tlv http://10.0.0.1:6970/ITLFile.tlv' \
		'    curl -fsS -o c/cucm-sub1/tftp/ITLFile.tlv http://10.0.0.2:6970/ITLFile.tlv' \
		'    cert-regen --cluster c --cucm-version 14 --check 1 cucm-sub1:TVS' \
		'after the window:' \
		'  a DRS backup again: a restore of an older one leaves phones distrusting the ITL')" ]
	xrun -0 cert-regen --cluster c --runbook --json cucm-sub2:tomcat
	[ "$(jq -c '.carry, .new_lscs, .steps[0].reset_phones' <<<"$output")" = "$(printf '%s\n' \
		'[{"unit":"tomcat","nodes":["cucm-sub2"],"to":"Unity Connection, Expressway, peer clusters (ILS, Extension Mobility cross-cluster), the SSO identity provider"}]' false '[]')" ]
}

@test "runbook: the files served now kept once as history/000-, never over a kept one" {
	mk c
	xrun -0 --separate-stderr cert-regen --cluster c --runbook --json TVS
	[ "$(jq -c .kept <<<"$output")" = '["c/cucm-pub/tftp/history/000-ITLFile.tlv","c/cucm-sub1/tftp/history/000-ITLFile.tlv"]' ]
	cmp c/cucm-pub/tftp/ITLFile.tlv c/cucm-pub/tftp/history/000-ITLFile.tlv
	cmp c/cucm-sub1/tftp/ITLFile.tlv c/cucm-sub1/tftp/history/000-ITLFile.tlv
	[ "$(ls c/cucm-pub/tftp/history)" = 000-ITLFile.tlv ]
	[ ! -e c/cucm-sub2/tftp ]
	[ "$(stat -c %a c/cucm-pub/tftp/history/000-ITLFile.tlv)" = 644 ]
	local before
	before=$(stat -c '%i %Y' c/*/tftp/history/000-ITLFile.tlv; sha256sum c/*/tftp/history/000-ITLFile.tlv)
	# what the node serves changes (a fetch after a step): the copy of what was served first stays
	itl-build --cluster c --all --force --now @$((TS + 60))
	! cmp -s c/cucm-pub/tftp/ITLFile.tlv c/cucm-pub/tftp/history/000-ITLFile.tlv
	xrun -0 --separate-stderr cert-regen --cluster c --runbook --json TVS
	[ "$(jq -c .kept <<<"$output")" = '[]' ]
	xrun -0 cert-regen --cluster c --runbook TVS
	[[ $output != *"kept: "* ]]
	[ "$(stat -c '%i %Y' c/*/tftp/history/000-ITLFile.tlv; sha256sum c/*/tftp/history/000-ITLFile.tlv)" = "$before" ]
	# mixed mode: the CTL too, and its fetch in every check
	rm -rf c/*/tftp
	itl-build --cluster c --all --mixed --now @$TS
	xrun -0 cert-regen --cluster c --runbook --json cucm-sub2:CallManager
	[ "$(jq -c '.kept | length' <<<"$output")" = 4 ]
	cmp c/cucm-sub1/tftp/CTLFile.tlv c/cucm-sub1/tftp/history/000-CTLFile.tlv
	[ "$(jq -r '.steps[0].commands[] | "\(.node): \(.cli)"' <<<"$output" | head -n 2)" = \
	  "$(printf '%s\n' 'cucm-sub2: set cert regen CallManager' 'cucm-pub: utils ctl update CTLFile')" ]
	[ "$(jq -r '.steps[0].check[]' <<<"$output" | grep -c CTLFile.tlv)" = 2 ]
	# nothing is kept when the cluster holds a link under tftp/
	rm -rf c/cucm-sub1/tftp/history
	ln -s /tmp c/cucm-sub1/tftp/history
	xrun -2 --separate-stderr cert-regen --cluster c --runbook
	[[ $stderr == *"c/cucm-sub1/tftp/history: a symbolic link: refused"* ]]
	[ -z "$output" ]
}

@test "runbook: a cluster directory with a space, quotes and \$(...) in its name: every host line, run by sh, writes only inside it" {
	local d="my clu'ster \$(touch PWNED) \`touch PWNED2\` *"
	mk "$d"
	mkdir outside
	xrun -0 --separate-stderr cert-regen --cluster "$d" --runbook --json CallManager
	[ -z "$stderr" ]
	echo "$output" >rb.json
	[ "$(jq -r .cluster rb.json)" = "$d" ]
	jq -r '.steps[] | .check[]' rb.json >lines.sh
	# the text prints the same lines
	txt=$(cert-regen --cluster "$d" --runbook CallManager | sed -n 's/^    \(curl\|cert-regen\)/\1/p')
	[ "$txt" = "$(cat lines.sh)" ]
	[ "$(grep -c '^curl ' lines.sh)" = $((2 * $(jq '.steps | length' rb.json))) ]
	# curl and cert-regen stand in as commands that write what they were given: the words
	# must arrive as the paths themselves, whatever the shell makes of the rest of the line
	mkdir stub
	cat >stub/curl <<-'EOF'
	#!/bin/sh
	while [ $# -gt 0 ]; do
		case $1 in -o) printf '%s\n' "$2" >>"$LOG"; printf 'fetched\n' >"$2"; shift ;; esac
		shift
	done
	EOF
	cat >stub/cert-regen <<-'EOF'
	#!/bin/sh
	printf 'check:%s|%s|%s|%s|%s\n' "$@" >>"$LOG"
	EOF
	chmod +x stub/curl stub/cert-regen
	touch marker
	LOG=$PWD/log PATH=$PWD/stub:$PATH sh -e lines.sh
	[ ! -e PWNED ] && [ ! -e PWNED2 ] && [ ! -e "$d/PWNED" ]
	[ -z "$(ls outside)" ]
	# every fetch wrote into one of the cluster's tftp/ directories, and nowhere else
	local n=0 f
	while IFS= read -r f; do
		case $f in
		"$d/cucm-pub/tftp/ITLFile.tlv" | "$d/cucm-sub1/tftp/ITLFile.tlv") n=$((n + 1)) ;;
		check:*) [ "$f" = "check:--cluster|$d|--check|${f#"check:--cluster|$d|--check|"}" ]
			[[ $f == *"|"[1-3]"|cucm-"*":CallManager" ]] ;;
		*) echo "wrote $f"; false ;;
		esac
	done <log
	[ "$n" -gt 0 ]
	[ "$(cat "$d/cucm-pub/tftp/ITLFile.tlv")" = fetched ]
	[ "$(find . -newer marker -type f ! -name log | sort)" = \
	  "$(printf '%s\n' "./$d/cucm-pub/tftp/ITLFile.tlv" "./$d/cucm-sub1/tftp/ITLFile.tlv" | sort)" ]
	grep -q "^curl -fsS -o 'my clu'\\\\''ster " lines.sh
	# a name no shell line can hold (a line break) is refused before anything is kept
	mk "$(printf 'bad\nname')"
	xrun -2 --separate-stderr cert-regen --cluster "$(printf 'bad\nname')" --runbook
	[[ $stderr == *"no shell line can name it"* ]]
	[ ! -e "$(printf 'bad\nname')/cucm-pub/tftp/history" ]
}

@test "runbook: IPv6 bracketed (curl -g), a host name as it is, in every fetch" {
	mk c 10.0.0.1 2001:db8::2 cucm-sub2.example.com
	sed -i 's/^cucm-pub .*/cucm-pub   cucm-pub.example.com   publisher tftp/' c/nodes
	xrun -0 --separate-stderr cert-regen --cluster c --runbook --json cucm-sub1:TVS
	[ -z "$stderr" ]
	[ "$(jq -r '.steps[0].check[]' <<<"$output")" = "$(printf '%s\n' \
		'curl -fsS -o c/cucm-pub/tftp/ITLFile.tlv http://cucm-pub.example.com:6970/ITLFile.tlv' \
		"curl -fsS -g -o c/cucm-sub1/tftp/ITLFile.tlv 'http://[2001:db8::2]:6970/ITLFile.tlv'" \
		'cert-regen --cluster c --check 1 cucm-sub1:TVS')" ]
	# no IPv4: the ITL records carry no IPADDRESS, the plan is the same
	itl-build --cluster c --node cucm-sub1 --now @$TS -o sub1.tlv
	[ "$(ctl-dump -j sub1.tlv | jq -c '[.records[] | .ip] | unique')" = '[null]' ]
	sed -i 's/^cucm-sub1 .*/cucm-sub1  10.0.0.2.5   tftp/' c/nodes
	xrun -2 --separate-stderr cert-regen --cluster c --runbook
	[ "$stderr" = "cert-regen: c/nodes:3: bad address (want IPv4, IPv6 or a host name)" ]
}

@test "runbook: the signed files of a TFTP node whose CallManager changes are fetched in its step's check; odd names said, not fetched" {
	mk c
	printf x >c/cucm-sub1/tftp/SEP001122334455.cnf.xml.sgn
	printf x >c/cucm-sub1/tftp/'a b.sgn'
	xrun -0 --separate-stderr cert-regen --cluster c --runbook --json CallManager
	[ "$stderr" = "cert-regen: c/cucm-sub1/tftp/a b.sgn: a name no fetch line takes as it is: not fetched by the checks (fetch it by hand)" ]
	# only the step that changes cucm-sub1's CallManager (its signer) fetches them
	[ "$(jq -r '.steps[] | select(.check | any(test("sgn"))) | "\(.step) \(.node) \(.units[0])"' <<<"$output")" = "3 cucm-sub1 CallManager" ]
	[ "$(jq -r '.steps[2].check[2]' <<<"$output")" = \
	  'curl -fsS -o c/cucm-sub1/tftp/SEP001122334455.cnf.xml.sgn http://10.0.0.2:6970/SEP001122334455.cnf.xml.sgn' ]
}

@test "runbook: no safe order prints no step, keeps nothing, exits 1 with the ways around" {
	mk c
	rm -rf c/*/tftp
	itl-build --cluster c --all --cucm-version 11.5 --now @$TS
	clusterkit_unit c/cucm-pub CallManager cucm-pub
	clusterkit_unit c/cucm-pub TVS cucm-pub
	xrun -1 --separate-stderr cert-regen --cluster c --cucm-version 11.5 --runbook
	[ -z "$stderr" ]
	[ "${lines[0]}" = "runbook: cert-regen --cluster c, CUCM 11.5: no safe order" ]
	[[ ${lines[1]} == "no safe order: cucm-pub:"*": a phone holding cucm-pub's ITL would reject the new one: "* ]]
	[[ ${lines[2]} == 'way around: the enterprise parameter "Prepare Cluster for Rollback to pre 8.0"'* ]]
	[[ ${lines[3]} == "way around: from 10.0, utils itl reset localkey on cucm-pub "* ]]
	[ ${#lines[@]} = 4 ]
	[ ! -e c/cucm-pub/tftp/history ]
	xrun -1 cert-regen --cluster c --cucm-version 11.5 --runbook --json
	[ "$(jq -c '[.safe, .steps, .kept, (.ways_around | length), (.unsafe | startswith("cucm-pub:"))]' <<<"$output")" = '[false,[],[],2,true]' ]
	[ ! -e c/cucm-pub/tftp/history ]
}

@test "runbook: --runbook goes with --cluster only, never with -y, -n or --plan" {
	mk c
	xrun -2 cert-regen --runbook
	xrun -2 cert-regen --cluster c --runbook -y
	xrun -2 cert-regen --cluster c --runbook -n
	xrun -2 cert-regen --cluster c --runbook --plan
	[ ! -e c/cucm-pub/tftp/history ]
	xrun -2 --separate-stderr cert-regen --cluster c --runbook nosuch:TVS
	[[ $stderr == *"no node nosuch"* ]]
	[ ! -e c/cucm-pub/tftp/history ]
}

# bats test_tags=full
@test "runbook: cert-regen(1)'s runbook example runs as written" {
	local block
	block=$(sed -n '/^\$ cat live\/nodes$/,/^\.Ed$/p' "$TOP/man/cert-regen.1" | sed '$d')
	[ -n "$block" ]
	mkdir live
	cp -a "$BATS_FILE_TMPDIR"/tpl/* live/
	sed -n '2,/^\$ /p' <<<"$block" | sed '$d' >live/nodes	# what the page shows it holds
	[ "$(wc -l <live/nodes)" -eq 4 ]
	xrun -0 --separate-stderr bash -e -o pipefail -c "$(sed -n 's/^\$ //p' <<<"$block")"
	[ -z "$stderr" ]
	diff -u <(grep -v '^\$ ' <<<"$block" | sed 's/^\\&//') - <<<"$output"
}

@test "runbook: an offline run (-y) after it starts from the copies it kept; any other history is still a previous run's" {
	mk c
	cert-regen --cluster c --runbook cucm-pub:TVS >/dev/null
	local kept
	kept=$(sha256sum c/*/tftp/history/000-ITLFile.tlv)
	xrun -0 --separate-stderr cert-regen --cluster c -y --now @$TS cucm-pub:TVS
	[ -z "$stderr" ]
	[[ $output == *"previous kept as tftp/history/000-ITLFile.tlv"* ]]
	[ "$(sha256sum c/*/tftp/history/000-ITLFile.tlv)" = "$kept" ]
	[ "$(ls c/cucm-pub/tftp/history)" = 000-ITLFile.tlv ]
	# a second run is refused: the first one's journal, and, that moved away, its history
	# (the served ITL moved on: it is not what the runbook keeps)
	xrun -2 --separate-stderr cert-regen --cluster c -y --now @$TS cucm-pub:TVS
	[[ $stderr == *"c: a previous run's journal: "* ]]
	mv c/.journal journal.old
	xrun -2 --separate-stderr cert-regen --cluster c -y --now @$TS cucm-pub:TVS
	[[ $stderr == *"c/cucm-pub/tftp/history: exists (a previous run's): move it away first"* ]]
	# a 000- copy that is not what the node serves is not the runbook's either
	rm -rf c/*/tftp
	itl-build --cluster c --all --now @$TS
	cert-regen --cluster c --runbook >/dev/null
	itl-build --cluster c --all --force --now @$((TS + 60))
	xrun -2 --separate-stderr cert-regen --cluster c -y --now @$TS cucm-pub:TVS
	[[ $stderr == *"exists (a previous run's)"* ]]
}

@test "runbook: a key-less cluster (nodes and what it serves): the plan's steps, the units it could not see named" {
	mk live
	keyless live k
	xrun -0 --separate-stderr cert-regen --cluster k --runbook TVS CallManager
	[ -z "$stderr" ]
	[ "$(grep '^step ' <<<"$output")" = "$(cert-regen --cluster k --plan TVS CallManager | grep '^step ')" ]
	[ "$(grep -c '^step ' <<<"$output")" = 5 ]
	grep -qx "note: key-less nodes: not planned, no certificate in the store nor in a served file (put it in the node's store to plan it): cucm-sub2:CallManager" <<<"$output"
	[ "$(cert-regen --cluster k --runbook --json TVS CallManager | jq -c .unseen)" = '["cucm-sub2:CallManager"]' ]
	# the check lines name the key-less cluster and each step's units
	grep -qx '    cert-regen --cluster k --check 4 cucm-pub:CallManager' <<<"$output"
	[ -f k/cucm-sub1/tftp/history/000-ITLFile.tlv ]
}
