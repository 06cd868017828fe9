#!/bin/sh
# run.sh SECONDS TARGET...: run each libFuzzer target SECONDS seconds from the repo top, one
# after the other, on its seeds (seeds.sh), its growing corpus tests/fuzz/corpus-TARGET,
# tests/regress and ../shared/samples (read in place), with tests/fuzz/TARGET.dict when
# there is one. Prints one summary line per target;
# a crash leaves its input in tests/fuzz/corpus-crashes/ and makes the exit status 1.
set -u
secs=$1
shift
cd "$(dirname "$0")/../.."
fz=tests/fuzz
shared=../shared/samples
crashes=$fz/corpus-crashes
mkdir -p "$crashes"
rc=0
for t in "$@"; do
	name=${t#fuzz_}
	corpus=$fz/corpus-$name seed=$fz/corpus-$name-seed log=$fz/bin/$t.log
	mkdir -p "$corpus"
	sh $fz/seeds.sh "$name" "$seed" || { echo "fuzz: $t: seeds failed" >&2; rc=2; continue; }
	set -- "$corpus" "$seed" tests/regress
	[ ! -d "$shared" ] || set -- "$@" "$shared"
	[ ! -f "$fz/$name.dict" ] || set -- -dict="$fz/$name.dict" "$@"
	# the container target runs under a 2 s limit per input: the PKCS#12 work budget must hold
	tmo=20
	[ "$t" != fuzz_p12 ] || tmo=2
	ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	    "$fz/bin/$t" -max_total_time="$secs" -timeout="$tmo" -rss_limit_mb=2048 \
	    -max_len=65536 -print_final_stats=1 -artifact_prefix="$crashes/$name-" \
	    "$@" >"$log" 2>&1
	st=$?
	execs=$(sed -n 's/^Done \([0-9]*\) runs in .*/\1/p' "$log")
	secs_run=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log")
	cov=$(grep -E '^#[0-9]+.*cov: ' "$log" | tail -1 | sed 's/.*cov: \([0-9]*\) ft: \([0-9]*\).*/cov \1 ft \2/')
	printf '%s: %s execs in %s s, %s, exit %s\n' "$t" "${execs:-?}" "${secs_run:-?}" \
	    "${cov:-cov ?}" "$st"
	if [ "$st" != 0 ]; then
		grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error)' "$log" | head -5 >&2
		echo "fuzz: $t: failed, see $log and $crashes" >&2
		rc=1
	fi
done
exit $rc
