#!/usr/bin/env bats
# ctl-dump: show itl / show ctl captures (text) read back, shown, and held against a file (--compare).
load helpers

NOTE='ctl-dump: a text capture: no signature check (it holds no signed bytes, no certificates)'
REF="$TOP/../shared/reference"

setup_file() {
	cd "$BATS_FILE_TMPDIR"
	# an ITL as itl-build writes it: every role, DNS names and addresses, a role CUCM has no name for
	mkcert . sast 30 /CN=sast
	mkcert . tftp 30 "/CN=tftp.example/O=ctlkit;x/OU=a b"
	mkcert . tvs 30 /CN=tvs
	itl-build -k sast.key --sast sast.pem --tftp tftp.pem,dns=tftp.example,ip=10.0.0.1 \
	    --tvs tvs.pem --role 99=tvs.pem --now @1798761600 -o ITLFile.tlv
	itl-build --ctl -k sast.key --sast sast.pem --ccm-tftp tftp.pem,ip=10.0.0.2 --capf tvs.pem \
	    --layout certutils --now @1798761600 -o CTLFile.tlv
	cp "$TOP/samples/ITLFile-demo.tlv" "$TOP/samples/CTLFile-demo.tlv" .
	# their listings, printed once for every test (read-only; a test copies what it edits)
	ctl-dump ITLFile.tlv >itl.txt
	ctl-dump CTLFile.tlv >ctl.txt
	ctl-dump ITLFile-demo.tlv >demo.txt
}

# listing NAME[=AS]...: the listings setup_file printed (itl.txt, ctl.txt, demo.txt) copied
# into the test's directory (as AS) by builtins (text: no NUL), where it edits and names them
listing() {
	local n t
	for n; do
		IFS= read -r -d '' t <"$BATS_FILE_TMPDIR/${n%%=*}" || true
		printf '%s' "$t" >"$BATS_TEST_TMPDIR/${n#*=}"
	done
}

setup() {
	cd "$BATS_FILE_TMPDIR"
}

# fields FILE.json: every field a listing carries, from ctl-dump -j, in one form for file and capture
FIELDS='[.type, .size, .md5, .sha1,
  (.header | .version, .length, .signer, .signature_length),
  (.records[] | [.index, .function, .role, .dns, .subject, .issuer, .serial, .tags,
    .certificate.length, .certificate.sha1])]'

