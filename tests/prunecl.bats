#!/usr/bin/env bats
# prunecl.bats: trust-prune over a cluster (--cluster: every node's stores, replicated stores
# pruned alike, one backup name on every node, undone as a whole) and --delete with its
# protections; the next: lines that apply (mixed mode, Certificate Change Notification).
# Full tier: each test runs trust-prune over a three-node cluster several times (seconds each).
# bats file_tags=full
load helpers
load storekit

NOW=2027-01-01T00:00:00Z
TS=1798761600	# the same instant, for itl-build --now @TS

# Three nodes built once (RSA-1024: the size matters to no check here): cucm-pub, cucm-sub1,
# cucm-sub2 with the units every node has; cucm-sub1's ipsec issued by "old ca" (expired), whose
# certificate every node's CallManager-trust holds; an expired "old1" and two "dup" of one
# subject (the newer one 2025) on every node; a Cisco bundled CA in every CAPF-trust; CAPF and
# ITLRecovery on cucm-pub, for the served ITLs and CTL.
setup_file() {
	local t="$BATS_FILE_TMPDIR/cl" g="$BATS_FILE_TMPDIR/gen" n u
	need_storekit
	mkdir -p "$g"
	{
		echo "oldca|20100101000000Z|20200101000000Z|/CN=old ca|1024"
		echo "ipsec|20100101000000Z|20400101000000Z|/O=Example/CN=cucm-sub1|1024|oldca"
		echo "old1|20100101000000Z|20200101000000Z|/CN=old server 1|1024"
		echo "dup1|20200101000000Z|20300101000000Z|/CN=dup|1024"
		echo "dup2|20250101000000Z|20350101000000Z|/CN=dup|1024"
		echo "mfg|20100101000000Z|20200101000000Z|/CN=Cisco Manufacturing CA|1024"
	} | mkcerts "$g"
	printf 'cucm-pub    10.0.0.1   publisher tftp\ncucm-sub1   10.0.0.2   tftp\ncucm-sub2   10.0.0.3\n' >"$g/nodes"
	for n in cucm-pub cucm-sub1 cucm-sub2; do
		for u in CallManager tomcat ipsec TVS; do
			mkdir -p "$t/$n/$u"
			MKCERT_BITS=1024 mkcert "$t/$n/$u" $u 400 "/O=Example/CN=$n"
		done
		mkdir -p "$t/$n/CallManager-trust" "$t/$n/CAPF-trust"
		cp "$g/oldca.pem" "$g/old1.pem" "$g/dup1.pem" "$g/dup2.pem" "$t/$n/CallManager-trust/"
		cp "$g/mfg.pem" "$t/$n/CAPF-trust/Cisco_Manufacturing_CA.pem"
	done
	cp "$g/ipsec.pem" "$g/ipsec.key" "$t/cucm-sub1/ipsec/"
	mkdir -p "$t/cucm-pub/CAPF" "$t/cucm-pub/ITLRecovery"	# what the ITL and CTL also hold
	MKCERT_BITS=1024 mkcert "$t/cucm-pub/CAPF" CAPF 400 "/O=Example/CN=CAPF-1a2b3c4d"
	MKCERT_BITS=1024 mkcert "$t/cucm-pub/ITLRecovery" ITLRecovery 400 "/O=Example/CN=ITLRECOVERY_cucm-pub"
	for n in cucm-pub cucm-sub1 cucm-sub2; do
		for u in cucm-pub cucm-sub1 cucm-sub2; do
			cp "$t/$u/CallManager/CallManager.pem" "$t/$n/CallManager-trust/$u.pem"
		done
	done
	cp "$g/nodes" "$t/nodes"
}

setup() {
	need_storekit
	cd "$BATS_TEST_TMPDIR"
	cp -a "$BATS_FILE_TMPDIR/cl" cl
}

# trees: every node's tree, one after the other.
trees() {
	local n
	for n in cucm-pub cucm-sub1 cucm-sub2; do echo "$n"; tree "cl/$n"; done
}

