#!/usr/bin/env bats
# ctl-dump-keys.bats: ctl-dump verifies with the signer record's PUBLICKEY and keeps every key it
# met (issue 17): a directory with a signer certificate per file, keys shared between files,
# prints in one run exactly what the files print one by one.
# The fixtures and the file-by-file runs go through one sh per step (a fork from dash costs a
# fraction of one from Bats' bash); the checks read their files with builtins.
load helpers

# the valgrind prefix of make valgrind for the tools the sh steps run (helpers.bash's
# wrappers are functions of this shell and do not reach them)
export VG=${CTK_VALGRIND:+valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite}

setup() {
	cd "$BATS_TEST_TMPDIR"
	command -v itl-build >/dev/null || skip "itl-build is not built"
}

# bats test_tags=full
@test "ctl-dump: a signer certificate per file (3 keys) and one signer copied: one run = file by file" {
	local i m all one st
	mkcert . tvs 365 /CN=tvs1
	for i in 0 1 2; do
		mkkey k$i.key
	done
	mkdir d
	sh -ec 'for i in 0 1 2 3 4 5 6 7; do
		openssl req -x509 -new -key k$((i % 3)).key -out s$i.pem -days 365 -set_serial $((i + 1)) \
			-subj "/CN=ITLRECOVERY_c$i" 2>/dev/null
		itl-build -k k$((i % 3)).key --sast s$i.pem --tvs tvs.pem --now @1700000000 \
			-o d/ITLFile-$i.tlv
	done
	cp d/ITLFile-0.tlv d/ITLFile-8.tlv
	cp d/ITLFile-0.tlv d/ITLFile-9.tlv
	# every mode: all files in one run (a.M.*), then file by file (o.M.out)
	for m in t -j -b; do
		[ $m = t ] && o= || o=$m
		st=0; $VG ctl-dump $o d/* >a.$m.out 2>a.$m.err || st=$?; echo $st >a.$m.rc
		for i in 0 1 2 3 4 5 6 7 8 9; do $VG ctl-dump $o d/ITLFile-$i.tlv; done >o.$m.out
	done
	st=0; $VG ctl-dump -q d/* >q.out 2>&1 || st=$?; echo $st >q.rc
	# a tampered byte in one file fails that file only, whatever key the others share
	# (the byte is inverted: writing a fixed byte left the file as it was when that byte was
	# already there, 1 run in 256, the certificate bytes changing with the time)
	cp d/ITLFile-4.tlv bad.tlv
	off=$(($(stat -c %s bad.tlv) - 20))
	set -- $(od -An -tu1 -j $off -N 1 bad.tlv)
	printf "\\$(printf %o $(($1 ^ 255)))" | dd of=bad.tlv bs=1 seek=$off conv=notrunc status=none
	cmp -s bad.tlv d/ITLFile-4.tlv && exit 9
	st=0; $VG ctl-dump -q d/ITLFile-1.tlv bad.tlv d/ITLFile-7.tlv >/dev/null 2>&1 || st=$?; echo $st >qb.rc
	st=0; $VG ctl-dump bad.tlv >b.out 2>/dev/null || st=$?; echo $st >b.rc'
	for m in t -j -b; do
		slurp st a.$m.rc
		[ "$st" = 0 ]
		slurp all a.$m.err
		[ -z "$all" ]
		slurp all a.$m.out
		slurp one o.$m.out
		# the shell sorts d/* as ITLFile-0..9: the same order
		[ "$all" = "$one" ]
	done
	[ "$(grep -c '^The ITL file was verified successfully.$' a.t.out)" -eq 10 ]
	[ "$(jq -s '[.[] | select(.signature.verified)] | length' a.-j.out)" -eq 10 ]
	slurp st q.rc
	slurp all q.out
	[ "$st" = 0 ] && [ -z "$all" ]
	slurp st qb.rc
	[ "$st" = 1 ]
	slurp st b.rc
	[ "$st" = 1 ]
	slurp all b.out
	[ "${all##*$'\n'}" = "The ITL file could not be verified: the signature does not match." ]
}

# point VAR TEXT: the X9.62 point of the EC key openssl's -text output TEXT shows ("pub:"), hex.
point() {
	local _t=${2#*pub:}
	_t=${_t%%ASN1*}
	printf -v "$1" '%s' "${_t//[$' \n:']/}"
}

# ecstep B LEN [sign]: the fixtures and runs of one curve (sh, one fork per tool): ec$B.pem/.key
# and its -text, the records of an itl-build run holding it (recs.$B, hex), another key of the
# curve (other$B.txt); with "sign", the ITLs $B.tlv, bad$B.tlv and off$B.tlv from the records
# recs.$B, recs.$B.bad and recs.$B.off, and ctl-dump over them. The ITLs are signed by the EC
# key (ECDSA, SHA-1) and written from the format alone by tests/tools/ctldump-ecitl.c, which
# re-signs until the DER signature has the length its header was built for.
ecstep() {
	E="$TOP/tests/bin/ctldump-ecitl" sh -ec '
	b=$1 len=$2
	if [ "$3" != sign ]; then
		openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:$b -nodes -keyout ec$b.key \
			-out ec$b.pem -days 365 -subj /CN=ec$b -set_serial $((0x7E00 + len)) 2>/dev/null
		openssl x509 -in ec$b.pem -noout -text >ec$b.txt
		openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:$b -text >other$b.txt 2>/dev/null
		# the records: what itl-build writes for the EC certificate (PUBLICKEY = its point)
		itl-build -k rsa.key --sast rsa.pem --sast ec$b.pem --tvs tvs.pem --now @1700000000 -f -o rec.tlv
		set -- $(od -An -tu1 -j8 -N2 rec.tlv)
		od -An -v -tx1 -j $(($1 * 256 + $2)) rec.tlv >recs.$b
		exit 0
	fi
	ser=$(printf %04x $((0x7E00 + len)))
	"$E" $b.tlv ec$b.key ec$b $ser "$(cat recs.$b)"
	"$E" bad$b.tlv ec$b.key ec$b $ser "$(cat recs.$b.bad)"
	"$E" off$b.tlv ec$b.key ec$b $ser "$(cat recs.$b.off)"
	r() { n=$1; shift; st=0; $VG ctl-dump "$@" >$n.out 2>$n.err || st=$?; echo $st >$n.rc; }
	r g.$b $b.tlv
	r gj.$b -j $b.tlv
	r bad.$b bad$b.tlv
	r badq.$b -q bad$b.tlv
	r badb.$b -b bad$b.tlv
	r off.$b -j off$b.tlv' sh "$@"
}

# want NAME STATUS: the run NAME of ecstep exited STATUS; its results as run sets them (setres).
want() {
	setres "$1"
	[ "$status" = "$2" ] || { echo "$1: exit $status, not $2: $stderr" >&2; false; }
}

# bats test_tags=full
@test "ctl-dump: EC-signed ITLs (P-256, P-384, P-521): the key from the record's EC point; a mismatching point rejected, a malformed one falls back to the certificate" {
	local c b len recs pt other y f m st all one
	[ -x "$TOP/tests/bin/ctldump-ecitl" ] || skip "tests/bin/ctldump-ecitl is not built (make check builds it)"
	mkcert . tvs 365 /CN=tvs1
	mkcert . rsa 365 /CN=ITLRECOVERY_rsa
	for c in P-256:65 P-384:97 P-521:133; do
		b=${c%:*} len=${c#*:}
		ecstep $b $len
		slurp recs recs.$b
		recs=${recs//[$' \n']/}
		slurp pt ec$b.txt
		point pt "$pt"
		[ ${#pt} -eq $((len * 2)) ]
		[[ $recs == *"$(printf '07%04x' $len)$pt"* ]]
		# another point of the same curve in the signer's record: the signature does not match it
		slurp other other$b.txt
		point other "$other"
		[ ${#other} -eq $((len * 2)) ] && [ "$other" != "$pt" ]
		printf '%s' "$recs" >recs.$b
		printf '%s' "${recs/$pt/$other}" >recs.$b.bad
		# a point off the curve (last byte of Y changed): the certificate's key verifies
		y=$(printf '%02x' $(((0x${pt: -2} + 1) % 256)))
		printf '%s' "${recs/$pt/${pt:0:$((len * 2 - 2))}$y}" >recs.$b.off
		ecstep $b $len sign
		want g.$b 0
		[ "${output##*$'\n'}" = "The ITL file was verified successfully." ]
		[[ $output == *$'\n7\tPUBLICKEY\t'$len$'\n'* ]]
		want gj.$b 0
		want bad.$b 1
		[ "${output##*$'\n'}" = "The ITL file could not be verified: the signature does not match." ]
		want badq.$b 1
		[ -z "$output" ] && [ -z "$stderr" ]
		want badb.$b 1
		[ "$stderr" = "ctl-dump: bad$b.tlv: not verified: the signature does not match" ]
		want off.$b 0
	done
	# the good and the off-curve ITLs of every curve: verified by the signer's record
	jq -e -n '[inputs] | length == 6 and all(.signature == {"verified": true, "record": 2, "error": null})' \
		gj.P-256.out gj.P-384.out gj.P-521.out off.P-256.out off.P-384.out off.P-521.out
	# every curve, good and bad, in one run prints what each prints alone (the cache keeps them apart)
	sh -c 'for m in t -j -b; do
		[ $m = t ] && o= || o=$m
		$VG ctl-dump $o "$@" >all.$m 2>all.$m.err
		for f; do $VG ctl-dump $o $f 2>>one.$m.err; done >one.$m
	done
	$VG ctl-dump -q P-256.tlv badP-384.tlv P-521.tlv; echo $? >q.rc' \
		sh P-256.tlv badP-384.tlv P-521.tlv offP-256.tlv badP-521.tlv P-384.tlv
	for m in t -j -b; do
		slurp all all.$m
		slurp one one.$m
		[ "$all" = "$one" ]
		cmp all.$m.err one.$m.err
	done
	slurp st q.rc
	[ "$st" = 1 ]
}
