#!/usr/bin/env bats
# servers: the loopback servers the live-cluster tests fetch from (tests/servers.bash), fetched
# from as a runbook's check commands do: curl over HTTP port 6970, tftp-hpa over TFTP.
# bats file_tags=full
load helpers
load servers

NODES=(cucm-pub cucm-sub1 cucm-sub2)

setup_file() {
	need_cmd python3 python3
	need_cmd curl curl
	[ "$(id -u)" != 0 ] || { need_cmd in.tftpd tftpd-hpa; need_cmd tftp tftp-hpa; }
	servers_net
	local c="$BATS_FILE_TMPDIR/cluster" n
	servers_nodes "$c" "${NODES[@]}"
	# each node serves an ITL of its own (its own TFTP certificate), so a fetch from the wrong
	# node shows
	cd "$BATS_FILE_TMPDIR"
	mkcert . sast 30 /CN=sast
	for n in "${NODES[@]}"; do
		mkcert . "$n" 30 "/CN=$n"
		itl-build -k sast.key --sast sast.pem --tftp "$n.pem" --now @1798761600 \
		    -o "$c/$n/tftp/ITLFile.tlv"
	done
	servers_cluster "$c"
	if [ "$(id -u)" = 0 ]; then
		servers_addr "$c" cucm-sub1
		servers_tftp "$c/cucm-sub1/tftp" "$REPLY"
	fi
}

teardown_file() {
	servers_stop
}

@test "servers: each node's ITL over HTTP port 6970, fetched with the runbook's curl line" {
	local c="$BATS_FILE_TMPDIR/cluster" n dir
	for n in "${NODES[@]}"; do
		servers_addr "$c" "$n"
		[[ $REPLY == 127.* ]]
		dir="$BATS_TEST_TMPDIR/$n"
		mkdir "$dir"
		xrun -0 curl -fsS -o "$dir/ITLFile.tlv" "http://$REPLY:6970/ITLFile.tlv"
		cmp "$c/$n/tftp/ITLFile.tlv" "$dir/ITLFile.tlv"
		ctl-dump -q "$dir/ITLFile.tlv"
	done
	# the three files differ: each answer came from its own node
	! cmp -s "$BATS_TEST_TMPDIR/cucm-pub/ITLFile.tlv" "$BATS_TEST_TMPDIR/cucm-sub1/ITLFile.tlv"
	! cmp -s "$BATS_TEST_TMPDIR/cucm-sub1/ITLFile.tlv" "$BATS_TEST_TMPDIR/cucm-sub2/ITLFile.tlv"
	# a file the node does not serve: curl -f fails (22) and writes nothing
	servers_addr "$c" cucm-pub
	xrun -22 curl -fsS -o "$BATS_TEST_TMPDIR/CTLFile.tlv" "http://$REPLY:6970/CTLFile.tlv"
	[ ! -e "$BATS_TEST_TMPDIR/CTLFile.tlv" ]
}

@test "servers: one node's ITL over TFTP (tftpd-hpa), fetched with tftp-hpa" {
	[ "$(id -u)" = 0 ] || skip "tftpd-hpa listens on port 69: root only"
	local c="$BATS_FILE_TMPDIR/cluster"
	servers_addr "$c" cucm-sub1
	cd "$BATS_TEST_TMPDIR"
	xrun -0 timeout 20 tftp -m binary "$REPLY" -c get ITLFile.tlv ITLFile.tlv
	cmp "$c/cucm-sub1/tftp/ITLFile.tlv" ITLFile.tlv
	# and the file it serves is the one HTTP serves
	curl -fsS -o http.tlv "http://$REPLY:6970/ITLFile.tlv"
	cmp http.tlv ITLFile.tlv
}

@test "servers: stopped, nothing answers and no server is left" {
	local c="$BATS_FILE_TMPDIR/cluster" pids
	mapfile -t pids <"$BATS_FILE_TMPDIR/servers.pids"
	[ ${#pids[@]} -ge 3 ]
	servers_stop
	for p in "${pids[@]}"; do
		! kill -0 "$p" 2>/dev/null
	done
	servers_addr "$c" cucm-pub
	xrun -7 curl -fsS -o /dev/null "http://$REPLY:6970/ITLFile.tlv"
	! servers_bound tcp "$REPLY" 6970
}
