#!/usr/bin/env bats
# Clusters: CLUSTER/nodes, itl-build --cluster, ctl-dump --cluster --trust, cert-regen --cluster.
# Whole rollovers of a three-node cluster (every unit, history replayed: seconds each), kills,
# failures and scale are in the full tier; make check keeps one rollover (1 node at 11.5).
load helpers
load clusterkit

NOW=2027-01-01T00:00:00Z
TS=1798761600	# the same instant, for itl-build --now @TS

# Three node stores built once: cucm-pub (with CAPF and ITLRecovery), cucm-sub1, cucm-sub2
# (clusterkit.bash).
setup_file() {
	clusterkit_tpl "$BATS_FILE_TMPDIR/tpl"
}

# mkcluster N: nodes 1..N of the template into ./c (1: a single publisher with TFTP; 2, 3: the
# publisher and cucm-sub1 run TFTP, cucm-sub2 does not).
mkcluster() {
	local n t="$BATS_FILE_TMPDIR/tpl" nodes=(cucm-pub)
	mkdir c
	printf '# node       address    roles\ncucm-pub    10.0.0.1   publisher tftp\n' >c/nodes
	if [ "$1" -ge 2 ]; then
		nodes+=(cucm-sub1)
		printf 'cucm-sub1   10.0.0.2   tftp    # second TFTP\n' >>c/nodes
	fi
	if [ "$1" -ge 3 ]; then
		nodes+=(cucm-sub2)
		printf 'cucm-sub2   10.0.0.3\n' >>c/nodes
	fi
	cp -a "${nodes[@]/#/$t/}" c/	# one cp for the stores
	local f gone=()
	for f in c/*/CallManager-trust/*; do	# only the nodes' copies of nodes not in c/
		n=${f##*/}
		[ -d "c/${n%.pem}" ] || [ "$n" = CAPF-1a2b3c4d.pem ] || gone+=("$f")
	done
	[ ${#gone[@]} = 0 ] || rm "${gone[@]}"
}

setup() {
	cd "$BATS_TEST_TMPDIR"
}

# SHA-256 fingerprint of a PEM certificate, as ctl-dump --json prints it.
fp() {
	openssl x509 -in "$1" -noout -fingerprint -sha256 | sed 's/.*=//; s/://g'
}

# certs CLUSTER: "NODE FINGERPRINT WHAT" for what each node's TVS trusts (the cluster's
# CallManager, CAPF and ITLRecovery certificates, its CallManager-trust and Phone-SAST-trust)
# and "NODE FINGERPRINT TVSNOW" for the TVS certificate it presents. The fingerprints come
# from one cert-expiry -j over every file (cli.bats checks its sha256 against openssl's).
certs() {
	local c=$1 d n f file sha
	local -a files=() lines=()
	local -A fps=()
	for d in "$c"/*/; do
		[ -f "$d/TVS/TVS.pem" ] || continue
		n=${d%/} n=${n##*/}
		lines+=("$n $d/TVS/TVS.pem TVSNOW")
		for f in "$c"/*/CallManager/CallManager.pem "$c"/*/CAPF/CAPF.pem \
		    "$c"/*/ITLRecovery/ITLRecovery.pem "$d"CallManager-trust/* "$d"Phone-SAST-trust/*; do
			[ ! -f "$f" ] || lines+=("$n $f TRUSTS")
		done
	done
	for f in "${lines[@]}"; do f=${f#* } files+=("${f% *}"); done
	while read -r file sha; do
		fps[$file]=$sha
	done < <(cert-expiry -j --now $NOW "${files[@]}" | jq -r '.certificates[] | .file + " " + .sha256')
	for f in "${lines[@]}"; do
		file=${f#* } file=${file% *}
		[ -n "${fps[$file]:-}" ] || { echo "no fingerprint for $file" >&2; return 1; }
		echo "${f%% *} ${fps[$file]} ${f##* }"
	done
}

# PHONE_RULE: the rule of CUCM.md ("Clusters") written out here, independently of lib/cucm,
# as one jq program over a history's ctl-dump --json documents in order (certs' lines in
# $certs): for each consecutive pair OLD NEW, "direct" or "tvs NODE" when a phone holding OLD
# accepts NEW, else "rejected".
PHONE_RULE='($certs | split("\n")) as $lines
| def listed($l): any($lines[]; . == $l);
  . as $docs
| range(1; length) as $i | $docs[$i - 1] as $o | $docs[$i] as $n
| if $n.signature.verified != true then "rejected"
  elif ($n.header.signer as $g | any($o.records[]; .role == "SAST" and
      .serial == $g.serial and .issuer == $g.issuer)) then "direct"
  else
    ($n.header.signer.serial as $s | [$n.records[] | select(.role == "SAST" and
        .serial == $s)][0].certificate.sha256) as $sig
    | [$o.records[] | select(.role == "TVS") | .certificate.sha256 as $tvs | (.dns // "") as $node
        | select((any($n.records[]; .role == "TVS" and .certificate.sha256 == $tvs) or
            listed("\($node) \($tvs) TVSNOW")) and listed("\($node) \($sig) TRUSTS"))
        | "tvs " + $node][0] // "rejected"
  end'

# check_history CLUSTER: every consecutive pair of each TFTP node's history plus the served ITL
# is accepted by ctl-dump --cluster --trust and by PHONE_RULE; prints one line per pair.
check_history() {
	local c=$1 d i n=0 out
	local -a files v
	certs "$c" >certs.txt || return 1
	for d in "$c"/*/tftp; do
		files=("$d"/history/*-ITLFile.tlv "$d/ITLFile.tlv")
		[ -f "${files[0]}" ] || continue
		for ((i = 1; i < ${#files[@]}; i++)); do
			ctl-dump --cluster "$c" --cucm-version "$2" --trust "${files[i - 1]}" -q "${files[i]}" ||
				{ echo "ctl-dump rejects ${files[i]} after ${files[i - 1]}"; return 1; }
		done
		# one ctl-dump and one jq for the whole history
		out=$(ctl-dump -j "${files[@]}" | jq -rs --rawfile certs certs.txt "$PHONE_RULE") ||
			{ echo "ctl-dump -j or the rule failed on $d"; return 1; }
		mapfile -t v <<<"$out"
		[ "${#v[@]}" -eq $((${#files[@]} - 1)) ] || { echo "$d: ${#v[@]} verdicts"; return 1; }
		for ((i = 1; i < ${#files[@]}; i++)); do
			[ "${v[i - 1]}" != rejected ] ||
				{ echo "the rule rejects ${files[i]} after ${files[i - 1]}"; return 1; }
			echo "${files[i]#"$c"/}: ${v[i - 1]}"
			n=$((n + 1))
		done
	done
	[ $n -gt 0 ]
}

@test "cluster: itl-build --cluster --node builds the node's ITL in CUCM's order, signed per release" {
	mkcluster 3
	xrun -0 --separate-stderr itl-build --cluster c --node cucm-sub1 --now @$TS -o sub1.tlv
	xrun -0 bash -c "ctl-dump -j sub1.tlv | jq -r '.records[] | [.role, .dns, .ip, .subject] | @tsv'"
	[ "$output" = "$(printf '%s\n' \
		$'SAST\tcucm-pub\t10.0.0.1\tCN=ITLRECOVERY_cucm-pub;O=Example' \
		$'SAST\tcucm-sub1\t10.0.0.2\tCN=cucm-sub1;O=Example' \
		$'TFTP\tcucm-sub1\t10.0.0.2\tCN=cucm-sub1;O=Example' \
		$'CAPF\tcucm-pub\t10.0.0.1\tCN=CAPF-1a2b3c4d;O=Example' \
		$'TVS\tcucm-pub\t10.0.0.1\tCN=cucm-pub;O=Example' \
		$'TVS\tcucm-sub1\t10.0.0.2\tCN=cucm-sub1;O=Example' \
		$'TVS\tcucm-sub2\t10.0.0.3\tCN=cucm-sub2;O=Example')" ]
	xrun -0 bash -c "ctl-dump -j sub1.tlv | jq -r '.header.signer.name, .signature.verified'"
	[ "$output" = $'CN=ITLRECOVERY_cucm-pub;O=Example\ntrue' ]
	itl-build --cluster c --node cucm-sub1 --cucm-version 11.5 --now @$TS -o old.tlv
	xrun -0 bash -c "ctl-dump -j old.tlv | jq -r '.header.signer.name, .signature.verified'"
	[ "$output" = $'CN=cucm-sub1;O=Example\ntrue' ]
	xrun -2 --separate-stderr itl-build --cluster c --node cucm-sub2
	[ "$stderr" = "itl-build: cucm-sub2: not a TFTP node (no tftp in c/nodes): it serves no ITL" ]
	xrun -2 --separate-stderr itl-build --cluster c --node nosuch
	[[ $stderr == *"no node nosuch in c/nodes"* ]]
	xrun -2 --separate-stderr itl-build --cluster c --node cucm-pub -s c/cucm-pub
	[[ $stderr == *"usage: itl-build"* ]]
}

@test "cluster: itl-build --cluster --all serves every TFTP node, atomically; CTL in mixed mode" {
	mkcluster 3
	xrun -0 --separate-stderr itl-build --cluster c --all --now @$TS
	[ -z "$output$stderr" ]
	[ -f c/cucm-pub/tftp/ITLFile.tlv ] && [ -f c/cucm-sub1/tftp/ITLFile.tlv ]
	[ ! -e c/cucm-sub2/tftp ] && [ ! -e c/cucm-pub/tftp/CTLFile.tlv ]
	itl-build --cluster c --node cucm-pub --now @$TS | cmp - c/cucm-pub/tftp/ITLFile.tlv
	xrun -2 --separate-stderr itl-build --cluster c --all --now @$TS
	[[ $stderr == *"c/cucm-pub/tftp/ITLFile.tlv: exists (use --force to replace it)" ]]
	xrun -0 itl-build --cluster c --all --mixed -f --now @$TS
	xrun -0 bash -c "ctl-dump -j c/cucm-sub1/tftp/CTLFile.tlv | jq -r '.type, (.records[] | .role + \" \" + .dns)'"
	[ "$output" = $'CTL\nSAST cucm-pub\nSAST cucm-pub\nCCM+TFTP cucm-pub\nCCM+TFTP cucm-sub1\nCCM+TFTP cucm-sub2\nCAPF cucm-pub' ]
	xrun -0 bash -c "ctl-dump -j c/cucm-sub1/tftp/ITLFile.tlv | jq -r '.records[2].role'"
	[ "$output" = CCM+TFTP ]
	ls c/cucm-pub/tftp | grep -v -x -e ITLFile.tlv -e CTLFile.tlv && false || true
}

@test "cluster: the plan keeps the seed's order (3 nodes, 14): services, ITLRecovery alone, CAPF/TVS, CallManager last" {
	mkcluster 3
	itl-build --cluster c --all --now @$TS
	xrun -0 --separate-stderr cert-regen --cluster c --plan --json
	[ -z "$stderr" ]
	xrun -0 jq -r '.cucm_version, .safe, (.steps[] | "\(.step) \(.node) \(.units | join(",")) \(.reset_phones)")' <<<"$output"
	[ "$output" = "$(printf '%s\n' 14 true \
		'1 cucm-pub ipsec,tomcat false' '2 cucm-sub1 ipsec,tomcat false' \
		'3 cucm-sub2 ipsec,tomcat false' '4 cucm-pub ITLRecovery true' \
		'5 cucm-pub CAPF,TVS true' '6 cucm-sub1 TVS true' '7 cucm-sub2 TVS true' \
		'8 cucm-sub2 CallManager false' '9 cucm-pub CallManager true' \
		'10 cucm-sub1 CallManager true')" ]
	xrun -0 bash -c "cert-regen --cluster c --plan --json | jq -c '.steps[3].itl, .steps[8].itl, .steps[3].restart'"
	[ "${lines[0]}" = '{"cucm-pub":{"changed":true,"accepted":true,"path":"tvs","via":"cucm-pub"},"cucm-sub1":{"changed":true,"accepted":true,"path":"tvs","via":"cucm-sub1"}}' ]
	[ "${lines[1]}" = '{"cucm-pub":{"changed":true,"accepted":true,"path":"direct","via":null},"cucm-sub1":{"changed":false,"accepted":null,"path":null,"via":null}}' ]
	# restarts by node: TFTP wherever the ITL changes, the rest where the certificate changed
	[ "${lines[2]}" = '[{"service":"Cisco TFTP","where":"cucm-pub, cucm-sub1"},{"service":"Cisco Trust Verification Service","where":"cucm-pub"}]' ]
	xrun -0 bash -c "cert-regen --cluster c --plan --json | jq -c '[.steps[] | .restart[] | select(.service | test(\"Tomcat|TFTP\")) | .where]'"
	[ "$output" = '["cucm-pub","cucm-sub1","cucm-sub2","cucm-pub, cucm-sub1","cucm-pub","cucm-sub1"]' ]
	# Cisco HAProxy with tomcat from 12.5 only
	xrun -0 bash -c "cert-regen --cluster c --cucm-version 12.5 --plan --json tomcat | jq -c '[.steps[0].restart[] | .service]'"
	[ "$output" = '["Cisco Tomcat","Cisco HAProxy"]' ]
	xrun -0 bash -c "cert-regen --cluster c --cucm-version 12.0 --plan --json tomcat 2>/dev/null | jq -c '[.steps[0].restart[] | .service]'"
	[ "$output" = '["Cisco Tomcat"]' ]
	xrun -0 cert-regen --cluster c --plan cucm-sub1:TVS ITLRecovery
	[ "$output" = "$(printf '%s\n' 'cucm-version: 14' \
		"note: no --cucm-version: the served ITLs are signed by ITLRecovery, so 12.0 or later: planned with 14's rules (an older cluster serving a recovery ITL after utils itl reset is signed so too: then give --cucm-version)" \
		'step 1: cucm-pub: ITLRecovery' \
		'  restart: Cisco TFTP on cucm-pub, cucm-sub1' '  restart: Cisco Trust Verification Service on cucm-pub' \
		'  itl cucm-pub: changes; accepted through TVS via cucm-pub' \
		'  itl cucm-sub1: changes; accepted through TVS via cucm-sub1' \
		'  reset phones of TFTP node cucm-pub, cucm-sub1, and let them fetch the new ITL before the next step' \
		'step 2: cucm-sub1: TVS' '  restart: Cisco Trust Verification Service on cucm-sub1' \
		'  itl cucm-pub: changes; accepted directly (signer unchanged)' \
		'  itl cucm-sub1: changes; accepted directly (signer unchanged)' \
		'  reset phones of TFTP node cucm-pub, cucm-sub1, and let them fetch the new ITL before the next step' 'safe: 2 steps')" ]
	xrun -2 --separate-stderr cert-regen --cluster c --plan cucm-sub2:CAPF
	[ "$stderr" = "cert-regen: cucm-sub2:CAPF: no node has CAPF/CAPF.pem" ]
	xrun -2 --separate-stderr cert-regen --cluster c --plan nosuch:TVS
	[[ $stderr == *"no node nosuch"* ]]
}

@test "cluster: at 11.5 one node's CallManager and TVS take two steps, never one" {
	mkcluster 1
	xrun -0 --separate-stderr cert-regen --cluster c --cucm-version 11.5 --plan --json CallManager TVS
	[[ $stderr == "" ]]
	xrun -0 jq -c '[.steps[] | [.node, .units, .itl["cucm-pub"].path]]' <<<"$output"
	[ "$output" = '[["cucm-pub",["TVS"],"direct"],["cucm-pub",["CallManager"],"tvs"]]' ]
	xrun -0 bash -c "cert-regen --cluster c --cucm-version 11.5 --plan | grep '^note:'"
	[ "$output" = "note: cucm-pub serves no tftp/ITLFile.tlv: planned from the ITL its store yields" ]
	# at 14 ITLRecovery signs: the same two units, still CAPF/TVS before CallManager
	xrun -0 bash -c "cert-regen --cluster c --plan --json CallManager TVS | jq -c '[.steps[] | .units[]]'"
	[ "$output" = '["TVS","CallManager"]' ]
}

@test "cluster: no safe plan (11.5, CallManager and TVS replaced behind the served ITL) exits 1 with the ways around" {
	mkcluster 1
	itl-build --cluster c --all --cucm-version 11.5 --now @$TS
	clusterkit_unit c/cucm-pub CallManager cucm-pub
	clusterkit_unit c/cucm-pub TVS cucm-pub
	xrun -1 --separate-stderr cert-regen --cluster c --cucm-version 11.5 --plan
	[ -z "$stderr" ]
	[[ ${lines[1]} == "no safe plan: cucm-pub:ipsec: a phone holding cucm-pub's ITL would reject the new one: "* ]]
	[[ ${lines[1]} == *"TVS cucm-pub was regenerated since; stranded groups: cucm-pub" ]]
	[[ $output == *$'\nway around: the enterprise parameter "Prepare Cluster for Rollback to pre 8.0"'* ]]
	[[ $output == *$'\nway around: the ITLRecovery path (from 10.0)'* ]]
	[[ $output != *"step "* && $output != *"safe: "* ]]
	xrun -1 cert-regen --cluster c --cucm-version 11.5 --plan --json TVS
	[ "$(jq -c '[.safe, .steps, (.ways_around | length)]' <<<"$output")" = '[false,[],2]' ]
	tree_before=$(filesums c)
	xrun -1 --separate-stderr cert-regen --cluster c --cucm-version 11.5 -y TVS
	[[ $output == *"no safe plan: "* ]]
	[ "$(filesums c)" = "$tree_before" ]
	# no --cucm-version: the served ITL's signer (CallManager) says before 12.0, and says so
	xrun -1 --separate-stderr cert-regen --cluster c --plan TVS
	[ "${lines[0]}" = "cucm-version: 11.5" ]
	[ "${lines[1]}" = "note: no --cucm-version: the served ITLs are signed by CallManager, so before 12.0: planned with 11.5's rules" ]
	# at 14 the same drift is fine: ITLRecovery still signs; the served signer contradicts it: a warning
	xrun -0 --separate-stderr cert-regen --cluster c --cucm-version 14 --plan TVS
	[[ ${lines[-1]} == "safe: "*" step"* ]]
	[ "$stderr" = "cert-regen: warning: --cucm-version 14: ITLRecovery signs the ITL at that release, but the ITL cucm-pub serves is signed by CallManager" ]
}

@test "cluster: -n prints the plan and changes nothing" {
	mkcluster 2
	local before
	before=$(filesums c)
	xrun -0 cert-regen --cluster c -n --now $NOW
	[ "${lines[-1]}" = "safe: 7 steps" ]
	[ "$(filesums c)" = "$before" ]
	xrun -2 --separate-stderr cert-regen --cluster c --plan -s c/cucm-pub
	[[ $stderr == "usage: cert-regen"* ]]
	xrun -2 --separate-stderr cert-regen --plan TVS
	[[ $stderr == "usage: cert-regen"* ]]
	xrun -2 --separate-stderr cert-regen --cluster c -y -j -o run.json TVS	# -j goes to stdout
	[[ $stderr == "usage: cert-regen"* ]]
	xrun -2 --separate-stderr cert-regen --cluster c --plan --now @4294967296
	[ "$stderr" = "cert-regen: --now: the trust lists' TIMESTAMP holds 32-bit Unix seconds only" ]
	xrun -2 --separate-stderr cert-regen --cluster c cucm-sub1:TVS </dev/null
	[[ $stderr == *"no terminal to confirm on: nothing changed (use --yes)" ]]
	[ "$(filesums c)" = "$before" ]
	# -q: the run says nothing, and still serves each TFTP node the ITL its store yields first
	xrun -0 cert-regen --cluster c -y -q --now $NOW cucm-sub1:TVS
	[ -z "$output" ]
	[ "$(ls c/cucm-pub/tftp/history c/cucm-sub1/tftp/history)" = $'c/cucm-pub/tftp/history:\n000-ITLFile.tlv\n\nc/cucm-sub1/tftp/history:\n000-ITLFile.tlv' ]
}

# bats test_tags=full
@test "cluster: a run takes every node store's lock: a node in use by another tool stops it before any change" {
	command -v flock >/dev/null || skip "flock(1) is absent"
	mkcluster 2
	itl-build --cluster c --all --now @$TS
	local before
	before=$(filesums c -l)	# itl-build locked them too
	# another tool holds cucm-sub1's store (flock(1) on the same lock file)
	touch c/cucm-sub1/.lock
	flock -x c/cucm-sub1/.lock sleep 20 &
	local holder=$!
	sleep 0.5
	xrun -2 --separate-stderr cert-regen --cluster c -y --wait 1 --now $NOW cucm-pub:tomcat
	kill "$holder" 2>/dev/null; wait "$holder" 2>/dev/null || true
	[[ $stderr == *"store busy"* ]]
	[ -z "$output" ]
	rm c/cucm-sub1/.lock
	[ "$(filesums c -l)" = "$before" ]
	# free again: the same run goes through
	xrun -0 --separate-stderr cert-regen --cluster c -y -q --now $NOW cucm-pub:tomcat
	[ -z "$output$stderr" ]
}

# run_cluster N VERSION [units]: serve, run -y, then check every ITL handover two ways.
run_cluster() {
	local n=$1 v=$2
	shift 2
	mkcluster "$n"
	itl-build --cluster c --all --cucm-version "$v" --now @$TS
	xrun -0 --separate-stderr cert-regen --cluster c --cucm-version "$v" -y --now $NOW "$@"
	[ -z "$stderr" ] || { echo "$stderr"; false; }
	RUN=$output
	run -0 check_history "$PWD/c" "$v"
	HIST=$output
}

@test "cluster: -y, 1 node at 11.5, every unit: each ITL handover accepted (ctl-dump and the rule)" {
	run_cluster 1 11.5
	[[ $RUN == *"step 4: cucm-pub: CallManager"*"itl cucm-pub: replaced, accepted through TVS via cucm-pub"* ]]
	[[ $RUN == *$'\nfinal cucm-pub: ITL signed by CN=cucm-pub;O=Example; 5 of 5 records changed' ]]
	[ "$(ls c/cucm-pub/tftp/history)" = $'001-ITLFile.tlv\n002-ITLFile.tlv\n003-ITLFile.tlv' ]
	[[ $HIST == *"cucm-pub/tftp/ITLFile.tlv: tvs cucm-pub"* ]]
	[[ $RUN == *$'step 4: cucm-pub: CallManager\n  regenerated: CallManager serial='* ]]
	local h=c/cucm-pub/tftp/history
	xrun -0 bash -c "ctl-dump --cluster c --cucm-version 11.5 -j -t $h/003-ITLFile.tlv c/cucm-pub/tftp/ITLFile.tlv | jq -c '.trust | [.accepted, .path, .via, .record]'"
	[ "$output" = '[true,"tvs","cucm-pub",null]' ]
	xrun -0 bash -c "ctl-dump --cluster c --cucm-version 11.5 -j -t $h/001-ITLFile.tlv $h/002-ITLFile.tlv | jq -c '.trust | [.accepted, .path, .via, .record]'"
	[ "$output" = '[true,"direct",null,2]' ]
	# without --cluster the check stays the direct one, and the JSON as it was
	xrun -1 bash -o pipefail -c "ctl-dump -j -t $h/003-ITLFile.tlv c/cucm-pub/tftp/ITLFile.tlv | jq -c '.trust | [.accepted, has(\"path\")]'"
	[ "$output" = '[false,false]' ]
	# the first ITL against the last: the TVS it holds was regenerated since: rejected, said why
	xrun -1 ctl-dump --cluster c --cucm-version 11.5 --trust c/cucm-pub/tftp/history/001-ITLFile.tlv -b c/cucm-pub/tftp/ITLFile.tlv
	[[ ${lines[-1]} == "REJECTED c/cucm-pub/tftp/ITLFile.tlv: the new file's signer is not a SAST record of the old file (signer CN=cucm-pub;O=Example); TVS cucm-pub was regenerated since; stranded groups: cucm-pub" ]]
}

# bats test_tags=full
@test "cluster: -y, 2 nodes at 14 and 3 nodes at 11.5: history replays, CallManager-trust replicated" {
	run_cluster 2 14 CallManager TVS ITLRecovery
	[ "$(ls c/cucm-sub1/tftp/history | wc -l)" -eq 4 ]
	[[ $HIST == *"cucm-pub/tftp/history/001-ITLFile.tlv: tvs cucm-pub"* ]]
	[[ $HIST == *"cucm-sub1/tftp/history/001-ITLFile.tlv: tvs cucm-"* ]]
	[[ $HIST == *"cucm-sub1/tftp/ITLFile.tlv: direct"* ]]
	local new f n=0
	new=$(fp c/cucm-sub1/CallManager/CallManager.pem)
	for f in c/cucm-pub/CallManager-trust/*; do
		f=$(openssl x509 -in "$f" -noout -fingerprint -sha256)
		f=${f#*=}
		[ "${f//:/}" != "$new" ] || found=1
	done
	[ "${found:-}" = 1 ]
	for f in c/cucm-pub/CallManager-trust/*cucm-sub1*; do [ ! -e "$f" ] || n=$((n + 1)); done
	[ "$n" -eq 1 ]
	rm -rf c
	run_cluster 3 11.5 CallManager TVS
	[[ $RUN == *"step 4: cucm-sub2: CallManager"*"step 5: cucm-pub: CallManager"*"step 6: cucm-sub1: CallManager"* ]]
	[ "$(ctl-dump -j c/cucm-sub1/tftp/ITLFile.tlv | jq -r .header.signer.name)" = "CN=cucm-sub1;O=Example" ]
}

# bats test_tags=full
@test "cluster: killed at any point of a run, no node loses a key or certificate" {
	local k sum rel b ok
	local -A sums
	mkcluster 2
	itl-build --cluster c --all --cucm-version 11.5 --now @$TS
	(cd c && find . -path '*/.backup' -prune -o -path '*/tftp' -prune -o -name .lock -prune -o -type f -print0 |
		xargs -0 sha256sum) >orig.sums
	mv c tpl
	for k in 3 40; do
		rm -rf c
		cp -a tpl c
		CTK_KILL_AFTER=$k run cert-regen --cluster c --cucm-version 11.5 -y --now $NOW CallManager TVS
		[ "$status" -eq 137 ]
		sums=()	# every file of c, hashed by one process
		while read -r sum rel; do sums[${rel#./}]=$sum; done < <(cd c && find . -type f -print0 | xargs -0 sha256sum)
		while read -r sum rel; do	# every file is in its store or in a backup of it
			rel=${rel#./}
			ok=0
			[ "${sums[$rel]:-}" != "$sum" ] || ok=1
			for b in c/"${rel%%/*}"/.backup/*/; do
				[ $ok = 1 ] || [ "${sums[${b#c/}${rel#*/}]:-}" != "$sum" ] || ok=1
			done
			[ $ok = 1 ] || { echo "kill at $k: lost $rel"; false; }
		done <orig.sums
		[ -z "$(find c -name '*.key' -perm /077)" ]
		ctl-dump -q c/cucm-pub/tftp/ITLFile.tlv
		ctl-dump -q c/cucm-sub1/tftp/ITLFile.tlv
	done
}

