#!/usr/bin/env bats
# firstrun.bats: cert-regen's first-run frictions (a new store's units in one run; a CA-signed
# certificate replaced, said by its issuer) and what a killed run leaves (the backup named, the
# exact command; every line out as it is printed).
load helpers
load storekit

NOW=2027-01-01T00:00:00Z

setup() {
	need_storekit
	cd "$BATS_TEST_TMPDIR"
}

@test "firstrun: a new store's units in one run (no previous certificate: no signer rule); a second run is refused" {
	mkdir s
	xrun -0 --separate-stderr cert-regen -s s --host cucm-pub -y -q --now $NOW --bits 1024 \
		CallManager TVS tomcat ipsec CAPF ITLRecovery
	[ -z "$stderr" ] && [ -f s/CallManager/CallManager.pem ] && [ -f s/ITLRecovery/ITLRecovery.pem ]
	mkdir t
	xrun -0 --separate-stderr cert-regen -s t --host cucm-pub -y -q --now $NOW --bits 1024 \
		--cucm-version 11.5 CallManager TVS
	# where phones may hold the certificates, the rules stand
	before=$(tree s)
	xrun -2 --separate-stderr cert-regen -s s -y --now $NOW CallManager ITLRecovery
	[[ $stderr == "cert-regen: CallManager and ITLRecovery: both possible ITL signers"* ]]
	xrun -2 --separate-stderr cert-regen -s t -y --now $NOW --cucm-version 11.5 CallManager TVS
	[[ $stderr == "cert-regen: CallManager and TVS: never both at once before CUCM 12.0"* ]]
	[ "$(tree s)" = "$before" ]
}

@test "firstrun: regenerating over a CA-signed certificate names the issuer and says it becomes self-signed" {
	mkdir -p s/tomcat
	{
		echo "root|20200101000000Z|20400101000000Z|/CN=Example Root CA|1024"
		echo "tomcat|20200101000000Z|20300101000000Z|/CN=cucm-pub.example.com|1024|root"
	} | mkcerts s/tomcat
	rm s/tomcat/root.* && rm -rf s/tomcat/.ca
	xrun -0 --separate-stderr cert-regen -s s -y -q --now $NOW tomcat
	[ "$stderr" = "cert-regen: tomcat: its certificate is CA-signed (issuer CN=Example Root CA): it is replaced by a self-signed one (--csr, then --import, to keep it CA-signed)" ]
	# a self-signed one is replaced without the line
	xrun -0 --separate-stderr cert-regen -s s -y -q --now $NOW tomcat
	[ -z "$stderr" ]
}

# bats test_tags=full
@test "firstrun: killed between a unit's key and certificate renames, the re-run names the backup and the command that puts the pair back" {
	mkdir -p s/CallManager
	MKCERT_BITS=1024 mkcert s/CallManager CallManager 400 "/O=Example/CN=cucm-pub"
	before=$(tree s)
	# every kill point of the renames: where the key and certificate no longer match, the
	# message names the backup and the command, and that command brings the store back
	local n hit=0
	cp -a s keep
	for n in $(seq 1 20); do
		rm -rf s && cp -a keep s
		CTK_KILL_AFTER=$n cert-regen -s s -y -q --now $NOW CallManager >log 2>&1 || true
		run --separate-stderr cert-regen -s s -y -q --now $NOW CallManager
		[[ $stderr == *"does not match"* ]] || continue
		hit=1
		b=$(cd s/.backup && ls | tail -n 1)
		[ "$stderr" = "cert-regen: s/CallManager/CallManager.key: does not match s/CallManager/CallManager.pem (a change stopped half-way?): the previous pair is in s/.backup/$b: cert-regen -s s -y -r s/.backup/$b puts it back" ]
		xrun -0 --separate-stderr cert-regen -s s -y -r s/.backup/$b
		[ "$(tree s)" = "$before" ]
	done
	[ $hit = 1 ]
}

# bats test_tags=full
@test "firstrun: every line of a run is out as it is printed (a killed run's log shows its steps)" {
	# a one-node cluster rollover, stdout a file, killed in a later step: the steps it
	# finished are in the log (a block-buffered stdout would have lost them all)
	mkdir -p c
	for u in CallManager tomcat ipsec TVS CAPF ITLRecovery; do
		mkdir -p c/cucm-pub/$u
		MKCERT_BITS=1024 mkcert c/cucm-pub/$u $u 400 "/O=Example/CN=cucm-pub" -addext basicConstraints=CA:FALSE
	done
	echo 'cucm-pub 10.0.0.1 publisher tftp' >c/nodes
	itl-build --cluster c --all --now @1798761600
	cp -a c keep
	xrun -0 bash -c "cert-regen --cluster c -y --now $NOW >log; grep -c '^step' log"
	steps=$output
	[ "$steps" -ge 2 ]
	local n got=0
	for n in 20 40 60 80; do
		rm -rf c && cp -a keep c
		CTK_KILL_AFTER=$n cert-regen --cluster c -y --now $NOW >log 2>/dev/null && continue
		k=$(grep -c '^step' log || true)
		[ "$k" -ge 1 ] && [ "$k" -lt "$steps" ] && got=1
	done
	[ $got = 1 ]
}