@test "prunecl: --cluster prunes every node alike (a replicated copy one node keeps stays on all), one backup name, undone as a whole" {
	before=$(trees)
	run -1 --separate-stderr trust-prune --cluster cl --now $NOW
	[ "$(cut -f1,3,7 <<<"$output")" = "cucm-pub	dup1.pem	superseded
cucm-pub	old1.pem	expired
cucm-sub1	dup1.pem	superseded
cucm-sub1	old1.pem	expired
cucm-sub2	dup1.pem	superseded
cucm-sub2	old1.pem	expired" ]
	# old ca: expired, but cucm-sub1's ipsec chains to it: kept there, so kept on every node
	run -1 --separate-stderr trust-prune --cluster cl --now $NOW -j
	[ "$(jq -r '.nodes[] | .node + " " + (.certificates[] | select(.file == "oldca.pem") | .keep | join(","))' <<<"$output")" = "cucm-pub other-node
cucm-sub1 issuer
cucm-sub2 other-node" ]
	run -0 --separate-stderr trust-prune --cluster cl --now $NOW --apply
	for n in cucm-pub cucm-sub1 cucm-sub2; do
		[ ! -e cl/$n/CallManager-trust/old1.pem ] && [ ! -e cl/$n/CallManager-trust/dup1.pem ]
		[ -e cl/$n/CallManager-trust/oldca.pem ]
		[ "$(ls cl/$n/.backup)" = 20270101T000000Z-000-trust-prune ]
		[[ $output == *"backup: cl/$n/.backup/20270101T000000Z-000-trust-prune"* ]]
	done
	[[ $output != *"mixed mode"* && $output != *"Certificate Change Notification"* ]]
	# undone as a whole: every node's backup of that name
	run -0 --separate-stderr trust-prune --cluster cl -n -r last
	[[ $output == "cucm-pub	would be restored	CallManager-trust/"*"cucm-sub2	would be restored	CallManager-trust/old1.pem"* ]]
	run -0 --separate-stderr trust-prune --cluster cl -r 20270101T000000Z-000-trust-prune
	[ "$(grep -c "	restored	CallManager-trust/old1.pem" <<<"$output")" = 3 ]
	[ "$(grep -c "^backup: cl/cucm-.*/.backup/20270101T000000Z-001-trust-prune" <<<"$output")" = 3 ]
	[ "$(trees)" = "$before" ]
	run -0 --separate-stderr trust-prune -s cl/cucm-sub2 --list-backups
	[[ ${lines[1]} == "20270101T000000Z-001-trust-prune	trust-prune	"*"restore of 20270101T000000Z-000-trust-prune" ]]
	run -2 --separate-stderr trust-prune --cluster cl -r last
	[[ $stderr == *"cl: no backup of trust-prune left to restore on any node" ]]
}

@test "prunecl: --delete removes one named certificate (every node's copy with --cluster), refusing what the protections keep unless -f" {
	before=$(trees)
	run -1 --separate-stderr trust-prune --cluster cl --delete CallManager-trust/old1.pem -n
	[ "$(cut -f1-3,7 <<<"$output")" = "cucm-pub	CallManager-trust	old1.pem	expired,named
cucm-sub1	CallManager-trust	old1.pem	expired,named
cucm-sub2	CallManager-trust	old1.pem	expired,named" ]
	[ "$(trees)" = "$before" ]
	run -0 --separate-stderr trust-prune --cluster cl --delete CallManager-trust/old1.pem --now $NOW
	for n in cucm-pub cucm-sub1 cucm-sub2; do
		[ ! -e cl/$n/CallManager-trust/old1.pem ]
		[ -e cl/$n/.backup/20270101T000000Z-000-trust-prune/CallManager-trust/old1.pem ]
	done
	after=$(trees)
	# the protections, each with its reason; nothing changed
	run -2 --separate-stderr trust-prune --cluster cl --delete CAPF-trust/Cisco_Manufacturing_CA.pem
	[[ $stderr == "trust-prune: cucm-pub: CAPF-trust/Cisco_Manufacturing_CA.pem: kept: bundled-ca: nothing deleted (-f deletes it anyway)"* ]]
	run -2 --separate-stderr trust-prune --cluster cl --delete CallManager-trust/oldca.pem
	[ "$stderr" = "trust-prune: cucm-sub1: CallManager-trust/oldca.pem: kept: issuer (issuer of ipsec/ipsec.pem): nothing deleted (-f deletes it anyway)" ]
	run -2 --separate-stderr trust-prune -s cl/cucm-pub --delete CallManager-trust/dup2.pem
	[ "$stderr" = "trust-prune: CallManager-trust/dup2.pem: kept: newest: nothing deleted (-f deletes it anyway)" ]
	run -2 --separate-stderr trust-prune -s cl/cucm-pub --delete CallManager-trust/nope.pem
	[ "$stderr" = "trust-prune: CallManager-trust/nope.pem: no such certificate file on cl/cucm-pub" ]
	run -2 --separate-stderr trust-prune -s cl/cucm-pub --delete CallManager/CallManager.pem
	[[ $stderr == "trust-prune: --delete CallManager/CallManager.pem: not UNIT-trust/FILE" ]]
	[ "$(trees)" = "$after" ]
	# what a served ITL holds: every node's copy of cucm-sub1's CallManager certificate
	run -0 itl-build --cluster cl --all --now @$TS
	run -2 --separate-stderr trust-prune --cluster cl --delete CallManager-trust/cucm-sub1.pem
	[[ $stderr == *"cucm-pub: CallManager-trust/cucm-sub1.pem: kept: keep-in (held by cl/cucm-sub1/tftp/ITLFile.tlv): nothing deleted"* ]]
	# the older of a name goes; -f takes a protected one, with a backup
	run -0 --separate-stderr trust-prune -s cl/cucm-pub --delete CallManager-trust/dup1.pem --now $NOW
	run -0 --separate-stderr trust-prune -s cl/cucm-pub -f --delete CallManager-trust/dup2.pem --now $NOW
	[ ! -e cl/cucm-pub/CallManager-trust/dup2.pem ]
	[ "$(ls cl/cucm-pub/.backup)" = "20270101T000000Z-000-trust-prune
20270101T000000Z-001-trust-prune
20270101T000000Z-002-trust-prune" ]
}

@test "prunecl: next: lines only where they apply: mixed mode in mixed mode, Certificate Change Notification before 11.0" {
	run -0 --separate-stderr trust-prune --cluster cl --cucm-version 10.5 --delete CallManager-trust/old1.pem --now $NOW
	[[ $output == *"next: before 11.0 Cisco Certificate Change Notification copies a certificate deleted on one node back from the others (CSCto86463): stop it on every node first (utils service stop Cisco Certificate Change Notification)"$'\n'"next: then delete the same certificates on every node, and start Cisco Certificate Change Notification again on every node"* ]]
	[[ $output != *"mixed mode"* ]]
	run -0 --separate-stderr trust-prune --cluster cl -r last -j --cucm-version 10.5
	[ "$(jq -c .cluster_followups <<<"$output")" = "[]" ]	# a restore deletes nothing
	run -0 itl-build --cluster cl --all --mixed --now @$TS
	# one store: mixed by a CTLFile.tlv in it or in its tftp/ (cucm-sub2 serves none)
	run -0 --separate-stderr trust-prune -s cl/cucm-sub1 --now $NOW --apply
	[[ $output == *"next: mixed mode: run utils ctl update CTLFile"* ]]
	run -0 --separate-stderr trust-prune -s cl/cucm-sub2 --cucm-version 10.5 --now $NOW --apply -j
	[ "$(jq -r '.followups | map(select(startswith("mixed"))) | length' <<<"$output")" = 0 ]
	[ "$(jq -r '.cluster_followups | length' <<<"$output")" = 2 ]
	run -0 --separate-stderr trust-prune --cluster cl --cucm-version 11.5 --now $NOW --apply
	[[ $output == *"next: mixed mode: run utils ctl update CTLFile"* ]]
	[[ $output != *"Certificate Change Notification"* ]]
}
