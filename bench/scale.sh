#!/bin/sh
# bench/scale.sh: every tool at three input sizes (CTK_SCALE_SIZES, default 1000 5000 25000),
# its time and max RSS per size, and the growth from one size to the next: the time (or
# memory) ratio divided by the size ratio, so 1.0 is linear and a super-linear step stands
# out. Inputs: a store of N trust certificates (bench/trust-prune-gen.c, one P-256 key),
# and a trust list of N records built from them. CPU time is user+sys (the machine may be
# busy; wall time is printed too). Takes a few minutes.
set -eu
top=$(pwd)
SIZES=${CTK_SCALE_SIZES:-1000 5000 25000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cc -O2 -o "$tmp/gen" "$top/bench/trust-prune-gen.c" $(pkg-config --cflags --libs libcrypto)
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$tmp/sast.key" -out "$tmp/sast.pem" \
	-days 30 -subj /CN=scale-sast 2>/dev/null
bin=$top/bin

# measure TOOL N CMD...: one line "TOOL N wall cpu maxrss" into $tmp/rows (status 0-1 ok)
measure() {
	t=$1 n=$2
	shift 2
	/usr/bin/time -f '%e %U %S %M' -o "$tmp/t" "$@" >/dev/null 2>"$tmp/err" || [ $? -eq 1 ] ||
		{ echo "scale: $t at $n failed: $(cat "$tmp/err")" >&2; exit 2; }
	tail -n 1 "$tmp/t" | awk -v t="$t" -v n="$n" '{ printf "%s %d %.2f %.2f %d\n", t, n, $1, $2 + $3, $4 }' >>"$tmp/rows"
}

for n in $SIZES; do
	s=$tmp/store-$n
	"$tmp/gen" "$s" "$n" ecshared
	find "$s" -path '*-trust/*' -name '*.pem' -exec cat {} + >"$tmp/bundle.pem"
	measure itl-build "$n" "$bin/itl-build" -f -k "$tmp/sast.key" --sast "$tmp/sast.pem" \
		--ccm "$tmp/bundle.pem" --now @1798761600 -o "$tmp/itl-$n.tlv"
	measure ctl-dump "$n" "$bin/ctl-dump" "$tmp/itl-$n.tlv"
	measure ctl-dump-j "$n" "$bin/ctl-dump" -j "$tmp/itl-$n.tlv"
	measure cert-expiry "$n" "$bin/cert-expiry" -a -s "$s"
	measure trust-prune "$n" "$bin/trust-prune" -s "$s" -j
	measure cert-regen "$n" "$bin/cert-regen" -s "$s" -y -q --key-type ec CallManager
	rm -rf "$s" "$tmp/itl-$n.tlv" "$tmp/bundle.pem"
done

echo "scale: each tool at $SIZES inputs (trust certificates in a store, records in an ITL)"
echo "growth = (time or RSS ratio) / (size ratio) from the size before: 1.0 linear, above 1.5 look closer"
sort -s -k1,1 "$tmp/rows" | awk '
	{ if ($1 != tool) { tool = $1; pn = 0; printf "\n%-12s %8s %8s %8s %10s %12s %12s\n", tool, "inputs", "wall s", "cpu s", "maxrss kB", "growth cpu", "growth rss" } }
	{ gc = "-"; gr = "-"
	  if (pn > 0) { r = $2 / pn; gc = (pc > 0.005) ? sprintf("%.2f", ($4 / pc) / r) : "(tiny)"; gr = sprintf("%.2f", ($5 / pr) / r) }
	  printf "%-12s %8d %8.2f %8.2f %10d %12s %12s\n", "", $2, $3, $4, $5, gc, gr
	  pn = $2; pc = $4; pr = $5 }'
