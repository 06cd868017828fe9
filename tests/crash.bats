#!/usr/bin/env bats
# crash.bats: cert-regen and trust-prune --apply killed with SIGKILL at every file operation
# (the change engine's CTK_KILL_AFTER / CTK_FAIL_AFTER hooks, lib/store/txnio) and after 1, 2,
# 3 ... ms (make check-full; make check tries 1, 4, 13, 40 ... ms): after each kill every
# certificate and key the store held is in the store or its backup byte for byte, no private
# key file is readable by others, and the tool's own restore brings the store back exactly.
# bats file_tags=full
load helpers
load storekit

NOW=2027-01-01T00:00:00Z
LATER=2030-01-01T00:00:00Z

need_tool() {
	[ -x "$TOP/bin/$1" ] || skip "bin/$1 is not built yet"
}

setup_file() {
	local t="$BATS_FILE_TMPDIR/tpl" u i
	need_storekit
	mkdir -p "$t/CallManager" "$t/CallManager-trust" "$t/tomcat-trust"
	for u in CallManager-ECDSA tomcat-ECDSA; do
		mkdir -p "$t/$u"
		openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 100 \
			-keyout "$t/$u/$u.key" -out "$t/$u/$u.pem" -subj "/O=Example/CN=$u-cucm1" 2>/dev/null
	done
	# RSA-1024: every run regenerates this key; its size matters to no check here
	MKCERT_BITS=1024 mkcert "$t/CallManager" CallManager 100 /CN=cucm1
	chmod 600 "$t"/*/*.key
	for i in 1 2 3 4 5; do
		echo "old$i|20100101000000Z|20200101000000Z|/CN=old server $i|1024"
	done | mkcerts "$t/CallManager-trust"
	mkcerts "$t/tomcat-trust" <<-EOF
	old6|20100101000000Z|20200101000000Z|/CN=old web 6|1024
	old7|20100101000000Z|20200101000000Z|/CN=old web 7|1024
	EOF
	echo "valid|20200101000000Z|20400101000000Z|/CN=valid|1024" | mkcerts "$t/CallManager-trust"
	rm "$t"/*-trust/*.key
	(cd "$t" && find . -type f -print0 | sort -z | xargs -0 sha256sum) >"$BATS_FILE_TMPDIR/orig.sums"
	tree "$t" >"$BATS_FILE_TMPDIR/tpl.tree"
}

setup() {
	S="$BATS_TEST_TMPDIR/s"
	# the store on tmpfs when there is one: fsync costs nothing there, what a kill leaves is the same
	if [ -d /dev/shm ] && [ -w /dev/shm ]; then
		SHM=$(mktemp -d /dev/shm/ctlkit-crash.XXXXXX)
		S="$SHM/s"
	fi
	cd "$BATS_TEST_TMPDIR"
}

teardown() {
	[ -z "${SHM:-}" ] || rm -rf "$SHM"
}

# The per-step checks below: one storetree process each (storekit.bash).
# fresh [TEMPLATE]: the store S is a copy of the template (or of TEMPLATE) again.
fresh() {
	"$ST" copy "${1:-$BATS_FILE_TMPDIR/tpl}" "$S"
}

# safe WHEN: every original file is in the store or in a backup directory, byte for byte (the
# backup directory cut off, each original "SUM ./PATH" must be among the store's), and no key
# file (by name or by contents) anywhere under the store is group/other readable; else
# "WHEN: lost PATH..." or "WHEN: readable by others: MODE PATH..." on stderr.
safe() {
	"$ST" check "$1" "$BATS_FILE_TMPDIR/orig.sums" "$S"
}

# lastbackup: LAST is the one backup directory a killed run left (with its trailing /), or empty.
lastbackup() {
	local b=("$S"/.backup/*/)
	LAST=${b[-1]}
	[ -d "$LAST" ] || LAST=
}

# after_kill WHAT STATUS RESTORE...: the checks after a run that may have been killed; when it
# was killed and left a backup with its manifest, RESTORE BACKUP must bring the store back
# exactly. Returns 0 (killed, checked), 1 (the run completed) or 2 (a check failed: said why).
# Explicit returns: bats' errexit is off inside a function called as "f || ...".
after_kill() {
	local what=$1 st=$2 b now
	shift 2
	safe "$what" || return 2
	if [ "$st" != 137 ]; then
		[ "$st" = 0 ] || { echo "$what: exit $st" >&2; return 2; }
		return 1
	fi
	lastbackup
	b=$LAST
	if [ -n "$b" ] && [ -f "$b/MANIFEST" ]; then
		"$@" "${b%/}" >/dev/null 2>"$BATS_TEST_TMPDIR/restore.err" || {
			echo "$what: restore of $b failed: $(<"$BATS_TEST_TMPDIR/restore.err")" >&2
			return 2
		}
	fi
	# the tree, and the checks of safe again (key modes): one process
	now=$("$ST" check "$what (restored)" "$BATS_FILE_TMPDIR/orig.sums" "$S" -t) || return 2
	if [ "$now" != "$TPLTREE" ]; then
		echo "$what: the store is not as it was (after the restore)" >&2
		diff <(echo "$TPLTREE") <(echo "$now") >&2
		return 2
	fi
	return 0
}

