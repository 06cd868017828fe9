#!/bin/sh
# bench/cluster-undo.sh: cert-regen --cluster -r 1 (the whole run undone, step by step) on the
# 10-node cluster of bench/cluster.sh (5 TFTP nodes, every unit: 42 certificates, SGN signed
# files a TFTP node) against the run (-y) that made it: target ratio undo / run <= 1.3. Each
# round copies the cluster, runs, then undoes, with the same --now (the undo re-signs what
# the run re-signed); medians of N rounds, the two timed side by side in each round.
set -eu
N=${N:-3}
SGN=${SGN:-1000}
BIN=${BIN:-bin}
B=$(cd "$BIN" && pwd)
NOW=2027-01-01T00:00:00Z
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM
. bench/lib/cluster10.sh

c="$T/tpl"
bench_cluster10 "$c" "$T"

: >"$T/run"
: >"$T/undo"
k=0
while [ $k -lt "$N" ]; do
	rm -rf "$T/r" && cp -a "$c" "$T/r"
	t0=$(ms)
	"$BIN/cert-regen" --cluster "$T/r" -y --now $NOW >/dev/null
	t1=$(ms)
	"$BIN/cert-regen" --cluster "$T/r" -y --now $NOW -r 1 >/dev/null
	t2=$(ms)
	echo $((t1 - t0)) >>"$T/run"
	echo $((t2 - t1)) >>"$T/undo"
	k=$((k + 1))
done
# the undo must have put every served file back: the first round's cluster against the template
for n in $(awk '/tftp/ { print $1 }' "$c/nodes"); do
	cmp -s "$c/$n/tftp/ITLFile.tlv" "$T/r/$n/tftp/ITLFile.tlv" ||
		{ echo "bench/cluster-undo.sh: $n: the undo did not put the ITL back" >&2; exit 2; }
done
r=$(median <"$T/run")
u=$(median <"$T/undo")
awk -v r="$r" -v u="$u" -v n="$N" -v g="$SGN" -v s="$(grep -c '^step' "$T/r/.journal")" 'BEGIN {
	q = r > 0 ? u / r : 0
	printf "cert-regen --cluster -r 1 (10 nodes, %d steps, %d .sgn a TFTP node) %7.1f ms | the run -y %7.1f ms | ratio %.2f %s (median of %d)\n",
	    s, g, u, r, q, q <= 1.3 ? "ok" : "SLOW", n }'
