#!/usr/bin/env bats
# backup.bats: backups that travel (a store named by its id, not its path), finding them
# (names in creation order, -r last, --list-backups), and single-store restores in a cluster.
# Full tier: each test is a sequence of changes and restores over a copied cluster (seconds each).
# bats file_tags=full
load helpers
load storekit

NOW=2027-01-01T00:00:00Z
LATER=2030-01-01T00:00:00Z

# A two-node cluster built once: cucm-pub and cucm-sub1 with the units every node has (RSA-1024:
# the size matters to no check here), CallManager-trust replicated, an expired certificate in
# each node's CallManager-trust for trust-prune to take.
setup_file() {
	local t="$BATS_FILE_TMPDIR/cl" n u
	need_storekit
	printf 'cucm-pub    10.0.0.1   publisher tftp\ncucm-sub1   10.0.0.2\n' >"$t.nodes"
	for n in cucm-pub cucm-sub1; do
		for u in CallManager tomcat ipsec TVS; do
			mkdir -p "$t/$n/$u"
			MKCERT_BITS=1024 mkcert "$t/$n/$u" $u 400 "/O=Example/CN=$n"
		done
		mkdir -p "$t/$n/CallManager-trust"
	done
	echo "old1|20100101000000Z|20200101000000Z|/CN=old server 1|1024" | mkcerts "$t/cucm-pub/CallManager-trust"
	mkdir -p "$t/cucm-pub/tomcat-trust"
	echo "old2|20100101000000Z|20200101000000Z|/CN=old web 2|1024" | mkcerts "$t/cucm-pub/tomcat-trust"
	rm "$t"/cucm-pub/*-trust/*.key
	for n in cucm-pub cucm-sub1; do
		cp "$t/cucm-pub/CallManager-trust/old1.pem" "$t/$n/CallManager-trust/" 2>/dev/null || true
		cp "$t/cucm-pub/CallManager/CallManager.pem" "$t/$n/CallManager-trust/cucm-pub.pem"
		cp "$t/cucm-sub1/CallManager/CallManager.pem" "$t/$n/CallManager-trust/cucm-sub1.pem"
	done
	mv "$t.nodes" "$t/nodes"
}

setup() {
	need_storekit
	cd "$BATS_TEST_TMPDIR"
	cp -a "$BATS_FILE_TMPDIR/cl" cl
}

@test "backup: a cluster copied with cp -a restores there; a backup in another store is refused" {
	before=$(tree cl/cucm-pub)
	run -0 cert-regen -s cl/cucm-pub -y -q --now $NOW tomcat
	changed=$(tree cl/cucm-pub)
	b=$(cd cl/cucm-pub/.backup && echo *-cert-regen)
	# the manifest names files relative to the store and the store by its id, never a path
	! grep -qF "$BATS_TEST_TMPDIR" "cl/cucm-pub/.backup/$b/MANIFEST"
	grep -q "^id	$(<cl/cucm-pub/.backup/.id)\$" "cl/cucm-pub/.backup/$b/MANIFEST"
	cp -a cl clr
	run -0 --separate-stderr cert-regen -y -f --now $LATER -r "clr/cucm-pub/.backup/$b"
	[ "$(tree clr/cucm-pub)" = "$before" ] && [ "$(tree cl/cucm-pub)" = "$changed" ]
	# the copy's restore is undone in the copy too (its own backup carries the same id)
	r=$(cd clr/cucm-pub/.backup && ls | tail -n 1)
	run -0 --separate-stderr trust-prune -f -r "clr/cucm-pub/.backup/$r"
	[ "$(tree clr/cucm-pub)" = "$changed" ]
	# another store (another node of the same cluster) has an id of its own
	run -0 trust-prune -s cl/cucm-sub1 --now $NOW --apply -q
	[ "$(<cl/cucm-sub1/.backup/.id)" != "$(<cl/cucm-pub/.backup/.id)" ]
	sub=$(tree cl/cucm-sub1)
	cp -a "cl/cucm-pub/.backup/$b" cl/cucm-sub1/.backup/
	run -2 --separate-stderr cert-regen -y -f -r "cl/cucm-sub1/.backup/$b"
	[[ $stderr == *"made for the store with id $(<cl/cucm-pub/.backup/.id), found in $(realpath cl/cucm-sub1) (id $(<cl/cucm-sub1/.backup/.id)): nothing restored"* ]]
	run -2 --separate-stderr trust-prune -f -r "cl/cucm-sub1/.backup/$b"
	[[ $stderr == *"made for the store with id"* ]]
	[ "$(tree cl/cucm-sub1)" = "$sub" ]
	# a damaged id is trouble, not another store
	echo nope >clr/cucm-pub/.backup/.id
	run -2 --separate-stderr cert-regen -y -f -r "clr/cucm-pub/.backup/$b"
	[[ $stderr == *"clr/cucm-pub/.backup/.id: not a store id (5 bytes"* ]]
}

@test "backup: old manifests (format 2: the store's path) still read back, in that store only" {
	before=$(tree cl/cucm-pub)
	run -0 cert-regen -s cl/cucm-pub -y -q --now $NOW tomcat
	b=$(echo cl/cucm-pub/.backup/*-cert-regen)
	# the same backup as format 2 wrote it: the store's absolute path instead of its id
	sed -i -e '1s/backup 3/backup 2/' -e "s|^id	.*|store	$(realpath cl/cucm-pub)|" "$b/MANIFEST"
	cp -a cl clr
	run -2 --separate-stderr cert-regen -y -f -r "clr/${b#cl/}"
	[[ $stderr == *"made for the store $(realpath cl/cucm-pub), found in $(realpath clr/cucm-pub): nothing restored"* ]]
	run -0 --separate-stderr cert-regen -y -f -r "$b"
	[ "$(tree cl/cucm-pub)" = "$before" ]
}

@test "backup: -r last and --list-backups after two applies in one second and after restores" {
	S=cl/cucm-pub
	rm cl/nodes	# a store of its own: restored alone without -f
	before=$(tree $S)
	run -0 trust-prune -s $S --now $NOW --apply -q CallManager-trust
	run -0 trust-prune -s $S --now $NOW --apply -q tomcat-trust
	run -0 cert-regen -s $S --now $NOW -y -q tomcat
	# names sort in creation order within the second, whatever the tool: ls | tail -1 is the newest
	[ "$(ls $S/.backup | tail -n 1)" = 20270101T000000Z-002-cert-regen ]
	run -0 --separate-stderr trust-prune -s $S --list-backups
	[ "$output" = "20270101T000000Z-000-trust-prune	trust-prune	$NOW	CallManager-trust	change
20270101T000000Z-001-trust-prune	trust-prune	$NOW	tomcat-trust	change
20270101T000000Z-002-cert-regen	cert-regen	$NOW	tomcat-trust,tomcat	change" ]
	# -r last: the newest backup of this tool not undone yet; a restore's own backup is never it
	run -0 --separate-stderr trust-prune -s $S -r last
	[ "${lines[0]}" = "restored	tomcat-trust/old2.pem" ] && [ "${lines[1]}" = "backup: $S/.backup/20270101T000000Z-003-trust-prune" ]
	run -0 --separate-stderr cert-regen -s $S --list-backups
	[ "${lines[1]}" = "20270101T000000Z-001-trust-prune	trust-prune	$NOW	tomcat-trust	change, undone" ]
	[[ ${lines[3]} == "20270101T000000Z-003-trust-prune	trust-prune	"*"	tomcat-trust	restore of 20270101T000000Z-001-trust-prune" ]]
	run -0 --separate-stderr trust-prune -s $S -j -r last
	[ "$(jq -r '.backup' <<<"$output")" = "$S/.backup/20270101T000000Z-000-trust-prune" ]
	run -2 --separate-stderr trust-prune -s $S -r last
	[ "$stderr" = "trust-prune: $S: no backup of trust-prune left to restore (every one is undone, or none was made; --list-backups lists them)" ]
	run -0 --separate-stderr cert-regen -s $S -y -f -j -r last
	[ "$(jq -r .restored <<<"$output")" = "$S/.backup/20270101T000000Z-002-cert-regen" ]
	[ "$(tree $S)" = "$before" ]
	run -0 --separate-stderr trust-prune -s $S -j --list-backups
	[ "$(jq -r '[.backups[] | [.name, .tool, (.units | join(",")), .restore, .undone, .undoes // "-"] | join(" ")] | join("\n")' <<<"$output")" = "20270101T000000Z-000-trust-prune trust-prune CallManager-trust false true -
20270101T000000Z-001-trust-prune trust-prune tomcat-trust false true -
20270101T000000Z-002-cert-regen cert-regen tomcat-trust,tomcat false true -
20270101T000000Z-003-trust-prune trust-prune tomcat-trust true false 20270101T000000Z-001-trust-prune
20270101T000000Z-004-trust-prune trust-prune CallManager-trust true false 20270101T000000Z-000-trust-prune
20270101T000000Z-005-cert-regen cert-regen tomcat,tomcat-trust true false 20270101T000000Z-002-cert-regen" ]
	# undoing an undo puts the change back in effect: -r last finds it again
	run -0 --separate-stderr trust-prune -s $S -r $S/.backup/20270101T000000Z-004-trust-prune
	[ ! -e $S/CallManager-trust/old1.pem ]
	run -0 --separate-stderr trust-prune -s $S -n -r last
	[ "${lines[0]}" = "would be restored	CallManager-trust/old1.pem" ]
	# a store without backups lists nothing; -r last there says so
	run -0 --separate-stderr trust-prune -s cl/cucm-sub1 --list-backups
	[ -z "$output" ]
	run -2 --separate-stderr cert-regen -s cl/cucm-sub1 -y -r last
	[[ $stderr == *"no backup of cert-regen left to restore"* ]]
	# --list-backups takes no other action
	run -2 --separate-stderr trust-prune -s $S --list-backups --apply
	run -2 --separate-stderr cert-regen -s $S --list-backups tomcat
}

@test "backup: a single-store restore on a node of a cluster is refused with the way to undo it cluster-wide, unless -f" {
	S=cl/cucm-pub
	before=$(tree $S)
	run -0 cert-regen -s $S --now $NOW -y -q tomcat
	run -0 trust-prune -s $S --now $NOW --apply -q
	changed=$(tree $S)
	run -2 --separate-stderr cert-regen -s $S -y -r last
	[ "$stderr" = "cert-regen: cl/cucm-pub: a node of the cluster cl: its other nodes keep what the change copied to them; undo the change cluster-wide with cert-regen --cluster cl -r, or give -f to restore this store alone: nothing restored" ]
	run -2 --separate-stderr trust-prune -r $S/.backup/20270101T000000Z-001-trust-prune
	[[ $stderr == *"cl/cucm-pub: a node of the cluster cl: "*"with trust-prune --cluster cl -r, or give -f"* ]]
	(cd $S && run -2 --separate-stderr trust-prune -n -r last && [[ $stderr == *"a node of the cluster ..:"* ]])
	[ "$(tree $S)" = "$changed" ]
	# a store beside the nodes but not named by them is no node; a damaged nodes file is trouble
	cp -a $S cl/lab
	run -0 --separate-stderr trust-prune -s cl/lab -r last
	echo 'cucm-pub 300.0.0.1' >>cl/nodes
	run -2 --separate-stderr trust-prune -s $S -r last
	[[ $stderr == *"cl/nodes:3: "*"cl/cucm-pub: a node of a cluster whose nodes file is unreadable? nothing restored (-f restores this store alone)" ]]
	# -f restores the node's store alone
	run -0 --separate-stderr trust-prune -s $S -f -r last
	run -0 --separate-stderr cert-regen -s $S -f -y -r last
	[ "$(tree $S)" = "$before" ]
}
