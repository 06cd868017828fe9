# servers.bash: real servers on loopback for the live-cluster tests, as CUCM's TFTP nodes serve
# their files: NODE/tftp/ over HTTP on port 6970 (python3's http.server) and over TFTP on port
# 69 (tftpd-hpa). Started and stopped by the test that needs them, each under `timeout` so
# that none outlives SERVERS_TTL seconds whatever becomes of the test. Loaded after helpers.
#
#   servers_net                  SERVERS_NET: a loopback /24 of this test file's own
#   servers_nodes CLUSTER NODE.. CLUSTER/nodes (NODE i at SERVERS_NET.i, the first the
#                                publisher, all TFTP nodes) and each CLUSTER/NODE/tftp/
#   servers_addr CLUSTER NODE    REPLY: NODE's address in CLUSTER/nodes
#   servers_http DIR ADDR        serve DIR at http://ADDR:6970/ (ready when it returns)
#   servers_tftp DIR ADDR        serve DIR at tftp://ADDR:69/ (root only: port 69)
#   servers_cluster CLUSTER      servers_http for every node of CLUSTER/nodes with role tftp
#   servers_stop                 stop every server started, and wait for each

SERVERS_TTL=${SERVERS_TTL:-300}
SERVERS_HTTP_PORT=6970

# Test files run side by side (tests/run.sh), and other checkouts on this machine run theirs:
# a random 127.A.B.0/24 per file keeps their servers from contending for one address and port.
servers_net() {
	export SERVERS_NET=127.$((RANDOM % 200 + 30)).$((RANDOM % 250 + 1))
}

# The servers' PIDs (of their `timeout`) go to a file: setup_file, the tests and teardown_file
# are not one shell.
servers_started() {
	echo "$1" >>"$BATS_FILE_TMPDIR/servers.pids"
}

servers_nodes() {
	local c=$1 i=0 n roles
	shift
	mkdir -p "$c"
	: >"$c/nodes"
	for n in "$@"; do
		i=$((i + 1))
		roles=tftp
		[ $i != 1 ] || roles="publisher tftp"
		echo "$n $SERVERS_NET.$i $roles" >>"$c/nodes"
		mkdir -p "$c/$n/tftp"
	done
}

servers_addr() {
	local name addr rest
	while read -r name addr rest; do
		[ "$name" != "$2" ] || { REPLY=$addr; return 0; }
	done <"$1/nodes"
	return 1
}

# servers_bound PROTO ADDR PORT: is a socket bound to ADDR:PORT (listening, for tcp)? Read from
# /proc/net, where an IPv4 address is the four bytes in host order and the port 4 hex digits.
servers_bound() {
	local IFS=. a b c d hex
	read -r a b c d <<<"$2"
	printf -v hex '%02X%02X%02X%02X:%04X' "$d" "$c" "$b" "$a" "$3"
	if [ "$1" = tcp ]; then
		grep -q "^ *[0-9]*: $hex [0-9A-F:]* 0A " /proc/net/tcp
	else
		grep -q "^ *[0-9]*: $hex " /proc/net/udp
	fi
}

# servers_wait PID PROTO ADDR PORT: until the server has bound its socket (5 s at most).
servers_wait() {
	local i
	for ((i = 0; i < 100; i++)); do
		servers_bound "$2" "$3" "$4" && return 0
		kill -0 "$1" 2>/dev/null || break
		sleep 0.05
	done
	echo "servers: no server on $3:$4 ($2)" >&2
	return 1
}

servers_http() {
	[ -d "$1" ] && [[ $2 == 127.* ]] || { echo "servers: $1 on $2: loopback only" >&2; return 1; }
	# fd 3 closed: a background child holding Bats' output pipe would keep the test from ending
	timeout "$SERVERS_TTL" python3 -m http.server "$SERVERS_HTTP_PORT" --bind "$2" \
	    --directory "$1" >"$BATS_FILE_TMPDIR/http-$2.log" 2>&1 3>&- &
	servers_started $!
	servers_wait $! tcp "$2" "$SERVERS_HTTP_PORT"
}

servers_tftp() {
	[ -d "$1" ] && [[ $2 == 127.* ]] || { echo "servers: $1 on $2: loopback only" >&2; return 1; }
	# --secure: chroot into the directory, as CUCM's TFTP serves its own folder and nothing else
	timeout "$SERVERS_TTL" in.tftpd --foreground --listen --address "$2:69" --secure "$1" \
	    >"$BATS_FILE_TMPDIR/tftp-$2.log" 2>&1 3>&- &
	servers_started $!
	servers_wait $! udp "$2" 69
}

servers_cluster() {
	local name addr roles
	while read -r name addr roles; do
		[[ $name == \#* || " $roles " != *" tftp "* ]] ||
			servers_http "$1/$name/tftp" "$addr" || return 1
	done <"$1/nodes"
}

servers_stop() {
	local p i pids=()
	[ -f "$BATS_FILE_TMPDIR/servers.pids" ] || return 0
	mapfile -t pids <"$BATS_FILE_TMPDIR/servers.pids"
	rm -f "$BATS_FILE_TMPDIR/servers.pids"
	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null || true	# timeout hands the TERM on to its server
	done
	for p in "${pids[@]}"; do
		for ((i = 0; i < 100; i++)); do
			kill -0 "$p" 2>/dev/null || break
			sleep 0.05
		done
		! kill -0 "$p" 2>/dev/null || { echo "servers: $p outlived its TERM" >&2; return 1; }
	done
}
