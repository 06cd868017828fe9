#!/usr/bin/env bats
# cert-regen --cluster C -r STEP|last: a cluster run's steps undone, last first, each as a whole.
load helpers
load storekit
load clusterkit

NOW=2027-01-01T00:00:00Z
TS=1798761600	# the same instant, for itl-build --now @TS

# A 3-node 11.5 cluster built once (cucm-pub and cucm-sub1 run TFTP), each TFTP node serving its
# ITL and one configuration file its CallManager signed at TS; the run below is given --now TS.
setup_file() {
	need_storekit
	local t="$BATS_FILE_TMPDIR/c" n
	clusterkit_tpl "$t"
	printf 'cucm-pub    10.0.0.1   publisher tftp\ncucm-sub1   10.0.0.2   tftp\ncucm-sub2   10.0.0.3\n' >"$t/nodes"
	itl-build --cluster "$t" --all --cucm-version 11.5 --now @$TS
	for n in cucm-pub cucm-sub1; do
		printf '<device><n>%s</n></device>\n' $n >"$BATS_FILE_TMPDIR/SEP$n.cnf.xml"
		(cd "$BATS_FILE_TMPDIR" && itl-build --sign-file --cluster c --node $n --now @$TS SEP$n.cnf.xml)
	done
}

setup() {
	cd "$BATS_TEST_TMPDIR"
	cp -a "$BATS_FILE_TMPDIR/c" c
}

# sums CLUSTER: every node's store and served files (history, backups and the journal left out),
# with modes and SHA-256 (storetree): equal output = the same cluster for phones and stores.
sums() {
	local n
	for n in cucm-pub cucm-sub1 cucm-sub2; do
		echo "== $n"
		tree "$1/$n" | grep -v ' ./tftp/history/'
	done
}

# backups NODE: the names of NODE's backups, oldest first
backups() {
	ls c/$1/.backup
}

# every CLUSTER: every file under CLUSTER, backups and journal included, with its SHA-256
every() {
	(cd "$1" && find . -type f ! -name .lock -print0 | sort -z | xargs -0 sha256sum)
}

# full tier (about 2 s of CPU, ten undo runs): -r 1 below keeps the undo in make check
# bats test_tags=full
@test "clundo: a 3-node 11.5 run undone step by step with -r last: the cluster byte for byte as before" {
	local n k
	sums c >before
	xrun -0 --separate-stderr cert-regen --cluster c --cucm-version 11.5 -y --now @$TS
	[ -z "$stderr" ]
	n=$(grep -c '^step ' <<<"$output")
	[ "$n" -ge 9 ]
	! sums c | cmp -s - before
	# the run's journal: one backup name per step, on every node the step changed
	[ "$(sed -n 1p c/.journal)" = "# ctlkit cluster run 1" ]
	[ "$(grep -c $'\tdone\t-$' c/.journal)" -eq "$n" ]
	[ -d "c/cucm-pub/.backup/$(awk -F'\t' '$4 == "CallManager" && $3 == "cucm-sub2" { print $5 }' c/.journal)" ]
	for ((k = n; k >= 1; k--)); do
		xrun -0 --separate-stderr cert-regen --cluster c --cucm-version 11.5 -y --now @$TS -r last
		[ -z "$stderr" ] || { echo "$stderr"; false; }
		[[ ${lines[0]} == "undo step $k: "* ]]
		[[ $output != *regenerated* && $output != *"new LSC"* ]]
		[ "$(awk -F'\t' -v k=$k '$2 == k { print $6 }' c/.journal)" = undone ]
	done
	sums c | diff -u before -
	xrun -2 --separate-stderr cert-regen --cluster c -y --now @$TS -r last
	[[ $stderr == "cert-regen: c: no step of the run left to undo (c/.journal: every step undone or stopped)" ]]
}

