#!/bin/sh
# bench/cert-regen.sh: one regeneration against `openssl req -x509 -newkey` with the same key type.
# Runs alternate, side by side; prints the median of each and the ratio (target: <= 1.2).
# A third column times cert-regen --dry-run: the same work without the writes, whose
# fsync calls (staged files, kept files' and changed directories: about 16) openssl req does
# not make. A last run repeats EC with 1 GiB of someone else's data unsynced on the same
# filesystem (DIRTY_MB): cert-regen fsyncs only its own files and directories, never
# syncfs(2), so it must stay within 1.5x of openssl req there too.
set -eu
N=${N:-31}	# RSA key generation varies a lot from run to run: medians need many runs
BIN=${BIN:-bin/cert-regen}
T=$(mktemp -d)
DIRTY_MB=${DIRTY_MB:-1024}
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
	awk -v u="$unit" -v k="$label" -v a="$a" -v b="$b" -v c="$c" -v n="$N" -v t="${TARGET:-1.2}" 'BEGIN {
		r = b > 0 ? a / b : 0
		printf "cert-regen %-12s %7.1f ms | openssl req -x509 -newkey %-8s %7.1f ms | ratio %.2f %-4s | --dry-run %7.1f ms (median of %d)\n",
		    u, a, k, b, r, r <= t ? "ok" : "SLOW", c, n }'
}

# dirty: DIRTY_MB of unsynced data beside the stores, removed afterwards.
dirty() {
	dd if=/dev/zero of="$T/dirty" bs=1M count="$DIRTY_MB" 2>/dev/null
	echo "dirty filesystem: $DIRTY_MB MiB written to $T/dirty, not synced"
}

bench CallManager rsa:2048 rsa:2048
bench tomcat-ECDSA ec:P-256 ec -pkeyopt ec_paramgen_curve:P-256
dirty
N=${DIRTY_N:-11} TARGET=1.5 bench CallManager-ECDSA ec:P-256 ec -pkeyopt ec_paramgen_curve:P-256
rm -f "$T/dirty"
