#!/bin/sh
# bench/sign-file.sh: `itl-build --sign-file` over N configuration files of one directory
# (CTK_BENCH_SIGN_SIZES, default 250 1000 4000) against a C loop that loads the key once and,
# per file, reads it, signs it and writes FILE.sgn atomically and durably (temp, fsync,
# rename; one directory fsync: bench/sign-file-baseline.c). CPU time (user + sys) of each
# process, pairs alternating (CTK_BENCH_PAIRS, default 3), medians; ratio = baseline / itl-build.
# On disk (TMPDIR or /tmp), not /dev/shm: fsync and directory reads are what this is about.
# Target (issue #28): >= 0.70 at 1,000 and 4,000 files, and the growth from size to size near 1.
set -eu
top=$(pwd)
SIZES=${CTK_BENCH_SIGN_SIZES:-250 1000 4000}
PAIRS=${CTK_BENCH_PAIRS:-3}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/sign-file.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
cc -O2 -I"$top/lib" -o "$tmp/baseline" "$top/bench/sign-file-baseline.c" "$top/lib/libctk.a" \
	$(pkg-config --cflags --libs libcrypto libtasn1)
cd "$tmp"
openssl req -x509 -newkey rsa:2048 -nodes -keyout tftp.key -out tftp.pem -days 3650 \
	-subj "/CN=cucm1.bench/OU=VTG/O=Bench/C=US" 2>/dev/null

# cpu CMD...: the command's user + sys seconds
cpu() {
	/usr/bin/time -f '%U %S' -o t "$@" >/dev/null 2>err || { cat err >&2; exit 2; }
	awk '{ printf "%.3f\n", $1 + $2 }' t
}
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

echo "sign-file bench: itl-build --sign-file over N 2 KB files in one directory, RSA-2048 SHA-1," \
	"CPU s (user+sys), medians of $PAIRS alternating pairs; load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%8s %12s %12s %8s %14s\n' files baseline itl-build ratio "growth(itl)"
prev=
for n in $SIZES; do
	rm -rf d && mkdir d
	# N distinct 2 KB files in one process
	perl -e 'for my $i (0 .. $ARGV[0] - 1) { open(my $f, ">", sprintf("d/SEP%012X.cnf.xml", $i))
		or die; print $f sprintf("<device>%06d", $i), "x" x 2040; close $f }' "$n"
	set -- d/*.cnf.xml
	"$top/bin/itl-build" --sign-file -f -k tftp.key --signer tftp.pem --now @1700000000 "$@"
	: >b; : >i
	p=0
	while [ $p -lt "$PAIRS" ]; do
		cpu ./baseline tftp.key "$@" >>b
		cpu "$top/bin/itl-build" --sign-file -f -k tftp.key --signer tftp.pem \
			--now @1700000000 "$@" >>i
		p=$((p + 1))
	done
	[ "$(ls d | grep -c '\.tmp\.')" -eq 0 ] || { echo "sign-file bench: temp files left" >&2; exit 2; }
	mb=$(median <b); mi=$(median <i)
	g=-
	[ -n "$prev" ] && g=$(echo "$n $mi $prev" | awk '{ printf "%.2f", ($2 / $4) / ($1 / $3) }')
	printf '%8d %12s %12s %8s %14s\n' "$n" "$mb" "$mi" \
		"$(echo "$mb $mi" | awk '{ printf "%.2f", ($2 > 0) ? $1 / $2 : 0 }')" "$g"
	prev="$n $mi"
done
echo "target: ratio >= 0.70 at 1000 and 4000 files; growth = (cpu ratio) / (size ratio), 1.0 linear"
