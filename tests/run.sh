#!/bin/sh
# run.sh [bats args...]: run the Bats suite, then print the plain closing line
# "N passed, N failed, N skipped" that CI reads, and each skipped test with its reason;
# exit with Bats' status. With GNU parallel the files run side by side (--jobs; CTK_JOBS
# sets how many, 1 runs them one by one); the tests of one file keep their order.
# Tiers (DEVELOPERS.md, "Tests"): tests tagged "full" (`# bats file_tags=full` at the top of a
# file, `# bats test_tags=full` above a test) run only with CTK_TIER=full (make check-full).
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
jobs=${CTK_JOBS:-$(($(nproc 2>/dev/null || echo 1) * 2))}
if [ "$jobs" -gt 1 ] && command -v parallel >/dev/null 2>&1; then
	# a directory becomes its files, largest first: the longest files start first instead
	# of one of them running alone at the end (bats keeps the order it is given)
	n=$#
	while [ "$n" -gt 0 ]; do
		a=$1
		shift
		if [ -d "$a" ]; then
			set -- "$@" $(ls -S "$a"/*.bats)
		else
			set -- "$@" "$a"
		fi
		n=$((n - 1))
	done
	set -- --jobs "$jobs" --no-parallelize-within-files "$@"
fi
[ "${CTK_TIER:-}" = full ] || set -- --filter-tags '!full' "$@"
bats --tap "$@" | tee "$log" || status=$?
[ -s "$log" ] || status=2
passed=$(grep -c '^ok .* # skip' "$log")
skipped=$passed
passed=$(($(grep -c '^ok ' "$log") - skipped))
failed=$(grep -c '^not ok ' "$log")
echo "$passed passed, $failed failed, $skipped skipped"
# why each skip: "skipped: <test>: <reason>"
sed -n 's/^ok [0-9]* \(.*\) # skip *\(.*\)$/skipped: \1: \2/p' "$log"
# tee hides bats' status in a plain sh pipeline: failures also show in the counts
[ "$failed" -eq 0 ] || status=1
[ $((passed + failed)) -gt 0 ] || status=1
exit $status
