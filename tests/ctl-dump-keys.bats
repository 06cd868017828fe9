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