# bats test_tags=full
@test "cluster: cert-regen(1)'s three-node example runs as written" {
	local block
	block=$(sed -n '/^\$ cat cluster\/nodes$/,/^\.Ed$/p' "$TOP/man/cert-regen.1" | sed '$d')
	mkdir cluster
	cp -a "$BATS_FILE_TMPDIR"/tpl/* cluster/
	sed -n '2,/^\$ /p' <<<"$block" | sed '$d' >cluster/nodes	# what the page shows it holds
	[ "$(wc -l <cluster/nodes)" -eq 4 ]
	xrun -0 --separate-stderr bash -e -o pipefail -c "$(sed -n 's/^\$ //p' <<<"$block")"
	[ -z "$stderr" ]
	diff -u <(grep -v '^\$ ' <<<"$block") - <<<"$output"
}

# resign FILE KEY: FILE signed again with KEY after its bytes were patched, from the format alone
# (FORMAT.md section 2: RSA over the file with the SIGNATURE TLV cut out, the header's digest):
# the header's top-level TLVs walked in hex until tag 0x0C; bare 0x0D bytes are padding.
resign() {
	local f=$1 key=$2 h p=0 t n dg
	h=$(hex <"$f")
	while [ $p -lt ${#h} ]; do
		t=${h:p:2}
		[ "$t" != 0d ] || { p=$((p + 2)); continue; }
		n=$((16#${h:p+2:4}))
		[ "$t" != 0c ] || break
		p=$((p + 6 + 2 * n))
	done
	dg=$(ctl-dump -j "$f" | jq -r .header.digest)
	{ unhex "${h:0:p}"; unhex "${h:p+6+2*n}"; } >"$f.signed"
	openssl dgst -"$dg" -sign "$key" -out "$f.sig" "$f.signed"
	{ unhex "${h:0:p+6}"; cat "$f.sig"; unhex "${h:p+6+2*n}"; } >"$f"
	rm -f "$f.signed" "$f.sig"
}

# splitkey OUT REAL: a trust list whose SAST and TFTP records hold the certificate REAL.pem and
# the PUBLICKEY of another key (forged.key), signed by that key: forged.pem copies REAL's
# subject, issuer and serial (same size, so the DER lengths match) and is then swapped for REAL.
splitkey() {
	local out=$1 real=$2 subj serial fh rh h
	subj=$(openssl x509 -in "$real.pem" -noout -subject -nameopt compat | sed 's/^subject=//')
	serial=$(openssl x509 -in "$real.pem" -noout -serial | cut -d= -f2)
	MKCERT_BITS=1024 mkcert . forged 400 "$subj" -set_serial "0x$serial" \
		-addext basicConstraints=CA:FALSE
	itl-build -k forged.key --sast forged.pem --tftp forged.pem --now @$TS -o "$out"
	fh=$(openssl x509 -in forged.pem -outform DER | hex)
	rh=$(openssl x509 -in "$real.pem" -outform DER | hex)
	[ ${#fh} = ${#rh} ] || { echo "forged.pem and $real.pem differ in length" >&2; return 1; }
	h=$(hex <"$out")
	unhex "${h//$fh/$rh}" >"$out"
	resign "$out" forged.key
}

@test "cluster: a record whose PUBLICKEY is not its CERTIFICATE's key is rejected on every path, naming the record" {
	mkcluster 3
	itl-build --cluster c --all --now @$TS
	cp c/cucm-pub/tftp/ITLFile.tlv old.tlv
	# the split file: cucm-sub1's CallManager certificate (every TVS trusts it), another key
	splitkey split.tlv c/cucm-sub1/CallManager/CallManager
	[ "$(ctl-dump -j split.tlv | jq -r '.records[0].certificate.sha256')" = "$(fp c/cucm-sub1/CallManager/CallManager.pem)" ]
	# the file alone
	xrun -1 --separate-stderr ctl-dump -b split.tlv
	[ "$stderr" = "ctl-dump: split.tlv: not verified: the signer's record holds a PUBLICKEY that is not the key of its CERTIFICATE (record #1)" ]
	# as a new ITL: no TVS path for it, with or without --cluster
	xrun -1 ctl-dump --cluster c -b --trust old.tlv split.tlv
	[ "${lines[-1]}" = "REJECTED split.tlv: the signature does not verify: the signer's record holds a PUBLICKEY that is not the key of its CERTIFICATE (record #1 of the new file)" ]
	xrun -1 ctl-dump -j --cluster c --trust old.tlv split.tlv
	jq -e '.trust.accepted == false and .trust.path == null' <<<"$output"
	xrun -1 ctl-dump -b --trust old.tlv split.tlv
	[[ ${lines[-1]} == "REJECTED split.tlv: the signature does not verify: the signer's record"* ]]
	# as the ITL phones hold: its SAST record does not vouch for a file its PUBLICKEY verifies
	itl-build -k forged.key --sast forged.pem --tftp forged.pem --now @$TS -o next.tlv
	xrun -1 ctl-dump -b --trust split.tlv next.tlv
	[ "${lines[-1]}" = "REJECTED next.tlv: the old file's SAST record that names the signer holds a PUBLICKEY that is not the key of its CERTIFICATE (record #1 of split.tlv)" ]
	xrun -1 ctl-dump -b --cluster c --trust split.tlv next.tlv
	[[ ${lines[-1]} == "REJECTED next.tlv: the old file's SAST record that names the signer holds a PUBLICKEY that is not the key of its CERTIFICATE (signer "* ]]
	xrun -1 --separate-stderr itl-build -k forged.key --sast forged.pem --tftp forged.pem -t split.tlv -o out.tlv
	[ "$stderr" = "itl-build: split.tlv: a phone holding it would reject the new file: the old file's SAST record that names the signer holds a PUBLICKEY that is not the key of its CERTIFICATE; nothing written" ]
	[ ! -e out.tlv ]
	# a signed file its TFTP record's PUBLICKEY verifies: rejected, with or without --cluster
	printf '<device/>\n' >SEP1.cnf.xml
	itl-build --sign-file -k forged.key --signer forged.pem --now @$TS SEP1.cnf.xml
	xrun -1 --separate-stderr ctl-dump -b --trust split.tlv SEP1.cnf.xml.sgn
	[ "$stderr" = "ctl-dump: SEP1.cnf.xml.sgn: a phone would reject it: TFTP record 2 of the trust list holds a PUBLICKEY that is not the key of its CERTIFICATE" ]
	xrun -1 --separate-stderr ctl-dump -b --cluster c --trust split.tlv SEP1.cnf.xml.sgn
	[ "$stderr" = "ctl-dump: SEP1.cnf.xml.sgn: a phone would reject it: TFTP record 2 of the trust list holds a PUBLICKEY that is not the key of its CERTIFICATE" ]
}

@test "cluster: the signer's issuer is matched in one canonical form: CUCM's and certutils' layouts accept each other" {
	MKCERT_BITS=1024 mkcert . sast 400 "/C=US/O=Example/OU=Voice/CN=ITLRECOVERY_x"
	MKCERT_BITS=1024 mkcert . tftp 400 "/O=Example/CN=x"
	itl-build -k sast.key --sast sast.pem --tftp tftp.pem --now @$TS -o cucm.tlv
	itl-build -k sast.key --sast sast.pem --tftp tftp.pem --layout certutils --now @$TS -o cu.tlv
	# the two layouts write the issuer differently ...
	[ "$(ctl-dump -j cucm.tlv | jq -r .header.signer.issuer)" != "$(ctl-dump -j cu.tlv | jq -r .header.signer.issuer)" ]
	# ... and a phone holding either accepts the other directly
	xrun -0 ctl-dump -b --trust cucm.tlv cu.tlv
	[ "${lines[-1]}" = "ACCEPTED cu.tlv: signed by a SAST certificate of the old file (record #1 of cucm.tlv)" ]
	xrun -0 ctl-dump -b --trust cu.tlv cucm.tlv
	[ "${lines[-1]}" = "ACCEPTED cucm.tlv: signed by a SAST certificate of the old file (record #1 of cu.tlv)" ]
	xrun -0 --separate-stderr itl-build -k sast.key --sast sast.pem --tftp tftp.pem --layout certutils -t cucm.tlv -n
	xrun -0 --separate-stderr itl-build -k sast.key --sast sast.pem --tftp tftp.pem -t cu.tlv -n
	# the .sgn rule matches the same way: one rule for both
	printf '<device/>\n' >SEP1.cnf.xml
	itl-build --sign-file -k tftp.key --signer tftp.pem --layout certutils --now @$TS SEP1.cnf.xml
	xrun -0 ctl-dump -q --trust cucm.tlv SEP1.cnf.xml.sgn
	xrun -0 ctl-dump -q --trust cu.tlv SEP1.cnf.xml.sgn
}

@test "cluster: the file kind comes from the header's FILENAME: a version-1.0 CTL is judged as a CTL, and the clash exits 2" {
	MKCERT_BITS=1024 mkcert . sast 400 "/O=Example/CN=cucm-pub"
	MKCERT_BITS=1024 mkcert . other 400 "/O=Example/CN=cucm-sub1"
	itl-build --ctl -k sast.key --sast sast.pem --ccm-tftp other.pem --now @$TS -o old.tlv
	# signed by a CCM+TFTP record, not a SAST one: the .sgn rule would accept it, the CTL rule not
	itl-build --ctl -k other.key --sast other.pem --ccm-tftp other.pem --now @$TS -o v10.tlv
	local h
	h=$(hex <v10.tlv)
	[ "${h:0:10}" = 0100020102 ]
	unhex "0100020100${h:10}" >v10.tlv
	resign v10.tlv other.key
	[ "$(ctl-dump -j v10.tlv 2>/dev/null | jq -r '.type, .header.version')" = $'CTL\n1.0' ]
	xrun -2 --separate-stderr ctl-dump -b --trust old.tlv v10.tlv
	[ "${lines[-1]}" = "REJECTED v10.tlv: the new file's signer is not a SAST record of the old file" ]
	[ "$stderr" = "ctl-dump: v10.tlv: its FILENAME names a trust list but its version (1.0 or 2.0) is a signed file's: judged as the trust list its FILENAME names" ]
	# renamed on disk: the same (the name on disk never counts)
	cp v10.tlv SEP1.cnf.xml.sgn
	xrun -2 --separate-stderr ctl-dump -b --trust old.tlv SEP1.cnf.xml.sgn
	[ "${lines[-1]}" = "REJECTED SEP1.cnf.xml.sgn: the new file's signer is not a SAST record of the old file" ]
}

# forced CLUSTER GROUPS...: cucm-pub's CallManager and TVS replaced behind the served ITL at
# 11.5, with each node line given its groups= word (- for none); prints ctl-dump's verdict line.
forced_verdict() {
	local g i=0
	sed -i '/^#/d; s/ *#.*//' c/nodes	# node i on line i, nothing after its words
	for g in "$@"; do
		i=$((i + 1))
		sed -i "${i}s/ groups=[^ ]*//" c/nodes
		[ "$g" = - ] || sed -i "${i}s/\$/ groups=$g/" c/nodes
	done
	ctl-dump --cluster c --cucm-version 11.5 -b --trust pub-old.tlv pub-new.tlv | tail -n 1
}

