#!/bin/sh
# bench/ctl-dump.sh: ctl-dump over 10,000 ITL files of 10 records each, text to /dev/null,
# against a plain C loop that only parses and RSA-verifies the same files (the physical limit):
# it decodes the signer certificate of every file; ctl-dump keeps the last few decoded keys.
# Target (issue #2): ctl-dump at >= 70% of the baseline's rate. Also reports --json files/s.
set -eu
top=$(pwd)
N=${CTK_BENCH_ITLS:-10000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cc -O2 -I"$top/lib" -o "$tmp/baseline" "$top/bench/ctl-dump-baseline.c" "$top/lib/libctk.a" \
	$(pkg-config --cflags --libs libcrypto libtasn1)

# 10 distinct ITLs (2048-bit signer, 10 records), copied to N files.
cd "$tmp"
for i in 0 1 2 3 4 5 6 7 8 9; do
	openssl req -x509 -newkey rsa:2048 -nodes -keyout k$i.key -out s$i.pem -days 3650 \
		-subj "/CN=ITLRECOVERY_bench$i" 2>/dev/null
	set -- --sast s$i.pem
	for r in 1 2 3 4 5 6 7 8 9; do
		[ -f c$r.pem ] || openssl req -x509 -newkey rsa:2048 -nodes -keyout c$r.key -out c$r.pem \
			-days 3650 -subj "/CN=node$r" 2>/dev/null
		set -- "$@" --tvs c$r.pem
	done
	"$top/bin/itl-build" -k k$i.key --timestamp 1700000000 "$@" -o itl$i.tlv
done
mkdir d
i=0
while [ $i -lt "$N" ]; do
	cp itl$((i % 10)).tlv d/ITLFile-$i.tlv
	i=$((i + 1))
done
cat d/* >/dev/null	# warm the page cache

now() { date +%s.%N; }
rate() { echo "$1 $2 $3" | awk '{ printf "%.0f", $1 / ($3 - $2) }'; }
best_b=0; best_t=0; best_j=0
for round in 1 2 3; do
	t0=$(now); "$tmp/baseline" d/* >/dev/null; t1=$(now)
	"$top/bin/ctl-dump" d/* >/dev/null; t2=$(now)
	"$top/bin/ctl-dump" --json d/* >/dev/null; t3=$(now)
	b=$(rate "$N" "$t0" "$t1"); t=$(rate "$N" "$t1" "$t2"); j=$(rate "$N" "$t2" "$t3")
	[ "$b" -gt "$best_b" ] && best_b=$b
	[ "$t" -gt "$best_t" ] && best_t=$t
	[ "$j" -gt "$best_j" ] && best_j=$j
done
echo "ctl-dump bench: $N ITL files x 10 records, RSA-2048 signer, best of 3 rounds"
echo "  baseline (read, parse, d2i_X509, RSA verify per file): $best_b files/s"
echo "  ctl-dump (show itl text, verified):  $best_t files/s  = $(echo "$best_t $best_b" | awk '{printf "%.0f", 100*$1/$2}')% of baseline (target >= 70%)"
echo "  ctl-dump --json:                     $best_j files/s  = $(echo "$best_j $best_b" | awk '{printf "%.0f", 100*$1/$2}')% of baseline"
