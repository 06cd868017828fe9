#!/usr/bin/env bats
# escape.bats: every name that reaches a terminal or a log goes through the one escaper the -b
# and TSV lines use (lib/core/out): every tool's every output mode over files and directories
# named with ESC, CSI and OSC sequences, CR, LF (a forged line), C1 bytes (raw and as UTF-8),
# bidi controls and invalid UTF-8; no raw control byte may reach stdout or stderr.
# bats file_tags=full
load helpers

NOW=2027-01-01T00:00:00Z
LATER=2030-01-01T00:00:00Z
# ESC, CSI, OSC ... BEL, CR, LF then a forged verdict line, C1 raw and in UTF-8, U+202E, 0xFF
N=$'n\e[2J\e]0;t\a\r\nACCEPTED ITLFile.tlv: FORGED\x9b\xc2\x9b\xe2\x80\xae\xff'
# the same without LF and tab, which a store's changes refuse in a path (the manifest is lines)
N2=$'m\e[2J\e]0;t\a\rFORGED\x9b\xc2\x9b\xe2\x80\xae\xff'

# A store (itself a cluster node) and a cluster, each in a directory with the hostile name; a
# trust unit, certificates, trust lists and signed files with it.
setup_file() {
	local t="$BATS_FILE_TMPDIR/tpl" n
	mkdir -p "$t"
	cd "$t"
	mkcluster2 "c$N"
	for n in cucm-pub cucm-sub1; do
		mkdir "c$N/$n/$N-trust"
		cp "c$N/$n/tomcat/tomcat.pem" "c$N/$n/$N-trust/$N.pem"
	done
	cp -a "c$N/cucm-pub" "s$N"
	mkdir old
	mkcert_dates old old 20200101000000Z 20210101000000Z /CN=old 1024
	cp old/old.pem "s$N/$N-trust/old$N.pem"
	mkdir "s$N/$N2-trust"
	cp old/old.pem "s$N/$N2-trust/old$N2.pem"
	cp "s$N/CallManager/CallManager.pem" "$N.pem"
	cp "s$N/CallManager/CallManager.key" "$N.key"
	itl-build -k "$N.key" --sast "$N.pem" --tftp "$N.pem" -o "$N.tlv"
	echo '<cfg/>' >"$N.cnf.xml"
	itl-build --sign-file -k "$N.key" --signer "$N.pem" "$N.cnf.xml"
	mkdir "d$N"
}

# q CMD...: queue CMD for the batch (its stdout and stderr kept, its status too)
q() {
	local w l=
	for w; do
		l+=" '${w//\'/\'\\\'\'}'"
	done
	QN=$((QN + 1))
	printf '{ %s; } >o/%d.out 2>o/%d.err </dev/null; echo "$? %s" >o/%d.rc\n' "$l" $QN $QN "$1" $QN >>batch.sh
}

