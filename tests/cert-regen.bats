#!/usr/bin/env bats
# cert-regen: every unit's certificate, the files, the backup, the restore, the refusals.
load helpers
load storekit

NOW=2027-01-01T00:00:00Z

# A template store with every own unit (RSA units 1024 bits: cert-regen makes each new key the
# size of the old one, and 2048-bit key generation was most of each run; ECDSA units P-256/P-384)
# and aside the RSA-2048 CallManager and TVS of the tests that check the size (rsa2048):
# committed (tests/fixtures/stores/make.sh), copied once per file (keys made 0600: git keeps no
# mode) and per test from there.
setup_file() {
	need_storekit
	cp -r "$FIX/regen/tpl" "$FIX/regen/rsa2048" "$BATS_FILE_TMPDIR/"
	chmod 600 "$BATS_FILE_TMPDIR"/tpl/*/*.key "$BATS_FILE_TMPDIR"/rsa2048/*.key
}

setup() {
	need_storekit
	S="$BATS_TEST_TMPDIR/s"
	cp -a "$BATS_FILE_TMPDIR/tpl" "$S"
}

# rsa2048 UNIT: the store's UNIT (CallManager or TVS) with the RSA-2048 pair of setup_file, as CUCM
# has it (CallManager's trust copy too), for the tests that check the key's size.
rsa2048() {
	cp "$BATS_FILE_TMPDIR/rsa2048/$1.pem" "$BATS_FILE_TMPDIR/rsa2048/$1.key" "$S/$1/"
	[ "$1" != CallManager ] || cp "$S/CallManager/CallManager.pem" "$S/CallManager-trust/cucm1_old.pem"
}

# exts CERT EXT...: EXT_<name> is the value line of each extension of CERT named (one openssl
# for them all): basicConstraints with its spaces taken out, the others with leading spaces cut
# (as "openssl x509 -ext NAME | tail -1" with tr -d ' ' or sed 's/^ *//' gave them).
exts() {
	local c=$1 names line cur= long
	shift
	declare -gA EXT=()
	printf -v names '%s,' "$@"
	names=${names%,}
	while IFS= read -r line; do
		if [[ $line == "X509v3 "* ]]; then
			long=${line%%:*}
			case $long in
			"X509v3 Basic Constraints") cur=basicConstraints ;;
			"X509v3 Key Usage") cur=keyUsage ;;
			"X509v3 Extended Key Usage") cur=extendedKeyUsage ;;
			"X509v3 Subject Alternative Name") cur=subjectAltName ;;
			"X509v3 Subject Key Identifier") cur=subjectKeyIdentifier ;;
			"X509v3 Authority Key Identifier") cur=authorityKeyIdentifier ;;
			*) cur= ;;
			esac
		elif [ -n "$cur" ]; then
			if [ $cur = basicConstraints ] || [ $cur = subjectKeyIdentifier ] || [ $cur = authorityKeyIdentifier ]; then
				EXT[$cur]=${line// /}
			else
				EXT[$cur]=${line#"${line%%[! ]*}"}
			fi
		fi
	done < <(openssl x509 -in "$c" -noout -ext "$names")
}

# The text dump of certificate $1.
x509() {
	openssl x509 -in "$1" -noout -text -certopt no_pubkey,no_sigdump
}

@test "cert-regen: --help on stdout exits 0, --version names ctlkit" {
	xrun -0 --separate-stderr cert-regen --help
	[[ $output == "usage: cert-regen "* ]]
	[ -z "$stderr" ]
	run -0 cert-regen --version
	[[ $output == "cert-regen ctlkit "* ]]
}

@test "cert-regen: usage errors exit 2 with the usage line" {
	xrun -2 --separate-stderr cert-regen -s "$S"
	[ -z "$output" ]
	[[ $stderr == *"usage: cert-regen"* ]]
	xrun -2 --separate-stderr cert-regen --bogus CallManager
	[[ $stderr == *"usage: cert-regen"* ]]
	xrun -2 --separate-stderr cert-regen -s "$S" --years 7 ITLRecovery
	[[ $stderr == *'cert-regen: --years: not 5, 10, 15 or 20: "7"'* ]]
	xrun -2 --separate-stderr cert-regen -s "$S" --years 10 CallManager
	[[ $stderr == *"only ITLRecovery"* ]]
	xrun -2 --separate-stderr cert-regen -s "$S" --csr CallManager tomcat
	[ -z "$output" ]
	[[ $stderr == "usage: cert-regen"* ]]
	xrun -2 --separate-stderr cert-regen -s "$S" -o x.pem CallManager
	[ -z "$output" ]
	[[ $stderr == "usage: cert-regen"* ]]
	xrun -2 --separate-stderr cert-regen -s "$S" --days 0 CallManager
	[ -z "$output" ]
	[[ $stderr == "cert-regen: --days: not a number from 1 to 36500: \"0\""* ]]
}

@test "cert-regen: unknown unit, missing store: exit 2, nothing on stdout, store unchanged" {
	before=$(tree "$S")
	xrun -2 --separate-stderr cert-regen -s "$S" -y Phone
	[ -z "$output" ]
	[[ $stderr == "cert-regen: Phone: unknown unit"* ]]
	xrun -2 --separate-stderr cert-regen -s "$S/nope" -y CallManager
	[ -z "$output" ]
	[ "$stderr" = "cert-regen: $S/nope: not a store directory" ]
	[ "$(tree "$S")" = "$before" ]
	[ ! -e "$S/.backup" ]
}

@test "cert-regen: no terminal and no --yes: refused, exit 2, nothing touched" {
	before=$(tree "$S")
	xrun -2 --separate-stderr cert-regen -s "$S" CallManager </dev/null
	[ -z "$output" ]
	[[ $stderr == *"no terminal to confirm on: nothing changed (use --yes)" ]]
	[ "$(tree "$S")" = "$before" ]
	[ ! -e "$S/.backup" ]
}

@test "cert-regen: on a terminal it asks as the CLI does, and only yes goes on" {
	command -v script >/dev/null || skip "script(1) is absent"
	before=$(tree "$S")
	run script -qec "cert-regen -s '$S' CAPF" /dev/null <<<"no"
	[[ $output == *"WARNING: This operation will overwrite any CA signed certificate previously imported for CAPF"* ]]
	[[ $output == *"Proceed with regeneration (yes|no)?"* ]]
	[[ $output == *"not confirmed: nothing changed"* ]]
	[ "$(tree "$S")" = "$before" ]
	run script -qec "cert-regen -s '$S' CAPF" /dev/null <<<"yes"
	[[ $output == *"regenerated: CAPF serial="* ]]
	[ "$(tree "$S")" != "$before" ]
}

@test "cert-regen: CallManager: subject, SAN, key, serial, validity to the second, extensions" {
	rsa2048 CallManager
	old_serial=$(openssl x509 -in "$S/CallManager/CallManager.pem" -noout -serial)
	xrun -0 --separate-stderr cert-regen -s "$S" -y --now $NOW CallManager
	[ -z "$stderr" ]
	c="$S/CallManager/CallManager.pem"
	t=$(x509 "$c")
	[[ $t == *"Subject: C = US, O = Example, OU = VTG, CN = cucm1"* ]]
	[[ $t == *"Issuer: C = US, O = Example, OU = VTG, CN = cucm1"* ]]
	[[ $t == *"Signature Algorithm: sha256WithRSAEncryption"* ]]
	mapfile -t d < <(openssl x509 -in "$c" -noout -startdate -enddate -serial)	# in that order
	[ "${d[0]}" = "notBefore=Jan  1 00:00:00 2027 GMT" ]
	# 1825 days - 1 s: 2028 is a leap year
	[ "${d[1]}" = "notAfter=Dec 30 23:59:59 2031 GMT" ]
	[[ ${d[2]} == serial=* ]]
	serial=${d[2]#serial=}
	[ ${#serial} -eq 32 ]
	[[ $serial == [4-7]* ]]
	[ "serial=$serial" != "$old_serial" ]
	exts "$c" basicConstraints keyUsage extendedKeyUsage subjectAltName subjectKeyIdentifier authorityKeyIdentifier
	[ "${EXT[basicConstraints]}" = "CA:FALSE" ]
	[ "${EXT[keyUsage]}" = "Digital Signature, Key Encipherment, Data Encipherment, Key Agreement" ]
	[ "${EXT[extendedKeyUsage]}" = "TLS Web Server Authentication, TLS Web Client Authentication, IPSec End System" ]
	[ "${EXT[subjectAltName]}" = "DNS:cucm1.example.com, IP Address:10.0.0.1" ]
	ski=${EXT[subjectKeyIdentifier]}
	aki=${EXT[authorityKeyIdentifier]}
	[ -n "$ski" ] && [ "$aki" = "$ski" ]
	[[ $t == *"Public-Key: (2048 bit)"* ]] || openssl x509 -in "$c" -noout -text | grep -q "Public-Key: (2048 bit)"
	openssl verify -attime 1798848000 -CAfile "$c" -purpose sslserver "$c"	# 2027-01-02
	# the key matches and is 0600; the certificate is not
	[ "$(openssl pkey -in "$S/CallManager/CallManager.key" -pubout)" = "$(openssl x509 -in "$c" -noout -pubkey)" ]
	[ "$(stat -c %a "$S/CallManager/CallManager.key" "$c")" = $'600\n644' ]
}

@test "cert-regen: the trust copy replaces the namesakes OpenSSL's name comparison finds (case, spaces), and no other" {
	local d="$BATS_TEST_TMPDIR"
	MKCERT_BITS=1024 mkcert "$d" spaced 100 "/C=US/O=EXAMPLE/OU= vtg /CN=  CUCM1 "
	MKCERT_BITS=1024 mkcert "$d" near 100 "/C=US/O=Example/OU=VTG/CN=cucm11"
	MKCERT_BITS=1024 mkcert "$d" order 100 "/CN=cucm1/OU=VTG/O=Example/C=US"
	cp "$d/spaced.pem" "$d/near.pem" "$d/order.pem" "$S/CallManager-trust/"
	xrun -0 --separate-stderr cert-regen -s "$S" -y --now $NOW CallManager
	[ ! -e "$S/CallManager-trust/cucm1_old.pem" ] && [ ! -e "$S/CallManager-trust/spaced.pem" ]
	[ -e "$S/CallManager-trust/near.pem" ] && [ -e "$S/CallManager-trust/order.pem" ]
}

@test "cert-regen: the old pair goes to .backup byte for byte, the trust copy is renamed and replaces the old one" {
	cp -a "$S" "$BATS_TEST_TMPDIR/orig"
	xrun -0 --separate-stderr cert-regen -s "$S" -y --now $NOW CallManager
	b="$S/.backup/20270101T000000Z-000-cert-regen"
	[[ $output == *"backup: $b"* ]]
	cmp "$b/CallManager/CallManager.pem" "$BATS_TEST_TMPDIR/orig/CallManager/CallManager.pem"
	cmp "$b/CallManager/CallManager.key" "$BATS_TEST_TMPDIR/orig/CallManager/CallManager.key"
	[ "$(stat -c %a "$b/CallManager/CallManager.key")" = 600 ]
	cmp "$b/CallManager-trust/cucm1_old.pem" "$BATS_TEST_TMPDIR/orig/CallManager-trust/cucm1_old.pem"
	serial=$(openssl x509 -in "$S/CallManager/CallManager.pem" -noout -serial)
	serial=${serial#serial=}
	cmp "$S/CallManager-trust/cucm1_${serial,,}.pem" "$S/CallManager/CallManager.pem"
	[ ! -e "$S/CallManager-trust/cucm1_old.pem" ]
	[ -e "$S/CallManager-trust/CAPF-1a2b3c4d.pem" ]
	# one manifest format for every tool: tool, the store's id, --now, hashes (matched whole
	# lines, as grep -x did)
	local m id sum f
	slurp m "$b/MANIFEST"
	m=$'\n'$m$'\n'
	slurp id "$S/.backup/.id"
	sum=$(sha256sum <"$BATS_TEST_TMPDIR/orig/CallManager-trust/cucm1_old.pem")
	[[ $m == *$'\ntool\tcert-regen\n'* ]]
	[[ $m == *$'\nid\t'"$id"$'\n'* ]]
	[[ $m == *$'\ntime\t'"$NOW"$'\n'* ]]
	[[ $m == *$'\nremove\tCallManager-trust/cucm1_old.pem\t'"${sum:0:64}"$'\t-\t'* ]]
	[ ! -e "$b/.new" ]
	shopt -s globstar dotglob nullglob
	for f in "$S"/**; do	# no temporary file (find -name '*.tmp.*')
		[[ ${f##*/} != *.tmp.* ]]
	done
	# a second run the same second gets the next rank
	run -0 cert-regen -s "$S" -y --now $NOW CallManager
	[[ $output == *"backup: ${b%-000-cert-regen}-001-cert-regen"* ]]
}

@test "cert-regen: each unit gets the extensions of its profile" {
	run -0 cert-regen -s "$S" -y --force --now $NOW CallManager CallManager-ECDSA tomcat tomcat-ECDSA ipsec TVS CAPF ITLRecovery
	for u in CallManager CallManager-ECDSA tomcat tomcat-ECDSA ipsec; do
		exts "$S/$u/$u.pem" basicConstraints keyUsage extendedKeyUsage
		[ "${EXT[basicConstraints]}" = "CA:FALSE" ]
		[ "${EXT[keyUsage]}" = "Digital Signature, Key Encipherment, Data Encipherment, Key Agreement" ]
		[ "${EXT[extendedKeyUsage]}" = "TLS Web Server Authentication, TLS Web Client Authentication, IPSec End System" ]
	done
	for u in TVS ITLRecovery; do
		exts "$S/$u/$u.pem" basicConstraints keyUsage extendedKeyUsage
		[ "${EXT[basicConstraints]}" = "CA:FALSE" ]
		[ "${EXT[keyUsage]}" = "Digital Signature, Key Encipherment, Data Encipherment" ]
		[ "${EXT[extendedKeyUsage]}" = "TLS Web Server Authentication, TLS Web Client Authentication" ]
	done
	c="$S/CAPF/CAPF.pem"
	run openssl x509 -in "$c" -noout -ext basicConstraints
	[ "${lines[0]}" = "X509v3 Basic Constraints: critical" ]
	[ "$(echo ${lines[1]})" = "CA:TRUE, pathlen:0" ]
	exts "$c" keyUsage extendedKeyUsage
	[ "${EXT[keyUsage]}" = "Digital Signature, Certificate Sign, CRL Sign" ]
	[ "${EXT[extendedKeyUsage]}" = "TLS Web Server Authentication, IPSec End System" ]
	# keys: same type and size as before, with the matching digest (one text dump each)
	t=$(openssl x509 -in "$S/CallManager-ECDSA/CallManager-ECDSA.pem" -noout -text)
	[[ $t == *"Signature Algorithm: ecdsa-with-SHA384"* && $t == *"NIST CURVE: P-384"* ]]
	t=$(openssl x509 -in "$S/tomcat-ECDSA/tomcat-ECDSA.pem" -noout -text)
	[[ $t == *"Signature Algorithm: ecdsa-with-SHA256"* && $t == *"NIST CURVE: P-256"* ]]
	# ECDSA units copy into their RSA unit's store; TVS and ITLRecovery nowhere
	has_name "$S/tomcat-trust" '^cucm1\.example\.com-EC_[0-9a-f]{32}\.pem$'
	has_name "$S/CallManager-trust" '^cucm1-EC_[0-9a-f]{32}\.pem$'
	[ ! -e "$S/TVS-trust" ]
	[ -e "$S/tomcat-trust/other.pem" ]
}

@test "cert-regen: CAPF gets a fresh CAPF-<8 hex> name, both trust stores get it, earlier copies stay" {
	xrun -0 --separate-stderr cert-regen -s "$S" -y --now $NOW CAPF
	# the commonName and the serial, from one openssl
	local l cn= serial=
	while IFS= read -r l; do
		[[ $l != serial=* ]] || serial=${l#serial=}
		[[ ! $l =~ ^\ *commonName\ *=\ (.*)$ ]] || cn=${BASH_REMATCH[1]}
	done < <(openssl x509 -in "$S/CAPF/CAPF.pem" -noout -subject -nameopt multiline -serial)
	serial=${serial,,}
	[[ $cn =~ ^CAPF-[0-9a-f]{8}$ ]]
	[ "${cn#CAPF-}" = "${serial:0:8}" ]
	cmp "$S/CAPF-trust/$cn.pem" "$S/CAPF/CAPF.pem"
	cmp "$S/CallManager-trust/$cn.pem" "$S/CAPF/CAPF.pem"
	[ -e "$S/CAPF-trust/CAPF-1a2b3c4d.pem" ]
	[ -e "$S/CallManager-trust/CAPF-1a2b3c4d.pem" ]
	[[ $output == *"restart: Cisco Certificate Authority Proxy Function (publisher)"* ]]
	[[ $output == *"next: CAPF changed: phones with LSCs need new LSCs signed by the new CAPF"* ]]
	run -0 cert-regen -s "$S" -y --keep-subject CAPF
	[[ $(openssl x509 -in "$S/CAPF/CAPF.pem" -noout -subject) == *"CN = $cn" ]]
}

@test "cert-regen: --days, --years for ITLRecovery, --key-type, --bits, --curve" {
	run -0 cert-regen -s "$S" -y --now $NOW --years 20 ITLRecovery
	# 20 x 365 days - 1 s
	[ "$(openssl x509 -in "$S/ITLRecovery/ITLRecovery.pem" -noout -enddate)" = "notAfter=Dec 26 23:59:59 2046 GMT" ]
	# --bits 2048 over tomcat's 1024 (3072 took most of the test in key generation)
	run -0 cert-regen -s "$S" -y --now $NOW --days 10 --bits 2048 tomcat
	t=$(openssl x509 -in "$S/tomcat/tomcat.pem" -noout -enddate -text)
	[[ $t == "notAfter=Jan 10 23:59:59 2027 GMT"$'\n'* ]]
	[[ $t == *"Public-Key: (2048 bit)"* ]]
	run -0 cert-regen -s "$S" -y --key-type ec --curve P-384 ipsec
	[[ $(x509 "$S/ipsec/ipsec.pem") == *"Signature Algorithm: ecdsa-with-SHA384"* ]]
	xrun -2 --separate-stderr cert-regen -s "$S" -y --key-type dsa ipsec
	[[ $stderr == "cert-regen: ipsec: key type must be rsa or ec" ]]
	xrun -2 --separate-stderr cert-regen -s "$S" -y --curve P-192 ipsec
	[[ $stderr == *"curve must be P-256, P-384 or P-521" ]]
}

@test "cert-regen: a unit with no certificate needs --subject or --host; --host follows CUCM's CN conventions" {
	s2="$BATS_TEST_TMPDIR/empty"
	mkdir "$s2"
	xrun -2 --separate-stderr cert-regen -s "$s2" -y TVS
	[ -z "$output" ]
	[ "$stderr" = "cert-regen: TVS: no certificate in the store: give --subject or --host" ]
	local f
	shopt -s dotglob nullglob
	for f in "$s2"/*; do [ "${f##*/}" = .lock ]; done	# nothing but the lock (ls -A | grep -vx .lock)
	# RSA units at --bits 1024: a unit with no certificate gets 2048 bits, three key generations
	# that were most of the test (--bits makes an RSA key: tomcat-ECDSA in a run of its own)
	run -0 cert-regen -s "$s2" -y --bits 1024 --host cucm9 TVS ITLRecovery CAPF
	run -0 cert-regen -s "$s2" -y --host cucm9 tomcat-ECDSA
	[ "$(openssl x509 -in "$s2/TVS/TVS.pem" -noout -subject)" = "subject=CN = cucm9" ]
	t=$(openssl x509 -in "$s2/tomcat-ECDSA/tomcat-ECDSA.pem" -noout -subject -text -certopt no_pubkey,no_sigdump)
	[[ $t == "subject=CN = cucm9-EC"$'\n'* ]]
	[[ $t == *"ecdsa-with-SHA256"* ]]
	[ "$(openssl x509 -in "$s2/ITLRecovery/ITLRecovery.pem" -noout -subject)" = "subject=CN = ITLRECOVERY_cucm9" ]
	[[ $(openssl x509 -in "$s2/CAPF/CAPF.pem" -noout -subject) =~ ^subject=CN\ =\ CAPF-[0-9a-f]{8}$ ]]
	run -0 cert-regen -s "$s2" -y --bits 1024 --subject "/C=US/O=Ex\/ample/CN=cucm9.example.com" --san "DNS:cucm9.example.com" tomcat
	t=$(openssl x509 -in "$s2/tomcat/tomcat.pem" -noout -subject -ext subjectAltName)
	[[ $t == "subject=C = US, O = Ex/ample, CN = cucm9.example.com"$'\n'* ]]
	[[ $t == *$'\n'*"DNS:cucm9.example.com"* ]]
	xrun -2 --separate-stderr cert-regen -s "$s2" -y --subject "CN=x" tomcat
	[[ $stderr == "cert-regen: tomcat: a subject looks like /CN=name/O=org" ]]
}

@test "cert-regen: a key that does not match its certificate: exit 2, store unchanged" {
	cp "$S/tomcat/tomcat.key" "$S/CallManager/CallManager.key"
	before=$(tree "$S")
	xrun -2 --separate-stderr cert-regen -s "$S" -y CallManager
	[ -z "$output" ]
	[ "$stderr" = "cert-regen: $S/CallManager/CallManager.key: does not match $S/CallManager/CallManager.pem" ]
	echo garbage >"$S/CallManager/CallManager.key"
	xrun -2 --separate-stderr cert-regen -s "$S" -y CallManager
	[[ $stderr == *"CallManager.key: not an unencrypted private key"* ]]
	echo garbage >"$S/tomcat/tomcat.pem"
	xrun -2 --separate-stderr cert-regen -s "$S" -y tomcat
	[ -z "$output" ]
	[[ $stderr == "cert-regen: $S/tomcat/tomcat.pem: "* ]]
	[ ! -e "$S/.backup" ]
}

@test "cert-regen: a unit directory that is a symlink out of the store is refused" {
	mv "$S/CallManager" "$BATS_TEST_TMPDIR/out"
	ln -s "$BATS_TEST_TMPDIR/out" "$S/CallManager"
	sums=$(tree "$BATS_TEST_TMPDIR/out")
	xrun -2 --separate-stderr cert-regen -s "$S" -y CallManager
	[ -z "$output" ]
	[ "$stderr" = "cert-regen: $S/CallManager: symbolic link in the store: not followed" ]
	[ "$(tree "$BATS_TEST_TMPDIR/out")" = "$sums" ]
}

@test "cert-regen: --dry-run shows the plan and the unconfirmed choices, changes nothing" {
	before=$(tree "$S")
	xrun -0 --separate-stderr cert-regen -s "$S" -n -f --now $NOW CallManager ITLRecovery
	[ "$(tree "$S")" = "$before" ]
	[ ! -e "$S/.backup" ]
	[[ $output == *"would regenerate: CallManager serial="* ]]
	[[ $output == *"unconfirmed: CallManager: basicConstraints CA:FALSE (not confirmed by Cisco's documentation)"* ]]
	[[ $output == *"unconfirmed: ITLRecovery: extendedKeyUsage serverAuth,clientAuth (not confirmed by Cisco's documentation)"* ]]
	[[ $output == *"replace: CallManager/CallManager.key"* ]]
	[[ $output == *"remove: CallManager-trust/cucm1_old.pem"* ]]
	[[ $output == *"backup: none (dry run)"* ]]
	run -0 cert-regen -s "$S" -n -j ITLRecovery
	echo "$output" | jq -e '.dry_run == true and .backup == null and (.units[0].unconfirmed | length) == 4'
}

@test "cert-regen: --json: old and new serial, SHA-256, notAfter, files, backups, restarts" {
	rsa2048 TVS
	old=$(openssl x509 -in "$S/TVS/TVS.pem" -noout -serial)
	xrun -0 --separate-stderr cert-regen -s "$S" -y -j --now $NOW TVS
	[[ $output != *$'\n'* ]]	# one line
	old=${old#serial=}
	# the new serial and SHA-256 fingerprint from one openssl
	mapfile -t d < <(openssl x509 -in "$S/TVS/TVS.pem" -noout -serial -fingerprint -sha256)
	[[ ${d[0]} == serial=* && ${d[1]} == *=* ]]
	new=${d[0]#serial=}
	sha=${d[1]#*=} sha=${sha//:/}
	# every check in one jq, each its own line of the conjunction
	jq -e --arg old "$old" --arg new "$new" --arg sha "$sha" \
		'(.units[0].old.serial == $old) and
		 (.units[0].new.serial == $new and .units[0].new.sha256 == $sha and
		  .units[0].new.not_after == "2031-12-30T23:59:59Z" and .units[0].key == "RSA-2048" and
		  .units[0].digest == "sha256" and .units[0].days == 1825) and
		 (.backup | endswith("/.backup/20270101T000000Z-000-cert-regen")) and
		 ([.files[].path] == ["TVS/TVS.key", "TVS/TVS.pem"]) and
		 (.files[0].backup | endswith("/.backup/20270101T000000Z-000-cert-regen/TVS/TVS.key")) and
		 (.restarts[0].service == "Cisco Trust Verification Service") and
		 (.followups | index("the ITL is rebuilt: reset the phones so that they fetch it") != null)' <<<"$output"
}

@test "cert-regen: --restore puts the store back byte for byte" {
	before=$(tree "$S")
	run -0 cert-regen -s "$S" -y --now $NOW CallManager CAPF tomcat-ECDSA
	[ "$(tree "$S")" != "$before" ]
	b="$S/.backup/20270101T000000Z-000-cert-regen"
	xrun -2 --separate-stderr cert-regen -s "$S" --restore "$b" </dev/null
	[[ $stderr == *"no terminal to confirm on: nothing changed (use --yes)" ]]
	[ "$(tree "$S")" != "$before" ]
	xrun -0 --separate-stderr cert-regen -s "$S" -y --now 2027-01-02T00:00:00Z --restore "$b"
	[ "$(tree "$S")" = "$before" ]
	[[ $output == *"backup: $S/.backup/20270102T000000Z-000-cert-regen"* ]]
	# a second restore changes nothing
	run -0 cert-regen -s "$S" -y --restore "$b"
	[ "$(tree "$S")" = "$before" ]
	[ "$output" = "backup: none (nothing changed)" ]
	run -0 cert-regen -s "$S" -y -j --restore "$b"
	echo "$output" | jq -e '.files == [] and .backup == null'
	xrun -2 --separate-stderr cert-regen -s "$S" -y --restore "$S/nope"
	[ "$stderr" = "cert-regen: $S/nope: not a backup directory" ]
	# killed before its manifest: the store was never touched, nothing to undo
	mkdir "$S/.backup/20270105T000000Z-cert-regen"
	run -0 cert-regen -s "$S" -y -j --restore "$S/.backup/20270105T000000Z-cert-regen"
	echo "$output" | jq -e '.files == [] and .backup == null'
	# a directory that is not a backup
	mkdir "$S/.backup/empty"
	xrun -2 --separate-stderr cert-regen -s "$S" -y --restore "$S/.backup/empty"
	[[ $stderr == *"not a backup directory (no MANIFEST)" ]]
	printf 'bogus\tx\n' >"$S/.backup/empty/MANIFEST"
	xrun -2 --separate-stderr cert-regen -s "$S" -y --restore "$S/.backup/empty"
	[[ $stderr == *'unknown change "bogus"' ]]
}

# bats test_tags=full
@test "cert-regen: a failure at any file operation leaves the store as it was" {
	before=$(tree "$S")
	# every step, under make check too
	n=$(notrace fail_steps 40 cert-regen -s "$S" -y -q CallManager CAPF)
	[ "$n" -gt 10 ]
	[ "$(tree "$S")" != "$before" ]
}

# bats test_tags=full
@test "cert-regen: killed among the renames, --restore brings the store back" {
	before=$(tree "$S")
	# operations: 3 old files kept, 3 new files staged, the manifest, a sync, then the renames
	CTK_KILL_AFTER=10 run cert-regen -s "$S" -y -q --now $NOW CallManager
	[ "$status" -eq 137 ]
	[ "$(tree "$S")" != "$before" ]
	run -0 cert-regen -s "$S" -y -q --now 2027-01-02T00:00:00Z --restore "$S/.backup/20270101T000000Z-000-cert-regen"
	[ "$(tree "$S")" = "$before" ]
}

@test "cert-regen: CallManager and TVS together are refused before CUCM 12.0 without --force" {
	before=$(tree "$S")
	xrun -2 --separate-stderr cert-regen -s "$S" -y --cucm-version 11.5 CallManager TVS
	[ -z "$output" ]
	[[ $stderr == "cert-regen: CallManager and TVS: never both at once before CUCM 12.0 (--cucm-version 11.5)"*"--force"* ]]
	[ "$(tree "$S")" = "$before" ]
	xrun -2 --separate-stderr cert-regen -s "$S" -y --cucm-version 12.x CallManager TVS
	[[ $stderr == *'cert-regen: --cucm-version: not a CUCM release from 10.0 to 15 (10.0, 10.5, 11.0, 11.5, 12.0, 12.5, 14, 15; build and SU suffixes as in 12.5.1.11900-146 or 14SU3): "12.x"'* ]]
	run -0 cert-regen -s "$S" -y -f --cucm-version 11.5 CallManager TVS
	[[ $output == *"next: CallManager and TVS changed together"* ]]
	# from 12.0 ITLRecovery signs the ITL: both in one step are safe (the default is 14)
	cp -a "$BATS_FILE_TMPDIR/tpl/." "$S/"
	xrun -0 --separate-stderr cert-regen -s "$S" -y CallManager TVS
	[[ $output == *"regenerated: TVS"* ]]
	xrun -0 --separate-stderr cert-regen -s "$S" -y --cucm-version 12.0 CallManager TVS
	[[ $output == *"regenerated: TVS"* ]]
	xrun -2 --separate-stderr cert-regen -s "$S" -y tomcat TOMCAT
	[[ $stderr == "cert-regen: tomcat: unit named twice" ]]
}

@test "cert-regen: the restarts follow --cucm-version: Cisco HAProxy with Tomcat from 12.5" {
	xrun -0 --separate-stderr cert-regen -s "$S" -n --cucm-version 12.0 tomcat
	[[ $output == *"restart: Cisco Tomcat (every node)"* ]]
	[[ $output != *HAProxy* ]]
	xrun -0 --separate-stderr cert-regen -s "$S" -n tomcat
	[[ $output == *"restart: Cisco HAProxy (every node)"* ]]
	run -0 cert-regen -s "$S" -n -j --cucm-version 12.5 tomcat
	echo "$output" | jq -e '[.restarts[].service] == ["Cisco Tomcat","Cisco HAProxy"]'
}

@test "cert-regen: mixed mode (--mixed or a CTLFile.tlv in the store) asks for utils ctl update CTLFile" {
	run -0 cert-regen -s "$S" -n ipsec
	[[ $output != *"utils ctl update CTLFile"* ]]
	[[ $output == *"restart: Cisco DRF Local (every node)"* ]]
	[[ $output == *"restart: Cisco DRF Master (publisher)"* ]]
	run -0 cert-regen -s "$S" -n --mixed ipsec
	[[ $output == *"next: mixed mode: run utils ctl update CTLFile"* ]]
	touch "$S/CTLFile.tlv"
	run -0 cert-regen -s "$S" -n -j ipsec
	echo "$output" | jq -e '.mixed == true'
}

@test "cert-regen: overrides for the unconfirmed choices" {
	run -0 cert-regen -s "$S" -y --basic-constraints "critical,CA:TRUE" --key-usage "critical,digitalSignature" \
		--ext-key-usage none --trust-stores none CallManager
	c="$S/CallManager/CallManager.pem"
	openssl x509 -in "$c" -noout -ext basicConstraints | grep -q "critical"
	openssl x509 -in "$c" -noout -ext keyUsage | grep -q "critical"
	[ -z "$(openssl x509 -in "$c" -noout -ext extendedKeyUsage 2>/dev/null)" ]
	[ -e "$S/CallManager-trust/cucm1_old.pem" ]
	run -0 cert-regen -s "$S" -y --trust-stores TVS-trust ITLRecovery
	ls "$S/TVS-trust" | grep -q '^ITLRECOVERY_cucm1_[0-9a-f]\{32\}\.pem$'
	xrun -2 --separate-stderr cert-regen -s "$S" -y --key-usage bogus CallManager
	[[ $stderr == *"X509v3 Key Usage: bad value \"bogus\""* ]]
	xrun -2 --separate-stderr cert-regen -s "$S" -y --trust-stores CallManager CallManager
	[[ $stderr == *"--trust-stores names trust stores"* ]]
}

@test "cert-regen: --csr keeps the key pending, --import installs the CA-signed certificate and its chain" {
	xrun -0 --separate-stderr cert-regen -s "$S" --csr tomcat
	[[ ${lines[0]} == "-----BEGIN CERTIFICATE REQUEST-----" ]]
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/t.csr"
	[ "$(stat -c %a "$S/tomcat/tomcat.csr.key")" = 600 ]
	openssl req -in "$BATS_TEST_TMPDIR/t.csr" -noout -verify
	r=$(openssl req -in "$BATS_TEST_TMPDIR/t.csr" -noout -text)
	[[ $r == *"Subject: O = Example, CN = cucm1.example.com"* ]]
	[[ $r == *"DNS:cucm1.example.com, DNS:cucm2.example.com"* ]]
	[[ $r == *"TLS Web Server Authentication, TLS Web Client Authentication, IPSec End System"* ]]
	xrun -2 --separate-stderr cert-regen -s "$S" --csr tomcat
	[[ $stderr == "cert-regen: tomcat/tomcat.csr.key: a CSR is pending"* ]]
	run -0 cert-regen -s "$S" --csr -f -j tomcat
	echo "$output" | jq -e '(.csr | startswith("-----BEGIN CERTIFICATE REQUEST-----")) and .restarts == []'
	printf '%s' "$(echo "$output" | jq -r .csr)" >"$BATS_TEST_TMPDIR/t.csr"
	# a CA signs it
	ca="$BATS_TEST_TMPDIR/ca"
	mkdir "$ca"
	mkcert "$ca" root 3650 "/CN=Example Root CA" -addext basicConstraints=critical,CA:TRUE
	openssl x509 -req -in "$BATS_TEST_TMPDIR/t.csr" -CA "$ca/root.pem" -CAkey "$ca/root.key" \
		-CAcreateserial -days 365 -copy_extensions copy -out "$ca/tomcat.pem" 2>/dev/null
	cat "$ca/tomcat.pem" "$ca/root.pem" >"$ca/chain.pem"
	xrun -2 --separate-stderr cert-regen -s "$S" -y --import "$ca/root.pem" tomcat
	[[ $stderr == "cert-regen: $ca/root.pem: no certificate for the key in $S/tomcat/tomcat.csr.key" ]]
	key=$(cat "$S/tomcat/tomcat.csr.key")
	run -0 cert-regen -s "$S" -y --import - tomcat <"$ca/chain.pem"
	[[ $output == *"imported: tomcat serial="* ]]
	cmp <(openssl x509 -in "$S/tomcat/tomcat.pem") <(openssl x509 -in "$ca/tomcat.pem")
	[ "$(cat "$S/tomcat/tomcat.key")" = "$key" ]
	[ "$(stat -c %a "$S/tomcat/tomcat.key")" = 600 ]
	[ ! -e "$S/tomcat/tomcat.csr.key" ]
	ls "$S/tomcat-trust" | grep -q '^Example_Root_CA_[0-9a-f]*\.pem$'
	openssl verify -CAfile "$ca/root.pem" "$S/tomcat/tomcat.pem"
	# importing the same again (for the current key) changes nothing
	run -0 cert-regen -s "$S" -y -j --import "$ca/chain.pem" tomcat
	echo "$output" | jq -e '.files == [] and .backup == null'
}

@test "cert-regen: --csr -o writes the CSR file and refuses to replace it without --force" {
	xrun -0 --separate-stderr cert-regen -s "$S" --csr -o "$BATS_TEST_TMPDIR/c.csr" TVS
	[[ $output == "put: TVS/TVS.csr.key"* ]]
	[[ $output != *"BEGIN"* ]]
	openssl req -in "$BATS_TEST_TMPDIR/c.csr" -noout -verify
	xrun -2 --separate-stderr cert-regen -s "$S" --csr -o "$BATS_TEST_TMPDIR/c.csr" ITLRecovery
	[[ $stderr == *"c.csr: exists (use --force to replace it)" ]]
	[ ! -e "$S/ITLRecovery/ITLRecovery.csr.key" ]
	run -0 cert-regen -s "$S" --csr -f -o "$BATS_TEST_TMPDIR/c.csr" ITLRecovery
	openssl req -in "$BATS_TEST_TMPDIR/c.csr" -noout -subject | grep -q ITLRECOVERY_cucm1
	[ -e "$S/ITLRecovery/ITLRecovery.csr.key" ]
}

@test "cert-regen: a write error on stdout exits 2" {
	run -2 --separate-stderr sh -c "cert-regen -s '$S' -n CallManager >/dev/full"
	[[ $stderr == *"cert-regen: stdout: No space left on device"* ]]
}

@test "cert-regen: a read-only store: exit 2, store unchanged" {
	local ro run_as=()
	ro=$(mktemp -d /tmp/cert-regen-ro.XXXXXX)
	chmod 755 "$ro"
	cp -a "$S" "$ro/s"
	if [ "$(id -u)" = 0 ]; then	# root writes anywhere: run as nobody
		command -v setpriv >/dev/null || skip "root, and no setpriv to drop it"
		chown -R 65534:65534 "$ro"
		run_as=(setpriv --reuid 65534 --regid 65534 --clear-groups --)
	fi
	find "$ro/s" -type d -exec chmod 555 {} +
	before=$(tree "$ro/s")
	run -2 --separate-stderr "${run_as[@]}" "$TOP/bin/cert-regen" -s "$ro/s" -y CallManager
	[ -z "$output" ]
	[[ $stderr == "cert-regen: $ro/s/.lock: Permission denied" ]]
	[ "$(tree "$ro/s")" = "$before" ]
	chmod -R u+w "$ro"
	rm -rf "$ro"
}

# bats test_tags=full
@test "cert-regen: man page examples run" {
	cd "$S"
	run -0 cert-regen -n CallManager
	[[ $output == *"would regenerate: CallManager"* ]]
	run -0 sh -c 'cert-regen -y --now 2027-01-01T00:00:00Z CallManager | grep ^restart:'
	[[ ${lines[0]} == "restart: Cisco CallManager (every node running it)" ]]
	run -0 sh -c 'cert-regen -n -j CAPF | jq -r ".units[].unconfirmed[]"'
	[[ $output == *"cRLSign"* ]]
	run -0 cert-regen -y --restore .backup/20270101T000000Z-000-cert-regen
	[[ $output == *"replace: CallManager/CallManager.pem"* ]]
	run -0 sh -c 'cert-regen --csr tomcat >tomcat.csr'
	grep -q "BEGIN CERTIFICATE REQUEST" tomcat.csr
}

@test "cert-regen: the regenerated store builds an ITL that ctl-dump reads" {
	[ -x "$TOP/bin/itl-build" ] || skip "bin/itl-build is not built yet"
	[ -x "$TOP/bin/ctl-dump" ] || skip "bin/ctl-dump is not built yet"
	run -0 cert-regen -s "$S" -y --now $NOW --force CallManager TVS CAPF ITLRecovery
	xrun -0 --separate-stderr itl-build -s "$S" -o "$BATS_TEST_TMPDIR/ITLFile.tlv"
	xrun -0 --separate-stderr ctl-dump -j "$BATS_TEST_TMPDIR/ITLFile.tlv"
	for u in CallManager TVS CAPF ITLRecovery; do
		serial=$(openssl x509 -in "$S/$u/$u.pem" -noout -serial)
		serial=${serial#serial=}
		[ -n "$serial" ]
		[[ ${output,,} == *"${serial,,}"* ]]	# as grep -qi
	done
}
