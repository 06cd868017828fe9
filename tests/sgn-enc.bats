#!/usr/bin/env bats
# Encrypted configuration files (.enc.sgn, version 2.0): itl-build --sign-file --encrypt-for
# writes them, ctl-dump --payload --phone-key reads them back; wrong keys and damage refused.
# (certutils' enccnf was checked by hand against both: see issue 25's closing note.)
load helpers

setup_file() {
	cd "$BATS_FILE_TMPDIR"
	mkcert . tftp 30 /CN=tftp.lab/O=Lab
	for b in 1024 2048 4096; do
		MKCERT_BITS=$b mkcert . phone$b 30 /CN=SEP00112233$b
	done
	MKCERT_BITS=1024 mkcert . other 30 /CN=SEP999999999999
}

setup() {
	cd "$BATS_TEST_TMPDIR"
	cp "$BATS_FILE_TMPDIR"/*.pem "$BATS_FILE_TMPDIR"/*.key .
	printf '<device><loadInformation>SIP88xx.14-2-1</loadInformation></device>\n' \
		>SEP001122334455.cnf.xml
}

# roundtrip BITS:DIGEST...: for each, both payloads encrypted for phoneBITS.pem and signed with
# DIGEST, shown by ctl-dump -j (type, verified signature, wrapped key size, padding, name: one jq
# for them all) and decrypted back byte for byte with the phone's key.
roundtrip() {
	local bd b d f all=
	head -c 5000 /dev/urandom >big.cnf.xml
	for bd; do
		b=${bd%%:*} d=${bd#*:}
		for f in SEP001122334455.cnf.xml big.cnf.xml; do
			rm -f $f.enc.sgn
			xrun -0 itl-build --sign-file -k tftp.key --signer tftp.pem --digest $d \
				--encrypt-for phone$b.pem $f
			[ ! -e $f.sgn ]
			xrun -0 ctl-dump -j --signer tftp.pem $f.enc.sgn
			all+="{\"kb\": $b, \"d\": \"$d\", \"name\": \"$f.enc.sgn\", \"doc\": $output}"$'\n'
			ctl-dump --payload --phone-key phone$b.key --signer tftp.pem $f.enc.sgn >plain
			cmp plain $f
		done
	done
	jq -se --argjson n $((2 * $#)) 'length == $n and all(.[]; .kb as $kb | .d as $d | .name as $name |
		.doc | .type == "ENC" and .signature.verified and .encryption.key_bits == $kb and
		.encryption.wrapped_key_length == $kb / 8 and .encryption.plain_digest == $d and
		.header.filename == $name and .encryption.padding >= 1 and .encryption.padding <= 16)' \
		<<<"$all" >/dev/null
}

@test "sgn-enc: round trips for RSA 1024, 2048 and 4096 phone keys (SHA-1, SHA-512, SHA-1)" {
	roundtrip 1024:sha1 2048:sha512 4096:sha1
}

# the other digest for each key size (the matrix's other half)
# bats test_tags=full
@test "sgn-enc: round trips for RSA 1024, 2048 and 4096 phone keys (SHA-512, SHA-1, SHA-512)" {
	roundtrip 1024:sha512 2048:sha1 4096:sha512
}

@test "sgn-enc: a text of whole 16-byte blocks is padded with 16 bytes, never 0; the header says 2.0 and the wrapped key's size" {
	head -c 64 /dev/urandom >x.cnf.xml
	itl-build --sign-file -k tftp.key --signer tftp.pem --encrypt-for phone2048.pem x.cnf.xml
	xrun -0 ctl-dump -j x.cnf.xml.enc.sgn
	jq -e '.encryption.padding == 16 and .payload.length == 80' <<<"$output" >/dev/null
	xrun -0 ctl-dump x.cnf.xml.enc.sgn
	grep -qx $'Version:\t2.0' <<<"$output"
	[[ $output == *"Encryption: IV "*", wrapped key size 2048 bits, wrapped key 256 bytes, plain text sha1 $(sha1sum <x.cnf.xml | cut -c1-40)"* ]]
	ctl-dump --payload --phone-key phone2048.key x.cnf.xml.enc.sgn | cmp - x.cnf.xml
}

@test "sgn-enc: the wrong phone key, a flipped ciphertext byte, a damaged header: exit 2, nothing written" {
	f=SEP001122334455.cnf.xml.enc.sgn
	itl-build --sign-file -k tftp.key --signer tftp.pem --encrypt-for phone2048.pem SEP001122334455.cnf.xml
	xrun -2 --separate-stderr ctl-dump --payload --phone-key other.key $f
	[ -z "$output" ]
	[ "$stderr" = "ctl-dump: $f: the phone's key does not unwrap the AES key (another phone's key?)" ]
	# the last ciphertext byte flipped: the signature no longer verifies (exit 1, nothing
	# written); unchecked, the digest of what decrypts does not match (exit 2)
	cp $f flip.enc.sgn
	n=$(($(stat -c %s flip.enc.sgn) - 1))
	b=$(tail -c 1 flip.enc.sgn | od -An -tx1 | tr -d ' ')
	printf "\\x$(printf %02x $((0x$b ^ 0xff)))" | dd of=flip.enc.sgn bs=1 seek=$n conv=notrunc status=none
	xrun -1 --separate-stderr ctl-dump --payload --phone-key phone2048.key --signer tftp.pem flip.enc.sgn
	[ -z "$output" ]
	xrun -2 --separate-stderr ctl-dump --payload --phone-key phone2048.key flip.enc.sgn
	[ -z "$output" ]
	[ "$stderr" = "ctl-dump: flip.enc.sgn: the decrypted text does not match the header's digest (tag 27)" ]
	# a payload cut short of a whole block
	head -c -5 $f >cut.enc.sgn
	xrun -2 --separate-stderr ctl-dump --payload --phone-key phone2048.key cut.enc.sgn
	[ -z "$output" ]
	[ "$stderr" = "ctl-dump: cut.enc.sgn: the encrypted payload is not whole 16-byte blocks" ]
	# a plain signed file with --phone-key is written as it is; --phone-key without --payload is usage
	itl-build --sign-file -k tftp.key --signer tftp.pem SEP001122334455.cnf.xml
	ctl-dump --payload --phone-key phone2048.key SEP001122334455.cnf.xml.sgn | cmp - SEP001122334455.cnf.xml
	xrun -2 --separate-stderr ctl-dump --phone-key phone2048.key $f
	[[ $stderr == *"--phone-key goes with --payload"* ]]
	xrun -2 --separate-stderr itl-build --encrypt-for phone2048.pem -k tftp.key --sast tftp.pem -o x.tlv
	[[ $stderr == *"--encrypt-for goes with --sign-file"* ]]
	# an EC phone certificate cannot wrap the key
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ec.key -out ec.pem \
		-days 1 -subj /CN=ec 2>/dev/null
	rm -f $f
	xrun -2 --separate-stderr itl-build --sign-file -k tftp.key --signer tftp.pem --encrypt-for ec.pem SEP001122334455.cnf.xml
	[[ $stderr == *"the phone's key is not RSA"* ]]
	[ ! -e $f ]
}

# bats test_tags=full
@test "ctl-dump(1): the --phone-key example runs as written" {
	itl-build --sign-file -k tftp.key --signer tftp.pem --encrypt-for phone1024.pem SEP001122334455.cnf.xml
	cp phone1024.key phone.key
	local block cmd want
	block=$(awk '/^\.Bd -literal/ { on = 1; b = ""; next }
		on && /^\.Ed/ { on = 0; if (b ~ /--phone-key/) print b; next }
		on { b = b (b == "" ? "" : "\n") $0 }' "$TOP/man/ctl-dump.1")
	cmd=$(sed -n '1,2p' <<<"$block" | sed 's/ \\e$//' | tr -d '\n' | sed 's/^\$ //; s/  */ /g')
	want=$(sed -n '3,$p' <<<"$block")
	xrun -0 bash -c "$cmd"
	[ "$output" = "$want" ]
}
