#!/bin/sh
# bench/cluster-ec.sh: cert-regen --cluster -y CallManager-ECDSA over N nodes (CTK_BENCH_NODES,
# default 10 25 50; EC keys: key generation out of the picture; CTK_BENCH_UNIT=CallManager for
# the RSA row: every node's RSA CallManager, TFTP nodes' ITLs and signed files included), against
# the same regenerations one by one with cert-regen -s, in the plan's order. Each node holds every node's CallManager
# and CallManager-ECDSA certificates in its CallManager-trust, so each regeneration copies into
# every other node's trust store (trust_copy, lib/regen/regenjob.c: issue #28). CPU time (user +
# sys), pairs alternating (CTK_BENCH_PAIRS, default 3), medians; ratio = one by one / cluster.
# Issue #28's targets: ratio >= 0.80 at every size, and the cluster's CPU growth from the first
# size to the last within 1.2x of the one-by-one growth (last line). Backups: the directories
# the run made (at most one per node per step, none for a node a step leaves alone), their
# bytes in all (apparent sizes: manifests and directories included) and the bytes of the files
# they hold (hard links to the files the steps replaced or removed: no copy).
set -eu
top=$(pwd)
. "$top/bench/lib/scratch.sh"
. "$top/bench/lib/cpu.sh"
SIZES=${CTK_BENCH_NODES:-10 25 50}
UNIT=${CTK_BENCH_UNIT:-CallManager-ECDSA}
PAIRS=${CTK_BENCH_PAIRS:-3}
NOW=2027-01-01T00:00:00Z
bench_scratch cluster-ec 400000
cd "$tmp"
openssl req -x509 -newkey rsa:2048 -nodes -keyout rsa.key -out /dev/null -days 1 -subj /CN=x 2>/dev/null

# tpl N: a cluster of N nodes in tpl-N (node 1 publisher, nodes 1-2 TFTP)
tpl() {
	c=tpl-$1
	mkdir -p "$c"
	: >"$c/nodes"
	i=1
	while [ "$i" -le "$1" ]; do
		nm=$(printf cucm%03d "$i")
		mkdir -p "$c/$nm/CallManager-ECDSA" "$c/$nm/CallManager-trust"
		for u in CallManager tomcat ipsec TVS; do	# RSA: one key for all (made once)
			mkdir -p "$c/$nm/$u"
			cp rsa.key "$c/$nm/$u/$u.key"
			openssl req -x509 -key rsa.key -out "$c/$nm/$u/$u.pem" -days 400 \
				-subj "/O=Example/OU=$u/CN=$nm" 2>/dev/null
		done
		openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
			-keyout "$c/$nm/CallManager-ECDSA/CallManager-ECDSA.key" \
			-out "$c/$nm/CallManager-ECDSA/CallManager-ECDSA.pem" -days 400 \
			-subj "/O=Example/CN=$nm-EC" 2>/dev/null
		chmod 600 "$c/$nm"/*/*.key
		roles=
		[ "$i" -ne 1 ] || roles=publisher
		if [ "$i" -eq 1 ]; then
			mkdir -p "$c/$nm/ITLRecovery"
			cp rsa.key "$c/$nm/ITLRecovery/ITLRecovery.key"
			openssl req -x509 -key rsa.key -out "$c/$nm/ITLRecovery/ITLRecovery.pem" -days 400 \
				-subj "/O=Example/CN=ITLRECOVERY_$nm" 2>/dev/null
		fi
		[ "$i" -gt 2 ] || roles="$roles tftp"
		echo "$nm 10.0.$((i / 250)).$((i % 250 + 1)) $roles" >>"$c/nodes"
		i=$((i + 1))
	done
	for d in "$c"/cucm*/; do
		for m in "$c"/cucm*/CallManager*/CallManager*.pem; do
			cp "$m" "$d/CallManager-trust/$(basename "$(dirname "$(dirname "$m")")")-$(basename "$m")"
		done
	done
	"$top/bin/itl-build" --cluster "$c" --all
	"$top/bin/cert-regen" --cluster "$c" --plan --json "$UNIT" |
		jq -r '.steps[] | .node as $n | .units[] | $n + " " + .' >"steps-$1"
}
cluster() { rm -rf r && cp -a "$1" r && "$top/bin/cert-regen" --cluster r -y -q --now $NOW "$UNIT"; }
onebyone() {
	rm -rf o && cp -a "$1" o
	while read -r nd u; do
		"$top/bin/cert-regen" -s "o/$nd" -y -q --now $NOW "$u" || exit 2
	done <"$2"
}

echo "cluster-ec bench: cert-regen --cluster -y $UNIT against one by one, CPU s," \
	"medians of $PAIRS alternating pairs; load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%6s %6s %12s %12s %8s %8s %10s %10s\n' nodes steps "one-by-one" cluster ratio backups "bytes" "held B"
first=
for n in $SIZES; do
	tpl "$n"
	: >a; : >b
	p=0
	while [ $p -lt "$PAIRS" ]; do
		cpu_runs 1 onebyone "tpl-$n" "steps-$n" >>a
		cpu_runs 1 cluster "tpl-$n" >>b
		p=$((p + 1))
	done
	ma=$(median <a); mb=$(median <b)
	# r is the last cluster run's tree: its backups, what they hold, what the tree grew by
	nb=$(find r -path '*/.backup/*' -prune -type d -name '2*' | wc -l)
	held=$(find r -path '*/.backup/2*' -type f ! -name MANIFEST -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')
	bytes=$(find r -path '*/.backup/*' -prune -type d -name '2*' -exec du -sb --apparent-size {} + |
	    awk '{ s += $1 } END { print s + 0 }')
	printf '%6d %6d %12.3f %12.3f %8s %8d %10d %10d\n' "$n" "$(wc -l <"steps-$n")" "$ma" "$mb" \
	    "$(ratio "$ma" "$mb")" "$nb" "$bytes" "$held"
	[ -n "$first" ] || first="$n $ma $mb"
	last="$n $ma $mb"
	rm -rf "tpl-$n" r o
done
echo "the copy (cp -a) of the cluster is in both columns alike"
echo "$first $last" | awk '$1 != $4 && $2 > 0 && $3 > 0 { go = $5 / $2; gc = $6 / $3
	printf "CPU growth %d -> %d nodes: one-by-one %.2fx, cluster %.2fx: %.2f of the baseline'"'"'s growth %s (target <= 1.2)\n",
	    $1, $4, go, gc, gc / go, gc / go <= 1.2 ? "ok" : "SLOW" }'
