#!/usr/bin/env bats
# json.bats: JSON strings say exactly what a file held: valid UTF-8 as is (RFC 8259 escapes),
# each invalid byte as U+FFFD with a sibling NAME_hex of the original bytes (ctlkit(7)).
load helpers

NOW=2027-01-01T00:00:00Z

setup_file() {
	cd "$BATS_FILE_TMPDIR"
	mkcert . c 400 /CN=c
	cp c.pem $'y\xc3\xbf.pem'		# "ÿ", valid UTF-8
	cp c.pem $'y\xff.pem'			# the byte 0xFF alone: not UTF-8
	cp c.pem $'n\xc2\x85.pem'		# U+0085 (NEL) as its two UTF-8 bytes
	itl-build -k c.key --sast c.pem -o itl.tlv
}

setup() {
	cd "$BATS_FILE_TMPDIR"
}

@test "json: an invalid byte is U+FFFD with NAME_hex beside it; a real \"ÿ\" stays itself, without" {
	xrun -0 --separate-stderr cert-expiry -j --now $NOW $'y\xc3\xbf.pem' $'y\xff.pem' $'n\xc2\x85.pem'
	# the raw text: one escape per byte, and the code point of U+0085 (not \u00c2\u0085)
	[[ $output == *'"file":"y'$'\xc3\xbf''.pem",'* ]]
	[[ $output == *'"file":"y\ufffd.pem","file_hex":"79FF2E70656D",'* ]]
	[[ $output == *'"file":"n\u0085.pem",'* ]]
	jq -e '[.certificates[] | .file_hex] == [null, "79FF2E70656D", null]' <<<"$output" >/dev/null
	jq -e '[.certificates[] | .file] == ["y\u00ff.pem", "y\ufffd.pem", "n\u0085.pem"]' \
		<<<"$output" >/dev/null
}

@test "json: valid input keeps exactly its keys (no _hex anywhere)" {
	xrun -0 --separate-stderr cert-expiry -j --now $NOW c.pem $'y\xc3\xbf.pem' $'n\xc2\x85.pem'
	xrun -0 jq -r '[paths | map(tostring) | join(".")] | map(select(test("_hex"))) | length' <<<"$output"
	[ "$output" = 0 ]
	xrun -0 --separate-stderr ctl-dump -j itl.tlv
	xrun -0 jq -r '[paths | map(tostring) | join(".")] | map(select(test("_hex"))) | length' <<<"$output"
	[ "$output" = 0 ]
}

@test "json: bytes of a trust list's names: U+FFFD and NAME_hex (ctl-dump -j)" {
	local off
	cp itl.tlv bad.tlv
	# the record's SUBJECTNAME "CN=c": its "c" becomes 0xFF (the signature then fails; the JSON stands)
	off=$(grep -obUaP 'CN=c\x00' bad.tlv | sed -n 3p | cut -d: -f1)	# header: 2, then the record's
	printf '\xff' | dd of=bad.tlv bs=1 seek=$((off + 3)) conv=notrunc 2>/dev/null
	xrun -1 --separate-stderr ctl-dump -j bad.tlv
	jq -e '.records[0].subject == "CN=\ufffd" and .records[0].subject_hex == "434E3DFF"' \
		<<<"$output" >/dev/null
}
