#!/bin/sh
# bench/cluster.sh: cert-regen --cluster on 10 nodes (5 TFTP) with every unit (42 certificates):
# the plan (target < 1 s) and the run (-y) against the same 42 regenerations done one by one
# with cert-regen -s (target: ratio <= 1.3). Each TFTP node serves SGN (default 1,000) signed
# configuration files: the run judges them after every step and re-signs them after its
# node's CallManager step; the baseline re-signs them once per node with one
# itl-build --sign-file after the regenerations. Runs alternate; medians of N.
set -eu
N=${N:-3}
SGN=${SGN:-1000}
BIN=${BIN:-bin}
B=$(cd "$BIN" && pwd)	# absolute: the signing runs in the payloads' directory
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
"$BIN/itl-build" --cluster "$c" --all
# SGN configuration files per TFTP node, signed by its CallManager (as CUCM's TFTP service does)
mkdir -p "$T/cnf"
k=0
while [ $k -lt "$SGN" ]; do
	printf '<device><fullConfig>true</fullConfig><n>%d</n></device>\n' $k >"$T/cnf/SEP$k.cnf.xml"
	k=$((k + 1))
done
tftps=$(awk '/tftp/ { print $1 }' "$c/nodes")
for n in $tftps; do
	[ "$SGN" -eq 0 ] || (cd "$T/cnf" && "$B/itl-build" --sign-file --cluster "$c" \
		--node "$n" --now "$NOW" SEP*.cnf.xml)
done
# the plan's steps as "node unit" lines: the baseline regenerates the same, in the same order
"$BIN/cert-regen" --cluster "$c" --plan --json |
	jq -r '.steps[] | .node as $n | .units[] | $n + " " + .' >"$T/steps"

: >"$T/plan"
: >"$T/run"
: >"$T/one"
k=0
while [ $k -lt "$N" ]; do
	t0=$(ms)
	"$BIN/cert-regen" --cluster "$c" --plan >/dev/null
	t1=$(ms)
	rm -rf "$T/r" && cp -a "$c" "$T/r"
	t2=$(ms)
	"$BIN/cert-regen" --cluster "$T/r" -y --now $NOW >/dev/null
	t3=$(ms)
	rm -rf "$T/o" && cp -a "$c" "$T/o"
	t4=$(ms)
	while read -r n u; do
		"$BIN/cert-regen" -s "$T/o/$n" -y -q --now $NOW "$u"
	done <"$T/steps"
	for n in $tftps; do
		[ "$SGN" -eq 0 ] || (cd "$T/cnf" && "$B/itl-build" --sign-file -f \
			--cluster "$T/o" --node "$n" --now "$NOW" SEP*.cnf.xml)
	done
	t5=$(ms)
	echo $((t1 - t0)) >>"$T/plan"
	echo $((t3 - t2)) >>"$T/run"
	echo $((t5 - t4)) >>"$T/one"
	k=$((k + 1))
done
p=$(median <"$T/plan")
r=$(median <"$T/run")
o=$(median <"$T/one")
awk -v p="$p" -v r="$r" -v o="$o" -v s="$(wc -l <"$T/steps")" -v n="$N" -v g="$SGN" 'BEGIN {
	q = o > 0 ? r / o : 0
	printf "cert-regen --cluster --plan (10 nodes, %d units) %7.1f ms %s | -y %7.1f ms | %d x cert-regen -s + re-signing %d .sgn a TFTP node %7.1f ms | ratio %.2f %s (median of %d)\n",
	    s, p, p < 1000 ? "ok" : "SLOW", r, s, g, o, q, q <= 1.3 ? "ok" : "SLOW", n }'