@test "clundo: -r 1 undoes the whole run: the ITLs as served before each step, the signed files re-signed, byte for byte" {
	sums c >before
	xrun -0 cert-regen --cluster c --cucm-version 11.5 -y -q --now @$TS
	xrun -0 --separate-stderr cert-regen --cluster c --cucm-version 11.5 -y --now @$TS -r 1
	[ -z "$stderr" ]
	[[ $output == "undo step 10: cucm-sub1: CallManager"* ]]
	[[ $output == *$'\nundo step 1: cucm-pub: ipsec,tomcat\n'* ]]
	# the certificates put back are said as such; the ITL a step served, put back and judged
	[[ $output == *"  put back: CallManager of cucm-sub1, the certificate before the step (serial="* ]]
	[[ $output == *"  trust copies taken back: CallManager-trust of cucm-pub, cucm-sub1, cucm-sub2"* ]]
	[[ $output == *"  itl cucm-sub1: put back as served before step 10 (tftp/history/009-ITLFile.tlv), accepted through TVS via cucm-sub1"* ]]
	[[ $output == *"  sgn cucm-sub1: 1 re-signed, 0 already accepted, 0 left rejected"* ]]
	[[ $output == *"  sgn cucm-pub: 1 re-signed, 0 already accepted, 0 left rejected"* ]]
	[[ $output != *"note:"* ]]
	sums c | diff -u before -
	# every undo's own backup is a restore of the step's: single-store -r last skips both
	xrun -0 cert-regen -s c/cucm-sub2 --list-backups
	[ "$(grep -c 'restore of' <<<"$output")" -eq "$(grep -c 'change, undone' <<<"$output")" ]
}

@test "clundo: -n shows the undo and changes nothing" {
	xrun -0 cert-regen --cluster c --cucm-version 11.5 -y -q --now @$TS
	every c >before
	xrun -0 --separate-stderr cert-regen --cluster c --cucm-version 11.5 -n --now @$TS -r 8
	[ -z "$stderr" ]
	[ "$(grep '^undo step' <<<"$output" | cut -d: -f1)" = $'undo step 10\nundo step 9\nundo step 8' ]
	[[ $output == *"  itl cucm-pub: put back as served before step 9 (tftp/history/008-ITLFile.tlv), accepted through TVS via cucm-pub"* ]]
	[ "${lines[-1]}" = "nothing changed (-n)" ]
	[[ $output != *"  backup:"* ]]
	every c | diff -u before -
}

@test "clundo: a later step is not undone while an earlier one was put back out of order on one node" {
	local tvs
	xrun -0 cert-regen --cluster c --cucm-version 11.5 -y -q --now @$TS
	tvs=$(awk -F'\t' '$3 == "cucm-sub1" && $4 == "TVS" { print $5 }' c/.journal)
	# sub1's TVS step put back on its store alone (forced past the cluster's refusal)
	xrun -2 --separate-stderr cert-regen -s c/cucm-sub1 -y -r c/cucm-sub1/.backup/$tvs
	[[ $stderr == *"undo the change cluster-wide with cert-regen --cluster c -r"* ]]
	xrun -0 cert-regen -s c/cucm-sub1 -y -f -q -r c/cucm-sub1/.backup/$tvs
	every c >before
	xrun -1 --separate-stderr cert-regen --cluster c --cucm-version 11.5 -y --now @$TS -r last
	[[ $stderr == "cert-regen: c: step 10 is not undone: step 6's backup c/cucm-sub1/.backup/$tvs was put back out of order on cucm-sub1 alone, and phones would be handed both at once; undo that restore first (cert-regen -s c/cucm-sub1 -f -r c/cucm-sub1/.backup/"*"-cert-regen), then undo the steps from the last with cert-regen --cluster c -r" ]]
	every c | diff -u before -
}

@test "clundo: undoing a CallManager step after that node's TVS changed is judged as one change: refused at 11.5" {
	xrun -0 cert-regen --cluster c --cucm-version 11.5 -y -q --now @$TS
	# sub1's TVS replaced outside the run: a phone holding sub1's ITL knows only the run's TVS
	xrun -0 cert-regen -s c/cucm-sub1 -y -q --now @$TS TVS
	every c >before
	xrun -1 --separate-stderr cert-regen --cluster c --cucm-version 11.5 -y --now @$TS -r last
	[[ $stderr == "cert-regen: c: step 10 is not undone: a phone holding cucm-sub1's ITL would reject the one served before the step: "*"TVS cucm-sub1 was regenerated since"*"; nothing of step 10 changed" ]]
	every c | diff -u before -
}

