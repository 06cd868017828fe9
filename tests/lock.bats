#!/usr/bin/env bats
# lock.bats: itl-build --cluster takes the node stores' locks as cert-regen --cluster does
# (STORE/.lock, every node, one order, --wait): a run never writes a store another tool holds.
load helpers

NOW=2027-01-01T00:00:00Z

# mkcluster2's cluster (helpers.bash), committed with fixed dates (tests/fixtures/stores/make.sh),
# copied once per file (keys made 0600: git keeps no mode) and per test from there.
setup_file() {
	cp -r "$TOP/tests/fixtures/stores/cluster2" "$BATS_FILE_TMPDIR/tpl"
	chmod 600 "$BATS_FILE_TMPDIR"/tpl/*/*/*.key
}

setup() {
	cd "$BATS_TEST_TMPDIR"
	cp -a "$BATS_FILE_TMPDIR/tpl" c
	echo '<cfg/>' >SEP001122334455.cnf.xml
}

# hold STORE: STORE/.lock held exclusively (flock(1) on a descriptor of a process that becomes
# sleep: killing it lets go), bounded: 30 s, until release.
hold() {
	rm -f held
	(exec 9>>"$1/.lock"; flock -x 9; touch held; exec sleep 30) &
	HOLDER=$!
	for _ in {1..100}; do [ -f held ] && return 0; sleep 0.05; done
	return 1
}

release() {
	kill "$HOLDER" 2>/dev/null || true
	wait "$HOLDER" 2>/dev/null || true
}

teardown() {
	[ -z "${HOLDER:-}" ] || release
}

@test "lock: itl-build --cluster -a waits for a node's store lock and gives up after --wait" {
	hold c/cucm-sub1
	xrun -2 --separate-stderr itl-build --cluster c -a --now $NOW --wait 0
	[[ $stderr == *"store busy"* ]]
	[ ! -e c/cucm-pub/tftp/ITLFile.tlv ]
	[ ! -e c/cucm-sub1/tftp/ITLFile.tlv ]
	# --dry-run reads under shared locks: an exclusive holder blocks it too
	xrun -2 --separate-stderr itl-build --cluster c -a -n --now $NOW --wait 0
	[[ $stderr == *"store busy"* ]]
	release
	xrun -0 --separate-stderr itl-build --cluster c -a --now $NOW --wait 0
	[ -s c/cucm-pub/tftp/ITLFile.tlv ]
	[ -s c/cucm-sub1/tftp/ITLFile.tlv ]
}

# bats test_tags=full
@test "lock: itl-build --cluster -a --wait N gets the lock once the holder lets go" {
	hold c/cucm-pub
	(sleep 1; kill "$HOLDER") &
	run -0 --separate-stderr itl-build --cluster c -a --now $NOW --wait 20
	[ -s c/cucm-pub/tftp/ITLFile.tlv ]
}

@test "lock: itl-build --cluster --node and --sign-file --cluster honour the node locks" {
	hold c/cucm-pub
	xrun -2 --separate-stderr itl-build --cluster c --node cucm-sub1 --now $NOW --wait 0 -o sub1.tlv
	[[ $stderr == *"store busy"* ]]
	[ ! -e sub1.tlv ]
	xrun -2 --separate-stderr itl-build --sign-file --cluster c --node cucm-sub1 --now $NOW \
		--wait 0 SEP001122334455.cnf.xml
	[[ $stderr == *"store busy"* ]]
	[ ! -e c/cucm-sub1/tftp/SEP001122334455.cnf.xml.sgn ]
	release
	xrun -0 --separate-stderr itl-build --sign-file --cluster c --node cucm-sub1 --now $NOW \
		--wait 0 SEP001122334455.cnf.xml
	[ -s c/cucm-sub1/tftp/SEP001122334455.cnf.xml.sgn ]
	# the lock file each store got is private, as cert-regen's
	[ "$(stat -c %a c/cucm-sub1/.lock)" = 600 ]
}
