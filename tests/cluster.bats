#!/usr/bin/env bats
# Clusters: CLUSTER/nodes, itl-build --cluster, ctl-dump --cluster --trust, cert-regen --cluster.
load helpers

NOW=2027-01-01T00:00:00Z
TS=1798761600	# the same instant, for itl-build --now @TS

# unit DIR UNIT CN: a self-signed leaf DIR/UNIT/UNIT.pem with its key (0600). RSA-1024, from
# mkkey's pool: the plans, ITLs and handovers do not depend on the size, and cert-regen
# regenerates each key at its old size, so every -y run below makes its keys 5-10x cheaper.
unit() {
	mkdir -p "$1/$2"
	MKCERT_BITS=1024 mkcert "$1/$2" "$2" 400 "/O=Example/CN=$3" -addext basicConstraints=CA:FALSE
}

# Three node stores built once: cucm-pub (with CAPF and ITLRecovery), cucm-sub1, cucm-sub2.
setup_file() {
	local t="$BATS_FILE_TMPDIR/tpl" n
	for n in cucm-pub cucm-sub1 cucm-sub2; do
		unit "$t/$n" CallManager "$n"
		unit "$t/$n" tomcat "$n.example.com"
		unit "$t/$n" ipsec "$n"
		unit "$t/$n" TVS "$n"
		mkdir -p "$t/$n/CallManager-trust"
	done
	unit "$t/cucm-pub" CAPF CAPF-1a2b3c4d
	unit "$t/cucm-pub" ITLRecovery ITLRECOVERY_cucm-pub
	for n in cucm-pub cucm-sub1 cucm-sub2; do	# CallManager-trust is replicated
		for m in cucm-pub cucm-sub1 cucm-sub2; do
			cp "$t/$m/CallManager/CallManager.pem" "$t/$n/CallManager-trust/$m.pem"
		done
		cp "$t/cucm-pub/CAPF/CAPF.pem" "$t/$n/CallManager-trust/CAPF-1a2b3c4d.pem"
	done
}

# mkcluster N: nodes 1..N of the template into ./c (1: a single publisher with TFTP; 2, 3: the
# publisher and cucm-sub1 run TFTP, cucm-sub2 does not).
mkcluster() {
	local n
	mkdir -p c
	printf '# node       address    roles\n' >c/nodes
	cp -a "$BATS_FILE_TMPDIR/tpl/cucm-pub" c/
	printf 'cucm-pub    10.0.0.1   publisher tftp\n' >>c/nodes
	if [ "$1" -ge 2 ]; then
		cp -a "$BATS_FILE_TMPDIR/tpl/cucm-sub1" c/
		printf 'cucm-sub1   10.0.0.2   tftp    # second TFTP\n' >>c/nodes
	fi
	if [ "$1" -ge 3 ]; then
		cp -a "$BATS_FILE_TMPDIR/tpl/cucm-sub2" c/
		printf 'cucm-sub2   10.0.0.3\n' >>c/nodes
	fi
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
	run -0 --separate-stderr itl-build --cluster c --node cucm-sub1 --now @$TS -o sub1.tlv
	run -0 bash -c "ctl-dump -j sub1.tlv | jq -r '.records[] | [.role, .dns, .ip, .subject] | @tsv'"
	[ "$output" = "$(printf '%s\n' \
		$'SAST\tcucm-pub\t10.0.0.1\tCN=ITLRECOVERY_cucm-pub;O=Example' \
		$'SAST\tcucm-sub1\t10.0.0.2\tCN=cucm-sub1;O=Example' \
		$'TFTP\tcucm-sub1\t10.0.0.2\tCN=cucm-sub1;O=Example' \
		$'CAPF\tcucm-pub\t10.0.0.1\tCN=CAPF-1a2b3c4d;O=Example' \
		$'TVS\tcucm-pub\t10.0.0.1\tCN=cucm-pub;O=Example' \
		$'TVS\tcucm-sub1\t10.0.0.2\tCN=cucm-sub1;O=Example' \
		$'TVS\tcucm-sub2\t10.0.0.3\tCN=cucm-sub2;O=Example')" ]
	run -0 bash -c "ctl-dump -j sub1.tlv | jq -r '.header.signer.name, .signature.verified'"
	[ "$output" = $'CN=ITLRECOVERY_cucm-pub;O=Example\ntrue' ]
	itl-build --cluster c --node cucm-sub1 --cucm-version 11.5 --now @$TS -o old.tlv
	run -0 bash -c "ctl-dump -j old.tlv | jq -r '.header.signer.name, .signature.verified'"
	[ "$output" = $'CN=cucm-sub1;O=Example\ntrue' ]
	run -2 --separate-stderr itl-build --cluster c --node cucm-sub2
	[ "$stderr" = "itl-build: cucm-sub2: not a TFTP node (no tftp in c/nodes): it serves no ITL" ]
	run -2 --separate-stderr itl-build --cluster c --node nosuch
	[[ $stderr == *"no node nosuch in c/nodes"* ]]
	run -2 --separate-stderr itl-build --cluster c --node cucm-pub -s c/cucm-pub
	[[ $stderr == *"usage: itl-build"* ]]
}

