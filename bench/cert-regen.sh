#!/bin/sh
# bench/cert-regen.sh: one regeneration against `openssl req -x509 -newkey` with the same key type.
# Runs alternate, side by side; prints the median of each and the ratio (target: <= 1.2).
# A third column times cert-regen --dry-run: the same work without the writes, whose
# fsync calls (backup, staged files, manifest, renames: about 19) openssl req does not make.
set -eu
N=${N:-31}	# RSA key generation varies a lot from run to run: medians need many runs
BIN=${BIN:-bin/cert-regen}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM

ms() {	# milliseconds since the epoch (GNU date)
	date +%s%3N
}

median() {
	sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# bench UNIT LABEL NEWKEY OPENSSL-KEYOPTS...
bench() {
	unit=$1 label=$2 newkey=$3
	shift 3
	s="$T/store-$unit"
	mkdir -p "$s/$unit"
	openssl req -x509 -newkey "$newkey" "$@" -nodes -keyout "$s/$unit/$unit.key" \
		-out "$s/$unit/$unit.pem" -subj "/O=Example/CN=bench" -days 1825 2>/dev/null
	: >"$T/a"
	: >"$T/b"
	: >"$T/c"
	i=0
	while [ $i -lt "$N" ]; do
		t0=$(ms)
		"$BIN" -s "$s" -y -q "$unit"
		t1=$(ms)
		openssl req -x509 -newkey "$newkey" "$@" -nodes -keyout "$T/k.pem" -out "$T/c.pem" \
			-subj "/O=Example/CN=bench" -days 1825 -sha256 2>/dev/null
		t2=$(ms)
		"$BIN" -s "$s" -n -q "$unit"
		t3=$(ms)
		echo $((t1 - t0)) >>"$T/a"
		echo $((t2 - t1)) >>"$T/b"
		echo $((t3 - t2)) >>"$T/c"
		i=$((i + 1))
	done
	a=$(median <"$T/a")
	b=$(median <"$T/b")
	c=$(median <"$T/c")
	awk -v u="$unit" -v k="$label" -v a="$a" -v b="$b" -v c="$c" -v n="$N" 'BEGIN {
		r = b > 0 ? a / b : 0
		printf "cert-regen %-12s %7.1f ms | openssl req -x509 -newkey %-8s %7.1f ms | ratio %.2f %-4s | --dry-run %7.1f ms (median of %d)\n",
		    u, a, k, b, r, r <= 1.2 ? "ok" : "SLOW", c, n }'
}

bench CallManager rsa:2048 rsa:2048
bench tomcat-ECDSA ec:P-256 ec -pkeyopt ec_paramgen_curve:P-256