# kill_once N: a fresh store, RUN killed at its Nth file operation, after_kill's checks with
# RESTORE: 0 killed and checked, 1 the run completed, 2 a check failed.
kill_once() {
	local st=0
	fresh
	CTK_KILL_AFTER=$1 "${RUN[@]}" >/dev/null 2>&1 || st=$?
	after_kill "CTK_KILL_AFTER=$1" $st "${RESTORE[@]}"
}

# kill_loop ONCE MAX: ONCE (kill_once, restore_once) at every kill point 1, 2, 3 ... until the
# run completes, under make check too (only the timed kills are sampled); prints the number of
# kill points the run has. Run under notrace (helpers.bash): the loop is most of the suite's commands.
kill_loop() {
	local once=$1 n=0 r
	shift
	TPLTREE=$(<"$BATS_FILE_TMPDIR/tpl.tree")
	while :; do
		n=$((n + 1))
		r=0
		$once $n 2>"$BATS_TEST_TMPDIR/killed.err" || r=$?
		[ $r != 2 ] || { cat "$BATS_TEST_TMPDIR/killed.err" >&2; return 1; }
		[ $r = 0 ] || break
		[ $n -lt "$1" ] || { echo "more than $1 kill points" >&2; return 1; }
	done
	echo $((n - 1))
}

@test "crash: cert-regen killed at every file operation (CTK_KILL_AFTER) loses nothing; --restore undoes it" {
	need_tool cert-regen
	RUN=(cert-regen -y -q -s "$S" --now $NOW CallManager-ECDSA tomcat-ECDSA CallManager)
	RESTORE=(cert-regen -y -q -s "$S" --restore)
	POINTS=$(notrace kill_loop kill_once 200)
	echo "# cert-regen: $POINTS kill points" >&3
	[ $POINTS -gt 10 ]
}

# pause SECONDS: sleep(1) without a process per call: a read that times out on a pipe no one
# writes to (pause_open opens it, before the timed loop: opening costs a process).
pause_open() {
	exec {PAUSE_FD}<> <(:)
}
pause() {
	read -r -t "$1" -u "$PAUSE_FD" || true
}

# timed_loop: RUN (a path in bin/: no wrapper function in the background) killed after 1, 2, 3
# ... ms (delay_after), after_kill's checks with RESTORE, until a run completes or 4 s; prints
# how many runs and the last delay.
timed_loop() {
	local d=1 st i=0 r secs
	TPLTREE=$(<"$BATS_FILE_TMPDIR/tpl.tree")
	pause_open
	while [ $i -lt 60 ]; do
		i=$((i + 1))
		fresh
		"${RUN[@]}" &
		printf -v secs %d.%03d $((d / 1000)) $((d % 1000))
		pause "$secs"
		kill -9 $! 2>/dev/null || true
		st=0
		wait $! || st=$?
		r=0
		after_kill "killed after $d ms" $st "${RESTORE[@]}" || r=$?
		[ $r != 2 ] || return 1
		[ $r = 0 ] || break
		d=$(delay_after $d)
		[ $d -lt 4000 ] || break
	done
	echo "$i timed kills, up to $d ms"
}

@test "crash: cert-regen killed after 1, 2, 3 ... ms loses nothing; --restore undoes it" {
	need_tool cert-regen
	RUN=("$TOP/bin/cert-regen" -y -q -s "$S" --now $NOW CallManager-ECDSA tomcat-ECDSA CallManager)
	RESTORE=("$TOP/bin/cert-regen" -y -q -s "$S" --restore)
	r=$(notrace timed_loop)
	echo "# cert-regen: $r" >&3
}

@test "crash: trust-prune --apply killed at every file operation (CTK_KILL_AFTER) loses nothing; -r undoes it" {
	need_tool trust-prune
	RUN=(trust-prune -q -s "$S" --now $LATER --apply)
	RESTORE=(trust-prune -q -r)
	POINTS=$(notrace kill_loop kill_once 100)
	echo "# trust-prune: $POINTS kill points" >&3
	[ $POINTS -ge 6 ]
	fresh
	run -0 trust-prune -q -s "$S" --now $LATER --apply
	# the completed run moved the seven expired certificates and left the valid one
	[ "$(find "$S" -path "$S/.backup" -prune -o -name '*.pem' -path '*-trust/*' -print | wc -l)" = 1 ]
}