@test "cluster: itl-build --cluster --all serves every TFTP node, atomically; CTL in mixed mode" {
	mkcluster 3
	run -0 --separate-stderr itl-build --cluster c --all --now @$TS
	[ -z "$output$stderr" ]
	[ -f c/cucm-pub/tftp/ITLFile.tlv ] && [ -f c/cucm-sub1/tftp/ITLFile.tlv ]
	[ ! -e c/cucm-sub2/tftp ] && [ ! -e c/cucm-pub/tftp/CTLFile.tlv ]
	itl-build --cluster c --node cucm-pub --now @$TS | cmp - c/cucm-pub/tftp/ITLFile.tlv
	run -2 --separate-stderr itl-build --cluster c --all --now @$TS
	[[ $stderr == *"c/cucm-pub/tftp/ITLFile.tlv: exists (use --force to replace it)" ]]
	run -0 itl-build --cluster c --all --mixed -f --now @$TS
	run -0 bash -c "ctl-dump -j c/cucm-sub1/tftp/CTLFile.tlv | jq -r '.type, (.records[] | .role + \" \" + .dns)'"
	[ "$output" = $'CTL\nSAST cucm-pub\nSAST cucm-pub\nCCM+TFTP cucm-pub\nCCM+TFTP cucm-sub1\nCCM+TFTP cucm-sub2\nCAPF cucm-pub' ]
	run -0 bash -c "ctl-dump -j c/cucm-sub1/tftp/ITLFile.tlv | jq -r '.records[2].role'"
	[ "$output" = CCM+TFTP ]
	ls c/cucm-pub/tftp | grep -v -x -e ITLFile.tlv -e CTLFile.tlv && false || true
}

@test "cluster: the plan keeps the seed's order (3 nodes, 14): services, ITLRecovery alone, CAPF/TVS, CallManager last" {
	mkcluster 3
	itl-build --cluster c --all --now @$TS
	run -0 --separate-stderr cert-regen --cluster c --plan --json
	[ -z "$stderr" ]
	run -0 jq -r '.cucm_version, .safe, (.steps[] | "\(.step) \(.node) \(.units | join(",")) \(.reset_phones)")' <<<"$output"
	[ "$output" = "$(printf '%s\n' 14 true \
		'1 cucm-pub ipsec,tomcat false' '2 cucm-sub1 ipsec,tomcat false' \
		'3 cucm-sub2 ipsec,tomcat false' '4 cucm-pub ITLRecovery true' \
		'5 cucm-pub CAPF,TVS true' '6 cucm-sub1 TVS true' '7 cucm-sub2 TVS true' \
		'8 cucm-sub2 CallManager false' '9 cucm-pub CallManager true' \
		'10 cucm-sub1 CallManager true')" ]
	run -0 bash -c "cert-regen --cluster c --plan --json | jq -c '.steps[3].itl, .steps[8].itl, .steps[3].restart'"
	[ "${lines[0]}" = '{"cucm-pub":{"changed":true,"accepted":true,"path":"tvs","via":"cucm-pub"},"cucm-sub1":{"changed":true,"accepted":true,"path":"tvs","via":"cucm-sub1"}}' ]
	[ "${lines[1]}" = '{"cucm-pub":{"changed":true,"accepted":true,"path":"direct","via":null},"cucm-sub1":{"changed":false,"accepted":null,"path":null,"via":null}}' ]
	[ "${lines[2]}" = '[{"service":"Cisco TFTP","where":"publisher"},{"service":"Cisco Trust Verification Service","where":"publisher"}]' ]
	run -0 cert-regen --cluster c --plan cucm-sub1:TVS ITLRecovery
	[ "$output" = "$(printf '%s\n' 'cucm-version: 14' 'step 1: cucm-pub: ITLRecovery' \
		'  restart: Cisco TFTP (publisher)' '  restart: Cisco Trust Verification Service (publisher)' \
		'  itl cucm-pub: changes; accepted through TVS via cucm-pub' \
		'  itl cucm-sub1: changes; accepted through TVS via cucm-sub1' \
		'  reset phones: yes, and let them fetch the new ITL before the next step' \
		'step 2: cucm-sub1: TVS' '  restart: Cisco Trust Verification Service (every node)' \
		'  itl cucm-pub: changes; accepted directly (signer unchanged)' \
		'  itl cucm-sub1: changes; accepted directly (signer unchanged)' \
		'  reset phones: yes, and let them fetch the new ITL before the next step' 'safe: 2 steps')" ]
	run -2 --separate-stderr cert-regen --cluster c --plan cucm-sub2:CAPF
	[ "$stderr" = "cert-regen: cucm-sub2:CAPF: no node has CAPF/CAPF.pem" ]
	run -2 --separate-stderr cert-regen --cluster c --plan nosuch:TVS
	[[ $stderr == *"no node nosuch"* ]]
}

