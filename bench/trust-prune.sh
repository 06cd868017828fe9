#!/bin/sh
# bench/trust-prune.sh: a dry run of trust-prune over a store of 10,000 trust certificates
# (issue #5 target: < 0.5 s), against the shell loop an administrator would write:
# `openssl x509 -checkend 0` on each file. That loop is timed on a 1,000-file sample and
# scaled to the whole store (it takes minutes otherwise); the scaling is printed.
# Wall-clock times on a busy machine vary: the CPU time (user+sys) is printed too.
set -eu
top=$(pwd)
N=${CTK_BENCH_CERTS:-10000}
S=${CTK_BENCH_SAMPLE:-500}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cc -O2 -o "$tmp/gen" "$top/bench/trust-prune-gen.c" $(pkg-config --cflags --libs libcrypto)

# One shared RSA-2048 key signs every trust certificate: seconds, not hours, to build.
"$tmp/gen" "$tmp/store" "$N"
find "$tmp/store" -name '*.pem' -exec cat {} + >/dev/null	# warm the page cache

now() { date +%s.%N; }
# CPU seconds (user+sys) of the finished children of this shell, from the times builtin.
cpu() { times >"$tmp/times"; awk 'NR == 2 { split($1, u, "m"); split($2, s, "m"); print u[1] * 60 + u[2] + s[1] * 60 + s[2] }' "$tmp/times"; }
best=999; bestj=999; bestc=999
for round in 1 2 3; do
	cpu >"$tmp/c0"
	t0=$(now)
	"$top/bin/trust-prune" -s "$tmp/store" >"$tmp/out" || [ $? -eq 1 ]
	t1=$(now)
	cpu >"$tmp/c1"
	bestc=$(echo "$(cat "$tmp/c0") $(cat "$tmp/c1") $bestc" | awk '{ d = $2 - $1; print (d < $3) ? d : $3 }')
	"$top/bin/trust-prune" -s "$tmp/store" -j >/dev/null || [ $? -eq 1 ]
	t2=$(now)
	best=$(echo "$t0 $t1 $best" | awk '{ d = $2 - $1; print (d < $3) ? d : $3 }')
	bestj=$(echo "$t1 $t2 $bestj" | awk '{ d = $2 - $1; print (d < $3) ? d : $3 }')
done
sel=$(wc -l <"$tmp/out")

# Baseline: the per-file openssl loop on the first S files of the store, scaled.
find "$tmp/store" -path '*-trust/*' -name '*.pem' | sort | head -n "$S" >"$tmp/sample"
t0=$(now)
while read -r f; do
	openssl x509 -checkend 0 -noout -in "$f" >/dev/null || :
done <"$tmp/sample"
t1=$(now)
base=$(echo "$t0 $t1 $N $S" | awk '{ printf "%.2f", ($2 - $1) * $3 / $4 }')
sample=$(echo "$t0 $t1" | awk '{ printf "%.2f", $2 - $1 }')

echo "trust-prune bench: dry run over a store of $N trust certificates in 4 units ($sel selected), best of 3"
echo "  trust-prune (dry run, text):   $(printf '%.3f' "$best") s   (target < 0.5 s: $(echo "$best" | awk '{ print ($1 < 0.5) ? "met" : "MISSED" }')); CPU $(printf '%.3f' "$bestc") s"
echo "  trust-prune --json (all why):  $(printf '%.3f' "$bestj") s"
echo "  baseline openssl x509 -checkend 0 per file: $sample s for $S files, scaled x$((N / S)) = $base s"
echo "  ratio: trust-prune is $(echo "$base $best" | awk '{ printf "%.0f", $1 / $2 }')x faster than the baseline"
echo "  note: the generator signs every trust certificate with one shared key, so the issuer"
echo "  search (signature checks) finds few distinct keys to try; own certificates chain normally."
