#!/usr/bin/env bats
# ctl-dump-keys.bats: ctl-dump verifies with the signer record's PUBLICKEY and keeps every key it
# met (issue 17): a directory with a signer certificate per file, keys shared between files,
# prints in one run exactly what the files print one by one.
load helpers

setup() {
	cd "$BATS_TEST_TMPDIR"
	command -v itl-build >/dev/null || skip "itl-build is not built"
}

@test "ctl-dump: a signer certificate per file (3 keys) and one signer copied: one run = file by file" {
	local i m
	mkcert . tvs 365 /CN=tvs1
	for i in 0 1 2; do
		openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out k$i.key 2>/dev/null
	done
	mkdir d
	for i in 0 1 2 3 4 5 6 7; do
		openssl req -x509 -new -key k$((i % 3)).key -out s$i.pem -days 365 -set_serial $((i + 1)) \
			-subj "/CN=ITLRECOVERY_c$i" 2>/dev/null
		itl-build -k k$((i % 3)).key --sast s$i.pem --tvs tvs.pem --now @1700000000 \
			-o d/ITLFile-$i.tlv
	done
	cp d/ITLFile-0.tlv d/ITLFile-8.tlv
	cp d/ITLFile-0.tlv d/ITLFile-9.tlv
	for m in "" -j -b; do
		run -0 --separate-stderr ctl-dump $m d/*
		[ -z "$stderr" ]
		all=$output
		one=$(for i in 0 1 2 3 4 5 6 7 8 9; do ctl-dump $m d/ITLFile-$i.tlv; done)
		# the shell sorts d/* as ITLFile-0..9: the same order
		[ "$all" = "$one" ]
	done
	[ "$(ctl-dump d/* | grep -c '^The ITL file was verified successfully.$')" -eq 10 ]
	[ "$(ctl-dump -j d/* | jq -s '[.[] | select(.signature.verified)] | length')" -eq 10 ]
	run -0 ctl-dump -q d/*
	[ -z "$output" ]
	# a tampered byte in one file fails that file only, whatever key the others share
	cp d/ITLFile-4.tlv bad.tlv
	printf 'X' | dd of=bad.tlv bs=1 seek=$(($(stat -c %s bad.tlv) - 20)) conv=notrunc status=none
	run -1 --separate-stderr ctl-dump -q d/ITLFile-1.tlv bad.tlv d/ITLFile-7.tlv
	run -1 ctl-dump bad.tlv
	[ "${lines[-1]}" = "The ITL file could not be verified: the signature does not match." ]
}

hex() { xxd -p | tr -d '\n'; }
# tlv TAG HEX: one TLV as hex
tlv() { printf '%02x%04x%s' "$1" $((${#2} / 2)) "$2"; }
nul() { printf '%s' "$1" | hex; printf 00; }

# ecitl OUT KEY CN SERIALHEX RECORDS: an ITL signed by the EC key KEY (ECDSA, SHA-1), written
# from the format alone: the header by printf, the records copied from the file RECORDS (hex),
# the signature by openssl dgst. No SIGNATUREALGORTITHM code for ECDSA is known (FORMAT.md
# section 6): 1 is written. A DER ECDSA signature varies in length: sign until it has the
# length the header was built for.
ecitl() {
	local out=$1 key=$2 cn=$3 ser=$4 recs=$5 id pre post hl pad len=0 n=0 got
	id=$(tlv 4 "$(nul "CN=$cn")")$(tlv 5 "$ser")$(tlv 6 "$(nul "CN=$cn")")
	post=$(tlv 14 "$(nul ITLFile.tlv)")$(tlv 15 "$(printf '%08x' 1700000000)")
	while :; do
		hl=$((5 + 5 + 3 + ${#id} / 2 + 18 + 3 + len + ${#post} / 2)) pad=""
		while [ $(((hl + ${#pad} / 2) % 4)) -ne 0 ]; do pad=${pad}0d; done
		hl=$((hl + ${#pad} / 2))
		pre=$(tlv 1 0102)$(tlv 2 "$(printf '%04x' $hl)")$(tlv 3 "$id")$(tlv 7 "$(tlv 8 01)$(tlv 9 "$(tlv 10 01)$(tlv 11 00)")")
		printf '%s' "$pre$post$pad$recs" | xxd -r -p >"$out.signed"
		openssl dgst -sha1 -sign "$key" -out "$out.sig" "$out.signed"
		got=$(stat -c %s "$out.sig")
		[ "$got" -ne "$len" ] || break
		len=$got
		n=$((n + 1))
		[ $n -lt 50 ] || return 1
	done
	{ printf '%s%s' "$pre" "$(printf '0c%04x' "$len")" | xxd -r -p; cat "$out.sig"
	  printf '%s' "$post$pad$recs" | xxd -r -p; } >"$out"
	rm -f "$out.signed" "$out.sig"
}

# point CERT: the X9.62 point of an EC certificate's key, hex.
point() { openssl x509 -in "$1" -noout -pubkey | openssl pkey -pubin -outform DER | tail -c "$2" | hex; }

@test "ctl-dump: EC-signed ITLs (P-256, P-384, P-521): the key from the record's EC point; a mismatching point rejected, a malformed one falls back to the certificate" {
	local c b len recs pt y off f m all one
	mkcert . tvs 365 /CN=tvs1
	openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa.key 2>/dev/null
	openssl req -x509 -new -key rsa.key -out rsa.pem -days 365 -subj /CN=ITLRECOVERY_rsa 2>/dev/null
	for c in P-256:65 P-384:97 P-521:133; do
		b=${c%:*} len=${c#*:}
		openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:$b -nodes -keyout ec$b.key \
			-out ec$b.pem -days 365 -subj /CN=ec$b -set_serial $((0x7E00 + len)) 2>/dev/null
		openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:$b -nodes -keyout other$b.key \
			-out other$b.pem -days 365 -subj /CN=other$b 2>/dev/null
		# the records: what itl-build writes for the EC certificate (PUBLICKEY = its point)
		itl-build -k rsa.key --sast rsa.pem --sast ec$b.pem --tvs tvs.pem --now @1700000000 -f -o rec.tlv
		off=$(head -c 10 rec.tlv | tail -c 2 | od -An -tu2 --endian=big | tr -d ' ')
		recs=$(tail -c +$((off + 1)) rec.tlv | hex)
		pt=$(point ec$b.pem $len)
		[[ $recs == *"$(printf '07%04x' $len)$pt"* ]]
		ecitl $b.tlv ec$b.key ec$b $(printf '%04x' $((0x7E00 + len))) "$recs"
		run -0 --separate-stderr ctl-dump $b.tlv
		[ "${lines[-1]}" = "The ITL file was verified successfully." ]
		grep -q $'^7\tPUBLICKEY\t'$len'$' <<<"$output"
		run -0 ctl-dump -j $b.tlv
		jq -e '.signature == {"verified": true, "record": 2, "error": null}' <<<"$output"
		# another point of the same curve in the signer's record: the signature does not match it
		ecitl bad$b.tlv ec$b.key ec$b $(printf '%04x' $((0x7E00 + len))) "${recs/$pt/$(point other$b.pem $len)}"
		run -1 --separate-stderr ctl-dump bad$b.tlv
		[ "${lines[-1]}" = "The ITL file could not be verified: the signature does not match." ]
		run -1 --separate-stderr ctl-dump -q bad$b.tlv
		[ -z "$output" ] && [ -z "$stderr" ]
		run -1 --separate-stderr ctl-dump -b bad$b.tlv
		[ "$stderr" = "ctl-dump: bad$b.tlv: not verified: the signature does not match" ]
		# a point off the curve (last byte of Y changed): the certificate's key verifies
		y=$(printf '%02x' $(((0x${pt: -2} + 1) % 256)))
		ecitl off$b.tlv ec$b.key ec$b $(printf '%04x' $((0x7E00 + len))) "${recs/$pt/${pt:0:$((len * 2 - 2))}$y}"
		run -0 --separate-stderr ctl-dump -j off$b.tlv
		jq -e '.signature == {"verified": true, "record": 2, "error": null}' <<<"$output"
	done
	# every curve, good and bad, in one run prints what each prints alone (the cache keeps them apart)
	for m in "" -j -b; do
		all=$(ctl-dump $m P-256.tlv badP-384.tlv P-521.tlv offP-256.tlv badP-521.tlv P-384.tlv 2>all.err || true)
		one=$(for f in P-256.tlv badP-384.tlv P-521.tlv offP-256.tlv badP-521.tlv P-384.tlv; do
			ctl-dump $m $f 2>>one.err || true; done)
		[ "$all" = "$one" ]
		cmp all.err one.err
		rm all.err one.err
	done
	run -1 ctl-dump -q P-256.tlv badP-384.tlv P-521.tlv
}
