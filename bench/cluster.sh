#!/bin/sh
# bench/cluster.sh: cert-regen --cluster on 10 nodes (5 TFTP) with every unit (42 certificates):
# the plan (target < 1 s) and the run (-y) against the same 42 regenerations done one by one
# with cert-regen -s (target: ratio <= 1.3). Each TFTP node serves SGN (default 1,000) signed
# configuration files: the run judges them after every step and re-signs them after its
# node's CallManager step; the baseline re-signs them once per node with one
# itl-build --sign-file after the regenerations. Runs alternate; medians of N.
set -eu
N=${N:-3}
SGN=${SGN:-1000}
BIN=${BIN:-bin}
B=$(cd "$BIN" && pwd)	# absolute: the signing runs in the payloads' directory
NOW=2027-01-01T00:00:00Z
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM
. bench/lib/cluster10.sh

c="$T/tpl"
bench_cluster10 "$c" "$T"
tftps=$(awk '/tftp/ { print $1 }' "$c/nodes")
# the plan's steps as "node unit" lines: the baseline regenerates the same, in the same order
"$BIN/cert-regen" --cluster "$c" --plan --json |
	jq -r '.steps[] | .node as $n | .units[] | $n + " " + .' >"$T/steps"

: >"$T/plan"
: >"$T/run"
: >"$T/one"
k=0
while [ $k -lt "$N" ]; do
	t0=$(ms)
	"$BIN/cert-regen" --cluster "$c" --plan >/dev/null
	t1=$(ms)
	rm -rf "$T/r" && cp -a "$c" "$T/r"
	t2=$(ms)
	"$BIN/cert-regen" --cluster "$T/r" -y --now $NOW >/dev/null
	t3=$(ms)
	rm -rf "$T/o" && cp -a "$c" "$T/o"
	t4=$(ms)
	while read -r n u; do
		"$BIN/cert-regen" -s "$T/o/$n" -y -q --now $NOW "$u"
	done <"$T/steps"
	for n in $tftps; do
		[ "$SGN" -eq 0 ] || (cd "$T/cnf" && "$B/itl-build" --sign-file -f \
			--cluster "$T/o" --node "$n" --now "$NOW" SEP*.cnf.xml)
	done
	t5=$(ms)
	echo $((t1 - t0)) >>"$T/plan"
	echo $((t3 - t2)) >>"$T/run"
	echo $((t5 - t4)) >>"$T/one"
	k=$((k + 1))
done
p=$(median <"$T/plan")
r=$(median <"$T/run")
o=$(median <"$T/one")
awk -v p="$p" -v r="$r" -v o="$o" -v s="$(wc -l <"$T/steps")" -v n="$N" -v g="$SGN" 'BEGIN {
	q = o > 0 ? r / o : 0
	printf "cert-regen --cluster --plan (10 nodes, %d units) %7.1f ms %s | -y %7.1f ms | %d x cert-regen -s + re-signing %d .sgn a TFTP node %7.1f ms | ratio %.2f %s (median of %d)\n",
	    s, p, p < 1000 ? "ok" : "SLOW", r, s, g, o, q, q <= 1.3 ? "ok" : "SLOW", n }'
