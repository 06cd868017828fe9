#!/usr/bin/env bats
# store.bats: the one change engine of cert-regen and trust-prune: restores that cannot cross
# stores or leave them, either tool's backup restored by either, the store lock, the refusals
# CUCM's rules demand, imports, ITLRecovery's validity, owners and modes, durability hooks.
load helpers
load storekit

NOW=2027-01-01T00:00:00Z
LATER=2030-01-01T00:00:00Z

# The template store: CallManager, ITLRecovery and tomcat (RSA-1024 keys: cert-regen makes each
# new key the size of the old one, and the size matters to no check here), CallManager-ECDSA,
# three expired CallManager-trust certificates and one tomcat-trust; and k/, the certificates of
# the itl-build validity test: committed (tests/fixtures/stores/make.sh), copied once per file
# (keys made 0600: git keeps no mode) and per test from there.
setup_file() {
	need_storekit
	cp -r "$FIX/engine/tpl" "$FIX/engine/k" "$BATS_FILE_TMPDIR/"
	chmod 600 "$BATS_FILE_TMPDIR"/tpl/*/*.key "$BATS_FILE_TMPDIR"/k/*.key
}

teardown() {
	[ -z "${SHM:-}" ] || rm -rf "$SHM"
}

setup() {
	need_storekit
	S="$BATS_TEST_TMPDIR/s"
	cp -a "$BATS_FILE_TMPDIR/tpl" "$S"
	cd "$BATS_TEST_TMPDIR"
}

# on_tmpfs: S (a fresh copy of the template) on tmpfs when there is one, removed by teardown:
# fsync and file creation cost nothing there; the engine's work is the same.
on_tmpfs() {
	if [ -d /dev/shm ] && [ -w /dev/shm ]; then
		SHM=$(mktemp -d /dev/shm/ctlkit-store.XXXXXX)
		S="$SHM/s"
		cp -a "$BATS_FILE_TMPDIR/tpl" "$S"
	fi
}

# pair UNIT: the unit's certificate and key belong together.
pair() {
	[ "$(openssl x509 -in "$S/$1/$1.pem" -noout -pubkey)" = "$(openssl pkey -in "$S/$1/$1.key" -pubout)" ]
}

@test "store: a restore cannot cross stores: -s of another store, or a backup recording another, exit 2, nothing written" {
	cp -a "$BATS_FILE_TMPDIR/tpl" s3
	run -0 cert-regen -s "$S" -y -q --now $NOW CallManager
	b="$S/.backup/20270101T000000Z-000-cert-regen"
	changed=$(tree "$S")
	before3=$(tree s3)
	rs=$(realpath "$S")
	xrun -2 --separate-stderr cert-regen -s s3 -y --restore "$b"
	[[ $stderr == "cert-regen: $b: this backup belongs to the store $rs, not to -s s3: nothing restored (leave out -s)" ]]
	xrun -2 --separate-stderr trust-prune -s s3 -r "$b"
	[[ $stderr == *"belongs to the store $rs, not to -s s3"* ]]
	[ "$(tree s3)" = "$before3" ] && [ "$(tree "$S")" = "$changed" ]
	# a backup copied into another store's .backup still names the store it was made for (its id)
	id=$(<"$S/.backup/.id")
	mkdir -p s3/.backup && cp -a "$b" s3/.backup/
	xrun -2 --separate-stderr cert-regen -y --restore s3/.backup/20270101T000000Z-000-cert-regen
	[ "$stderr" = "cert-regen: s3/.backup/20270101T000000Z-000-cert-regen: made for the store with id $id, found in $(realpath s3) (id none): nothing restored (restore it in the store it was made for, or a copy of it)" ]
	[ "$(tree s3)" = "$before3" ]
	# a backup outside any store's .backup/ is no backup
	cp -a "$b" loose
	xrun -2 --separate-stderr cert-regen -y --restore loose
	[[ $stderr == *"loose: not a backup directory (a store's .backup/NAME"* ]]
	xrun -2 --separate-stderr trust-prune -r "$S"
	[[ $stderr == *"not a backup directory"* ]]
	# -s naming the same store (another spelling) is fine
	run -0 cert-regen -s "$S/." -y -q --restore "$b"
	[ "$(tree "$S")" = "$(tree "$BATS_FILE_TMPDIR/tpl")" ]
}

@test "store: a restore run from another directory writes nothing there" {
	before=$(tree "$S")
	run -0 cert-regen -s "$S" -y -q --now $NOW CallManager tomcat
	mkdir elsewhere && cd elsewhere
	xrun -0 --separate-stderr cert-regen -y --restore "$S/.backup/20270101T000000Z-000-cert-regen"
	shopt -s dotglob nullglob
	e=(*)
	[ ${#e[@]} -eq 0 ]	# ls -A: nothing
	[ "$(tree "$S")" = "$before" ]
}

@test "store: either tool restores the other's backup; -n shows what would be put back" {
	before=$(tree "$S")
	run -0 trust-prune -s "$S" --now $NOW --apply
	b=("$S"/.backup/*-trust-prune)
	[ ${#b[@]} -eq 1 ] && [ -d "$b" ]	# (ls -d: one)
	[ ! -e "$S/CallManager-trust/old1.pem" ]
	xrun -0 --separate-stderr trust-prune -n -r "$b"
	nlines n $'would be restored\t'
	[ "$n" -eq 4 ]
	[ ! -e "$S/CallManager-trust/old1.pem" ]
	xrun -0 --separate-stderr cert-regen -n -r "$b"
	[[ $output == *"put: CallManager-trust/old1.pem"* && $output == *"backup: none (dry run)"* ]]
	xrun -0 --separate-stderr cert-regen -y --now $LATER -r "$b"
	[[ $output == *"put: tomcat-trust/old4.pem"* ]]
	[[ $output == *"restart: Cisco CallManager"* ]]
	[ "$(tree "$S")" = "$before" ]
	# and the other way round
	run -0 cert-regen -s "$S" -y -q --now $NOW CallManager-ECDSA
	[ -z "$output" ]
	# (its name takes the second of the restore's backup, --now $LATER: names keep their order)
	xrun -0 --separate-stderr trust-prune -j -r "$S/.backup/20300101T000000Z-001-cert-regen"
	[ "$(jq -r '.backup_tool, ([.files[].state] | sort | unique | join(" "))' <<<"$output")" = $'cert-regen\nremoved restored' ]
	[ "$(tree "$S")" = "$before" ]
}

@test "store: backups of today's trust-prune (old \"manifest\") stay restorable by both tools" {
	before=$(tree "$S")
	b="$S/.backup/20250101T000000Z-trust-prune"
	mkdir -p "$b/CallManager-trust"
	sum=$(sha256sum <"$S/CallManager-trust/old2.pem")
	sum=${sum:0:64}
	mv "$S/CallManager-trust/old2.pem" "$b/CallManager-trust/"
	printf '# trust-prune manifest 1\n# path\tsha256\tsubject\tserial\tnotAfter\treason\nCallManager-trust/old2.pem\t%s\tCN=old server 2\t01\t2020-01-01T00:00:00Z\texpired\n' "$sum" >"$b/manifest"
	xrun -0 --separate-stderr trust-prune -n -r "$b"
	[ "${lines[0]}" = $'would be restored\tCallManager-trust/old2.pem' ]
	cp -a "$S" s2
	xrun -0 --separate-stderr trust-prune -r "$b"
	[[ $output == $'restored\tCallManager-trust/old2.pem'* ]]
	[ "$(tree "$S")" = "$before" ]
	xrun -0 --separate-stderr cert-regen -y -r s2/.backup/20250101T000000Z-trust-prune
	[[ $output == *"put: CallManager-trust/old2.pem"* ]]
	[ "$(tree s2)" = "$before" ]
}

@test "store: restore takes only regular files of the backup, never through a link; keys come back 0600" {
	run -0 cert-regen -s "$S" -y -q --now $NOW CallManager
	b="$S/.backup/20270101T000000Z-000-cert-regen"
	changed=$(tree "$S")
	echo "outside secret" >outside.pem
	mv "$b/CallManager/CallManager.pem" saved.pem
	ln -s "$BATS_TEST_TMPDIR/outside.pem" "$b/CallManager/CallManager.pem"
	xrun -2 --separate-stderr cert-regen -y -r "$b"
	[[ $stderr == *"CallManager/CallManager.pem: a symbolic link or not a directory on the way: not followed"* ]]
	[ "$(tree "$S")" = "$changed" ]
	rm "$b/CallManager/CallManager.pem" && mv saved.pem "$b/CallManager/CallManager.pem"
	# a directory of the backup replaced by a link out
	mv "$b/CallManager" bdir && ln -s "$BATS_TEST_TMPDIR/bdir" "$b/CallManager"
	xrun -2 --separate-stderr trust-prune -r "$b"
	[[ $stderr == *"not followed"* ]]
	[ "$(tree "$S")" = "$changed" ]
	rm "$b/CallManager" && mv bdir "$b/CallManager"
	# a link in the store where a file goes back: exit 2, nothing changed
	mv "$S/CallManager" out && ln -s "$BATS_TEST_TMPDIR/out" "$S/CallManager"
	before_out=$(tree out)
	xrun -2 --separate-stderr cert-regen -y -r "$b"
	[[ $stderr == *"$S/CallManager: symbolic link in the store: nothing restored"* ]]
	[ "$(tree out)" = "$before_out" ]
	rm "$S/CallManager" && mv out "$S/CallManager"
	# modes are the tool's, not the backup's
	chmod 644 "$b/CallManager/CallManager.key"
	xrun -0 --separate-stderr cert-regen -y -q -r "$b"
	[ "$(stat -c %a "$S/CallManager/CallManager.key")" = 600 ]
	cmp "$S/CallManager/CallManager.key" "$BATS_FILE_TMPDIR/tpl/CallManager/CallManager.key"
}

@test "store: owners of replaced keys are kept on regeneration and on restore" {
	[ "$(id -u)" = 0 ] || skip "needs root to own files as another user"
	chown -R 65534:65534 "$S"
	run -0 cert-regen -s "$S" -y -q --now $NOW CallManager
	[ "$(stat -c %u:%g:%a "$S/CallManager/CallManager.key")" = 65534:65534:600 ]
	[ "$(stat -c %u:%g "$S/CallManager/CallManager.pem")" = 65534:65534 ]
	# a new trust copy belongs to the owner of its directory
	[ -z "$(find "$S/CallManager-trust" ! -user 65534)" ]
	run -0 cert-regen -y -q --now $LATER -r "$S/.backup/20270101T000000Z-000-cert-regen"
	[ "$(stat -c %u:%g:%a "$S/CallManager/CallManager.key")" = 65534:65534:600 ]
	[ "$(stat -c %U "$S/.lock")" = root ] && [ "$(stat -c %a "$S/.lock")" = 600 ]
}

# bats test_tags=full
@test "store: a 100,000-line manifest restores whole" {
	on_tmpfs
	mkdir "$S/Phone-trust"
	(cd "$S/Phone-trust" && seq -f 'f%06g.pem' 1 100000 | xargs touch)
	b="$S/.backup/20270101T000000Z-000-cert-regen"
	mkdir -p "$b"
	{
		printf '# ctlkit backup 2: planted\ntool\tcert-regen\nstore\t%s\ntime\t%s\n' "$(realpath "$S")" $NOW
		seq -f $'put\tPhone-trust/f%06g.pem\t-\t-\t' 1 100000
	} >"$b/MANIFEST"
	[ "$(grep -c ^put "$b/MANIFEST")" -eq 100000 ]
	run -0 --separate-stderr trust-prune -q -r "$b"
	[ -z "$(ls -A "$S/Phone-trust")" ]
	[ "$(find "$S/.backup" -path '*Phone-trust/*' -type f | wc -l)" -eq 100000 ]
}

@test "store: cert-regen -n -j --trust: the trust store names printed are the ones given (no use after free)" {
	xrun -0 --separate-stderr cert-regen -n -j -s "$S" --trust-stores CallManager-trust,tomcat-trust CallManager
	jq -e '.units[0].trust_stores == ["CallManager-trust", "tomcat-trust"]' <<<"$output"
	xrun -0 --separate-stderr cert-regen -n -s "$S" --trust-stores tomcat-trust CallManager
	[[ $output == *"put: tomcat-trust/cucm1_"* ]]
}

# bats test_tags=full
@test "store: a failed apply leaves the store as it was and no backup directory, at every step" {
	before=$(tree "$S")
	n=$(notrace fail_steps 20 trust-prune -s "$S" --now $NOW --apply)
	[ "$n" -gt 8 ] && [ ! -e "$S/CallManager-trust/old1.pem" ]
	# ENOSPC for real, where a small tmpfs can be mounted
	mkdir small
	if mount -t tmpfs -o size=256k tmpfs small 2>/dev/null; then
		cp -a "$BATS_FILE_TMPDIR/tpl/." small/
		head -c 200k /dev/zero >small/filler 2>/dev/null || true
		rm -rf small/CallManager small/ITLRecovery small/tomcat
		b=$(tree small)
		run --separate-stderr cert-regen -s small -y --now $NOW CallManager-ECDSA
		if [ "$status" = 2 ]; then
			[ "$(tree small)" = "$b" ]
			[ -z "$(ls -A small/.backup 2>/dev/null)" ]
		fi
		umount small
	fi
}

@test "store: CallManager and ITLRecovery in one run are refused, with the way out; --force goes on" {
	before=$(tree "$S")
	xrun -2 --separate-stderr cert-regen -s "$S" -y CallManager ITLRecovery
	[ -z "$output" ]
	[[ $stderr == "cert-regen: CallManager and ITLRecovery: both possible ITL signers in one run leave phones no signer they trust: regenerate one, rebuild and push the ITL, reset the phones, then the other; or sign a transition ITL with the old ITLRecovery key from the backup (--force to go on anyway)" ]]
	[[ $stderr != *".md"* ]]
	[ "$(tree "$S")" = "$before" ]
	run -0 cert-regen -s "$S" -y -f CallManager ITLRecovery
	pair CallManager && pair ITLRecovery
}

@test "store: ITLRecovery gets the release's validity unless --days or --years say otherwise, and says which" {
	xrun -0 --separate-stderr cert-regen -s "$S" -y --now $NOW ITLRecovery
	[[ $output == *"validity: ITLRecovery: 7300 days (CUCM 12.0 to 14 make ITLRecovery valid 20 years; --days or --years to change it)"* ]]
	[ "$(openssl x509 -in "$S/ITLRecovery/ITLRecovery.pem" -noout -enddate)" = "notAfter=Dec 26 23:59:59 2046 GMT" ]
	xrun -0 --separate-stderr cert-regen -s "$S" -y -j --now $NOW --years 10 ITLRecovery
	jq -e '.units[0].days == 3650 and .units[0].days_from == "--years"' <<<"$output"
	xrun -0 --separate-stderr cert-regen -s "$S" -n --now $NOW --days 400 ITLRecovery
	[[ $output == *"validity: ITLRecovery: 400 days (--days)"* ]]
	# other units keep CUCM's five years
	xrun -0 --separate-stderr cert-regen -s "$S" -n -j --now $NOW tomcat
	jq -e '.units[0].days == 1825 and .units[0].days_from == "default"' <<<"$output"
}

# ca DIR: a root CA DIR/root.pem (key DIR/root.key) and tomcat's pending CSR signed by it as DIR/tomcat.pem.
ca() {
	mkdir -p "$1"
	MKCERT_BITS=1024 mkcert "$1" root 3650 "/CN=Example Root CA" -addext basicConstraints=critical,CA:TRUE
	openssl x509 -req -in csr.pem -CA "$1/root.pem" -CAkey "$1/root.key" -CAcreateserial \
		-days "${2:-365}" -copy_extensions copy -out "$1/tomcat.pem" 2>/dev/null
}

@test "store: --import refuses expired, not yet valid and foreign-chain certificates; --chain uploads the chain" {
	xrun -0 --separate-stderr cert-regen -s "$S" --csr tomcat
	printf '%s\n' "$output" >csr.pem
	ca ca
	before=$(tree "$S")
	# issuer in no trust store of the unit
	xrun -2 --separate-stderr cert-regen -s "$S" -y --import ca/tomcat.pem tomcat
	[[ $stderr == "cert-regen: ca/tomcat.pem: its issuer chain (CN=Example Root CA) is not in $S/tomcat-trust"*"give it with --chain FILE (uploaded in the same change)" ]]
	[ "$(tree "$S")" = "$before" ]
	# expired at --now, and not yet valid
	xrun -2 --separate-stderr cert-regen -s "$S" -y --now 2099-01-01T00:00:00Z --import ca/tomcat.pem --chain ca/root.pem tomcat
	[[ $stderr == "cert-regen: ca/tomcat.pem: expired on "*"CUCM refuses it"* ]]
	xrun -2 --separate-stderr cert-regen -s "$S" -y --now 2001-01-01T00:00:00Z --import ca/tomcat.pem --chain ca/root.pem tomcat
	[[ $stderr == "cert-regen: ca/tomcat.pem: not valid before "* ]]
	[ "$(tree "$S")" = "$before" ]
	# a key that is neither the unit's nor the pending one
	MKCERT_BITS=1024 mkcert . stranger 100 /CN=stranger
	xrun -2 --separate-stderr cert-regen -s "$S" -y --import stranger.pem tomcat
	[[ $stderr == *"stranger.pem: no certificate for the key in $S/tomcat/tomcat.csr.key" ]]
	# --chain: the root goes to tomcat-trust in the same change
	xrun -0 --separate-stderr cert-regen -s "$S" -y --now $NOW --import ca/tomcat.pem --chain ca/root.pem tomcat
	[[ $output == *"put: tomcat-trust/Example_Root_CA_"* ]]
	has_name "$S/tomcat-trust" '^Example_Root_CA_[0-9a-f]*\.pem$'
	slurp m "$S/.backup/20270101T000000Z-000-cert-regen/MANIFEST"
	[[ $m == *Example_Root_CA* ]]
	pair tomcat
	xrun -2 --separate-stderr cert-regen -s "$S" --chain ca/root.pem tomcat
	[[ $stderr == *"usage: cert-regen"* ]]
}

@test "store: itl-build warns for every expired or not yet valid record and lists them in --json" {
	# signer 2020-2040, old (CN=old tvs) 2010-2020, future (CN=future tftp) 2035-2040: committed
	local k=$BATS_FILE_TMPDIR/k
	xrun -0 --separate-stderr itl-build -n -j --now $NOW -k $k/signer.key --sast $k/signer.pem \
		--tvs $k/old.pem --tftp $k/future.pem
	[[ $stderr == *"itl-build: warning: record 2 (CN=old tvs): certificate expired on 2020-01-01T00:00:00Z (phones still load it)"* ]]
	[[ $stderr == *"itl-build: warning: record 3 (CN=future tftp): certificate not valid before 2035-01-01T00:00:00Z (phones still load it)"* ]]
	n=0
	for l in "${stderr_lines[@]}"; do [[ $l != *warning* ]] || n=$((n + 1)); done	# grep -c warning
	[ $n -eq 2 ]
	jq -e '[.not_valid[] | [.record, .state]] == [[2, "expired"], [3, "not-yet-valid"]]' <<<"$output"
	xrun -0 --separate-stderr itl-build -n -j --now 2036-01-01T00:00:00Z -k $k/signer.key --sast $k/signer.pem --tftp $k/future.pem
	[ -z "$stderr" ]
	jq -e '.not_valid == []' <<<"$output"
}

# release: the holder reading the fifo "go" lets the lock go (opened read-write: never blocks;
# the holders give up after 30 s whatever happens).
release() {
	local fd
	exec {fd}<>go
	echo >&$fd
	exec {fd}>&-
}

# bats test_tags=full
@test "store: a store in use: changers wait --wait seconds then exit 2 naming the holder; readers share" {
	command -v flock >/dev/null || skip "no flock(1)"
	# the holders hold the lock until "release" lets them go (not for a fixed time: load-proof, no idle wait)
	mkfifo go
	flock -x "$S/.lock" timeout 30 head -c 1 go >/dev/null &
	printf 'cert-regen pid %d\n' $! >"$S/.lock"	# as a live holder leaves it
	sleep 0.3
	before=$(tree "$S")
	run -2 --separate-stderr cert-regen -s "$S" -y --wait 1 CallManager
	[[ $stderr == "cert-regen: $S: store busy: locked by cert-regen pid $! (waited 1 s; --wait SECONDS waits longer)" ]]
	run -2 --separate-stderr trust-prune -s "$S" --wait 0 --now $NOW --apply
	[[ $stderr == *"store busy: locked by cert-regen pid $!"* ]]
	# readers take a shared lock: they wait for a change too
	run -2 --separate-stderr trust-prune -s "$S" --wait 0 --now $NOW
	[[ $stderr == *"store busy"* ]]
	run -2 --separate-stderr itl-build -n -s "$S" --wait 0
	[[ $stderr == *"store busy"* ]]
	[ "$(tree "$S")" = "$before" ]
	# a change waits its turn
	cert-regen -s "$S" -y -q --wait 30 CallManager-ECDSA &
	sleep 0.3
	release
	wait $!
	wait
	# readers together are fine, a changer is not
	flock -s "$S/.lock" timeout 30 head -c 1 go >/dev/null &
	sleep 0.3
	run -1 --separate-stderr trust-prune -s "$S" --wait 0 --now $NOW
	[[ $output == *$'CallManager-trust\told1.pem\t'* ]]
	run -2 --separate-stderr trust-prune -s "$S" --wait 0 --now $NOW --apply
	[[ $stderr == *"store busy"* ]]
	release
	wait
	[ "$(stat -c %a "$S/.lock")" = 600 ]
	# cert-expiry -s waits for a change under way and reads the store after it
	flock -x "$S/.lock" sh -c "sleep 1; rm -r '$S/CallManager-ECDSA'" &
	sleep 0.3
	run -1 --separate-stderr cert-expiry -a -s "$S"
	[[ $output != *"CallManager-ECDSA/CallManager-ECDSA.pem"* && $output == *"CallManager/CallManager.pem"* ]]
	wait
	run -2 --separate-stderr cert-regen -s "$S" --wait soon CallManager
	[[ $stderr == *'cert-regen: --wait: not a number from 0 to 86400: "soon"'* ]]
}

# bats test_tags=full
@test "store: two cert-regen -y and a trust-prune --apply at once, 50 times (10 under make check): never a mixed pair, every backup restores" {
	local i st f b out
	# on tmpfs when there is one: fsync costs nothing there, the locking is the same
	if [ -d /dev/shm ] && [ -w /dev/shm ]; then
		SHM=$(mktemp -d /dev/shm/ctlkit-store.XXXXXX)
		S="$SHM/s"
	fi
	want=$(tree "$BATS_FILE_TMPDIR/tpl")
	notrace race_rounds "$(pick_full 50 10)"
}

# race_rounds N: N rounds of the race above (want: the template's tree).
race_rounds() {
	local i st f b p p1 p2 p3 e bs
	for i in $(seq 1 "$1"); do
		"$ST" copy "$BATS_FILE_TMPDIR/tpl" "$S"
		cert-regen -s "$S" -y -q --wait 0 --now $NOW CallManager-ECDSA 2>e1 & p1=$!
		cert-regen -s "$S" -y -q --wait 0 --now $NOW CallManager-ECDSA 2>e2 & p2=$!
		trust-prune -s "$S" -q --wait 0 --now $NOW --apply 2>e3 & p3=$!
		for p in $p1 $p2 $p3; do
			st=0
			wait $p || st=$?
			f=e$((p == p1 ? 1 : p == p2 ? 2 : 3))
			if [ $st != 0 ]; then
				e=$(<$f)
				[ $st = 2 ] || { echo "round $i: exit $st: $e" >&2; false; }
				[[ $e =~ "store busy: locked by "(cert-regen|trust-prune)" pid "[0-9] ]] ||
					{ echo "round $i: $e" >&2; false; }
			fi
		done
		pair CallManager-ECDSA
		# every backup restores, newest first, back to the template
		bs=("$S"/.backup/*)	# sorted (LC_ALL=C): NAME before NAME.1, so from the end
		for ((p = ${#bs[@]} - 1; p >= 0; p--)); do
			b=${bs[p]}
			[ -f "$b/MANIFEST" ] || continue
			trust-prune -q -r "$b" || { echo "round $i: restore of $b failed" >&2; false; }
		done
		[ "$(tree "$S")" = "$want" ]
	done
}