# roundtrip FILE: printed, read back (every field), printed again (the same bytes), compared;
# the file and its listing in one ctl-dump -j (JSON Lines), their fields held equal by one jq
roundtrip() {
	local f=$1 b=${1##*/} txt
	ctl-dump "$f" >"$BATS_TEST_TMPDIR/$b.txt"
	IFS= read -r -d '' txt <"$BATS_TEST_TMPDIR/$b.txt" || true
	xrun -1 --separate-stderr ctl-dump "$BATS_TEST_TMPDIR/$b.txt"
	[ -z "$stderr" ]
	[ "$output" = "$txt$NOTE" ]
	xrun -1 --separate-stderr ctl-dump -j "$f" "$BATS_TEST_TMPDIR/$b.txt"
	[ -z "$stderr" ] && [ "${#lines[@]}" = 2 ]
	jq -e -s "length == 2 and (map($FIELDS) | .[0] == .[1]) and .[0].capture == null and
	    (.[1] | .capture.signature_checked == false and .records[0].certificate.sha1 != null and
	    (.records | length) > 0)" <<<"$output" >/dev/null
	xrun -0 ctl-dump --compare "$BATS_TEST_TMPDIR/$b.txt" "$f"
	[[ $output == "SAME $BATS_TEST_TMPDIR/$b.txt $f: "*" records, MD5 and SHA-1 alike (the listing at line 1)" ]]
}

@test "ctl-dump capture: itl-build's ITL and CTL and the demo files read back field by field" {
	for f in ITLFile.tlv CTLFile.tlv ITLFile-demo.tlv CTLFile-demo.tlv; do
		roundtrip "$f"
	done
	# the role CUCM has no name for comes back as its number
	IFS= read -r -d '' txt <itl.txt || true
	[[ $'\n'$txt == *$'\n4\tFUNCTION\t2\t99\n'* ]]
	ctl-dump -j itl.txt | jq -e '[.records[].function] | index(99) != null' >/dev/null
}

@test "ctl-dump capture: the genuine samples read back field by field" {
	need_shared CTLFile-cucm10.tlv
	need_shared ITLFile-certutils.tlv
	roundtrip "$SHARED/CTLFile-cucm10.tlv"
	roundtrip "$SHARED/ITLFile-certutils.tlv"
}

@test "ctl-dump capture: Cisco's show ctl listings (TAC documents) read, listing by listing" {
	[ -d "$REF" ] || skip "../shared/reference is absent"
	# 118892: a full listing, an elided one, a CTL file not found, a listing cut after its date
	xrun -1 --separate-stderr ctl-dump -j "$REF/show-ctl-118892.txt"
	jq -e -s 'length == 4 and .[1].records[4].role == "CCM+TFTP" and
	    .[1].records[3].serial == "795916C154AF310C0FAEEA972E081B31" and
	    .[1].records[0].certificate.sha1 == "198F07C499201351C5AEBF9503939FF2CC6D9390" and
	    .[1].records[0].signer and (.[1].records[1].signer | not) and
	    .[1].header.signer.serial == "3CF927000000AFA2DA45" and
	    .[1].md5 == "7879E087513D0D6DFE7684388F86EE96" and .[1].cucm.verdict == "verified" and
	    .[2].cucm.verdict == "not found" and .[2].size == 0 and .[0].capture.elided' <<<"$output" >/dev/null
	# 118893: six listings; the tokenless CTL of block D in full, signed by the publisher
	xrun -1 --separate-stderr ctl-dump -j "$REF/show-ctl-118893.txt"
	jq -e -s 'length == 6 and (.[3].records | map(.role)) == ["SAST", "CCM+TFTP", "CAPF", "CCM+TFTP"] and
	    .[3].header.length == 336 and .[3].header.signature_length == 128 and
	    .[3].records[3].dns == "cucm-1051-a-sub1" and .[5].records[0].serial == "6B1D357B6841740B078FEE4A1813D5D6"' \
	    <<<"$output" >/dev/null
	xrun -1 --separate-stderr ctl-dump "$REF/show-ctl-118893.txt"
	[ "$(grep -c "^$NOTE$" <<<"$output")" = 6 ]
	# Cisco's Windows CTL parser prints another layout: not a show ctl capture, said as such
	xrun -2 --separate-stderr ctl-dump "$REF/ctlparser-CTLFile-cucm10.txt"
	[ -z "$output" ]
	[ "$stderr" = "ctl-dump: $REF/ctlparser-CTLFile-cucm10.txt: not a CTL/ITL file nor a show itl/show ctl capture" ]
}

@test "ctl-dump --compare: a changed record, certificate or checksum is named; exit 1" {
	listing itl.txt=good.txt ctl.txt
	cd "$BATS_TEST_TMPDIR"
	# record #2's serial: its last byte changed
	awk '/^ITL Record #:2$/ { r = 1 } r && /^6\tSERIALNUMBER/ { sub(/..$/, "00"); r = 0 } 1' \
	    good.txt >serial.txt
	! cmp -s good.txt serial.txt
	xrun -1 ctl-dump --compare serial.txt "$BATS_FILE_TMPDIR/ITLFile.tlv"
	[[ $output == "DIFFERENT serial.txt $BATS_FILE_TMPDIR/ITLFile.tlv: record #2 (TFTP): serial "*":00 in the capture, "*" in the file (the listing at line 1)" ]]
	# record #3's certificate hash
	awk '/^ITL Record #:3$/ { r = 1 } r && /^9\tCERTIFICATE/ { sub(/\t../, "\t00"); r = 0 } 1' \
	    good.txt >cert.txt
	xrun -1 ctl-dump --compare cert.txt "$BATS_FILE_TMPDIR/ITLFile.tlv"
	[[ $output == *": record #3 (TVS): another certificate (its SHA-1 differs) "* ]]
	# a role
	sed '0,/\tFUNCTION\t2\tTVS$/s//\tFUNCTION\t2\tCAPF/' good.txt >role.txt
	xrun -1 ctl-dump --compare role.txt "$BATS_FILE_TMPDIR/ITLFile.tlv"
	[[ $output == *": record #3 (TVS): role CAPF in the capture, TVS in the file "* ]]
	# the records alike, the checksum not: another file with the same records
	# (its first digit changed to another: 0 becomes 1, anything else 0)
	sed '2{s/^0/1/;t;s/^./0/}' good.txt >md5.txt
	! cmp -s good.txt md5.txt
	xrun -1 ctl-dump --compare md5.txt "$BATS_FILE_TMPDIR/ITLFile.tlv"
	[[ $output == *": the file's MD5 is not the capture's "* ]]
	# the last record left out of the capture
	awk '/^ITL Record #:4$/ { exit } 1' good.txt >short.txt
	xrun -1 ctl-dump --compare short.txt "$BATS_FILE_TMPDIR/ITLFile.tlv"
	[[ $output == *": record #4 (UNKNOWN-99): not in the capture "* ]]
	# a CTL capture held against an ITL: the capture lists no ITL
	xrun -1 ctl-dump --compare ctl.txt "$BATS_FILE_TMPDIR/ITLFile.tlv"
	[ "$output" = "DIFFERENT ctl.txt $BATS_FILE_TMPDIR/ITLFile.tlv: the capture lists no ITL file" ]
	# -q: the status alone
	xrun -1 ctl-dump -q --compare serial.txt "$BATS_FILE_TMPDIR/ITLFile.tlv"
	[ -z "$output" ]
	xrun -0 ctl-dump -q --compare good.txt "$BATS_FILE_TMPDIR/ITLFile.tlv"
	[ -z "$output" ]
}

@test "ctl-dump capture: CRLF, the admin: prompt, terminal wrapping and several listings in one log" {
	listing itl.txt ctl.txt demo.txt
	cd "$BATS_TEST_TMPDIR"
	# an SSH session log: prompts, commands, CRLF line ends, other output between the listings
	{
		printf 'admin:show itl\n'
		cat demo.txt
		printf 'admin:utils service list\nCisco Tftp[STARTED]\nadmin:show ctl\n'
		cat ctl.txt
		printf 'admin:show itl\n'
		cat itl.txt
		printf 'admin:\n'
	} | sed 's/$/\r/' >session.log
	grep -q $'\r$' session.log
	xrun -1 --separate-stderr ctl-dump -j session.log
	jq -e -s 'map(.type) == ["ITL", "CTL", "ITL"] and map(.capture.listing) == [1, 2, 3]' \
	    <<<"$output" >/dev/null
	# the listing compared is the last one of the file's kind
	xrun -0 ctl-dump --compare session.log "$BATS_FILE_TMPDIR/ITLFile.tlv"
	[[ $output == *"(the listing at line "* ]]
	xrun -0 ctl-dump --compare session.log "$BATS_FILE_TMPDIR/CTLFile.tlv"
	xrun -1 ctl-dump --compare session.log "$BATS_FILE_TMPDIR/ITLFile-demo.tlv"
	# shown again, each listing as ctl-dump prints it
	xrun -1 ctl-dump session.log
	local demo ctl itl
	IFS= read -r -d '' demo <demo.txt || true
	IFS= read -r -d '' ctl <ctl.txt || true
	IFS= read -r -d '' itl <itl.txt || true
	[ "$output" = "$demo$NOTE"$'\n'"$ctl$NOTE"$'\n'"$itl$NOTE" ]
	# a terminal 80 columns wide: tabs laid out as spaces, long lines broken at column 80
	expand itl.txt | fold -w 80 >wrapped.txt
	[ "$(awk 'length == 80' wrapped.txt | wc -l)" -gt 2 ]
	xrun -0 ctl-dump --compare wrapped.txt "$BATS_FILE_TMPDIR/ITLFile.tlv"
	xrun -1 ctl-dump wrapped.txt
	[ "$output" = "$itl$NOTE" ]
	# and the same wrapped log with CRLF and a prompt glued to the first line
	{ printf 'admin:'; sed 's/$/\r/' wrapped.txt; } >wrapped-crlf.txt
	xrun -0 ctl-dump --compare wrapped-crlf.txt "$BATS_FILE_TMPDIR/ITLFile.tlv"
}

@test "ctl-dump capture: brief, what a capture cannot give, and bad usage" {
	listing itl.txt
	cd "$BATS_TEST_TMPDIR"
	xrun -1 --separate-stderr ctl-dump -b itl.txt
	[ "$(cut -f1,2,5,6,7 <<<"$output" | head -2)" = $'1\tSAST\t-\t-\titl.txt\n2\tTFTP\t-\t-\titl.txt' ]
	[ "$(cut -f3 <<<"$output" | head -2)" = $'sast\ntftp.example' ]
	[ "$stderr" = "ctl-dump: itl.txt: not verified: ${NOTE#ctl-dump: }" ]
	# the serials are the file's
	diff <(ctl-dump -b "$BATS_FILE_TMPDIR/ITLFile.tlv" | cut -f1-4) <(cut -f1-4 <<<"$output")
	for o in --certs --payload "-x ." "-t $BATS_FILE_TMPDIR/ITLFile.tlv"; do
		xrun -2 --separate-stderr ctl-dump $o itl.txt
		[ -z "$output" ]
		[[ $stderr == "ctl-dump: itl.txt: "* ]]
	done
	xrun -2 --separate-stderr ctl-dump --compare itl.txt
	[[ $stderr == *"--compare takes one file"* ]]
	xrun -2 --separate-stderr ctl-dump -j --compare itl.txt "$BATS_FILE_TMPDIR/ITLFile.tlv"
	[[ $stderr == *"usage: ctl-dump"* ]]
	# a binary file given as the capture
	xrun -2 --separate-stderr ctl-dump --compare "$BATS_FILE_TMPDIR/ITLFile.tlv" "$BATS_FILE_TMPDIR/ITLFile.tlv"
	[[ $stderr == *"not a show itl/show ctl capture"* ]]
	# a "capture" past 16 MiB is refused before it is read (text that is neither, damaged
	# listings and the cap on listings: tests/unit/t_capture.c)
	{ echo 'Length of ITL file: 0'; head -c $((17 << 20)) /dev/zero | tr '\0' x; } >big.txt
	xrun -2 --separate-stderr ctl-dump -q big.txt
	[ "$stderr" = "ctl-dump: big.txt: a capture over 16 MiB" ]
}

# bats test_tags=full
@test "ctl-dump capture: the man page's worked examples run as written, output and all" {
	cd "$BATS_TEST_TMPDIR"
	cp "$TOP/samples/ITLFile-demo.tlv" ITLFile.tlv
	{ echo 'admin:show itl'; ctl-dump ITLFile.tlv; echo 'admin:'; } >session.log
	# each literal block of EXAMPLES that runs on session.log: "$ command", then its output
	awk '/^\.Bd -literal/ { b = 1; n++; next } /^\.Ed/ { b = 0; next }
	    b { print > ("block" n) }' "$TOP/man/ctl-dump.1"
	k=0
	for f in block*; do
		cmd=$(head -1 "$f")
		[[ $cmd == '$ ctl-dump '*session.log* ]] || continue
		k=$((k + 1))
		xrun -0 bash -c "${cmd#\$ }"
		diff <(tail -n +2 "$f") - <<<"$output"
	done
	[ $k = 2 ]
}
