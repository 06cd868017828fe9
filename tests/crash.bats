#!/usr/bin/env bats
# crash.bats: cert-regen and trust-prune --apply killed with SIGKILL at every file operation
# (the change engine's CTK_KILL_AFTER / CTK_FAIL_AFTER hooks, lib/store/txnio) and after 1, 2,
# 3 ... ms (make check-full; make check tries 1, 4, 13, 40 ... ms): after each kill every
# certificate and key the store held is in the store or its backup byte for byte, no private
# key file is readable by others, and the tool's own restore brings the store back exactly.
load helpers

NOW=2027-01-01T00:00:00Z
LATER=2030-01-01T00:00:00Z

need_tool() {
	[ -x "$TOP/bin/$1" ] || skip "bin/$1 is not built yet"
}

setup_file() {
	local t="$BATS_FILE_TMPDIR/tpl" u i
	mkdir -p "$t/CallManager" "$t/CallManager-trust" "$t/tomcat-trust"
	for u in CallManager-ECDSA tomcat-ECDSA; do
		mkdir -p "$t/$u"
		openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 100 \
			-keyout "$t/$u/$u.key" -out "$t/$u/$u.pem" -subj "/O=Example/CN=$u-cucm1" 2>/dev/null
	done
	# RSA-1024: every run regenerates this key; its size matters to no check here
	mkkey "$t/CallManager/CallManager.key" 1024
	openssl req -x509 -key "$t/CallManager/CallManager.key" -out "$t/CallManager/CallManager.pem" \
		-days 100 -subj /CN=cucm1 2>/dev/null
	chmod 600 "$t"/*/*.key
	for i in 1 2 3 4 5; do
		mkcert_dates "$t/CallManager-trust" "old$i" 20100101000000Z 20200101000000Z "/CN=old server $i" 1024
	done
	for i in 6 7; do
		mkcert_dates "$t/tomcat-trust" "old$i" 20100101000000Z 20200101000000Z "/CN=old web $i" 1024
	done
	mkcert_dates "$t/CallManager-trust" valid 20200101000000Z 20400101000000Z "/CN=valid" 1024
	rm -rf "$t"/*-trust/*.key "$t"/*-trust/.ca
	(cd "$t" && find . -type f -print0 | sort -z | xargs -0 sha256sum) >"$BATS_FILE_TMPDIR/orig.sums"
	tree "$t" >"$BATS_FILE_TMPDIR/tpl.tree"
}

setup() {
	S="$BATS_TEST_TMPDIR/s"
	cd "$BATS_TEST_TMPDIR"
}

fresh() {
	rm -rf "$S"
	cp -a "$BATS_FILE_TMPDIR/tpl" "$S"
}

# tree DIR: modes and hashes of the files outside .backup: equal output = same store.
tree() {
	(cd "$1" && find . \( -path ./.backup -o -path ./.lock \) -prune -o -type f -printf '%m %p\n' | sort &&
		find . \( -path ./.backup -o -path ./.lock \) -prune -o -type f -print0 | sort -z | xargs -0r sha256sum)
}

# kept WHEN: every original file is in the store or in a backup directory, byte for byte:
# one sha256sum over the store and its backups ("SUM PATH-IN-STORE-OR-BACKUP" lines, the
# backup directory cut off), then each original "SUM ./PATH" must be among them.
kept() {
	local lost
	lost=$(cd "$S" && find . -path ./.lock -prune -o -type f -print0 | xargs -0r sha256sum |
		sed -E 's#^([0-9a-f]+)  \./(\.backup/[^/]+/)?#\1  ./#' |
		awk 'NR == FNR { have[$0] = 1; next } !($0 in have) { print $2 }' - "$BATS_FILE_TMPDIR/orig.sums")
	[ -z "$lost" ] || { echo "$1: lost $lost" >&2; return 1; }
}

# private WHEN: no key file (by name or by contents) anywhere under the store is group/other readable.
private() {
	local bad
	bad=$({ find "$S" -type f -name '*.key' -print0; grep -rlZ -e 'PRIVATE KEY' "$S"; } |
		xargs -0r stat -c '%a %n' | awk 'substr(sprintf("%04d", $1), 3) != "00"')
	[ -z "$bad" ] || { echo "$1: readable by others: $bad" >&2; return 1; }
}

# The one backup directory a killed run left, or nothing.
lastbackup() {
	ls -d "$S"/.backup/*/ 2>/dev/null | tail -n 1
}

# after_kill WHAT STATUS RESTORE...: the checks after a run that may have been killed; when it
# was killed and left a backup with its manifest, RESTORE BACKUP must bring the store back
# exactly. Returns 0 (killed, checked), 1 (the run completed) or 2 (a check failed: said why).
# Explicit returns: bats' errexit is off inside a function called as "f || ...".
after_kill() {
	local what=$1 st=$2 b
	shift 2
	kept "$what" || return 2
	private "$what" || return 2
	if [ "$st" != 137 ]; then
		[ "$st" = 0 ] || { echo "$what: exit $st" >&2; return 2; }
		return 1
	fi
	b=$(lastbackup)
	if [ -n "$b" ] && [ -f "$b/MANIFEST" ]; then
		"$@" "${b%/}" >/dev/null 2>"$BATS_TEST_TMPDIR/restore.err" || {
			echo "$what: restore of $b failed: $(cat "$BATS_TEST_TMPDIR/restore.err")" >&2
			return 2
		}
	fi
	if [ "$(tree "$S")" != "$(cat "$BATS_FILE_TMPDIR/tpl.tree")" ]; then
		echo "$what: the store is not as it was (after the restore)" >&2
		diff "$BATS_FILE_TMPDIR/tpl.tree" <(tree "$S") >&2
		return 2
	fi
	private "$what (restored)" || return 2
	return 0
}

