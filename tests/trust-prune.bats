#!/usr/bin/env bats
# trust-prune: selection and protections, dry run, apply, manifest, restore, crash safety.
load helpers
load storekit

NOW=2026-01-01T00:00:00Z

# The store (own certificates, three trust units), ITLFile.tlv and the certificates tests add:
# committed (tests/fixtures/stores/make.sh made them), copied once per file (keys made 0600:
# git keeps no mode) and per test from there.
setup_file() {
	need_storekit
	cp -r "$FIX/prune/store" "$FIX/prune/gen" "$FIX/prune/ITLFile.tlv" "$BATS_FILE_TMPDIR/"
	chmod 600 "$BATS_FILE_TMPDIR"/store/*/*.key "$BATS_FILE_TMPDIR"/gen/*.key
}

setup() {
	need_storekit
	cp -a "$BATS_FILE_TMPDIR/store" "$BATS_FILE_TMPDIR/ITLFile.tlv" "$BATS_TEST_TMPDIR/"
	cd "$BATS_TEST_TMPDIR"
}

# The SHA-256 of every certificate file held by the store and its backups together.
# Each as "SHA UNIT/FILE", wherever it is: a file both kept and not yet removed counts once.
all_sums() {	# (manifests and the lock left out)
	"$ST" sums "$1"
}

# What the selection computes on the committed store (the verbose golden, superseded namesakes,
# the bundled CA names, EC issuers among namesakes, issuers of mkissuers' stores) is checked by
# tests/unit/t_stprune.c.

# unit<TAB>file<TAB>reason of the dry-run lines.
picks() {
	cut -f1,2,6 <<<"$output"
}

@test "trust-prune: --help on stdout exits 0; --version; bad usage exits 2 with the usage line" {
	xrun -0 --separate-stderr trust-prune --help
	[[ $output == "usage: trust-prune "* ]]
	[ -z "$stderr" ]
	run -0 trust-prune --version
	[[ $output == "trust-prune ctlkit "* ]]
	for args in "--bogus" "-a -n" "-r x -a" "-r x CAPF-trust" "-f" "-e soon" "-e -3"; do
		xrun -2 --separate-stderr trust-prune $args
		[ -z "$output" ]
		[[ $stderr == *"usage: trust-prune"* ]]
	done
}

@test "trust-prune: dry run selects expired and superseded certificates, exit 1" {
	xrun -1 --separate-stderr trust-prune -s store --now $NOW
	[ "$(picks)" = $'CAPF-trust\tCAPF-0badc0de.pem\texpired
CallManager-trust\tccmca_fake.pem\texpired
CallManager-trust\tdup_1.pem\tsuperseded
CallManager-trust\tin_itl.pem\texpired
CallManager-trust\told_server.pem\texpired' ]
	[ -z "$stderr" ]
	# store, file, subject, serial, notAfter, reason
	[[ ${lines[4]} =~ ^CallManager-trust$'\t'old_server.pem$'\t'CN=old\ server$'\t'[0-9A-F]+$'\t'2020-01-01T00:00:00Z$'\t'expired$ ]]
}

@test "trust-prune: the dry run changes nothing in the store" {
	tree store >before
	run -1 trust-prune -s store --now $NOW -v
	[[ $output == *$'CallManager-trust\told_server.pem\t'* ]]
	run -1 trust-prune -s store --now $NOW --json
	jq -e '.certificates | length > 0' <<<"$output"
	tree store >after
	same_text before after
	[ ! -e store/.backup ]
}

@test "trust-prune: nothing to prune exits 0 and prints nothing; units restrict the scope" {
	xrun -0 --separate-stderr trust-prune -s store --now $NOW tomcat-trust
	[ -z "$output" ]
	[ -z "$stderr" ]
	run -1 trust-prune -s store --now $NOW CAPF-trust
	[ "$(picks)" = $'CAPF-trust\tCAPF-0badc0de.pem\texpired' ]
	run -0 trust-prune -s store --now 2019-01-01T00:00:00Z CAPF-trust
	[ -z "$output" ]
}

@test "trust-prune: --expiring DAYS selects what expires within the window" {
	run -1 trust-prune -s store --now 2029-06-01T00:00:00Z -e 213 CallManager-trust
	[[ $(picks) != *good_server* ]]
	run -1 trust-prune -s store --now 2029-06-01T00:00:00Z -e 215 CallManager-trust
	p=$(picks)
	[[ $p == *$'CallManager-trust\tgood_server.der\texpiring'* ]]
	[[ $p == *$'CallManager-trust\tdup_2.pem\texpiring'* ]]
	[[ $p == *$'CallManager-trust\tdup_1.pem\tsuperseded'* ]]
}

@test "trust-prune: Cisco bundled CAs stay; --allow-mic-roots frees them, never in CAPF-trust" {
	run -1 trust-prune -s store --now $NOW -v
	p=$(picks)
	[[ $p == *$'Cisco_Root_CA_2048.pem\tkeep:bundled-ca(expired)'* ]]
	[[ $p == *$'Cisco_Manufacturing_CA.pem\tkeep:bundled-ca(expired)'* ]]
	run -1 trust-prune -s store --now $NOW --allow-mic-roots
	p=$(picks)
	[[ $p == *$'CallManager-trust\tCisco_Root_CA_2048.pem\texpired'* ]]
	[[ $p != *Cisco_Manufacturing_CA* ]]
}

@test "trust-prune: the issuer of an own certificate stays (by key, whole chain); a namesake goes" {
	run -1 trust-prune -s store --now $NOW -j
	# selected, keep, issuer_of of each file named (one jq for them all)
	sel=$(jq -r '[.certificates[] | {(.file): ([.selected, (.keep | join(",")), .issuer_of // "-"] | join(" "))}] |
		add | .["ccmca.pem"], .["ccmca_fake.pem"], .["web_intermediate.pem"], .["web_root.pem"]' <<<"$output")
	[ "$sel" = "false issuer CallManager/CallManager.pem
true  -
false issuer tomcat/tomcat.pem
false issuer tomcat/tomcat.pem" ]
	# Without the own certificate nothing protects them.
	rm store/tomcat/tomcat.pem
	run -1 trust-prune -s store --now $NOW tomcat-trust
	[ "$(picks)" = $'tomcat-trust\tweb_root.pem\texpired' ]
}

@test "trust-prune: an unreadable own certificate: exit 2, and --apply moves nothing" {
	echo garbage >store/CallManager/CallManager.pem
	tree store >before
	xrun -2 --separate-stderr trust-prune -s store --now $NOW
	[[ $stderr == *"trust-prune: store/CallManager/CallManager.pem: "* ]]
	xrun -2 --separate-stderr trust-prune -s store --now $NOW -j
	[ "$(jq -r '.errors[].path' <<<"$output")" = store/CallManager/CallManager.pem ]
	xrun -2 --separate-stderr trust-prune -s store --now $NOW --apply
	[[ $stderr == *"nothing moved"* ]]
	tree store >after
	same_text before after
}

@test "trust-prune: --keep-in and --unused-by protect what a CTL/ITL holds (file or stdin)" {
	run -1 trust-prune -s store --now $NOW --keep-in ITLFile.tlv CallManager-trust
	[[ $(picks) != *in_itl* ]]
	run -1 trust-prune -s store --now $NOW -v --keep-in - CallManager-trust <ITLFile.tlv
	[[ $(picks) == *$'in_itl.pem\tkeep:keep-in(expired)'* ]]
	run -1 trust-prune -s store --now $NOW -j --unused-by ITLFile.tlv CallManager-trust
	[ "$(jq -r '.certificates[] | select(.file == "in_itl.pem") | .keep[0] + " " + .held_by' <<<"$output")" = "in-use ITLFile.tlv" ]
}

@test "trust-prune: the bundled CTL and ITL samples load as --keep-in lists" {
	# they hold none of the store's certificates: the same selection as without them
	xrun -1 --separate-stderr trust-prune -s store --now $NOW
	want=$output
	xrun -1 --separate-stderr trust-prune -s store --now $NOW --keep-in "$TOP/samples/CTLFile-demo.tlv" \
		-u "$TOP/samples/ITLFile-demo.tlv"
	[ -z "$stderr" ]
	[ "${#lines[@]}" -eq 5 ]
	[ "$output" = "$want" ]
}

@test "trust-prune: a damaged CTL/ITL is trouble before anything is selected" {
	head -c 40 ITLFile.tlv >bad.tlv
	xrun -2 --separate-stderr trust-prune -s store --now $NOW --keep-in bad.tlv
	[ -z "$output" ]
	[[ $stderr == "trust-prune: bad.tlv: "* ]]
	xrun -2 --separate-stderr trust-prune -s store --now $NOW -u missing.tlv --apply
	[ -z "$output" ]
	[[ $stderr == "trust-prune: missing.tlv: "* ]]
	[ ! -e store/.backup ]
}

@test "trust-prune: private keys and files with no certificate are never selected" {
	run -0 trust-prune -s store --now $NOW -v tomcat-trust
	p=$(picks)
	[[ $p == *$'stray.key\tkeep:private-key'* ]]
	[[ $p == *$'with_key.pem\tkeep:private-key(expired)'* ]]
	putb store/tomcat-trust/req.csr <"$BATS_FILE_TMPDIR/gen/req.csr"	# a CSR of expired.key
	run -0 trust-prune -s store --now $NOW -j tomcat-trust
	[ "$(jq -r '.skipped[] | .file + ": " + .why' <<<"$output")" = $'req.csr: no certificate in it\nstray.key: a private key, no certificate' ]
}

@test "trust-prune: a damaged file is reported (stderr, JSON), kept, exit 2; the rest is processed" {
	echo "not a certificate" >store/CAPF-trust/garbage.pem
	printf -- '-----BEGIN CERTIFICATE-----\nAAAA\n' >store/CAPF-trust/truncated.pem
	xrun -2 --separate-stderr trust-prune -s store --now $NOW CAPF-trust
	[ "$(picks)" = $'CAPF-trust\tCAPF-0badc0de.pem\texpired' ]
	[[ $stderr == *"trust-prune: store/CAPF-trust/garbage.pem: "* ]]
	[[ $stderr == *"trust-prune: store/CAPF-trust/truncated.pem: no END line"* ]]
	xrun -2 --separate-stderr trust-prune -s store --now $NOW -j CAPF-trust
	[ "$(jq -r '.errors[].path' <<<"$output")" = $'store/CAPF-trust/garbage.pem\nstore/CAPF-trust/truncated.pem' ]
	run -2 trust-prune -s store --now $NOW --apply CAPF-trust
	[ -f store/CAPF-trust/garbage.pem ] && [ ! -e store/CAPF-trust/CAPF-0badc0de.pem ]
}

@test "trust-prune: symbolic links are reported, never followed out of the store, never moved" {
	ln -s ../CallManager-trust/old_server.pem store/CAPF-trust/inside.pem
	ln -s "$BATS_FILE_TMPDIR/gen/expired.pem" store/CAPF-trust/outside.pem
	xrun -1 --separate-stderr trust-prune -s store --now $NOW -v CAPF-trust
	[[ $stderr == *"store/CAPF-trust/inside.pem: symbolic link: not followed, left in place"* ]]
	[[ $stderr == *"store/CAPF-trust/outside.pem: symbolic link"* ]]
	[[ $(picks) == *$'outside.pem\tkeep:symlink'* ]]
	run -0 trust-prune -s store --now $NOW --apply CAPF-trust
	[ -L store/CAPF-trust/inside.pem ] && [ -L store/CAPF-trust/outside.pem ]
	[ -f "$BATS_FILE_TMPDIR/gen/expired.pem" ]
}

@test "trust-prune: unknown or non-trust units and a missing store are trouble" {
	xrun -2 --separate-stderr trust-prune -s store Nope-trust
	[[ $stderr == "trust-prune: store/Nope-trust: no such trust store directory" ]]
	xrun -2 --separate-stderr trust-prune -s store CallManager
	[[ $stderr == "trust-prune: CallManager: not a trust unit (UNIT-trust)" ]]
	xrun -2 --separate-stderr trust-prune -s nostore
	[[ $stderr == "trust-prune: nostore: "* ]]
	xrun -2 --separate-stderr trust-prune -s store --now yesterday
	[ -z "$output" ]
}

@test "trust-prune: --apply moves exactly the selected files beside a manifest, prints what to restart" {
	tree store >before
	xrun -0 --separate-stderr trust-prune -s store --now $NOW --apply
	[ -z "$stderr" ]
	local b=(store/.backup/*-trust-prune)
	[ ${#b[@]} -eq 1 ] && [ -d "$b" ]
	[[ $b =~ /[0-9]{8}T[0-9]{6}Z-[0-9]{3}-trust-prune$ ]]
	[ "$(stat -c %a "$b")" = 700 ]
	# The files that went are in the backup under the same UNIT/FILE, byte for byte (the files
	# of the backup by a glob, sorted as find | sort sorts them under LC_ALL=C).
	local f moved=() m id sb so entries=() kind p sum new note
	declare -A sha=()
	shopt -s globstar nullglob
	for f in "$b"/**; do
		[[ -f $f && ${f##*/} != MANIFEST ]] && moved+=("${f#"$b"/}")
	done
	[ "$(printf '%s\n' "${moved[@]}")" = "CAPF-trust/CAPF-0badc0de.pem
CallManager-trust/ccmca_fake.pem
CallManager-trust/dup_1.pem
CallManager-trust/in_itl.pem
CallManager-trust/old_server.pem" ]
	for f in "${moved[@]}"; do
		[ ! -e "store/$f" ]
	done
	# byte for byte: the same SHA-256 as the file of the store copied in (one sha256sum each side)
	mapfile -t sb < <(cd "$b" && sha256sum "${moved[@]}")
	mapfile -t so < <(cd "$BATS_FILE_TMPDIR/store" && sha256sum "${moved[@]}")
	[ "${#sb[@]}" -eq 5 ] && [ "${sb[*]}" = "${so[*]}" ]
	for f in "${sb[@]}"; do sha[${f#*  }]=${f%%  *}; done
	# The one manifest format: tool, store id, time (--now), then kind, path, SHA-256 before, -, note.
	slurp m "$b/MANIFEST"
	slurp id store/.backup/.id
	[[ $'\n'$m$'\n' == *$'\ntool\ttrust-prune\n'* ]]
	[[ $'\n'$m$'\n' == *$'\nid\t'"$id"$'\n'* ]]
	[[ $'\n'$m$'\n' == *$'\ntime\t'"$NOW"$'\n'* ]]
	while IFS= read -r f; do
		[[ $f != put$'\t'* && $f != replace$'\t'* && $f != remove$'\t'* ]] || entries+=("$f")
	done <<<"$m"
	[ "${#entries[@]}" -eq 5 ]
	for f in "${entries[@]}"; do
		IFS=$'\t' read -r kind p sum new note <<<"$f"
		[ "$kind" = remove ] && [ "$new" = - ]
		[ "${sha[$p]}" = "$sum" ]	# the backup copy's
		[[ $note == CN=*"; serial "*"; notAfter 20"??-??-??T??:??:??Z"; "?* ]]
	done
	[[ $output == *"backup: $b"$'\n'"changed: CAPF-trust"$'\n'"changed: CallManager-trust"$'\n'* ]]
	[[ $output == *"restart: Cisco Certificate Authority Proxy Function (publisher)"* ]]
	[[ $output == *"restart: Cisco CallManager (every node running it)"* ]]
	[[ $output == *"CSCut58407"* ]]
	[[ $output != *"utils ctl update CTLFile"* ]]	# not in mixed mode: no CTL to update
	[[ $output == *"next: CallManager-trust is replicated to every node"* ]]
	[[ $output != *"Cisco Tomcat"* ]]
	# Nothing left to do.
	run -0 trust-prune -s store --now $NOW
	[ -z "$output" ]
}

@test "trust-prune: --apply --json reports the move, the backup and the restarts" {
	run -0 trust-prune -s store --now $NOW --apply --json CAPF-trust
	# mode, backup, selected files, first restart, first replicated, changed: one jq
	mapfile -t j < <(jq -r '.mode, .backup, ([.certificates[] | select(.selected) | .file] | join(" ")),
		.restarts[0].service, .replicated[0], (.changed | join(" "))' <<<"$output")
	[ "${#j[@]}" -eq 6 ]
	[ "${j[0]}" = apply ]
	[ -d "${j[1]}" ]
	[ "${j[2]}" = CAPF-0badc0de.pem ]
	[ "${j[3]}" = "Cisco Certificate Authority Proxy Function" ]
	[ "${j[4]}" = CAPF-trust ]
	[ "${j[5]}" = CAPF-trust ]
}

@test "trust-prune: a second backup in the same second gets the next rank; names sort in creation order" {
	# the backup's name comes from the same clock as its manifest: --now; an old-style name
	# of that second ranks before
	mkdir -p "store/.backup/20260101T000000Z-trust-prune"
	run -0 trust-prune -s store --now $NOW --apply CAPF-trust
	[[ $output == *"backup: store/.backup/20260101T000000Z-001-trust-prune"* ]]
	# no free name left: said so, nothing changed, no backup directory left behind (a clock
	# behind the newest backup takes that backup's second, so that the names keep their order)
	mkdir store/.backup/20260101T000000Z-{002..999}-trust-prune
	tree store >before
	xrun -2 --separate-stderr trust-prune -s store --now 2025-01-01T00:00:00Z --apply CallManager-trust
	[[ $stderr == *"no free backup name: 20260101T000000Z-000 to 20260101T000000Z-999 are taken"* ]]
	tree store >after
	same_text before after
	local e=(store/.backup/*) m	# (ls: no dot files; sorted as ls sorts under LC_ALL=C)
	[ ${#e[@]} -eq 1000 ]
	rmdir store/.backup/20260101T000000Z-{002..999}-trust-prune
	run -0 trust-prune -s store --now 2025-01-01T00:00:00Z --apply CallManager-trust
	[[ $output == *"backup: store/.backup/20260101T000000Z-002-trust-prune"* ]]
	slurp m store/.backup/20260101T000000Z-002-trust-prune/MANIFEST
	[[ $'\n'$m$'\n' == *$'\ntime\t2025-01-01T00:00:00Z\n'* ]]	# grep -qx
	rmdir store/.backup/20260101T000000Z-trust-prune	# an old name: ls puts it last
	e=(store/.backup/*)
	[ "${e[-1]##*/}" = 20260101T000000Z-002-trust-prune ]
}

@test "trust-prune: --restore puts every file back byte for byte; twice is harmless" {
	tree store >before
	run -0 trust-prune -s store --now $NOW --apply
	local b=(store/.backup/*-trust-prune)
	xrun -0 --separate-stderr trust-prune --restore "$b"
	[ -z "$stderr" ]
	nlines n $'restored\t'
	[ "$n" -eq 5 ]
	[[ $output == *"restart: Cisco CallManager"* ]]
	tree store >after
	same_text before after
	run -0 trust-prune -j -r "$b/"
	[ "$(jq -r '[.files[].state] | unique | join(" ")' <<<"$output")" = in-place ]
}

@test "trust-prune: --restore refuses to overwrite a different file and changes nothing; --force puts it back, keeping the other" {
	run -0 trust-prune -s store --now $NOW --apply CallManager-trust
	local b=(store/.backup/*-trust-prune)
	echo "someone else" >store/CallManager-trust/dup_1.pem
	xrun -2 --separate-stderr trust-prune -r "$b"
	[[ $stderr == "trust-prune: store/CallManager-trust/dup_1.pem: a different file is at this path (--force"*"nothing restored" ]]
	slurp f store/CallManager-trust/dup_1.pem
	[ "$f" = "someone else" ]
	[ ! -e store/CallManager-trust/old_server.pem ]
	[ -z "$output" ]
	xrun -0 --separate-stderr trust-prune -f --now 2031-01-01T00:00:00Z -r "$b"
	nlines n $'restored\t'
	[ "$n" -eq 4 ]
	cmp store/CallManager-trust/dup_1.pem "$BATS_FILE_TMPDIR/store/CallManager-trust/dup_1.pem"
	cmp store/CallManager-trust/old_server.pem "$BATS_FILE_TMPDIR/store/CallManager-trust/old_server.pem"
	# the file that was in the way is in the restore's own backup
	slurp f store/.backup/20310101T000000Z-000-trust-prune/CallManager-trust/dup_1.pem
	[ "$f" = "someone else" ]
}

@test "trust-prune: --restore refuses a tampered backup copy and a manifest reaching outside" {
	run -0 trust-prune -s store --now $NOW --apply CAPF-trust
	local b=(store/.backup/*-trust-prune)
	echo x >>"$b/CAPF-trust/CAPF-0badc0de.pem"
	xrun -2 --separate-stderr trust-prune -r "$b"
	[[ $stderr == *"CAPF-0badc0de.pem: the backup copy differs from the manifest: nothing restored" ]]
	[ ! -e store/CAPF-trust/CAPF-0badc0de.pem ]
	sed -i 's#^remove	CAPF-trust/#remove	../../#' "$b/MANIFEST"
	xrun -2 --separate-stderr trust-prune -r "$b"
	[[ $stderr == *"../../CAPF-0badc0de.pem: unsafe path in the manifest (outside the store): nothing restored" ]]
	xrun -2 --separate-stderr trust-prune -r store
	[[ $stderr == *"not a backup directory"* ]]
}

# bats test_tags=full
@test "trust-prune: killed with SIGKILL at any point of --apply, store and backup hold every certificate" {
	all_sums store >want
	tree store >before
	# on tmpfs when there is one: fsync costs nothing there, what a kill leaves is the same
	if [ -d /dev/shm ] && [ -w /dev/shm ]; then
		SHM=$(mktemp -d /dev/shm/ctlkit-prune.XXXXXX)
		cd "$SHM"
	fi
	notrace kill_points
}

teardown() {
	[ -z "${SHM:-}" ] || rm -rf "$SHM"
}

# kill_points: the loop of the test above, every step (storetree: storekit.bash).
kill_points() {
	local n b st got after
	# steps: 5 files kept, the manifest, the backup's fsync, 5 unlinks, the store's fsync
	for n in $(seq 1 13); do
		"$ST" copy "$BATS_FILE_TMPDIR/store" s
		st=0
		CTK_KILL_AFTER=$n trust-prune -s s --now $NOW --apply >/dev/null 2>&1 || st=$?
		[ $st = 137 ] || { echo "CTK_KILL_AFTER=$n: exit $st, not killed" >&2; return 1; }
		got=$(all_sums s)
		[ "$got" = "$(<"$BATS_TEST_TMPDIR/want")" ] || { diff -u "$BATS_TEST_TMPDIR/want" - <<<"$got"; return 1; }
		b=(s/.backup/*-trust-prune)
		[ "$(backup_files "$b")" -eq $((n > 5 ? 5 : n - 1)) ]
		if [ -f "$b/MANIFEST" ]; then trust-prune -r "$b" >/dev/null; fi
		after=$(tree s)
		[ "$after" = "$(<"$BATS_TEST_TMPDIR/before")" ] || { diff -u "$BATS_TEST_TMPDIR/before" - <<<"$after"; return 1; }
	done
}

# backup_files DIR: how many files under DIR, MANIFEST* left out (find DIR -type f ! -name
# 'MANIFEST*' | wc -l, in the shell).
backup_files() {
	local f k=0
	shopt -s globstar dotglob nullglob
	for f in "$1"/**; do
		[[ -f $f && ! -L $f && ${f##*/} != MANIFEST* ]] && k=$((k + 1))
	done
	echo $k
}

# bats test_tags=full
@test "trust-prune: killed at random moments by a timer, nothing is lost" {
	local i b pem
	# A larger unit, so that the kill lands while files move.
	mkdir -p store/Phone-trust
	IFS= read -r -d '' pem <store/CallManager-trust/old_server.pem || true
	copies() {	# 300 copies without a cp each
		for ((i = 1; i <= 300; i++)); do printf %s "$pem" >"store/Phone-trust/old_$i.pem"; done
	}
	notrace copies
	cmp store/Phone-trust/old_300.pem store/CallManager-trust/old_server.pem
	all_sums store >want
	for i in $(pick_full "1 2 3 4 5 6" "2 5"); do
		"$ST" copy store s
		timeout -s KILL "0.0${i}" trust-prune -s s --now $NOW --apply >/dev/null || true
		all_sums s >got
		diff -u want got
		for b in s/.backup/*-trust-prune; do
			[ -f "$b/MANIFEST" ] || continue
			trust-prune -r "$b" >/dev/null
		done
		[ "$(all_sums s)" = "$(<want)" ]
		[ "$(find s/Phone-trust -type f | wc -l)" -eq 300 ]
	done
}

@test "trust-prune: -q prints nothing; a write error on stdout is exit 2" {
	xrun -1 --separate-stderr trust-prune -q -s store --now $NOW
	[ -z "$output" ] && [ -z "$stderr" ]
	run -2 --separate-stderr bash -c 'trust-prune -s store --now $0 >/dev/full' $NOW
	[[ $stderr == *"trust-prune: stdout: "* ]]
	run -2 bash -c 'trust-prune -s store --now $0 -j >/dev/full' $NOW
	[[ $output == *"stdout: No space left on device"* ]]
}

@test "trust-prune: JSON is one valid document, with every certificate and why it stays" {
	run -1 trust-prune -s store --now $NOW -j
	[ "${#lines[@]}" -eq 1 ]
	# one valid document (jq fails otherwise); mode and now, selected, all, good_server's notAfter
	mapfile -t j < <(jq -r '.mode + " " + .now, ([.certificates[] | select(.selected)] | length),
		(.certificates | length), (.certificates[] | select(.file == "good_server.der") | .not_after)' <<<"$output")
	[ "${#j[@]}" -eq 4 ]
	[ "${j[0]}" = "dry-run $NOW" ]
	[ "${j[1]}" -eq 5 ]
	[ "${j[2]}" -eq 13 ]
	[ "${j[3]}" = 2030-01-01T00:00:00Z ]
}

@test "trust-prune: PEM bundles and DER files; a file goes only when all its certificates go" {
	local g=$BATS_FILE_TMPDIR/gen
	local a b
	IFS= read -r -d '' a <"$g/fakeca.pem" || true
	IFS= read -r -d '' b <"$g/initl.pem" || true
	printf '%s%s' "$a" "$b" >store/CAPF-trust/both_expired.pem
	IFS= read -r -d '' a <"$g/expired.pem" || true
	IFS= read -r -d '' b <"$g/valid.pem" || true
	printf '%s%s' "$a" "$b" >store/CAPF-trust/mixed.pem
	# single.der: CN=lone, 2015 to 2020; two.der: mfg's and capfold's DER (make.sh)
	cp "$g/single.der" "$g/two.der" store/CAPF-trust/
	run -1 trust-prune -s store --now $NOW -v CAPF-trust
	p=$(picks)
	[[ $p == *$'both_expired.pem\texpired\nCAPF-trust\tboth_expired.pem\texpired'* ]]
	[[ $p == *$'mixed.pem\tkeep:shares-file(expired)\nCAPF-trust\tmixed.pem\tkeep:valid'* ]]
	[[ $p == *$'CAPF-trust\tsingle.der\texpired'* ]]
	[[ $p == *$'two.der\tkeep:bundled-ca(expired,superseded)\nCAPF-trust\ttwo.der\tkeep:shares-file(expired,superseded)'* ]]
	run -0 trust-prune -s store --now $NOW --apply CAPF-trust
	[ ! -e store/CAPF-trust/both_expired.pem ] && [ ! -e store/CAPF-trust/single.der ]
	[ -f store/CAPF-trust/mixed.pem ]
}

# bats test_tags=full
@test "trust-prune: the man page's examples run as written (store path and mail swapped)" {
	local man=$TOP/man/trust-prune.1 ex
	ex() {	# the example lines, with the test's store in place of /srv/cucm
		sed -n -e 's/^\.Dl \$ //p' -e 's/^0 6 \* \* 1 //p' "$man" | sed -e 's/\\&//g' \
			-e "s#/srv/cucm#$BATS_TEST_TMPDIR/store#g" -e "s#/var/tmp/#$BATS_TEST_TMPDIR/#g"
	}
	mapfile -t cmds < <(ex)
	[ "${#cmds[@]}" -eq 6 ]
	mkdir -p bin && printf '#!/bin/sh\ncat >"%s/mailed"\n' "$BATS_TEST_TMPDIR" >bin/mail && chmod +x bin/mail
	cp ITLFile.tlv store/
	tree store >before
	export PATH=$BATS_TEST_TMPDIR/bin:$PATH SOURCE_DATE_EPOCH=1767225600	# 2026-01-01
	run -1 bash -c "${cmds[0]}"
	[[ $output == *$'\tkeep:issuer(expired,superseded)'* ]]
	run -0 bash -c "${cmds[1]}"
	[[ $(cat mailed) == *$'CallManager-trust\told_server.pem\t'* ]]
	[[ $(cat mailed) != *in_itl* ]]
	run -0 bash -c "${cmds[2]}"
	[[ $output == *"backup: "* ]] && [ ! -e store/CallManager-trust/old_server.pem ]
	run -0 bash -c "${cmds[3]}"
	[ "$output" = $'CN=CAPF-0badc0de\nCN=in the itl' ]
	run -0 bash -c "${cmds[4]}"
	tree store >after
	same_text before after
	run -0 bash -c "${cmds[5]}"
	[[ ${lines[0]} == *$'-000-trust-prune\ttrust-prune\t2026-01-01T00:00:00Z\tCallManager-trust\tchange, undone' ]]
	[[ ${lines[1]} == *$'-001-trust-prune\ttrust-prune\t'*$'\tCallManager-trust\trestore of '*'-000-trust-prune' ]]
}

@test "trust-prune: an issuer renamed since it signed is still found by its key" {
	local g=$BATS_FILE_TMPDIR/gen
	# self-signed with ccmca's key under another name (committed: tests/fixtures/stores/make.sh)
	putb store/CallManager-trust/renamed.pem <"$g/renamed.pem"
	rm store/CallManager-trust/ccmca.pem
	run -1 trust-prune -s store --now $NOW -v CallManager-trust
	p=$(picks)
	[[ $p == *$'renamed.pem\tkeep:issuer(expired)'* ]]
	[[ $p == *$'ccmca_fake.pem\texpired'* ]]
}

@test "trust-prune: an own certificate that is a symbolic link is not followed: issuers unknown, exit 2" {
	mv store/CallManager/CallManager.pem "$BATS_TEST_TMPDIR/outside.pem"
	ln -s "$BATS_TEST_TMPDIR/outside.pem" store/CallManager/CallManager.pem
	xrun -2 --separate-stderr trust-prune -s store --now $NOW --apply
	[[ $stderr == *"store/CallManager/CallManager.pem: symbolic link: not followed"* ]]
	[ ! -e store/.backup ]
}

@test "trust-prune: a trust unit that is a symbolic link is reported and not followed" {
	mkdir "$BATS_TEST_TMPDIR/elsewhere"
	cp store/CallManager-trust/old_server.pem "$BATS_TEST_TMPDIR/elsewhere/"
	ln -s "$BATS_TEST_TMPDIR/elsewhere" store/Phone-trust
	xrun -0 --separate-stderr trust-prune -s store --now $NOW --apply
	[[ $stderr == *"store/Phone-trust: symbolic link: not followed, left in place"* ]]
	[[ $output != *"changed: Phone-trust"* ]]
	mkdir store/Phone-SAST-trust && cp "$BATS_FILE_TMPDIR/gen/expired.pem" store/Phone-SAST-trust/
	run -0 trust-prune -s store --now $NOW --apply Phone-SAST-trust
	[[ $output == *"next: Phone-SAST-trust: no service restart is known for this store"* ]]
	[[ $output == *"next: Phone-SAST-trust is replicated to every node"* ]]
	[ -f "$BATS_TEST_TMPDIR/elsewhere/old_server.pem" ]
	xrun -2 --separate-stderr trust-prune -s store Phone-trust
	[[ $stderr == "trust-prune: store/Phone-trust: symbolic link: not followed" ]]
}