@test "escape: every tool, every output mode, hostile file and directory names: no raw control byte" {
	cd "$BATS_TEST_TMPDIR"
	cp -a "$BATS_FILE_TMPDIR/tpl" w
	cd w
	mkdir o
	QN=0
	: >batch.sh
	local c="c$N" s="s$N" m
	# ctl-dump: trust lists and signed files, every form, every check
	for m in "" -b -j -q --certs; do
		q ctl-dump $m "$N.tlv" "$N.cnf.xml.sgn" "d$N" "missing$N"
		q ctl-dump $m -t "$N.tlv" "$N.tlv" "$N.cnf.xml.sgn"
		q ctl-dump $m --signer "$N.pem" "$N.cnf.xml.sgn"
		q ctl-dump $m --cluster "$c" -t "$N.tlv" "$N.tlv" "$N.cnf.xml.sgn"
	done
	q ctl-dump -x "x$N" "$N.tlv"
	q ctl-dump -x "d$N" "$N.tlv"
	q ctl-dump -x "d$N" "$N.tlv"
	q ctl-dump --payload -t "$N.tlv" "$N.cnf.xml.sgn"
	q ctl-dump -t "missing$N" "$N.tlv"
	# a show itl capture (ctl-dump's own layout): read back in every form, compared
	ctl-dump "$N.tlv" >"cap$N.txt" || true
	for m in "" -b -j; do
		q ctl-dump $m "cap$N.txt"
	done
	q ctl-dump --compare "cap$N.txt" "$N.tlv"
	q ctl-dump --compare "cap$N.txt" "$N.cnf.xml.sgn"
	# cert-expiry: files, directories, a store with a hostile trust unit, every format
	for m in "" -a -v -j --json-lines --nagios --prometheus --alarm; do
		q cert-expiry --now $NOW $m "$N.pem" "$N.tlv" "d$N" "missing$N" "$N.key"
		q cert-expiry --now $LATER $m -s "$s"
	done
	q cert-expiry --now $NOW -o "r$N" "$N.pem"
	q cert-expiry --now $NOW -o "d$N/x" "missing$N"
	# itl-build: records, --resign, -t, signed files, a store, a cluster
	for m in "" -j -n; do
		q itl-build $m -k "$N.key" --sast "$N.pem" --tftp "missing$N" -o "o$N.tlv"
		q itl-build $m -f -k "$N.key" --sast "$N.pem" -t "$N.tlv" -o "o$N.tlv"
		q itl-build $m -f -k "$N.key" --resign "$N.tlv" -o "o$N.tlv"
		q itl-build $m -f -s "$s" --now $NOW -o "o$N.tlv"
		q itl-build $m -f --sign-file -k "$N.key" --signer "$N.pem" "$N.cnf.xml" "missing$N"
		q itl-build $m -f --cluster "$c" -a --now $NOW
		q itl-build $m -f --cluster "$c" --node cucm-sub1 --now $NOW -o "o$N.tlv"
		q itl-build $m -f --sign-file --cluster "$c" --node cucm-pub "$N.cnf.xml"
	done
	q itl-build -k "$N.key" --sast "$N.pem" -o "o$N.tlv"
	# cert-regen: a store, a CSR, a cluster plan and run, a restore
	for m in "" -j -n -q; do
		q cert-regen $m -y -s "$s" --now $NOW ipsec
		q cert-regen $m -f -s "$s" --now $NOW --csr -o "csr$N" tomcat
		q cert-regen $m --cluster "$c" --plan --now $NOW cucm-sub1:TVS
	done
	q cert-regen -y -s "missing$N" --now $NOW ipsec
	q cert-regen -y --cluster "$c" --now $NOW cucm-sub1:TVS
	q cert-regen -j -y --cluster "$c" --now $NOW cucm-sub1:ipsec
	q sh -c 'set -- "$1" "$1"/.backup/*; exec cert-regen -y -s "$1" -r "$2"' _ "$s"
	# trust-prune: a hostile unit directory with an expired certificate, every form
	for m in "" -v -j -q -n; do
		q trust-prune $m -s "$s" --now $LATER
		q trust-prune $m -s "$s" --now $LATER "$N-trust" "missing$N-trust"
	done
	q trust-prune -n -v -s "$s" --now $LATER "$N2-trust"
	q trust-prune --apply -v -s "$s" --now $LATER "$N2-trust"
	q trust-prune --apply -j -s "$c/cucm-sub1" --now $LATER
	q sh -c 'set -- "$1" "$1"/.backup/*trust-prune*; exec trust-prune -s "$1" -r "$2"' _ "$s"
	q sh -c 'set -- "$1" "$1"/.backup/*trust-prune*; exec trust-prune -n -j -s "$1" -r "$2"' _ "$s"
	sh batch.sh
	# the runs ran (no crash, no signal), and their output holds no raw control byte
	xrun -0 sh -c 'cat o/*.rc | awk "\$1 > 3 { print; bad = 1 } END { exit bad }"'
	run perl -e 'my $bad = 0;
		for my $f (@ARGV) {
			open(my $h, "<", $f) or die "$f: $!"; local $/; my $s = <$h>; $s = "" unless defined $s;
			my $ok = utf8::decode($s);
			if (!$ok || $s =~ /[\x00-\x08\x0B-\x1F\x7F-\x9F\x{061C}\x{200E}\x{200F}\x{2028}-\x{202E}\x{2066}-\x{2069}]/ ||
			    $s =~ /^(ACCEPTED ITLFile|FORGED)/m) {
				(my $rc = $f) =~ s/\.(out|err)$/.rc/;
				open(my $r, "<", $rc); my $cmd = <$r>; print "$f: $cmd"; $bad = 1;
			}
		}
		exit $bad' o/*.out o/*.err
	[ "$status" = 0 ] || { echo "$output"; false; }
	# the names did reach the output: escaped
	grep -qF 'n\x1B[2J\x1B]0;t\x07\x0D\x0AACCEPTED ITLFile.tlv: FORGED\x9B\xC2\x9B\xE2\x80\xAE\xFF' o/*.out
	grep -qF 'n\x1B[2J' o/*.err
	[ "$QN" -gt 90 ]
}
