#!/bin/sh
# bench/check-floor.sh: what `make check` costs on this machine before any test does anything
# (issue 11 asks for under 60 s on 2 cores). Two figures:
#  1. the Bats floor: as many empty tests as make check's tier has (tests not tagged full:
#     DEVELOPERS.md, "Tests"), in as many files, each file
#     loading tests/helpers.bash, run by tests/run.sh as make check runs the suite (Bats
#     starts a bash, two mkdir, a date and an rm for every test);
#  2. process creation: N fork+exit+wait by one process alone, then by two processes at
#     once. The ratio is the throughput two cores give to process-bound work (2.0 when
#     they scale; a tool run or a shell fork in a test is process-bound).
# CTK_BENCH_FORKS (4000) sets N.
set -eu
[ -x bin/ctl-dump ] || { echo "bench/check-floor.sh: run make first" >&2; exit 2; }
command -v bats >/dev/null 2>&1 || { echo "bench/check-floor.sh: needs bats" >&2; exit 2; }
N=${CTK_BENCH_FORKS:-4000}
. bench/lib/scratch.sh
bench_scratch check-floor 10000

# 1. the shape of make check's tier, empty
tests=$(bats --count --filter-tags '!full' tests/*.bats)
files=0
for f in tests/*.bats; do
	[ "$(bats --count --filter-tags '!full' "$f")" -eq 0 ] || files=$((files + 1))
done
mkdir "$tmp/empty"
i=0
while [ "$i" -lt "$tests" ]; do
	f=$tmp/empty/f$((i % files)).bats
	[ -f "$f" ] || echo "load $PWD/tests/helpers.bash" >"$f"
	printf '@test "empty %d" {\n\t:\n}\n' "$i" >>"$f"
	i=$((i + 1))
done
t0=$(date +%s%N)
sh tests/run.sh "$tmp/empty" >"$tmp/empty.log" 2>&1 || { cat "$tmp/empty.log" >&2; exit 2; }
t1=$(date +%s%N)
floor=$(((t1 - t0) / 1000000))
echo "check-floor: $tests empty Bats tests in $files files (tests/run.sh): $((floor / 1000)).$((floor % 1000 / 100)) s wall"

# 2. fork throughput, one process and two at once
cat >"$tmp/fk.c" <<'EOF'
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
int
main(int argc, char **argv)
{
	int i, n = argc > 1 ? atoi(argv[1]) : 1000;
	pid_t p;

	for (i = 0; i < n; i++) {
		if ((p = fork()) < 0)
			return 2;
		if (p == 0)
			_exit(0);
		waitpid(p, NULL, 0);
	}
	return 0;
}
EOF
cc -O2 -o "$tmp/fk" "$tmp/fk.c"
ms() { echo $((($(date +%s%N) - $1) / 1000000)); }
t0=$(date +%s%N)
"$tmp/fk" "$N"
one=$(ms "$t0")
t0=$(date +%s%N)
"$tmp/fk" "$N" &
"$tmp/fk" "$N"
wait
two=$(ms "$t0")
echo "check-floor: $N forks alone: $one ms ($((one * 1000 / N)) us each); 2 x $N at once: $two ms"
# throughput of two at once against one alone: 2.00 = the two cores scale
r=$((200 * one / two))
printf 'check-floor: two at once make %d.%02d x the forks per second of one alone\n' \
	$((r / 100)) $((r % 100))