@test "clundo: a journal that is not one: file, what is wrong, byte; exit 2, nothing changed" {
	xrun -0 cert-regen --cluster c --cucm-version 11.5 -y -q --now @$TS cucm-pub:tomcat
	every c >before
	# a second run over a previous one not undone (no served file changed: no history)
	xrun -2 --separate-stderr cert-regen --cluster c --cucm-version 11.5 -y -q --now @$TS cucm-pub:ipsec
	[ "$stderr" = "cert-regen: c: a previous run's journal: 1 step done, the last 1 (cucm-pub: tomcat, backups .backup/$(cut -f5 c/.journal | tail -1)); undo it with cert-regen --cluster c -r last, or move c/.journal and every node's tftp/history away first" ]
	every c | diff -u before -
	xrun -2 --separate-stderr cert-regen --cluster c -y -r 0
	[ "$stderr" = 'cert-regen: -r: not last or a step of the run (1 to 1): "0"' ]
	xrun -2 --separate-stderr cert-regen --cluster c -y -r 2
	[ "$stderr" = 'cert-regen: -r: not last or a step of the run (1 to 1): "2"' ]
	printf '# ctlkit cluster run 1\nstep\t1\tcucm-pub\ttomcat\tnot-a-backup\tdone\t-\n' >c/.journal
	xrun -2 --separate-stderr cert-regen --cluster c -y -r last
	[ "$stderr" = "cert-regen: c/.journal: not a backup name at byte 23" ]
	printf '# ctlkit cluster run 1\nstep\t1\tcucm-pub\ttomcat\t20270101T000000Z-000-x/../../../o\tdone\t-\n' >c/.journal
	xrun -2 --separate-stderr cert-regen --cluster c -y -r last
	[ "$stderr" = "cert-regen: c/.journal: not a backup name at byte 23" ]
	printf '# ctlkit cluster run 1\nstep\t1\tcucm-pub\ttomcat\t-\tdone\t-' >c/.journal
	xrun -2 --separate-stderr cert-regen --cluster c -y -r last
	[ "$stderr" = "cert-regen: c/.journal: a line without its end (a journal cut short) at byte 23" ]
	printf '# ctlkit cluster run 1\nstep\t1\tnowhere\ttomcat\t-\tplanned\t-\n' >c/.journal
	xrun -2 --separate-stderr cert-regen --cluster c -y -r 1
	[ "$stderr" = "cert-regen: c/.journal: a node the cluster's nodes file does not name at byte 23" ]
	every c | grep -v ' ./.journal$' | diff -u <(grep -v ' ./.journal$' before) -
}