# bats test_tags=full
@test "cluster: CallManager groups decide the TVS path: a group whose only TVS was regenerated is stranded" {
	mkcluster 3
	itl-build --cluster c --all --cucm-version 11.5 --now @$TS
	cp c/cucm-pub/tftp/ITLFile.tlv pub-old.tlv
	clusterkit_unit c/cucm-pub CallManager cucm-pub
	clusterkit_unit c/cucm-pub TVS cucm-pub
	itl-build --cluster c --node cucm-pub --cucm-version 11.5 --now @$TS -o pub-new.tlv
	# no groups: every node a group of its own, and cucm-pub's phones reach only its new TVS
	xrun -0 forced_verdict - - -
	[[ $output == "REJECTED pub-new.tlv: "*"; TVS cucm-pub was regenerated since; stranded groups: cucm-pub" ]]
	xrun -0 forced_verdict G1 G2 G2
	[[ $output == "REJECTED pub-new.tlv: "*"; stranded groups: G1" ]]
	xrun -0 forced_verdict G1 G1 G2
	[ "$output" = "ACCEPTED pub-new.tlv: through TVS via cucm-sub1: signer CN=cucm-pub;O=Example is not a SAST record of the old file; TVS cucm-sub1, whose certificate the old file holds, trusts it" ]
	# a node in two groups (cucm-sub2 in none): G2 is cucm-pub alone
	xrun -0 forced_verdict G1,G2 G1 -
	[[ $output == "REJECTED pub-new.tlv: "*"; stranded groups: G2" ]]
	xrun -0 forced_verdict G1,G3 - G2
	[[ $output == "REJECTED pub-new.tlv: "*"; stranded groups: G1, G3" ]] || { echo "$output"; false; }
	# --json: stranded_groups beside path and via; itl-build -t --cluster gives the same verdict
	xrun -1 bash -o pipefail -c "ctl-dump --cluster c --cucm-version 11.5 -j --trust pub-old.tlv pub-new.tlv | jq -c '.trust | [.accepted, .path, .via, .stranded_groups]'"
	[ "$output" = '[false,null,null,["G1","G3"]]' ]
	xrun -1 --separate-stderr itl-build --cluster c --node cucm-pub --cucm-version 11.5 --now @$TS -t pub-old.tlv -n
	[[ $stderr == "itl-build: pub-old.tlv: a phone holding it would reject the new file: "*"; stranded groups: G1, G3; nothing written" ]]
	xrun -0 forced_verdict G1 G1 G2
	xrun -0 --separate-stderr itl-build --cluster c --node cucm-pub --cucm-version 11.5 --now @$TS -t pub-old.tlv -n -j
	[ "$(jq -c '.trust | [.accepted, .path, .via, .stranded_groups]' <<<"$output")" = '[true,"tvs","cucm-sub1",[]]' ]
	# and the plan: no safe plan while cucm-pub's own group is stranded
	xrun -0 forced_verdict - - -
	cp pub-old.tlv c/cucm-pub/tftp/ITLFile.tlv
	xrun -1 cert-regen --cluster c --cucm-version 11.5 --plan --json tomcat
	[ "$(jq -c '[.safe, .stranded_groups]' <<<"$output")" = '[false,["cucm-pub"]]' ]
	# bad groups= words: exit 2 naming the line
	sed -i '2s/$/ groups=/' c/nodes
	xrun -2 --separate-stderr cert-regen --cluster c --plan
	[[ $stderr == "cert-regen: c/nodes:2: repeated or empty groups="* ]]
	sed -i '2s/ groups=$/ groups=..\/x/' c/nodes
	xrun -2 --separate-stderr cert-regen --cluster c --plan
	[[ $stderr == "cert-regen: c/nodes:2: bad group name"* ]]
}

