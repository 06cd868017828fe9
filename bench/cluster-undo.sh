#!/bin/sh
# bench/cluster-undo.sh: cert-regen --cluster -r 1 (the whole run undone, step by step) on the
# 10-node cluster of bench/cluster.sh (5 TFTP nodes, every unit: 42 certificates, SGN signed
# files a TFTP node) against the run (-y) that made it: target ratio undo / run <= 1.3. Each
# round copies the cluster, runs, then undoes, with the same --now (the undo re-signs what
# the run re-signed); medians of N rounds, the two timed side by side in each round.
set -eu
N=${N:-3}
SGN=${SGN:-1000}
BIN=${BIN:-bin}
B=$(cd "$BIN" && pwd)
NOW=2027-01-01T00:00:00Z
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM

ms() {	# milliseconds since the epoch (GNU date)
	date +%s%3N
}

median() {
	sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

unit() {	# unit DIR UNIT CN
	mkdir -p "$1/$2"
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$1/$2/$2.key" -out "$1/$2/$2.pem" \
		-days 400 -subj "/O=Example/CN=$3" -addext basicConstraints=CA:FALSE 2>/dev/null
	chmod 600 "$1/$2/$2.key"
}

c="$T/tpl"
mkdir -p "$c"
: >"$c/nodes"
for i in 01 02 03 04 05 06 07 08 09 10; do
	n=cucm$i
	for u in CallManager tomcat ipsec TVS; do
		unit "$c/$n" $u $n
	done
	roles=
	[ $i != 01 ] || roles=publisher
	[ $i -gt 05 ] || roles="$roles tftp"
	echo "$n 10.0.0.$((1$i - 100)) $roles" >>"$c/nodes"
done
unit "$c/cucm01" CAPF CAPF-1a2b3c4d
unit "$c/cucm01" ITLRecovery ITLRECOVERY_cucm01
for d in "$c"/cucm*/; do
	mkdir -p "$d/CallManager-trust"
	for m in "$c"/cucm*/CallManager/CallManager.pem; do
		cp "$m" "$d/CallManager-trust/$(basename "$(dirname "$(dirname "$m")")").pem"
	done
	cp "$c/cucm01/CAPF/CAPF.pem" "$d/CallManager-trust/CAPF-1a2b3c4d.pem"
done
"$BIN/itl-build" --cluster "$c" --all --now "$NOW"
mkdir -p "$T/cnf"
k=0
while [ $k -lt "$SGN" ]; do
	printf '<device><fullConfig>true</fullConfig><n>%d</n></device>\n' $k >"$T/cnf/SEP$k.cnf.xml"
	k=$((k + 1))
done
for n in $(awk '/tftp/ { print $1 }' "$c/nodes"); do
	[ "$SGN" -eq 0 ] || (cd "$T/cnf" && "$B/itl-build" --sign-file --cluster "$c" \
		--node "$n" --now "$NOW" SEP*.cnf.xml)
done

: >"$T/run"
: >"$T/undo"
k=0
while [ $k -lt "$N" ]; do
	rm -rf "$T/r" && cp -a "$c" "$T/r"
	t0=$(ms)
	"$BIN/cert-regen" --cluster "$T/r" -y --now $NOW >/dev/null
	t1=$(ms)
	"$BIN/cert-regen" --cluster "$T/r" -y --now $NOW -r 1 >/dev/null
	t2=$(ms)
	echo $((t1 - t0)) >>"$T/run"
	echo $((t2 - t1)) >>"$T/undo"
	k=$((k + 1))
done
# the undo must have put every served file back: the first round's cluster against the template
for n in $(awk '/tftp/ { print $1 }' "$c/nodes"); do
	cmp -s "$c/$n/tftp/ITLFile.tlv" "$T/r/$n/tftp/ITLFile.tlv" ||
		{ echo "bench/cluster-undo.sh: $n: the undo did not put the ITL back" >&2; exit 2; }
done
r=$(median <"$T/run")
u=$(median <"$T/undo")
awk -v r="$r" -v u="$u" -v n="$N" -v g="$SGN" -v s="$(grep -c '^step' "$T/r/.journal")" 'BEGIN {
	q = r > 0 ? u / r : 0
	printf "cert-regen --cluster -r 1 (10 nodes, %d steps, %d .sgn a TFTP node) %7.1f ms | the run -y %7.1f ms | ratio %.2f %s (median of %d)\n",
	    s, g, u, r, q, q <= 1.3 ? "ok" : "SLOW", n }'
