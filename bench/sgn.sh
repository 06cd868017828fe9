#!/bin/sh
# bench/sgn.sh: `ctl-dump --brief --trust ITLFile.tlv` over 20,000 signed 8 KB .cnf.xml.sgn
# files (one RSA-2048 TFTP signer, SHA-1) against a plain C loop (bench/sgn-baseline.c) that
# only verifies the signatures: the signer's key decoded once, then per file read, parse the
# header, RSA-verify. Same method as bench/ctl-dump.sh: best of 3 rounds, page cache warm.
# Target (issue #13): ctl-dump at >= 70% of the baseline's rate.
set -eu
top=$(pwd)
N=${CTK_BENCH_SGN:-20000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cc -O2 -I"$top/lib" -o "$tmp/baseline" "$top/bench/sgn-baseline.c" "$top/lib/libctk.a" \
	$(pkg-config --cflags --libs libcrypto libtasn1)

cd "$tmp"
openssl req -x509 -newkey rsa:2048 -nodes -keyout sast.key -out sast.pem -days 3650 \
	-subj /CN=ITLRECOVERY_bench 2>/dev/null
openssl req -x509 -newkey rsa:2048 -nodes -keyout tftp.key -out tftp.pem -days 3650 \
	-subj "/CN=cucm1.bench/OU=VTG/O=Bench/C=US" 2>/dev/null
openssl req -x509 -newkey rsa:2048 -nodes -keyout tvs.key -out tvs.pem -days 3650 \
	-subj /CN=tvs.bench 2>/dev/null
"$top/bin/itl-build" -k sast.key --sast sast.pem --sast tftp.pem --tftp tftp.pem \
	--tvs tvs.pem --now @1700000000 -o ITLFile.tlv
# 200 distinct 8 KB configuration files signed in one itl-build process (each write is
# fsync'd: that, not RSA, sets its rate), copied to N files
mkdir s d
head -c 8100 /dev/zero | tr '\0' 'x' >body
i=0
while [ $i -lt 200 ]; do
	printf '<device>%06d' $i | cat - body >s/SEP$(printf %012X $i).cnf.xml
	i=$((i + 1))
done
t0=$(date +%s.%N)
"$top/bin/itl-build" --sign-file -k tftp.key --signer tftp.pem --now @1700000000 s/*.cnf.xml
t1=$(date +%s.%N)
# one process for the copies (a cp per file costs minutes on a loaded machine)
perl -MFile::Copy -e 'my @s = sort glob("s/*.sgn"); for my $i (0 .. $ARGV[0] - 1) {
	copy($s[$i % @s], sprintf("d/SEP%012X.cnf.xml.sgn", $i)) or die "copy: $!\n" }' "$N"
cat d/* >/dev/null	# warm the page cache

now() { date +%s.%N; }
rate() { echo "$1 $2 $3" | awk '{ printf "%.0f", $1 / ($3 - $2) }'; }
best_b=0; best_t=0
for round in 1 2 3; do
	t2=$(now); "$tmp/baseline" tftp.pem d/* >/dev/null; t3=$(now)
	"$top/bin/ctl-dump" --brief --trust ITLFile.tlv d/* >out; t4=$(now)
	b=$(rate "$N" "$t2" "$t3"); t=$(rate "$N" "$t3" "$t4")
	[ "$b" -gt "$best_b" ] && best_b=$b
	[ "$t" -gt "$best_t" ] && best_t=$t
done
[ "$(grep -c '^ACCEPTED' out)" -eq "$N" ] || { echo "sgn bench: not every file accepted" >&2; exit 2; }
echo "sgn bench: $N signed .cnf.xml.sgn files of 8 KB, one RSA-2048 TFTP signer (SHA-1), best of 3 rounds"
echo "  itl-build --sign-file (one process, fsync per file): $(rate 200 "$t0" "$t1") files/s"
echo "  baseline (read, parse header, RSA verify): $best_b files/s"
echo "  ctl-dump --brief --trust ITLFile.tlv:      $best_t files/s  = $(echo "$best_t $best_b" | awk '{printf "%.0f", 100*$1/$2}')% of baseline (target >= 70%)"