# bats test_tags=full
@test "cluster: itl-build -t --cluster and ctl-dump --cluster -t agree on every file of the history" {
	run_cluster 3 11.5 CallManager TVS
	local d n h a b k=0
	for d in c/*/tftp; do
		n=${d#c/} n=${n%/tftp}
		for h in "$d"/history/*-ITLFile.tlv; do
			[ -f "$h" ] || continue
			a=$(ctl-dump --cluster c --cucm-version 11.5 -j -t "$h" "$d/ITLFile.tlv" |
				jq -c '.trust | [.accepted, .path, .via, .stranded_groups]')
			b=$(itl-build --cluster c --node "$n" --cucm-version 11.5 --now @$TS -t "$h" -n -j -f 2>/dev/null |
				jq -c '.trust | [.accepted, .path, .via, .stranded_groups]')
			[ "$a" = "$b" ] || { echo "$h: ctl-dump $a, itl-build $b"; false; }
			k=$((k + 1))
		done
	done
	[ $k -ge 6 ]
}

# days_of PEM: the certificate's validity in whole days
days_of() {
	local nb na
	nb=$(date -d "$(openssl x509 -in "$1" -noout -startdate | cut -d= -f2)" +%s)
	na=$(date -d "$(openssl x509 -in "$1" -noout -enddate | cut -d= -f2)" +%s)
	echo $(((na - nb + 43200) / 86400))
}

# bats test_tags=full
@test "cluster: releases: ITLRecovery 20 years from 12.0 to 14, 5 before and at 15 (--years up to 20); the release inferred from the served signer" {
	mkcluster 2
	itl-build --cluster c --all --cucm-version 12.5 --now @$TS
	xrun -0 --separate-stderr cert-regen --cluster c --cucm-version 12.5SU4 -y --now $NOW cucm-pub:ITLRecovery
	[ "$(days_of c/cucm-pub/ITLRecovery/ITLRecovery.pem)" = 7300 ]
	# one store: each release's own length, and what the line says
	local v want
	for v in 10.5:1825 11.5:1825 12.0:7300 12.5.1.11900-146:7300 14SU3:7300 15:1825; do
		want=${v#*:} v=${v%:*}
		xrun -0 --separate-stderr cert-regen -s c/cucm-pub --cucm-version "$v" -n -j --now $NOW ITLRecovery
		[ "$(jq -r '.units[0].days' <<<"$output")" = "$want" ] || { echo "$v: $output"; false; }
	done
	xrun -0 --separate-stderr cert-regen -s c/cucm-pub --cucm-version 15 -n --now $NOW ITLRecovery
	[[ $output == *"validity: ITLRecovery: 1825 days (CUCM 15's default; --years 10, 15 or 20 for longer)"* ]]
	xrun -0 --separate-stderr cert-regen -s c/cucm-pub --cucm-version 15 -n -j --years 20 --now $NOW ITLRecovery
	[ "$(jq -r '.units[0].days' <<<"$output")" = 7300 ]
	xrun -0 --separate-stderr cert-regen -s c/cucm-pub --cucm-version 11.5 -n -j --days 30 --now $NOW ITLRecovery
	[ "$(jq -r '.units[0].days' <<<"$output")" = 30 ]
	# the served ITLs are signed by ITLRecovery: a plan without --cucm-version says 12.0 or later
	xrun -0 --separate-stderr cert-regen --cluster c --plan cucm-sub1:tomcat
	[ "${lines[0]}" = "cucm-version: 14" ]
	[[ ${lines[1]} == "note: no --cucm-version: the served ITLs are signed by ITLRecovery, so 12.0 or later: planned with 14's rules"* ]]
	# ctl-dump and itl-build take the same releases, refuse the same others
	xrun -2 --separate-stderr ctl-dump --cucm-version 9.1 --cluster c -t c/cucm-pub/tftp/ITLFile.tlv c/cucm-pub/tftp/ITLFile.tlv
	[[ $stderr == 'ctl-dump: --cucm-version: not a CUCM release from 10.0 to 15 '*'"9.1"'* ]]
	xrun -2 --separate-stderr itl-build --cucm-version 99 --cluster c --node cucm-pub
	[[ $stderr == 'itl-build: --cucm-version: not a CUCM release from 10.0 to 15 '*'"99"'* ]]
}

# CTL_RULE: the CTL rule of CUCM.md ("The CTL") written out here, independently of lib/cucm, as one
# jq program over a CTL history's ctl-dump --json documents in order (certs' lines in $certs):
# for each pair OLD NEW, "direct" when NEW's signer is a SAST record of OLD; else "tvs" when every
# node's TVS (each node a group of its own) trusts NEW's signing certificate; else "rejected".
CTL_RULE='($certs | split("\n")) as $lines
| ([$lines[] | select(endswith(" TVSNOW")) | split(" ")[0]]) as $nodes
| def trusted($sha): all($nodes[]; . as $n | any($lines[]; . == "\($n) \($sha) TRUSTS"));
  . as $docs
| range(1; length) as $i | $docs[$i - 1] as $o | $docs[$i] as $n
| if $n.signature.verified != true then "rejected"
  elif ($n.header.signer as $g | any($o.records[]; .role == "SAST" and
      .serial == $g.serial and .issuer == $g.issuer)) then "direct"
  elif ($n.header.signer.serial as $s | [$n.records[] | select(.role == "SAST" and
      .serial == $s)][0].certificate.sha256) as $sig | trusted($sig) then "tvs"
  else "rejected" end'

# check_ctls CLUSTER VERSION: every consecutive pair of cucm-pub's CTL history and served CTL,
# by ctl-dump --cluster --trust and by CTL_RULE (which must agree); one "FILE: VERDICT" line each.
check_ctls() {
	local c=$1 i out a
	local -a files v
	certs "$c" >certs.txt || return 1
	files=("$c"/cucm-pub/tftp/history/*-CTLFile.tlv "$c/cucm-pub/tftp/CTLFile.tlv")
	out=$(ctl-dump -j "${files[@]}" | jq -rs --rawfile certs certs.txt "$CTL_RULE") || return 1
	mapfile -t v <<<"$out"
	[ "${#v[@]}" -eq $((${#files[@]} - 1)) ] || { echo "${#v[@]} verdicts"; return 1; }
	for ((i = 1; i < ${#files[@]}; i++)); do
		a=$(ctl-dump --cluster "$c" --cucm-version "$2" -j -t "${files[i - 1]}" "${files[i]}" |
			jq -r '.trust | if .accepted then .path else "rejected" end')
		[ "$a" = "${v[i - 1]}" ] || { echo "${files[i]}: ctl-dump $a, the rule ${v[i - 1]}"; return 1; }
		echo "${files[i]#"$c"/}: $a"
	done
}

# bats test_tags=full
@test "cluster: mixed mode at 14: the CTL per step as utils ctl update CTLFile signs it, its verdict, history, the SBD warning" {
	mkcluster 3
	itl-build --cluster c --all --mixed --now @$TS
	cp c/cucm-pub/tftp/CTLFile.tlv ctl-0.tlv
	# the seed's outage: ITLRecovery alone. The CTL stays signed by the publisher's CallManager,
	# a SAST record of the CTL devices hold: accepted directly, with or without --cluster
	xrun -0 --separate-stderr cert-regen --cluster c --plan cucm-pub:ITLRecovery
	[[ $output == *$'\n  ctl: changes, signed by CallManager of cucm-pub; accepted directly (its signer is a SAST record of the CTL devices hold)\n  run on cucm-pub: utils ctl update CTLFile\n'* ]]
	xrun -0 bash -c "cert-regen --cluster c --plan --json cucm-pub:ITLRecovery | jq -c '.steps[0].ctl'"
	[ "$output" = '{"changed":true,"signer":"CallManager","accepted":true,"path":"direct","via":null,"devices_without_tvs_reject":false,"command":"utils ctl update CTLFile"}' ]
	# the publisher's CallManager: only through TVS, and the plan and the run say who is left out
	xrun -0 --separate-stderr cert-regen --cluster c --plan cucm-pub:CallManager
	[[ $output == *"  ctl: changes, signed by CallManager of cucm-pub; accepted through TVS via cucm-pub by phones with Security by Default only; devices without TVS (CTI/JTAPI/TSP clients, some Jabber and older 79x0 models, TelePresence) reject it: remove their CTL, or serve the recovery CTL (utils ctl reset localkey)"* ]]
	# both in one run: ITLRecovery alone first, then CallManager
	xrun -0 --separate-stderr cert-regen --cluster c -y --now $NOW cucm-pub:ITLRecovery cucm-pub:CallManager
	[[ $output == *$'step 1: cucm-pub: ITLRecovery\n'*"  ctl: replaced (utils ctl update CTLFile on cucm-pub), accepted directly; previous kept as tftp/history/000-CTLFile.tlv"$'\n'*"step 2: cucm-pub: CallManager"* ]]
	[[ $output == *"  ctl: replaced (utils ctl update CTLFile on cucm-pub), accepted through TVS via cucm-pub; previous kept as tftp/history/001-CTLFile.tlv"$'\n'"  warning: only phones with Security by Default take this CTL (through TVS); devices without TVS"* ]]
	cmp ctl-0.tlv c/cucm-sub1/tftp/history/000-CTLFile.tlv
	cmp c/cucm-pub/tftp/CTLFile.tlv c/cucm-sub1/tftp/CTLFile.tlv
	cmp c/cucm-pub/tftp/history/001-CTLFile.tlv c/cucm-sub1/tftp/history/001-CTLFile.tlv
	[ "$(ctl-dump -j c/cucm-pub/tftp/history/001-CTLFile.tlv | jq -r .header.signer.name)" = "CN=cucm-pub;O=Example" ]
	xrun -0 ctl-dump -b --trust ctl-0.tlv c/cucm-pub/tftp/history/001-CTLFile.tlv
	[ "${lines[-1]}" = "ACCEPTED c/cucm-pub/tftp/history/001-CTLFile.tlv: signed by a SAST certificate of the old file (record #1 of ctl-0.tlv)" ]
	xrun -0 ctl-dump -b --cluster c --trust ctl-0.tlv c/cucm-pub/tftp/history/001-CTLFile.tlv
	[[ ${lines[-1]} == "ACCEPTED c/cucm-pub/tftp/history/001-CTLFile.tlv: directly: "* ]]
	run -0 check_ctls "$PWD/c" 14
	[ "${lines[0]}" = "cucm-pub/tftp/history/001-CTLFile.tlv: direct" ] || { echo "$output"; false; }
	[ "${lines[1]}" = "cucm-pub/tftp/CTLFile.tlv: tvs" ]
	run -0 check_history "$PWD/c" 14
	# without --cluster the TVS path is not there: devices without TVS reject it, and so does the check
	xrun -1 ctl-dump -b -t c/cucm-pub/tftp/history/001-CTLFile.tlv c/cucm-pub/tftp/CTLFile.tlv
	[[ ${lines[-1]} == "REJECTED "*"not a SAST record of the old file" ]]
	xrun -0 ctl-dump -b --cluster c -t c/cucm-pub/tftp/history/001-CTLFile.tlv c/cucm-pub/tftp/CTLFile.tlv
	[[ ${lines[-1]} == *"; only phones with Security by Default take it: devices without TVS"*"(utils ctl reset localkey)" ]]
}

# bats test_tags=full
@test "cluster: mixed mode at 11.5, 3 nodes, every unit: every ITL and CTL handover accepted, CTL history kept" {
	mkcluster 3
	itl-build --cluster c --all --mixed --cucm-version 11.5 --now @$TS
	xrun -0 --separate-stderr cert-regen --cluster c --cucm-version 11.5 -y --now $NOW
	[ -z "$stderr" ] || { echo "$stderr"; false; }
	[[ $output == *"  ctl: replaced (utils ctl update CTLFile on cucm-pub), accepted directly"* ]]
	run -0 check_history "$PWD/c" 11.5
	run -0 check_ctls "$PWD/c" 11.5
	[[ $output == *": direct"* && $output == *": tvs"* ]]
	[ "$(ls c/cucm-pub/tftp/history/*-CTLFile.tlv | wc -l)" = "$(ls c/cucm-sub1/tftp/history/*-CTLFile.tlv | wc -l)" ]
}

@test "cluster: mixed mode: a step that would change both SAST certificates of the CTL is refused, naming the change" {
	mkcluster 2
	itl-build --cluster c --all --mixed --now @$TS
	# the publisher's CallManager and ITLRecovery replaced behind the served CTL
	clusterkit_unit c/cucm-pub CallManager cucm-pub
	clusterkit_unit c/cucm-pub ITLRecovery ITLRECOVERY_cucm-pub
	xrun -1 --separate-stderr cert-regen --cluster c --cucm-version 14 --plan cucm-sub1:tomcat
	[[ $output == *$'\nno safe plan: cucm-sub1:tomcat: changes both SAST certificates of the CTL (the publisher\'s CallManager and ITLRecovery) in one step: no device holding the CTL can check the next one\n'* ]] || { echo "$output"; false; }
	local before
	before=$(filesums c)
	xrun -1 --separate-stderr cert-regen --cluster c --cucm-version 14 -y --now $NOW cucm-sub1:tomcat
	[ "$(filesums c)" = "$before" ]
}

# bats test_tags=full
@test "cluster: cert-regen(1)'s three-node mixed-mode example with groups runs as written" {
	local block
	block=$(sed -n '/^\$ cat mixed\/nodes$/,/^\.Ed$/p' "$TOP/man/cert-regen.1" | sed '$d')
	mkdir mixed
	cp -a "$BATS_FILE_TMPDIR"/tpl/* mixed/
	sed -n '2,/^\$ /p' <<<"$block" | sed '$d' >mixed/nodes
	[ "$(wc -l <mixed/nodes)" -eq 4 ]
	xrun -0 --separate-stderr bash -e -o pipefail -c "$(sed -n 's/^\$ //p' <<<"$block")"
	[ -z "$stderr" ]
	diff -u <(grep -v '^\$ ' <<<"$block") - <<<"$output"
}

# bats test_tags=full
@test "cluster: an ITL past 39 certificates (36 nodes) is a warning naming the node, in itl-build and the plan; 35 nodes are not" {
	mkcluster 1
	local n
	for ((n = 1; n <= 34; n++)); do	# 35 nodes: ITLRecovery, CallManager twice, CAPF, 35 TVS
		cp -a "$BATS_FILE_TMPDIR/tpl/cucm-sub2" "c/node$n"
		printf 'node%s 10.0.1.%s\n' $n $n >>c/nodes
	done
	xrun -0 --separate-stderr itl-build --cluster c --node cucm-pub --now @$TS -o 39.tlv
	[ -z "$stderr" ]
	[ "$(ctl-dump -j 39.tlv | jq '.records | length')" = 39 ]
	cp -a "$BATS_FILE_TMPDIR/tpl/cucm-sub2" c/node35
	printf 'node35 10.0.1.35\n' >>c/nodes
	xrun -0 --separate-stderr itl-build --cluster c --node cucm-pub --now @$TS -o 40.tlv
	[[ $stderr == "itl-build: warning: cucm-pub: the ITL holds 40 certificates in "*" bytes: phones refuse an ITL of more than 39 certificates or 64 KB (15 security guide)" ]]
	xrun -0 --separate-stderr itl-build --cluster c --all --now @$TS
	[[ $stderr == "itl-build: warning: cucm-pub: the ITL holds 40 certificates in "* ]]
	xrun -0 --separate-stderr cert-regen --cluster c --plan tomcat
	[[ $stderr == "cert-regen: warning: cucm-pub: the ITL holds 40 certificates in "* ]]
}

# same_as_stores CLUSTER: every TFTP node serves the ITL (and, mixed, the CTL) its stores yield now:
# after a failed step the stores are put back, so the served files must be the previous ones too.
same_as_stores() {
	local n a b
	for n in cucm-pub cucm-sub1; do
		a=$(ctl-dump -j "$1/$n/tftp/ITLFile.tlv" | jq -c '[.records[].certificate.sha256]')
		b=$(itl-build --cluster "$1" --node $n -n -j 2>/dev/null | jq -c '[.records[].certificate.sha256]')
		[ "$a" = "$b" ] || { echo "$n serves an ITL its stores do not yield"; return 1; }
		a=$(ctl-dump -j "$1/$n/tftp/CTLFile.tlv" | jq -c '[.records[].certificate.sha256]')
		b=$(itl-build --cluster "$1" --node cucm-pub --ctl -n -j 2>/dev/null | jq -c '[.records[].certificate.sha256]')
		[ "$a" = "$b" ] || { echo "$n serves a CTL its stores do not yield"; return 1; }
	done
}

# bats test_tags=full
@test "cluster: a failure at any point of a step, publishing included, leaves every node serving its previous files" {
	local k
	mkcluster 2
	itl-build --cluster c --all --mixed --now @$TS
	mv c tpl
	for ((k = 1; k < 200; k++)); do
		rm -rf c
		cp -a tpl c
		CTK_FAIL_AFTER=$k run cert-regen --cluster c -y -q --now $NOW cucm-pub:ITLRecovery
		[ "$status" -ne 0 ] || break
		[ "$status" -eq 2 ] || { echo "fail at $k: exit $status"; false; }
		run -0 same_as_stores c
		[ -z "$(find c -name '*.tmp.*')" ]
	done
	[ "$status" -eq 0 ] && [ $k -gt 5 ]
	# the run's end: the new ITLs and CTL everywhere
	run -0 same_as_stores c
	cmp c/cucm-pub/tftp/CTLFile.tlv c/cucm-sub1/tftp/CTLFile.tlv
}

@test "cluster: a symbolic link anywhere under a node's tftp/ is refused by the run and by itl-build --all" {
	mkcluster 2
	itl-build --cluster c --all --now @$TS
	mkdir outside
	ln -s "$PWD/outside" c/cucm-sub1/tftp/history
	xrun -2 --separate-stderr cert-regen --cluster c -y --now $NOW cucm-pub:tomcat
	[ "$stderr" = "cert-regen: c/cucm-sub1/tftp/history: a symbolic link: refused (served files and their history stay inside the cluster)" ]
	xrun -2 --separate-stderr itl-build --cluster c --all -f --now @$TS
	[ "$stderr" = "itl-build: c/cucm-sub1/tftp/history: a symbolic link: refused (served files and their history stay inside the cluster)" ]
	rm c/cucm-sub1/tftp/history
	mv c/cucm-pub/tftp pub-tftp
	ln -s "$PWD/pub-tftp" c/cucm-pub/tftp
	xrun -2 --separate-stderr cert-regen --cluster c -y --now $NOW cucm-pub:tomcat
	[ "$stderr" = "cert-regen: c/cucm-pub/tftp: a symbolic link: refused (served files and their history stay inside the cluster)" ]
	[ -z "$(ls outside)" ] && [ ! -e pub-tftp/history ]
}

# bats test_tags=full
@test "cluster: the run re-signs the signed files a retired TFTP certificate signed (name form, digest, FILENAME kept); unknown signers left, exit 1" {
	local n
	mkcluster 3
	itl-build --cluster c --all --now @$TS
	for n in cucm-pub cucm-sub1; do
		printf '<device><n>%s</n></device>\n' $n >SEP$n.cnf.xml
		itl-build --sign-file --cluster c --node $n --now @$TS SEP$n.cnf.xml
	done
	printf 'ring\n' >ring.xml
	itl-build --sign-file --cluster c --node cucm-pub --layout certutils --digest sha256 --now @$TS ring.xml
	ctl-dump -j c/cucm-pub/tftp/ring.xml.sgn | jq -c '[.header.filename, .header.digest, (.header.signer.name | test(","))]' >ring.before
	# the plan says which steps re-sign
	xrun -0 --separate-stderr cert-regen --cluster c --plan
	[[ $output == *$'step 9: cucm-pub: CallManager\n'*"  sgn cucm-pub: its signed files (.sgn) the old CallManager signed are re-signed with the new one"* ]]
	[ "$(cert-regen --cluster c --plan --json | jq -c '[.steps[] | .resign_sgn[]]')" = '["cucm-pub","cucm-sub1"]' ]
	xrun -0 --separate-stderr cert-regen --cluster c -y --now $NOW
	[[ $output == *"  sgn cucm-pub: 2 re-signed, 0 already accepted, 0 left rejected"* ]]
	[[ $output == *"  sgn cucm-sub1: 1 re-signed, 0 already accepted, 0 left rejected"* ]]
	[[ $output == *"  sgn cucm-pub: 0 re-signed, 2 already accepted, 0 left rejected"* ]]
	# every served .sgn accepted by a phone holding its node's new ITL; the file as it was written
	for n in cucm-pub cucm-sub1; do
		xrun -0 ctl-dump --brief --trust c/$n/tftp/ITLFile.tlv c/$n/tftp/*.sgn
	done
	[ "$(ctl-dump -j c/cucm-pub/tftp/ring.xml.sgn | jq -c '[.header.filename, .header.digest, (.header.signer.name | test(","))]')" = "$(cat ring.before)" ]
	[ "$(ctl-dump -j c/cucm-pub/tftp/ring.xml.sgn | jq -r .header.timestamp)" = 1798761600 ]
	ctl-dump --payload c/cucm-pub/tftp/ring.xml.sgn | cmp - ring.xml
	# a file no certificate of the cluster signed: left as it is, named, exit 1 at the end
	rm -rf c
	mkcluster 2
	itl-build --cluster c --all --now @$TS
	MKCERT_BITS=1024 mkcert . stranger 30 /CN=stranger
	itl-build --sign-file -k stranger.key --signer stranger.pem --now @$TS -o c/cucm-sub1/tftp/x.cnf.xml.sgn ring.xml
	cp c/cucm-sub1/tftp/x.cnf.xml.sgn x.before
	xrun -1 --separate-stderr cert-regen --cluster c -y --now $NOW cucm-sub1:CallManager
	[[ $output == *"  sgn cucm-sub1: 0 re-signed, 0 already accepted, 1 left rejected"* ]]
	[[ $stderr == *"c/cucm-sub1/tftp/x.cnf.xml.sgn: a phone holding cucm-sub1's new ITL rejects it and no certificate of the cluster signed it: left as it is"* ]]
	[[ $stderr == *"c: 1 signed file left that phones reject (signer unknown to the cluster)" ]]
	cmp x.before c/cucm-sub1/tftp/x.cnf.xml.sgn
}
