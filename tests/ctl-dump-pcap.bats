#!/usr/bin/env bats
# ctl-dump --pcap: trust files out of packet captures. Real captures made here on loopback
# (tcpdump while tftp-hpa, curl and tests/bin/httpserve transfer files on 127.0.0.x; root
# only), and hand-made ones from tests/bin/mkpcap for what a loopback run does not produce.
load helpers

ITL=ITLFile-demo.tlv
CTL=CTLFile-demo.tlv
# each test its own loopback address (bats --jobs, or two runs at once, cannot cross)
ADDR=127.0.0.$((30 + ${BATS_TEST_NUMBER:-0}))

mkpcap() {
	"$TOP/tests/bin/mkpcap" "$@"
}

# the files a server serves, made once: each test copies them (one cp -a where it was five
# processes a test)
setup_file() {
	cd "$BATS_FILE_TMPDIR"
	mkdir srv
	cp "$TOP/samples/$ITL" srv/ITLFile.tlv
	cp "$TOP/samples/$CTL" srv/CTLFile.tlv
	head -c 3000 /dev/urandom >srv/SEP0011.cnf.xml
	chmod 644 srv/*
}

setup() {
	cd "$BATS_TEST_TMPDIR"
	cp -a "$BATS_FILE_TMPDIR/srv" srv
	mkdir out
}

teardown() {
	local p
	for p in "$BATS_TEST_TMPDIR"/*.pid; do
		[ -f "$p" ] && kill "$(cat "$p")" 2>/dev/null
	done
	return 0
}

need_capture() {
	[ "$(id -u)" = 0 ] || skip "packet capture needs root (CI runs it as root)"
	local c
	for c in tcpdump in.tftpd tftp curl; do
		command -v $c >/dev/null || absent "$c"
	done
}

# capstart FILE: tcpdump on lo, only the test's address, bounded to 300 s; returns once it listens.
capstart() {
	timeout 300 tcpdump -i lo -B 65536 -U -n -w "$1" "host $ADDR" 2>tcpdump.err &
	echo $! >tcpdump.pid
	local i
	for i in $(seq 50); do
		grep -q listening tcpdump.err && return 0
		sleep 0.1
	done
	cat tcpdump.err >&2
	return 1
}

# capstop FILE N: once the capture stops growing and N transfers in it are complete (tcpdump
# writes the last packets a little after the client ends; 60 s at most), stop tcpdump.
capstop() {
	local i last=-1 size
	for i in $(seq 120); do
		size=$(stat -c %s "$1")
		if [ "$size" = "$last" ] &&
		    [ "$(ctl-dump --pcap "$1" -j 2>/dev/null | jq -s '[.[] | select(.complete)] | length')" -ge "$2" ]; then
			break
		fi
		last=$size
		sleep 0.5
	done
	kill -INT "$(cat tcpdump.pid)" 2>/dev/null || true
	wait "$(cat tcpdump.pid)" 2>/dev/null || true
	rm -f tcpdump.pid
}

tftpd_start() {
	timeout 300 in.tftpd -L -s "$BATS_TEST_TMPDIR/srv" -a $ADDR:6969 &
	echo $! >tftpd.pid
	sleep 0.2
}

# bats test_tags=full
@test "ctl-dump --pcap: real TFTP capture (tftp-hpa from tftpd-hpa, curl at blksize 1428), pcap and pcapng, extracted files byte-identical" {
	need_capture
	capstart cap.pcap
	tftpd_start
	tftp $ADDR 6969 -m binary -c get ITLFile.tlv got1.tlv
	curl -sS --tftp-blksize 1428 -o got2.tlv tftp://$ADDR:6969/CTLFile.tlv
	tftp $ADDR 6969 -m binary -c get SEP0011.cnf.xml got3.xml
	capstop cap.pcap 3
	cmp got1.tlv srv/ITLFile.tlv
	mkpcap pcapng cap.pcapng cap.pcap
	for f in cap.pcap cap.pcapng; do
		rm -rf out && mkdir out
		xrun -0 ctl-dump --pcap $f -x out
		[ "${#lines[@]}" = 3 ]
		[[ ${lines[0]} == "#1"$'\t'*$'\t'127.0.0.1:*$'\t'$ADDR:6969$'\t'TFTP$'\t'ITLFile.tlv$'\t'7621$'\t'complete$'\t'ITLFile.tlv ]]
		[[ ${lines[1]} == "#2"*$'\t'TFTP$'\t'CTLFile.tlv$'\t'6171$'\t'complete$'\t'CTLFile.tlv ]]
		[[ ${lines[2]} == "#3"*$'\t'SEP0011.cnf.xml$'\t'3000$'\t'complete$'\t'SEP0011.cnf.xml ]]
		cmp out/ITLFile.tlv srv/ITLFile.tlv
		cmp out/CTLFile.tlv srv/CTLFile.tlv
		cmp out/SEP0011.cnf.xml srv/SEP0011.cnf.xml
	done
	# every view: the list, then each trust list as ctl-dump shows a file
	xrun -0 ctl-dump --pcap cap.pcapng
	[[ $output == *"== #1:ITLFile.tlv"*"Parse ITL File"*"== #2:CTLFile.tlv"*"Parse CTL File"* ]]
	# the CTL was judged against the ITL the same client fetched before it
	[[ $output == *"ACCEPTED #2:CTLFile.tlv: "*"(record #2 of #1:ITLFile.tlv)"* ]]
	xrun -0 ctl-dump --pcap cap.pcap -b
	[ "$(grep -c $'\t#1:ITLFile.tlv$' <<<"$output")" = 5 ]
	xrun -0 ctl-dump --pcap cap.pcap --certs
	[ "$(grep -c 'BEGIN CERTIFICATE' <<<"$output")" = 9 ]
	xrun -0 ctl-dump --pcap cap.pcap -q
	[ -z "$output" ]
}

# bats test_tags=full
@test "ctl-dump --pcap: a file over 32 MiB at blksize 512 (block numbers wrap past 65535), byte-identical" {
	need_capture
	[ -n "${CTK_FULL:-}" ] || skip "make check-full (CTK_FULL=1) runs it: 67,000 packets each way"
	head -c $((33 * 1024 * 1024 + 100)) /dev/urandom >srv/SEPBIG.cnf.xml
	capstart big.pcap
	tftpd_start
	tftp $ADDR 6969 -m binary -c get SEPBIG.cnf.xml got.xml
	capstop big.pcap 1
	cmp got.xml srv/SEPBIG.cnf.xml
	xrun -0 ctl-dump --pcap big.pcap -x out
	[[ $output == *$'\t'SEPBIG.cnf.xml$'\t'$((33 * 1024 * 1024 + 100))$'\t'complete$'\t'* ]]
	cmp out/SEPBIG.cnf.xml srv/SEPBIG.cnf.xml
}

# bats test_tags=full
@test "ctl-dump --pcap: real HTTP capture on port 6970: Content-Length and chunked, two files on one keep-alive connection" {
	need_capture
	capstart http.pcap
	timeout 60 "$TOP/tests/bin/httpserve" $ADDR 6970 "$BATS_TEST_TMPDIR/srv" 60 &
	echo $! >httpd.pid
	for i in $(seq 50); do [ -f srv/.ready ] && break; sleep 0.1; done
	curl -sS -o a.tlv http://$ADDR:6970/ITLFile.tlv -o b.tlv "http://$ADDR:6970/CTLFile.tlv?chunked"
	curl -sS -o c.xml "http://$ADDR:6970/SEP0011.cnf.xml?chunked"
	capstop http.pcap 3
	cmp a.tlv srv/ITLFile.tlv
	cmp b.tlv srv/CTLFile.tlv
	xrun -0 ctl-dump --pcap http.pcap -x out
	[ "${#lines[@]}" = 3 ]
	[[ ${lines[0]} == "#1"*$'\t'HTTP$'\t'/ITLFile.tlv$'\t'7621$'\t'complete$'\t'ITLFile.tlv ]]
	[[ ${lines[1]} == "#2"*$'\t'HTTP$'\t'/CTLFile.tlv?chunked$'\t'6171$'\t'complete$'\t'CTLFile.tlv ]]
	# keep-alive: the same client port for both
	[ "$(cut -f3 <<<"${lines[0]}")" = "$(cut -f3 <<<"${lines[1]}")" ]
	[ "$(cut -f3 <<<"${lines[0]}")" != "$(cut -f3 <<<"${lines[2]}")" ]
	cmp out/ITLFile.tlv srv/ITLFile.tlv
	cmp out/CTLFile.tlv srv/CTLFile.tlv
	cmp out/SEP0011.cnf.xml srv/SEP0011.cnf.xml
}

@test "ctl-dump --pcap: TCP segments out of order, overlapping and retransmitted are put back in order" {
	mkpcap tcp-ooo ooo.pcap srv/ITLFile.tlv
	xrun -0 ctl-dump --pcap ooo.pcap -x out
	[ "$output" = "#1	2027-01-01T00:00:00.003000Z	10.1.2.3:40000	10.9.8.7:6970	HTTP	/ITLFile.tlv	7621	complete	ITLFile.tlv" ]
	cmp out/ITLFile.tlv srv/ITLFile.tlv
}

@test "ctl-dump --pcap: IPv6 in a Linux cooked capture, two pipelined requests, the second chunked with a trailer" {
	mkpcap v6-chunked v6.pcap srv/ITLFile.tlv srv/CTLFile.tlv
	xrun -0 ctl-dump --pcap v6.pcap -x out
	[ "${lines[0]}" = "#1	2027-01-01T00:00:00.003000Z	[2001:db8::3]:40000	[2001:db8::7]:6970	HTTP	/ITLFile.tlv	7621	complete	ITLFile.tlv" ]
	[ "${lines[1]}" = "#2	2027-01-01T00:00:00.003000Z	[2001:db8::3]:40000	[2001:db8::7]:6970	HTTP	/CTLFile.tlv?v=2	6171	complete	CTLFile.tlv" ]
	cmp out/ITLFile.tlv srv/ITLFile.tlv
	cmp out/CTLFile.tlv srv/CTLFile.tlv
}

@test "ctl-dump --pcap: TFTP in 802.1Q frames: a repeated request, duplicate blocks, a block early before its gap" {
	mkpcap tftp-dup dup.pcap srv/ITLFile.tlv
	xrun -0 ctl-dump --pcap dup.pcap -x out
	[ "$output" = "#1	2027-01-01T00:00:00.001000Z	10.1.2.3:2000	10.9.8.7:69	TFTP	ITLFile.tlv	7621	complete	ITLFile.tlv" ]
	cmp out/ITLFile.tlv srv/ITLFile.tlv
}

@test "ctl-dump --pcap: TFTP windowsize 4 (RFC 7440): a block lost on the network, the window sent again from it" {
	mkpcap tftp-window win.pcap srv/ITLFile.tlv
	xrun -0 ctl-dump --pcap win.pcap -x out
	[ "$output" = "#1	2027-01-01T00:00:00.001000Z	10.1.2.3:2000	10.9.8.7:69	TFTP	ITLFile.tlv	7621	complete	ITLFile.tlv" ]
	cmp out/ITLFile.tlv srv/ITLFile.tlv
}

@test "ctl-dump --pcap: TFTP block numbers that wrap past 65535 (blksize 8)" {
	head -c 600003 /dev/urandom >srv/SEPWRAP.cnf.xml
	mkpcap tftp-wrap wrap.pcap srv/SEPWRAP.cnf.xml
	xrun -0 ctl-dump --pcap wrap.pcap -x out
	[[ $output == *$'\t'SEPWRAP.cnf.xml$'\t'600003$'\t'complete$'\t'SEPWRAP.cnf.xml ]]
	cmp out/SEPWRAP.cnf.xml srv/SEPWRAP.cnf.xml
}

@test "ctl-dump --pcap: a transfer cut off and one ended by ERROR are incomplete, extracted as such, never shown" {
	mkpcap tftp-cut cut.pcap srv/ITLFile.tlv
	mkpcap tftp-error err.pcap srv/ITLFile.tlv
	xrun -0 ctl-dump --pcap cut.pcap -x out
	[ "$output" = "#1	2027-01-01T00:00:00.001000Z	10.1.2.3:2000	10.9.8.7:69	TFTP	ITLFile.tlv	7168	incomplete: unfinished	ITLFile.tlv.incomplete" ]
	cmp out/ITLFile.tlv.incomplete <(head -c 7168 srv/ITLFile.tlv)
	[ ! -e out/ITLFile.tlv ]
	mkdir out2
	xrun -0 ctl-dump --pcap err.pcap -x out2
	[ "$output" = "#1	2027-01-01T00:00:00.001000Z	10.1.2.3:2000	10.9.8.7:69	TFTP	ITLFile.tlv	512	incomplete: server error 2: Access violation	ITLFile.tlv.incomplete" ]
	cmp out2/ITLFile.tlv.incomplete <(head -c 512 srv/ITLFile.tlv)
	xrun -0 ctl-dump --pcap cut.pcap
	[[ $output != *"=="* ]]
	# a block the client acknowledged but the capture lacks: the server never sends it again
	mkpcap tftp-lost lost.pcap srv/ITLFile.tlv
	xrun -0 ctl-dump --pcap lost.pcap
	[ "$output" = "#1	2027-01-01T00:00:00.001000Z	10.1.2.3:2000	10.9.8.7:69	TFTP	ITLFile.tlv	1024	incomplete: block 3 missing from the capture (the client acknowledged 3)" ]
}

@test "ctl-dump --pcap: a second transfer of the same name is numbered; names made safe" {
	mkpcap tcp-ooo a.pcap srv/ITLFile.tlv
	mkpcap tftp-dup b.pcap srv/ITLFile.tlv
	# two captures of one name each: --extract numbers within a run, refuses what is there
	xrun -0 ctl-dump --pcap a.pcap -x out
	xrun -2 --separate-stderr ctl-dump --pcap b.pcap -x out
	[[ $stderr == *"out/ITLFile.tlv: exists (use --force to replace it)"* ]]
	xrun -0 ctl-dump --pcap b.pcap -x out -f
	cmp out/ITLFile.tlv srv/ITLFile.tlv
	# one capture, the same name twice: the second numbered
	mkpcap v6-chunked twice.pcap srv/ITLFile.tlv srv/ITLFile.tlv
	mkdir out2
	xrun -0 ctl-dump --pcap twice.pcap -x out2
	[[ ${lines[1]} == *$'\t'ITLFile.tlv.2 ]]
	cmp out2/ITLFile.tlv srv/ITLFile.tlv
	cmp out2/ITLFile.tlv.2 srv/ITLFile.tlv
	# a leading dot (a hidden file, or ..) becomes _
	cp srv/ITLFile.tlv .hidden.tlv
	mkpcap v6-chunked v.pcap .hidden.tlv srv/ITLFile.tlv
	mkdir out3
	xrun -0 ctl-dump --pcap v.pcap -x out3
	[ "$(ls -A out3 | tr '\n' ' ')" = "ITLFile.tlv _hidden.tlv " ]
}

@test "ctl-dump --pcap --trust OLD: each trust list judged against OLD; --json: one object per transfer" {
	mkcert . foreign 30 /CN=foreign
	itl-build -k foreign.key --sast foreign.pem --tftp foreign.pem --now @1798761600 -o foreign.tlv
	mkpcap v6-chunked v6.pcap srv/ITLFile.tlv srv/CTLFile.tlv
	xrun -1 ctl-dump --pcap v6.pcap --trust foreign.tlv
	[[ $output == *"REJECTED #1:/ITLFile.tlv: "* ]]
	[[ $output == *"REJECTED #2:/CTLFile.tlv?v=2: "* ]]
	xrun -0 ctl-dump --pcap v6.pcap --trust srv/ITLFile.tlv
	[[ $output == *"ACCEPTED #1:/ITLFile.tlv: "* ]]
	xrun -0 --separate-stderr ctl-dump --pcap v6.pcap -j
	[ "$(jq -s length <<<"$output")" = 2 ]
	jq -e -s '.[0] | .tool == "ctl-dump" and .transfer == 1 and .protocol == "http" and
	    .client == "[2001:db8::3]:40000" and .server == "[2001:db8::7]:6970" and
	    .file == "/ITLFile.tlv" and .bytes == 7621 and .complete and .content.file == "#1:/ITLFile.tlv" and
	    .content.trust == null' <<<"$output" >/dev/null
	jq -e -s '.[1] | .content.trust.old == "#1:/ITLFile.tlv" and .content.trust.accepted' <<<"$output" >/dev/null
	mkpcap tftp-cut cut.pcap srv/ITLFile.tlv
	xrun -0 ctl-dump --pcap cut.pcap -j
	jq -e '.complete == false and .state == "incomplete: unfinished" and .content == null' <<<"$output" >/dev/null
}

# bats test_tags=full
@test "ctl-dump --pcap: over 64 MiB a transfer is capped and said so; nothing crashes on damage" {
	head -c $((64 * 1024 * 1024 + 70000)) /dev/zero >srv/SEPHUGE.cnf.xml
	mkpcap tftp-large huge.pcap srv/SEPHUGE.cnf.xml
	rm srv/SEPHUGE.cnf.xml
	xrun -0 ctl-dump --pcap huge.pcap -x out
	[[ $output == *$'\t'SEPHUGE.cnf.xml$'\t'$((64 * 1024 * 1024 + 70000))$'\t'"incomplete (over 64 MiB: the rest not kept)"$'\t'SEPHUGE.cnf.xml.incomplete ]]
	[ "$(stat -c %s out/SEPHUGE.cnf.xml.incomplete)" = $((64 * 1024 * 1024)) ]
	rm -rf out huge.pcap
	# not a capture; a capture cut inside a packet: the transfers before it still listed
	printf 'not a capture at all' >junk.pcap
	xrun -2 --separate-stderr ctl-dump --pcap junk.pcap
	[[ $stderr == "ctl-dump: junk.pcap: not a capture (pcap or pcapng): "*" at byte 0" ]]
	mkpcap v6-chunked v6.pcap srv/ITLFile.tlv srv/CTLFile.tlv
	head -c $(($(stat -c %s v6.pcap) - 700)) v6.pcap >short.pcap
	xrun -2 --separate-stderr ctl-dump --pcap short.pcap
	[[ $stderr == "ctl-dump: short.pcap: truncated dump file"*" at byte "[0-9]* ]]
	[[ ${lines[0]} == "#1"*"complete" ]]
	[[ ${lines[1]} == "#2"*"incomplete: the connection ended inside the body" ]]
	xrun -2 --separate-stderr ctl-dump --pcap v6.pcap srv/ITLFile.tlv
	[[ $stderr == *"--pcap takes no file operands"* ]]
	xrun -2 --separate-stderr ctl-dump --pcap srv
	[[ $stderr == "ctl-dump: srv: is a directory"* ]]
}

# bats test_tags=full
@test "ctl-dump(1): the capture examples run as written" {
	mkpcap v6-chunked boot.pcap srv/ITLFile.tlv srv/CTLFile.tlv
	mkdir evidence
	# each literal display of EXAMPLES that reads boot.pcap: "$ command", then its output
	local n=0 cmd want
	while IFS= read -r -d '' block; do
		cmd=${block%%$'\n'*}
		want=${block#*$'\n'}
		xrun -0 bash -c "${cmd#\$ }"
		[ "$output" = "$want" ] || { printf 'man: %s\nwant: %s\ngot:  %s\n' "$cmd" "$want" "$output" >&2; false; }
		n=$((n + 1))
	done < <(awk '/^\.Bd -literal/ { on = 1; b = ""; next }
		on && /^\.Ed/ { on = 0; if (b ~ /boot\.pcap/) printf "%s%c", b, 0; next }
		on { gsub(/\\e/, "\\"); b = b (b == "" ? "" : "\n") $0 }' "$TOP/man/ctl-dump.1")
	[ $n = 2 ]
	cmp evidence/ITLFile.tlv srv/ITLFile.tlv
}