@test "cluster: at 11.5 one node's CallManager and TVS take two steps, never one" {
	mkcluster 1
	run -0 --separate-stderr cert-regen --cluster c --cucm-version 11.5 --plan --json CallManager TVS
	[[ $stderr == "" ]]
	run -0 jq -c '[.steps[] | [.node, .units, .itl["cucm-pub"].path]]' <<<"$output"
	[ "$output" = '[["cucm-pub",["TVS"],"direct"],["cucm-pub",["CallManager"],"tvs"]]' ]
	run -0 bash -c "cert-regen --cluster c --cucm-version 11.5 --plan | grep '^note:'"
	[ "$output" = "note: cucm-pub serves no tftp/ITLFile.tlv: planned from the ITL its store yields" ]
	# at 14 ITLRecovery signs: the same two units, still CAPF/TVS before CallManager
	run -0 bash -c "cert-regen --cluster c --plan --json CallManager TVS | jq -c '[.steps[] | .units[]]'"
	[ "$output" = '["TVS","CallManager"]' ]
}

@test "cluster: no safe plan (11.5, CallManager and TVS replaced behind the served ITL) exits 1 with the ways around" {
	mkcluster 1
	itl-build --cluster c --all --cucm-version 11.5 --now @$TS
	unit c/cucm-pub CallManager cucm-pub
	unit c/cucm-pub TVS cucm-pub
	run -1 --separate-stderr cert-regen --cluster c --cucm-version 11.5 --plan
	[ -z "$stderr" ]
	[[ ${lines[1]} == "no safe plan: cucm-pub:ipsec: a phone holding cucm-pub's ITL would reject the new one: "* ]]
	[[ ${lines[1]} == *"TVS cucm-pub was regenerated since" ]]
	[[ $output == *$'\nway around: the enterprise parameter "Prepare Cluster for Rollback to pre 8.0"'* ]]
	[[ $output == *$'\nway around: the ITLRecovery path (from 10.0)'* ]]
	[[ $output != *"step "* && $output != *"safe: "* ]]
	run -1 cert-regen --cluster c --cucm-version 11.5 --plan --json TVS
	[ "$(jq -c '[.safe, .steps, (.ways_around | length)]' <<<"$output")" = '[false,[],2]' ]
	tree_before=$(find c -type f | sort | xargs sha256sum)
	run -1 --separate-stderr cert-regen --cluster c --cucm-version 11.5 -y TVS
	[[ $output == *"no safe plan: "* ]]
	[ "$(find c -type f | sort | xargs sha256sum)" = "$tree_before" ]
	# at 14 the same drift is fine: ITLRecovery still signs
	run -0 cert-regen --cluster c --plan TVS
	[[ ${lines[-1]} == "safe: "*" step"* ]]
}