@test "crash: trust-prune --apply killed after 1, 2, 3 ... ms loses nothing; -r undoes it" {
	need_tool trust-prune
	RUN=("$TOP/bin/trust-prune" -q -s "$S" --now $LATER --apply)
	RESTORE=("$TOP/bin/trust-prune" -q -r)
	r=$(notrace timed_loop)
	echo "# trust-prune: $r" >&3
}

# restore_once N: the changed store (CHANGED, made once by CHANGE: see restore_loop), its --restore
# (RESTORE) of the first backup B1 killed at the Nth file operation: the restore's own backup must
# bring the store back to the changed state, and a second restore of the first backup must then
# give the original store. Returns as kill_once does.
restore_once() {
	local n=$1 st=0 b r=
	fresh "$CHANGED"
	CTK_KILL_AFTER=$n "${RESTORE[@]}" --now $LATER -r "${B1%/}" >/dev/null 2>&1 || st=$?
	safe "restore CTK_KILL_AFTER=$n" || return 2
	if [ "$st" = 0 ]; then
		[ "$(tree "$S")" = "$TPLTREE" ] || { echo "CTK_KILL_AFTER=$n: completed, not restored" >&2; return 2; }
		return 1
	fi
	[ "$st" = 137 ] || { echo "restore CTK_KILL_AFTER=$n: exit $st" >&2; return 2; }
	for b in "$S"/.backup/*/; do
		[ "$b" = "$B1" ] || [ ! -d "$b" ] || r=$b
	done
	# killed: the tree is the changed one, the original one, or a mix its own backup undoes
	if [ -n "$r" ] && [ -f "$r/MANIFEST" ]; then
		"${RESTORE[@]}" -r "${r%/}" >/dev/null 2>&1 || { echo "restore of $r failed" >&2; return 2; }
	fi
	[ "$(tree "$S")" = "$CHANGEDTREE" ] || { echo "restore CTK_KILL_AFTER=$n: not undone" >&2; return 2; }
	"${RESTORE[@]}" -r "${B1%/}" >/dev/null || return 2
	[ "$(tree "$S")" = "$TPLTREE" ] || { echo "CTK_KILL_AFTER=$n: not restored" >&2; return 2; }
	return 0
}

# restore_loop TOOL...: restore_once at every kill point (kill_loop) with the store changed once
# by TOOL... (a fixture: each step starts from a copy of it at the same path, S).
restore_loop() {
	fresh
	"$@" >/dev/null
	lastbackup
	B1=$LAST
	CHANGED=${SHM:-$BATS_TEST_TMPDIR}/changed
	"$ST" copy "$S" "$CHANGED"
	CHANGEDTREE=$(tree "$S")
	POINTS=$(notrace kill_loop restore_once 200)
	echo "# ${RESTORE[0]} --restore: $POINTS kill points" >&3
}

@test "crash: cert-regen --restore killed at every file operation loses nothing" {
	need_tool cert-regen
	RESTORE=(cert-regen -y -q)
	restore_loop cert-regen -y -q -s "$S" --now $NOW CallManager-ECDSA tomcat-ECDSA
}

@test "crash: trust-prune --restore killed at every file operation loses nothing" {
	need_tool trust-prune
	RESTORE=(trust-prune -q)
	restore_loop trust-prune -q -s "$S" --now $NOW --apply
}

@test "crash: itl-build -f -o killed after 1, 2, 3 ... ms: the target is the old file or the new one, whole" {
	need_tool itl-build
	local t="$BATS_FILE_TMPDIR/tpl" d=1 i=0 st secs
	local args=(-f -k "$t/CallManager/CallManager.key" --sast "$t/CallManager/CallManager.pem"
		--tftp "$t/CallManager/CallManager.pem" --now @1700000000)
	itl-build "${args[@]}" --digest sha1 -o old.tlv
	itl-build "${args[@]}" -o new.tlv
	pause_open
	while [ $i -lt 60 ]; do
		i=$((i + 1))
		cp old.tlv ITLFile.tlv
		"$TOP/bin/itl-build" "${args[@]}" -o ITLFile.tlv &
		printf -v secs %d.%03d $((d / 1000)) $((d % 1000))
		pause "$secs"
		kill -9 $! 2>/dev/null || true
		st=0
		wait $! || st=$?
		cmp -s ITLFile.tlv old.tlv || cmp -s ITLFile.tlv new.tlv ||
			{ echo "killed after $d ms: ITLFile.tlv is neither" >&2; false; }
		[ "$st" = 0 ] || [ "$st" = 137 ]
		[ "$st" != 0 ] || break
		d=$(delay_after $d)
	done
	cmp ITLFile.tlv new.tlv
}
