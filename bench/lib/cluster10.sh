# bench/lib/cluster10.sh, sourced by bench/cluster.sh and bench/cluster-undo.sh: their 10-node
# cluster. bench_cluster10 DIR WORK: DIR/nodes and one store per node (cucm01 the publisher,
# cucm01-05 TFTP; CallManager, tomcat, ipsec, TVS each, CAPF and ITLRecovery on the publisher,
# RSA-2048; CallManager-trust replicated), every TFTP node serving its ITL and $SGN
# configuration files its CallManager signed (WORK/cnf holds them unsigned); $BIN, $B, $NOW.
# Also ms (milliseconds since the epoch) and median (of the numbers on stdin).
bench_unit() {	# bench_unit DIR UNIT CN
	mkdir -p "$1/$2"
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$1/$2/$2.key" -out "$1/$2/$2.pem" \
		-days 400 -subj "/O=Example/CN=$3" -addext basicConstraints=CA:FALSE 2>/dev/null
	chmod 600 "$1/$2/$2.key"
}

bench_cluster10() {
	c=$1
	mkdir -p "$c"
	: >"$c/nodes"
	for i in 01 02 03 04 05 06 07 08 09 10; do
		n=cucm$i
		for u in CallManager tomcat ipsec TVS; do
			bench_unit "$c/$n" $u $n
		done
		roles=
		[ $i != 01 ] || roles=publisher
		[ $i -gt 05 ] || roles="$roles tftp"
		echo "$n 10.0.0.$((1$i - 100)) $roles" >>"$c/nodes"
	done
	bench_unit "$c/cucm01" CAPF CAPF-1a2b3c4d
	bench_unit "$c/cucm01" ITLRecovery ITLRECOVERY_cucm01
	for d in "$c"/cucm*/; do
		mkdir -p "$d/CallManager-trust"
		for m in "$c"/cucm*/CallManager/CallManager.pem; do
			cp "$m" "$d/CallManager-trust/$(basename "$(dirname "$(dirname "$m")")").pem"
		done
		cp "$c/cucm01/CAPF/CAPF.pem" "$d/CallManager-trust/CAPF-1a2b3c4d.pem"
	done
	"$BIN/itl-build" --cluster "$c" --all
	# SGN configuration files per TFTP node, signed by its CallManager (as CUCM's TFTP service does)
	mkdir -p "$2/cnf"
	k=0
	while [ $k -lt "$SGN" ]; do
		printf '<device><fullConfig>true</fullConfig><n>%d</n></device>\n' $k >"$2/cnf/SEP$k.cnf.xml"
		k=$((k + 1))
	done
	for n in $(awk '/tftp/ { print $1 }' "$c/nodes"); do
		[ "$SGN" -eq 0 ] || (cd "$2/cnf" && "$B/itl-build" --sign-file --cluster "$c" \
			--node "$n" --now "$NOW" SEP*.cnf.xml)
	done
}

ms() {	# milliseconds since the epoch (GNU date)
	date +%s%3N
}

median() {
	sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
