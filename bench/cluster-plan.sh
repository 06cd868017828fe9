#!/bin/sh
# bench/cluster-plan.sh: cert-regen --cluster --plan over N nodes (CTK_BENCH_NODES, default
# 10 16 50 64 128 256), every unit of every node, two TFTP nodes, CallManager-trust replicated in
# full as CUCM keeps it (every node's CallManager and the CAPF on every node: 66,000 files at 256),
# made by tests/tools/mkcluster.c with served ITLs. Per size: the input's bytes, the plan's steps,
# CPU (user + sys, median of CTK_BENCH_RUNS, default 3), max RSS and RSS / input, and the growth
# from the size before as an exponent (log CPU ratio / log node ratio: 1 linear, 2 quadratic).
# CTK_BENCH_BASE=DIR also runs DIR/cert-regen (an older build) side by side: its CPU and RSS, and
# ratio = base CPU / this CPU. CTK_BENCH_TFTP=all makes every node a TFTP node.
# Targets (issues 26 and 28): 256 nodes under 2 s; growth at most quadratic; memory at most 16x
# the input.
set -eu
top=$(pwd)
. "$top/bench/lib/scratch.sh"
. "$top/bench/lib/cpu.sh"
SIZES=${CTK_BENCH_NODES:-10 16 50 64 128 256}
RUNS=${CTK_BENCH_RUNS:-3}
TFTP=${CTK_BENCH_TFTP:-2}
BASE=${CTK_BENCH_BASE:-}
bench_scratch cluster-plan 400000
cc -O2 -o "$tmp/mkcluster" "$top/tests/tools/mkcluster.c" $(pkg-config --cflags --libs libcrypto)
cd "$tmp"

# rss BIN: the plan's max RSS in kB (GNU time), or - without it
rss() {
	[ -x /usr/bin/time ] || { echo -; return 0; }
	/usr/bin/time -f %M -o rss.out "$1" --cluster c --plan >/dev/null 2>&1 || [ $? -eq 1 ]
	tail -n 1 rss.out
}

echo "cert-regen --cluster --plan: every unit, $TFTP TFTP nodes, CallManager-trust replicated;" \
	"CPU medians of $RUNS; load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%6s %10s %6s %9s %10s %7s %7s' nodes "input kB" steps "cpu s" "maxrss kB" "rss/in" growth
[ -z "$BASE" ] || printf ' %9s %10s %7s' "base cpu" "base rss" ratio
echo
pn= pc=
for n in $SIZES; do
	rm -rf c && "$tmp/mkcluster" c "$n" tftp="$TFTP"
	"$top/bin/itl-build" --cluster c --all --now @1798761600 2>/dev/null
	in=$(find c -type f -printf '%s\n' | awk '{ s += $1 } END { printf "%d", s / 1024 }')
	steps=$("$top/bin/cert-regen" --cluster c --plan 2>/dev/null | awk '/^safe:/ { print $2 }')
	: >t
	k=0
	r=$(((256 + n - 1) / n))	# runs per figure: the shell's clock ticks spread over them
	while [ $k -lt "$RUNS" ]; do
		cpu_runs "$r" "$top/bin/cert-regen" --cluster c --plan >>t
		k=$((k + 1))
	done
	c=$(median <t)
	m=$(rss "$top/bin/cert-regen")
	g=$(awk -v n="$n" -v pn="$pn" -v c="$c" -v pc="$pc" 'BEGIN {
		if (pn == "" || pc + 0 < 0.005 || c + 0 < 0.005) print "-"
		else printf "%.2f", log(c / pc) / log(n / pn) }')
	printf '%6d %10d %6s %9.3f %10s %7s %7s' "$n" "$in" "$steps" "$c" "$m" \
		"$(awk -v m="$m" -v i="$in" 'BEGIN { if (m == "-") print "-"; else printf "%.2f", m / i }')" "$g"
	if [ -n "$BASE" ]; then
		bc=$(cpu_runs "$r" "$BASE/cert-regen" --cluster c --plan)
		printf ' %9.3f %10s %7s' "$bc" "$(rss "$BASE/cert-regen")" "$(ratio "$bc" "$c")"
	fi
	echo
	pn=$n pc=$c
done
echo "target: 256 nodes under 2 s of CPU, growth <= 2 (quadratic), rss/in <= 16; load now $(cut -d' ' -f1-3 /proc/loadavg)"
