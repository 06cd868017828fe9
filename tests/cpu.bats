#!/usr/bin/env bats
# cpu.bats: what one file may cost. Judging a file against a trust list verifies at most once
# per distinct key, and a record's key is bounded (RSA modulus <= 16384 bits, exponent <= 2^64);
# every crafted file runs in every mode under a CPU limit (ulimit -t), never killed by it.
# bats file_tags=full
load helpers

MKBOMB=$TOP/tests/bin/mkbomb

# The signer's seed ITL and .sgn, and the crafted files tests/bin/mkbomb makes of them:
#   tftp3k.tlv  1,024 TFTP records naming the signer, RSA-3072 keys with 3,071-bit exponents
#   sast3k.tlv  the same as SAST records (what a new trust list is judged by)
#   same16k.tlv 480 TFTP records with one RSA-16384 key whose exponent has 64 bits (bounded:
#               only verifying once per key keeps it cheap); samesast16k.tlv as SAST records
#   s384.sgn, n384.tlv / s2k.sgn, n2k.tlv: the signer's .sgn and ITL with a random signature of
#               the modulus's size (a shorter one is refused before any arithmetic)
setup_file() {
	[ -x "$MKBOMB" ] || skip "tests/bin/mkbomb is not built (make check builds it)"
	cd "$BATS_FILE_TMPDIR"
	mkcert . c 400 /CN=signer
	itl-build -k c.key --sast c.pem --tftp c.pem -o seed.tlv
	echo '<cfg/>' >SEP1.cnf.xml
	itl-build --sign-file -k c.key --signer c.pem SEP1.cnf.xml
	{
		"$MKBOMB" seed.tlv tftp3k.tlv 1024 3 3072 3071 distinct
		"$MKBOMB" seed.tlv sast3k.tlv 1024 0 3072 3071 distinct
		"$MKBOMB" seed.tlv same16k.tlv 480 3 16384 64 same
		"$MKBOMB" seed.tlv samesast16k.tlv 480 0 16384 64 same
		"$MKBOMB" seed.tlv big.tlv 4 3 16392 17 same
		"$MKBOMB" seed.tlv e65.tlv 4 3 3072 65 same
		"$MKBOMB" sig SEP1.cnf.xml.sgn s384.sgn 384
		"$MKBOMB" sig seed.tlv n384.tlv 384
		"$MKBOMB" sig SEP1.cnf.xml.sgn s2k.sgn 2048
		"$MKBOMB" sig seed.tlv n2k.tlv 2049
	} >sizes
}

setup() {
	cd "$BATS_FILE_TMPDIR"
}

# limited SECONDS CMD...: CMD under ulimit -t SECONDS (a CPU limit: SIGXCPU, exit 152, past it).
limited() {
	local t=$1
	shift
	sh -c 'ulimit -t "$0"; exec "$@"' "$t" "$@"
}

@test "cpu: the crafted ITL (1,024 TFTP records, RSA-3072, 3,071-bit exponents) under 1 MB" {
	run -0 wc -c tftp3k.tlv sast3k.tlv same16k.tlv samesast16k.tlv
	local n
	for n in $(awk '$2 != "total" { print $1 }' <<<"$output"); do
		[ "$n" -lt 1048576 ]
		[ "$n" -gt 800000 ]
	done
	run -1 --separate-stderr ctl-dump -b tftp3k.tlv
	[ "${#lines[@]}" = 1024 ]
	[[ ${lines[1023]} == "1024	TFTP	"* ]]
}

@test "cpu: a .sgn judged against the crafted ITL: the record keys are refused by their bound, at once" {
	cp s384.sgn s2.sgn; cp s384.sgn s3.sgn; cp s384.sgn s4.sgn; cp s384.sgn s5.sgn
	run -1 --separate-stderr limited 2 ctl-dump --trust tftp3k.tlv s384.sgn s2.sgn s3.sgn s4.sgn s5.sgn
	[[ $output == *"could not be verified: the key's RSA public exponent is over 2^64 (signer: TFTP record 1024 of tftp3k.tlv)"* ]]
	run -1 --separate-stderr limited 2 ctl-dump -b --trust tftp3k.tlv s384.sgn
	[[ $output == "REJECTED	"* ]]
	run -1 --separate-stderr limited 2 ctl-dump -j --trust tftp3k.tlv s384.sgn
	jq -e '.signature.verified == false' <<<"$output" >/dev/null
	# a modulus over 16384 bits, an exponent of 65 bits (over 2^64: odd) are refused; an
	# exponent of 64 bits is not (same16k.tlv below)
	run -1 --separate-stderr limited 2 ctl-dump --trust big.tlv s2k.sgn
	[[ $output == *"could not be verified: the key's RSA modulus is over 16384 bits"* ]]
	run -1 --separate-stderr limited 2 ctl-dump --trust e65.tlv s384.sgn
	[[ $output == *"could not be verified: the key's RSA public exponent is over 2^64"* ]]
}