# bats test_tags=full
@test "clundo: a run killed between a node's change and the copies on the other nodes: the re-run names the backup and the undo" {
	local k name
	sums c >before
	mv c tpl
	for ((k = 1; k < 200; k++)); do
		rm -rf c
		cp -a tpl c
		CTK_KILL_AFTER=$k run cert-regen --cluster c --cucm-version 11.5 -y -q --now @$TS cucm-sub2:CallManager
		[ "$status" -eq 137 ] || { echo "kill at $k: exit $status"; false; }
		# the node's own commit done, the copies on cucm-pub not yet
		! cmp -s c/cucm-sub2/CallManager/CallManager.pem tpl/cucm-sub2/CallManager/CallManager.pem || continue
		[ -z "$(ls c/cucm-pub/.backup 2>/dev/null | grep -v '^\.id')" ] && break
	done
	[ $k -lt 200 ]
	name=$(awk -F'\t' '$2 == 1 { print $5 }' c/.journal)
	[ "$(awk -F'\t' '$2 == 1 { print $6 }' c/.journal)" = begun ]
	[ -f c/cucm-sub2/.backup/$name/MANIFEST ]
	xrun -2 --separate-stderr cert-regen --cluster c --cucm-version 11.5 -y --now @$TS cucm-sub2:CallManager
	[ "$stderr" = "cert-regen: c: step 1 of a previous run (cucm-sub2: CallManager) was cut short: its backups are .backup/$name on the nodes it changed; undo it with cert-regen --cluster c -r 1" ]
	xrun -0 --separate-stderr cert-regen --cluster c --cucm-version 11.5 -y --now @$TS -r 1
	[ -z "$stderr" ]
	[[ $output == *"  put back: CallManager of cucm-sub2, the certificate before the step"* ]]
	sums c | diff -u before -
	# and the run, made again, goes through
	xrun -0 cert-regen --cluster c --cucm-version 11.5 -y -q --now @$TS cucm-sub2:CallManager
	# killed in the next step of a run: the first done, the second begun (cut short)
	for ((k = 1; k < 400; k++)); do
		rm -rf c
		cp -a tpl c
		CTK_KILL_AFTER=$k run cert-regen --cluster c --cucm-version 11.5 -y -q --now @$TS cucm-sub1:tomcat cucm-sub2:tomcat
		[ "$status" -eq 137 ] || { echo "kill at $k: exit $status"; false; }
		[ "$(sed 1d c/.journal | cut -f6 | tr '\n' ' ')" != "done begun " ] || break
	done
	[ $k -lt 400 ]
	name=$(awk -F'\t' '$2 == 2 { print $5 }' c/.journal)
	node=$(awk -F'\t' '$2 == 2 { print $3 }' c/.journal)
	xrun -2 --separate-stderr cert-regen --cluster c --cucm-version 11.5 -y --now @$TS
	[ "$stderr" = "cert-regen: c: step 2 of a previous run ($node: tomcat) was cut short: its backups are .backup/$name on the nodes it changed; undo it with cert-regen --cluster c -r 2, the whole run with cert-regen --cluster c -r 1" ]
	xrun -0 --separate-stderr cert-regen --cluster c --cucm-version 11.5 -y --now @$TS -r 1
	[ "$(grep -c '^undo step' <<<"$output")" -eq 2 ]
	sums c | diff -u before -
}

# bats test_tags=full
@test "clundo: an undo killed at any point is finished by the same command: the cluster as before the run" {
	local k
	sums c >before
	xrun -0 cert-regen --cluster c --cucm-version 11.5 -y -q --now @$TS cucm-sub1:CallManager
	mv c tpl
	for ((k = 1; k < 300; k++)); do
		rm -rf c
		cp -a tpl c
		CTK_KILL_AFTER=$k run cert-regen --cluster c --cucm-version 11.5 -y -q --now @$TS -r last
		[ "$status" -ne 0 ] || break
		[ "$status" -eq 137 ] || { echo "kill at $k: exit $status"; false; }
		[ -z "$(find c -name '*.key' -perm /077)" ]
		# a re-run names the undo cut short; the same undo finishes it
		if [ "$(awk -F'\t' '$2 == 1 { print $6 }' c/.journal)" = undoing ]; then
			xrun -2 --separate-stderr cert-regen --cluster c --cucm-version 11.5 -y --now @$TS
			[ "$stderr" = "cert-regen: c: the undo of step 1 (cucm-sub1: CallManager) was cut short: finish it with cert-regen --cluster c -r 1" ]
		fi
		xrun -0 cert-regen --cluster c --cucm-version 11.5 -y -q --now @$TS -r 1
		sums c | diff -u before - || { echo "kill at $k"; false; }
	done
	[ "$status" -eq 0 ] && [ $k -gt 5 ]
	sums c | diff -u before -
}

# bats test_tags=full
@test "clundo: mixed mode: the CTL put back as served before each step, judged by the CTL rule; byte for byte as before the run" {
	itl-build --cluster c --all --mixed -f --cucm-version 11.5 --now @$TS
	sums c >before
	xrun -0 cert-regen --cluster c --cucm-version 11.5 -y -q --now @$TS ITLRecovery CallManager
	! sums c | cmp -s - before
	xrun -0 --separate-stderr cert-regen --cluster c --cucm-version 11.5 -y --now @$TS -r 1
	[ -z "$stderr" ]
	[[ $output == *"  ctl: put back as served before step "*" (tftp/history/"*"-CTLFile.tlv), accepted "* ]]
	sums c | diff -u before -
	cmp c/cucm-pub/tftp/CTLFile.tlv c/cucm-sub1/tftp/CTLFile.tlv
}