@test "cluster: -n prints the plan and changes nothing" {
	mkcluster 2
	local before
	before=$(find c -type f | sort | xargs sha256sum)
	run -0 cert-regen --cluster c -n --now $NOW
	[ "${lines[-1]}" = "safe: 7 steps" ]
	[ "$(find c -type f | sort | xargs sha256sum)" = "$before" ]
	run -2 --separate-stderr cert-regen --cluster c --plan -s c/cucm-pub
	[[ $stderr == "usage: cert-regen"* ]]
	run -2 --separate-stderr cert-regen --plan TVS
	[[ $stderr == "usage: cert-regen"* ]]
	run -2 --separate-stderr cert-regen --cluster c -y -j TVS
	[[ $stderr == "usage: cert-regen"* ]]
	run -2 --separate-stderr cert-regen --cluster c --plan --now @4294967296
	[ "$stderr" = "cert-regen: --now: the trust lists' TIMESTAMP holds 32-bit Unix seconds only" ]
	run -2 --separate-stderr cert-regen --cluster c cucm-sub1:TVS </dev/null
	[[ $stderr == *"no terminal to confirm on: nothing changed (use --yes)" ]]
	[ "$(find c -type f | sort | xargs sha256sum)" = "$before" ]
	# -q: the run says nothing, and still serves each TFTP node the ITL its store yields first
	run -0 cert-regen --cluster c -y -q --now $NOW cucm-sub1:TVS
	[ -z "$output" ]
	[ "$(ls c/cucm-pub/tftp/history c/cucm-sub1/tftp/history)" = $'c/cucm-pub/tftp/history:\n000-ITLFile.tlv\n\nc/cucm-sub1/tftp/history:\n000-ITLFile.tlv' ]
}

@test "cluster: a run takes every node store's lock: a node in use by another tool stops it before any change" {
	command -v flock >/dev/null || skip "flock(1) is absent"
	mkcluster 2
	itl-build --cluster c --all --now @$TS
	local before
	before=$(find c -type f | sort | xargs sha256sum)
	# another tool holds cucm-sub1's store (flock(1) on the same lock file)
	touch c/cucm-sub1/.lock
	flock -x c/cucm-sub1/.lock sleep 20 &
	local holder=$!
	sleep 0.5
	run -2 --separate-stderr cert-regen --cluster c -y --wait 1 --now $NOW cucm-pub:tomcat
	kill "$holder" 2>/dev/null; wait "$holder" 2>/dev/null || true
	[[ $stderr == *"store busy"* ]]
	[ -z "$output" ]
	rm c/cucm-sub1/.lock
	[ "$(find c -type f ! -name .lock | sort | xargs sha256sum)" = "$before" ]
	# free again: the same run goes through
	run -0 --separate-stderr cert-regen --cluster c -y -q --now $NOW cucm-pub:tomcat
	[ -z "$output$stderr" ]
}

# run_cluster N VERSION [units]: serve, run -y, then check every ITL handover two ways.
run_cluster() {
	local n=$1 v=$2
	shift 2
	mkcluster "$n"
	itl-build --cluster c --all --cucm-version "$v" --now @$TS
	run -0 --separate-stderr cert-regen --cluster c --cucm-version "$v" -y --now $NOW "$@"
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
	run -0 bash -c "ctl-dump --cluster c --cucm-version 11.5 -j -t $h/003-ITLFile.tlv c/cucm-pub/tftp/ITLFile.tlv | jq -c '.trust | [.accepted, .path, .via, .record]'"
	[ "$output" = '[true,"tvs","cucm-pub",null]' ]
	run -0 bash -c "ctl-dump --cluster c --cucm-version 11.5 -j -t $h/001-ITLFile.tlv $h/002-ITLFile.tlv | jq -c '.trust | [.accepted, .path, .via, .record]'"
	[ "$output" = '[true,"direct",null,2]' ]
	# without --cluster the check stays the direct one, and the JSON as it was
	run -1 bash -o pipefail -c "ctl-dump -j -t $h/003-ITLFile.tlv c/cucm-pub/tftp/ITLFile.tlv | jq -c '.trust | [.accepted, has(\"path\")]'"
	[ "$output" = '[false,false]' ]
	# the first ITL against the last: the TVS it holds was regenerated since: rejected, said why
	run -1 ctl-dump --cluster c --cucm-version 11.5 --trust c/cucm-pub/tftp/history/001-ITLFile.tlv -b c/cucm-pub/tftp/ITLFile.tlv
	[[ ${lines[-1]} == "REJECTED c/cucm-pub/tftp/ITLFile.tlv: the new file's signer is not a SAST record of the old file (signer CN=cucm-pub;O=Example); TVS cucm-pub was regenerated since" ]]
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
	(cd c && find . -path '*/.backup' -prune -o -path '*/tftp' -prune -o -type f -print0 |
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
	run -0 --separate-stderr bash -e -o pipefail -c "$(sed -n 's/^\$ //p' <<<"$block")"
	[ -z "$stderr" ]
	diff -u <(grep -v '^\$ ' <<<"$block") - <<<"$output"
}
