#!/bin/sh
# bench/ctl-dump-pcap.sh: ctl-dump --pcap on a capture of 10,000 ITL downloads (about 100 MB:
# 10,000 phones, TFTP at blksize 512 with their ACKs and HTTP on 6970 in turn, written by
# tests/bin/mkpcap many; not committed), against the baseline of reading the capture with
# tcpdump (tcpdump -r CAPTURE -w /dev/null) plus ctl-dump reading the 10,000 files extracted
# from it (one process, as ctl-dump FILE... does). Target (issue 25): within 1.5 x the baseline.
# Best of 3 alternated rounds each. CTK_BENCH_PCAP_N=N sets the count (default 10000).
set -eu
top=$(pwd)
N=${CTK_BENCH_PCAP_N:-10000}
dump=$top/bin/ctl-dump
command -v tcpdump >/dev/null || { echo "ctl-dump-pcap: tcpdump is not installed (make deps): skipped"; exit 0; }
[ -x "$top/tests/bin/mkpcap" ] || make -s tests/bin/mkpcap >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
# an ITL of 6 records (about 9 KB), RSA-2048 signer
openssl req -x509 -newkey rsa:2048 -nodes -keyout k.key -out s.pem -days 3650 \
	-subj "/CN=ITLRECOVERY_bench" 2>/dev/null
set -- --sast s.pem
for r in 1 2 3 4 5; do
	openssl req -x509 -newkey rsa:2048 -nodes -keyout c$r.key -out c$r.pem -days 3650 \
		-subj "/CN=node$r" 2>/dev/null
	set -- "$@" --tvs c$r.pem
done
"$top/bin/itl-build" -k k.key "$@" -o ITLFile.tlv
MKPCAP_N=$N "$top/tests/bin/mkpcap" many cap.pcap ITLFile.tlv
mkdir x
"$dump" --pcap cap.pcap -x x >/dev/null
[ "$(ls x | wc -l)" = "$N" ] || { echo "ctl-dump-pcap: $(ls x | wc -l) files extracted, not $N" >&2; exit 2; }
cat cap.pcap x/* >/dev/null	# warm the page cache

now() { date +%s.%N; }
best_t=999999 best_b=999999 best_q=999999 best_bq=999999
for round in 1 2 3; do
	t0=$(now); tcpdump -r cap.pcap -w /dev/null 2>/dev/null; t1=$(now)
	ls x | sed 's|^|x/|' | xargs "$dump" >/dev/null; t2=$(now)
	"$dump" --pcap cap.pcap >/dev/null; t3=$(now)
	ls x | sed 's|^|x/|' | xargs "$dump" -q; t4=$(now)
	"$dump" --pcap cap.pcap -q; t5=$(now)
	eval "$(echo "$t0 $t1 $t2 $t3 $t4 $t5 $best_t $best_b $best_q $best_bq" | awk '{
		b = $2 - $1 + $3 - $2; t = $4 - $3; bq = $2 - $1 + $5 - $4; q = $6 - $5
		printf "best_b=%.3f best_t=%.3f best_bq=%.3f best_q=%.3f\n",
		    (b < $8 ? b : $8), (t < $7 ? t : $7), (bq < $10 ? bq : $10), (q < $9 ? q : $9) }')"
done
echo "ctl-dump-pcap: $N ITL downloads, capture $(($(stat -c %s cap.pcap) / 1000000)) MB; load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$best_t $best_b $best_q $best_bq" | awk '{
	printf "  text: ctl-dump --pcap %.2f s; baseline (tcpdump -r + ctl-dump on the extracted files) %.2f s: %.2f x (target <= 1.5)\n", $1, $2, $1 / $2
	printf "  -q:   ctl-dump --pcap -q %.2f s; baseline (tcpdump -r + ctl-dump -q) %.2f s: %.2f x (target <= 1.5)\n", $3, $4, $3 / $4 }'
