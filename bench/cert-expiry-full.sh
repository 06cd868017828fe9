#!/bin/sh
# bench/cert-expiry-full.sh: issue 17 items 4 and 5 at full size. Opt-in, since it takes
# minutes and about 4.5 GB of fixtures: CTK_BENCH_FULL=1 sh bench/cert-expiry-full.sh
# (`make bench` runs it only with CTK_BENCH_FULL=1 in the environment).
#  4. 1,000,000 certificates in one directory against the same files (hard links) in 50
#     directories. Target: one directory within 1.2 x of 50 by cpu time, max RSS flat
#     (the same as for 100,000 files in one directory).
#  5. a bundle of 100,000 certificates the size of CUCM's (about 1,400 bytes of PEM each,
#     138 MB; cert-expiry-baseline genbig) streamed, not refused. Target: >= 10 x a
#     PEM_read_X509 loop over the same file, max RSS under 32 MB.
# Each run is measured with /usr/bin/time -v; the sides alternate (A B A B A B) and the best
# of 3 by cpu time counts: on a shared machine the clock measures the neighbours too.
# CTK_BENCH_FULL_N (1000000) and CTK_BENCH_BUNDLE_N (100000) change the sizes;
# CTK_BENCH_FULL_PEM=DIR reuses the N files an earlier `cert-expiry-baseline gen DIR N` wrote
# (nothing else in DIR; it is kept, and must be on the filesystem of the fixtures, which
# are hard links: /dev/shm when it has room, else TMPDIR or /tmp).
set -eu
if [ "${CTK_BENCH_FULL:-}" != 1 ]; then
	echo "cert-expiry-full: skipped (CTK_BENCH_FULL=1 runs it: minutes, about 4.5 GB of fixtures)"
	exit 0
fi
NFULL=${CTK_BENCH_FULL_N:-1000000}
NBUN=${CTK_BENCH_BUNDLE_N:-100000}
tool=$PWD/bin/cert-expiry
[ -x "$tool" ] || { echo "bench/cert-expiry-full.sh: run make first" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench/cert-expiry-full.sh: needs /usr/bin/time (GNU time)" >&2; exit 2; }
. bench/lib/scratch.sh
bench_scratch cert-expiry-full 6000000
cp "$tool" "$tmp/cert-expiry"	# a parallel `make clean` must not pull it away mid-run
tool=$tmp/cert-expiry
# shellcheck disable=SC2046
cc -O2 -o "$tmp/bl" bench/cert-expiry-baseline.c $(pkg-config --cflags --libs libcrypto)

pem=${CTK_BENCH_FULL_PEM:-}
if [ -z "$pem" ]; then
	pem=$tmp/pem
	mkdir "$pem"
	t0=$(date +%s)
	"$tmp/bl" gen "$pem" "$NFULL"
	echo "cert-expiry-full: generated $NFULL PEM files in $(($(date +%s) - t0)) s"
fi
[ "$(find "$pem" -type f | wc -l)" -eq "$NFULL" ] ||
	{ echo "cert-expiry-full: $pem does not hold exactly $NFULL files" >&2; exit 2; }
# the same files, hard links: in 50 directories, and the first NBUN in one directory (memory
# flat in the file count); then NBUN certificates of CUCM's size as one bundle
t0=$(date +%s)
i=0
while [ $i -lt 50 ]; do mkdir -p "$tmp/split/d$i" "$tmp/part"; i=$((i + 1)); done
(cd "$pem" && find . -type f | sort | cut -c3- |
    awk -v t="$tmp" '{ print > (t "/list" (NR - 1) % 50) }')
i=0
while [ $i -lt 50 ]; do
	(cd "$pem" && xargs ln -t "$tmp/split/d$i" <"$tmp/list$i")
	i=$((i + 1))
done
(cd "$pem" && find . -type f | sort | head -n "$NBUN" | cut -c3- | xargs ln -t "$tmp/part")
rm -f "$tmp"/list*
mkdir "$tmp/big"
"$tmp/bl" genbig "$tmp/big" "$NBUN"
find "$tmp/big" -type f | sort | xargs cat >"$tmp/bundle.pem"
rm -rf "$tmp/big"
echo "cert-expiry-full: fixtures linked and the bundle written in $(($(date +%s) - t0)) s"
find "$pem" -type f -exec cat {} + >/dev/null	# warm the page cache

# run NAME CMD...: one line "NAME wall cpu maxrss_kib" into $tmp/rows (status 0 or 1)
run() {
	name=$1
	shift
	$pin /usr/bin/time -v -o "$tmp/tv" "$@" >/dev/null 2>"$tmp/err" || [ $? -eq 1 ] ||
		{ echo "cert-expiry-full: $name failed: $(head -c 300 "$tmp/err")" >&2; exit 2; }
	awk -v n="$name" -F': ' '
		/Elapsed \(wall clock\)/ { k = split($2, a, ":"); w = 0; for (i = 1; i <= k; i++) w = w * 60 + a[i] }
		/User time/ { c += $2 } /System time/ { c += $2 } /Maximum resident/ { m = $2 }
		END { printf "%s %.3f %.3f %d\n", n, w, c, m }' "$tmp/tv" >>"$tmp/rows"
}
for k in 1 2 3; do
	run one "$tool" "$pem"
	run fifty "$tool" "$tmp/split"
	run part "$tool" "$tmp/part"
	run bundle "$tool" "$tmp/bundle.pem"
	run pemloop "$tmp/bl" pemfile "$tmp/bundle.pem"
done

size=$(stat -c %s "$tmp/bundle.pem")
echo "cert-expiry-full: measured under whatever else runs on the machine (load $(cut -d' ' -f1-3 /proc/loadavg))"
awk -v nf="$NFULL" -v nb="$NBUN" -v size="$size" '
	# best of 3 by cpu time, per name
	!($1 in c) || $3 < c[$1] { w[$1] = $2; c[$1] = $3; m[$1] = $4 }
	END {
		printf "%-44s %9s %9s %9s %12s\n", "best of 3 by cpu time", "certs/cpu s", "wall s", "cpu s", "max RSS KiB"
		line("cert-expiry DIR (one directory)", "one", nf)
		line("cert-expiry DIR (50 directories)", "fifty", nf)
		line(sprintf("cert-expiry DIR (one directory of %d)", nb), "part", nb)
		line(sprintf("cert-expiry BUNDLE (%.0f MB)", size / 1e6), "bundle", nb)
		line("baseline: PEM_read_X509 over the bundle", "pemloop", nb)
		r4 = c["one"] / c["fifty"]
		ok4 = r4 <= 1.2 && m["one"] <= 1.5 * m["part"]
		printf "4. one directory / 50 directories at %d: %.2f x by cpu time, %.2f x by the clock (target <= 1.2 x); max RSS %d KiB for %d files, %d KiB for %d: %s\n", nf, r4, w["one"] / w["fifty"], m["one"], nf, m["part"], nb, (ok4 ? "met" : "NOT MET")
		r5 = c["pemloop"] / c["bundle"]
		ok5 = r5 >= 10 && m["bundle"] < 32768
		printf "5. bundle of %d (%d bytes) streamed: %.1f x PEM_read_X509 by cpu time, %.1f x by the clock (target >= 10 x); max RSS %d KiB (target < 32768): %s\n", nb, size, r5, w["pemloop"] / w["bundle"], m["bundle"], (ok5 ? "met" : "NOT MET")
		exit !(ok4 && ok5)
	}
	function line(label, k, n) { printf "%-44s %9.0f %9.3f %9.3f %12d\n", label, n / c[k], w[k], c[k], m[k] }
' "$tmp/rows"
