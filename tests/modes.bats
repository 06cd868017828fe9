#!/usr/bin/env bats
# modes.bats: the modes of what ctlkit writes do not depend on the umask: a replaced file keeps
# the mode of the file it replaces, a new public file is 0644, a key 0600, a directory 0755
# (.backup 0700). Every writing mode runs under umask 000 and 077; every mode of the tree counts.
# bats file_tags=full
load helpers

NOW=2027-01-01T00:00:00Z
LATER=2030-01-01T00:00:00Z

# A cluster of two TFTP nodes (each node a store), its modes set the usual way.
setup_file() {
	local t="$BATS_FILE_TMPDIR/tpl"
	mkcluster2 "$t"
	find "$t" -type d -exec chmod 755 {} + -o -name '*.key' -exec chmod 600 {} + -o \
		-type f -exec chmod 644 {} +
}

# writes UMASK: every writing mode of every tool into ./UMASK under that umask (one sh).
writes() {
	local d="$BATS_TEST_TMPDIR/$1"
	cp -a "$BATS_FILE_TMPDIR/tpl" "$d"
	cd "$d"
	echo '<cfg/>' >SEP001122334455.cnf.xml
	chmod 644 SEP001122334455.cnf.xml
	mkdir -m 755 x
	umask "$1"
	{
		itl-build -s cucm-pub --now $NOW -o new.tlv
		itl-build -s cucm-pub --now $NOW -o kept640.tlv && chmod 640 kept640.tlv
		itl-build -f -s cucm-pub --now $NOW -o kept640.tlv
		itl-build --sign-file -k cucm-pub/CallManager/CallManager.key \
			--signer cucm-pub/CallManager/CallManager.pem -o signed.sgn SEP001122334455.cnf.xml
		itl-build --sign-file --cluster . --node cucm-pub --now $NOW SEP001122334455.cnf.xml
		itl-build --cluster . -a --now $NOW
		ctl-dump -x x new.tlv >/dev/null
		cert-regen -y -q -s cucm-sub1 --now $NOW ipsec
		cert-regen -y -q -s cucm-sub1 --now $NOW CallManager
		cert-regen -q -s cucm-sub1 --now $NOW --csr -o tomcat.csr tomcat
		cert-expiry --now $NOW -o report.txt cucm-pub/tomcat/tomcat.pem
		cert-regen --cluster . -y -q --now $NOW cucm-sub1:TVS
		trust-prune --apply -q -s cucm-pub --now $LATER
	} >"$BATS_TEST_TMPDIR/$1.out" 2>"$BATS_TEST_TMPDIR/$1.err" || true
	umask 022
	# the tree with its modes; the backup directories' names carry the clock
	find . -mindepth 1 -printf '%m %y %P\n' | sed -E 's,\.backup/[0-9]{8}T[0-9]{6}Z[^/ ]*,.backup/T,; s,_[0-9a-f]{32}\.pem$,_S.pem,' | sort -k3 -u
}

# bad_modes: the lines of a tree (writes) that break the rules.
bad_modes() {
	awk '
		$3 == "kept640.tlv" { if ($1 != 640) print; next }
		$2 == "d" && $3 ~ /(^|\/)\.backup(\/T)?$/ { if ($1 != 700) print; next }
		$3 ~ /(^|\/)\.backup\// { if ($1 ~ /[2367].$|[2367]$/) print; next }
		$3 ~ /\.key$|\.lock$/ { if ($1 != 600) print; next }
		$2 == "d" { if ($1 != 755) print; next }
		$2 == "f" { if ($1 != 644) print; next }
		{ print }'
}

@test "modes: every writing mode under umask 000 and 077 gives the same tree, in the fixed modes" {
	local a b
	a=$(writes 000)
	b=$(writes 077)
	# every command above ran: its files are there
	grep -q ' f new.tlv$' <<<"$a"
	grep -q ' f signed.sgn$' <<<"$a"
	grep -q ' f tomcat.csr$' <<<"$a"
	grep -q ' f report.txt$' <<<"$a"
	grep -q ' f cucm-pub/tftp/SEP001122334455.cnf.xml.sgn$' <<<"$a"
	grep -q ' f cucm-sub1/tftp/ITLFile.tlv$' <<<"$a"
	grep -q ' f cucm-sub1/tftp/history/' <<<"$a"
	grep -q ' f x/' <<<"$a"
	grep -q ' d cucm-sub1/.backup/T$' <<<"$a"
	grep -q ' d cucm-pub/.backup/T$' <<<"$a"
	run -0 bad_modes <<<"$a"
	[ -z "$output" ] || { cat "$BATS_TEST_TMPDIR/000.err"; false; }
	run -0 bad_modes <<<"$b"
	[ -z "$output" ] || { cat "$BATS_TEST_TMPDIR/077.err"; false; }
	[ "$a" = "$b" ] || { diff <(echo "$a") <(echo "$b"); false; }
}