@test "cpu: a trust list judged against the crafted SAST ITL: refused by the bound, at once" {
	run -1 --separate-stderr limited 2 ctl-dump --trust sast3k.tlv n384.tlv
	[[ $output == *"REJECTED n384.tlv: "* ]]
	# a new file whose own signature verifies reaches the 1,024 SAST records that name its
	# signer: the first record's key is refused by its bound, none is tried 1,024 times
	run -1 --separate-stderr limited 2 ctl-dump --trust sast3k.tlv seed.tlv
	[[ $output == *"REJECTED seed.tlv: the key's RSA public exponent is over 2^64 (record #1024 of sast3k.tlv)"* ]]
}

@test "cpu: one key in 480 records (RSA-16384, 64-bit exponent) is verified once, not 480 times" {
	run -1 --separate-stderr limited 1 ctl-dump --trust same16k.tlv s2k.sgn
	[[ $output == *"could not be verified: the signature does not match (signer: TFTP record 480 of same16k.tlv)"* ]]
	run -1 --separate-stderr limited 1 ctl-dump --trust samesast16k.tlv n2k.tlv
	[[ $output == *"REJECTED n2k.tlv: "* ]]
	run -1 --separate-stderr limited 1 ctl-dump --trust samesast16k.tlv seed.tlv
	[[ $output == *"REJECTED seed.tlv: "*"but not its key (record #480 of samesast16k.tlv)"* ]]
}

@test "cpu: every crafted file in every mode under ulimit -t 2: an answer, never SIGXCPU" {
	local f m t n=0 some=()
	mkdir -p corpus x
	"$TOP/tests/bin/mkcorpus" seed.tlv corpus >/dev/null
	# every 16th of the malformed corpus (each kind of damage is there), all the crafted files
	for f in corpus/*; do
		[ $((n++ % 16)) != 0 ] || some+=("$f")
	done
	: >batch.sh
	for f in tftp3k.tlv sast3k.tlv same16k.tlv samesast16k.tlv big.tlv e65.tlv s384.sgn n384.tlv s2k.sgn \
	    n2k.tlv "${some[@]}" "$TOP"/tests/regress/*; do
		for m in "" -b -j -q --certs "-x x -f" --payload "--signer c.pem" "-t tftp3k.tlv" \
		    "-t sast3k.tlv" "-t same16k.tlv" "-t samesast16k.tlv" "-t $f"; do
			echo "ulimit -t 2; ctl-dump $m '$f' >/dev/null 2>&1; echo \$? ctl-dump $m $f" >>batch.sh
		done
		for t in "" -j --nagios; do
			echo "ulimit -t 2; cert-expiry --now 2027-01-01T00:00:00Z $t '$f' >/dev/null 2>&1; echo \$? cert-expiry $t $f" >>batch.sh
		done
		echo "ulimit -t 2; itl-build -n --resign '$f' -k c.key -o - >/dev/null 2>&1; echo \$? itl-build --resign $f" >>batch.sh
		echo "ulimit -t 2; itl-build -n -t '$f' -k c.key --sast c.pem -o - >/dev/null 2>&1; echo \$? itl-build -t $f" >>batch.sh
	done
	# one sh per run (each gets its own limit), one awk for the verdicts
	run -0 sh -c 'while IFS= read -r l; do sh -c "$l"; done <batch.sh'
	# 0-2 (3: --nagios UNKNOWN); a signal (SIGXCPU: 152) is the failure
	n=$(awk '$1 > 3 || ($1 == 3 && $3 != "--nagios") { print; bad = 1 } END { exit bad }' \
		<<<"$output") || { echo "$n"; false; }
	[ "${#lines[@]}" -gt 500 ]
}