# kill_once N: a fresh store, RUN killed at its Nth file operation, after_kill's checks with
# RESTORE: 0 killed and checked, 1 the run completed, 2 a check failed.
kill_once() {
	local st
	fresh
	CTK_KILL_AFTER=$1 run "${RUN[@]}"
	st=$status
	after_kill "CTK_KILL_AFTER=$1" $st "${RESTORE[@]}"
}

# kill_loop ONCE MAX: ONCE (kill_once, restore_once) at the points next_point gives until the
# run completes, then at the last point if it was stepped over; prints the number of kill
# points the run has. Run under notrace (helpers.bash): the loop is most of the suite's commands.
kill_loop() {
	local once=$1 n=0 prev=0 r
	shift
	while :; do
		n=$(next_point $n)
		r=0
		$once $n || r=$?
		[ $r != 2 ] || return 1
		[ $r = 0 ] || break
		prev=$n
		[ $n -lt "$1" ] || { echo "more than $1 kill points" >&2; return 1; }
	done
	for ((n = n - 1; n > prev; n--)); do
		r=0
		$once $n || r=$?
		[ $r != 2 ] || return 1
		[ $r = 1 ] || { prev=$n; break; }
	done
	echo $prev
}

@test "crash: cert-regen killed at every file operation (CTK_KILL_AFTER) loses nothing; --restore undoes it" {
	need_tool cert-regen
	RUN=(cert-regen -y -q -s "$S" --now $NOW CallManager-ECDSA tomcat-ECDSA CallManager)
	RESTORE=(cert-regen -y -q -s "$S" --restore)
	POINTS=$(notrace kill_loop kill_once 200)
	echo "# cert-regen: $POINTS kill points" >&3
	[ $POINTS -gt 10 ]
}

# timed_loop: RUN (a path in bin/: no wrapper function in the background) killed after 1, 2, 3
# ... ms (delay_after), after_kill's checks with RESTORE, until a run completes or 4 s; prints
# how many runs and the last delay.
timed_loop() {
	local d=1 st i=0 r
	while [ $i -lt 60 ]; do
		i=$((i + 1))
		fresh
		"${RUN[@]}" &
		sleep "$((d / 1000)).$(printf %03d $((d % 1000)))"
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

# restore_once N: change the store with CHANGE, then kill its --restore (RESTORE) at the Nth file
# operation: the restore's own backup must bring the store back to the changed state, and a second
# restore of the first backup must then give the original store. Returns as kill_once does.
# restore_loop TOOL...: restore_once at every kill point (kill_loop) with CHANGE=(TOOL...).
restore_once() {
	local n=$1 st b1 changed r
	fresh
	"${CHANGE[@]}" >/dev/null
	b1=$(lastbackup)
	changed=$(tree "$S")
	CTK_KILL_AFTER=$n run "${RESTORE[@]}" --now $LATER -r "${b1%/}"
	st=$status
	kept "restore CTK_KILL_AFTER=$n" || return 2
	private "restore CTK_KILL_AFTER=$n" || return 2
	if [ "$st" = 0 ]; then
		[ "$(tree "$S")" = "$(cat "$BATS_FILE_TMPDIR/tpl.tree")" ] || { echo "CTK_KILL_AFTER=$n: completed, not restored" >&2; return 2; }
		return 1
	fi
	[ "$st" = 137 ] || { echo "restore CTK_KILL_AFTER=$n: exit $st" >&2; return 2; }
	r=$(ls -d "$S"/.backup/*/ | grep -v "^${b1}\$" | tail -n 1)
	# killed: the tree is the changed one, the original one, or a mix its own backup undoes
	if [ -n "$r" ] && [ -f "$r/MANIFEST" ]; then
		"${RESTORE[@]}" -r "${r%/}" >/dev/null 2>&1 || { echo "restore of $r failed" >&2; return 2; }
	fi
	[ "$(tree "$S")" = "$changed" ] || { echo "restore CTK_KILL_AFTER=$n: not undone" >&2; return 2; }
	"${RESTORE[@]}" -r "${b1%/}" >/dev/null || return 2
	[ "$(tree "$S")" = "$(cat "$BATS_FILE_TMPDIR/tpl.tree")" ] || { echo "CTK_KILL_AFTER=$n: not restored" >&2; return 2; }
	return 0
}

restore_loop() {
	CHANGE=("$@")
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
	local t="$BATS_FILE_TMPDIR/tpl" d=1 i=0 st
	local args=(-f -k "$t/CallManager/CallManager.key" --sast "$t/CallManager/CallManager.pem"
		--tftp "$t/CallManager/CallManager.pem" --now @1700000000)
	itl-build "${args[@]}" --digest sha1 -o old.tlv
	itl-build "${args[@]}" -o new.tlv
	while [ $i -lt 60 ]; do
		i=$((i + 1))
		cp old.tlv ITLFile.tlv
		"$TOP/bin/itl-build" "${args[@]}" -o ITLFile.tlv &
		sleep "$((d / 1000)).$(printf %03d $((d % 1000)))"
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
