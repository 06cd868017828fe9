#!/bin/sh
# bench/trust-prune-issuer.sh: trust-prune's issuer search at scale (issue #17, target: within
# 1.5x of the same store without the extra own certificates, in time and in memory):
# - a store whose one shared P-256 key issues the own certificate ipsec/ipsec.pem, so that
#   every trust certificate is its issuer (marking must stay linear);
# - an EC store of distinct keys with A own certificates whose issuers are absent (an absent
#   issuer must cost nothing, not a signature check per trust key);
# - an EC store of J certificates (CTK_BENCH_NAMESAKE_CERTS, default 10000) half of which share
#   the name of an absent issuer with keys of their own, against the same store with distinct
#   names (issue #28: a namesake must cost no more than a key comparison).
# Each store is timed with and without those units (moved aside): best of 3 on CPU time
# (user+sys; the machine may be busy), max RSS from GNU time.
set -eu
top=$(pwd)
I=${CTK_BENCH_ISSUER_CERTS:-100000}
A=${CTK_BENCH_ABSENT:-8}
J=${CTK_BENCH_NAMESAKE_CERTS:-10000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cc -O2 -o "$tmp/gen" "$top/bench/trust-prune-gen.c" $(pkg-config --cflags --libs libcrypto)

run3() {	# run3 STORE: "cpu-seconds max-rss-kB" of the best of 3 dry runs
	for r in 1 2 3; do
		/usr/bin/time -f '%U %S %M' -o "$tmp/t" "$top/bin/trust-prune" -s "$1" -j >/dev/null ||
			[ $? -eq 1 ]
		tail -n 1 "$tmp/t" | awk '{ printf "%.3f %d\n", $1 + $2, $3 }'
	done | sort -n | head -n 1
}
pair() {	# pair LABEL STORE UNIT...: timed with the units, then without them
	label=$1 st=$2
	shift 2
	with=$(run3 "$st")
	mkdir "$tmp/aside"
	for u in "$@"; do mv "$st/$u" "$tmp/aside/"; done
	without=$(run3 "$st")
	rm -rf "$tmp/aside"
	echo "$with $without" | awk -v l="$label" '{ printf "  %-40s %7.3f s %7d kB  (without them: %7.3f s %7d kB)  ratio time %.2f, memory %.2f: %s\n", l, $1, $2, $3, $4, $1 / $3, $2 / $4, ($1 <= 1.5 * $3 && $2 <= 1.5 * $4) ? "met" : "MISSED 1.5x" }'
}

echo "trust-prune issuer search over $I trust certificates (best of 3, CPU user+sys, max RSS)"
"$tmp/gen" "$tmp/sh" "$I" ecshared shared
find "$tmp/sh" -name '*.pem' -exec cat {} + >/dev/null
pair "one own certificate, key shared by all" "$tmp/sh" ipsec
rm -rf "$tmp/sh"
"$tmp/gen" "$tmp/ec" "$I" ec absent="$A"
find "$tmp/ec" -name '*.pem' -exec cat {} + >/dev/null
# shellcheck disable=SC2046
pair "$A own certificates, issuers absent" "$tmp/ec" $(cd "$tmp/ec" && ls -d absent-*)
rm -rf "$tmp/ec"
"$tmp/gen" "$tmp/ns" "$J" ec absent=1 namesakes=$((J / 2))
"$tmp/gen" "$tmp/pl" "$J" ec absent=1
find "$tmp/ns" "$tmp/pl" -name '*.pem' -exec cat {} + >/dev/null
echo "$(run3 "$tmp/ns") $(run3 "$tmp/pl")" | awk -v l="$((J / 2)) namesakes of an absent issuer" '{
	printf "  %-40s %7.3f s %7d kB  (distinct names: %7.3f s %7d kB)  ratio time %.2f, memory %.2f: %s\n", l, $1, $2, $3, $4, $1 / $3, $2 / $4, ($1 <= 1.5 * $3 && $2 <= 1.5 * $4) ? "met" : "MISSED 1.5x" }'
