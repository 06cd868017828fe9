#!/usr/bin/env bats
# hostile-cert-regen.bats: cert-regen against damaged stores, hostile names, times X.509 cannot encode, and its secrets (tests/hostile.bash).
# bats file_tags=full
load hostile

@test "hostile: cert-regen: damaged own certificate, key or --import file: exit 2, store unchanged" {
	need_tool cert-regen
	need_storekit
	local f before
	# one batch: per file, the copy, the tree before, the run, the tree after
	for f in "$B"/*; do
		bq cp "$f" "$S/CallManager/CallManager.pem"
		bq "$ST" tree "$S"
		bq cert-regen -y -s "$S" --now $NOW CallManager
		bq "$ST" tree "$S"
	done
	bq cp "$H/tpl/CallManager/CallManager.pem" "$S/CallManager/"
	for f in "$B"/*; do
		bq cp "$f" "$S/CallManager/CallManager.key"
		bq "$ST" tree "$S"
		bq cert-regen -y -s "$S" --now $NOW CallManager
		bq "$ST" tree "$S"
	done
	bq cp "$H/tpl/CallManager/CallManager.key" "$S/CallManager/"
	bq "$ST" tree "$S"
	for f in "$B"/*; do
		bq cert-regen -y -s "$S" --now $NOW --import "$f" CallManager
		bq "$ST" tree "$S"
	done
	brun
	# the checks without Bats' DEBUG trap (a few hundred commands)
	checks() {
		for f in "$B"/*; do
			res -0
			res -0
			before=$output
			res -2
			[[ $stderr == *"cert-regen: "*"CallManager"* ]]
			no_secret
			res -0
			[ "$output" = "$before" ]
		done
		res -0
		for f in "$B"/*; do
			res -0
			res -0
			before=$output
			res -2
			no_secret
			res -0
			[ "$output" = "$before" ]
		done
		res -0
		res -0
		before=$output
		for f in "$B"/*; do
			res -2
			[[ $stderr == "cert-regen: $f"* ]]
			res -0
			[ "$output" = "$before" ]
		done
	}
	notrace checks
}

@test "hostile: cert-regen: control bytes in a certificate name reach neither the terminal nor a file name" {
	need_tool cert-regen
	local t
	cp "$H/evil.pem" "$S/CallManager/CallManager.pem"
	cp "$H/evil.key" "$S/CallManager/CallManager.key"
	for t in -n -j ""; do
		xrun -0 --separate-stderr cert-regen -y $t -s "$S" --now $NOW CallManager
		both_clean
		[ "$t" != -j ] || jq -e . <<<"$output" >/dev/null
	done
	for t in "$S"/*/*; do
		printf '%s' "${t##*/}" | clean_text
	done
}

@test "secrets: keys stay 0600 under umask 000, backups are private, no key is ever printed" {
	need_tool cert-regen
	local k m
	xrun -0 --separate-stderr bash -c "umask 000; exec \"\$@\"" _ "$TOP/bin/cert-regen" \
		-y -s "$S" --now $NOW CallManager
	no_secret
	[ "$(stat -c %a "$S/CallManager/CallManager.key")" = 600 ]
	[ "$(stat -c %a "$S/.backup")" = 700 ]
	for k in "$S"/.backup/*; do
		[ "$(stat -c %a "$k")" = 700 ]
	done
	while IFS= read -r -d '' k; do
		m=$(stat -c %a "$k")
		[ "$m" = 600 ] || { echo "$k has mode $m" >&2; false; }
	done < <(find "$S" -type f -exec grep -lZ 'PRIVATE KEY' {} +)
	cmp "$H/tpl/CallManager/CallManager.key" "$S"/.backup/*/CallManager/CallManager.key
	xrun --separate-stderr cert-regen -j -y -s "$S" --now $NOW CallManager
	no_secret
	if [ -x "$TOP/bin/trust-prune" ]; then
		xrun --separate-stderr trust-prune -v -j -s "$S" --now $LATER
		no_secret
	fi
	if [ -x "$TOP/bin/cert-expiry" ]; then
		xrun --separate-stderr cert-expiry -a -s "$S" --now $NOW
		no_secret
	fi
}

@test "hostile: --now and SOURCE_DATE_EPOCH must be real calendar times X.509 can encode; exit 2 otherwise" {
	need_storekit
	need_tool cert-regen cert-expiry trust-prune itl-build
	local t ts=(2026-02-30T00:00:00Z 2026-02-29T12:00:00Z 2026-04-31T00:00:00Z 2026-01-01T00:00:60Z
	    @-9223372036854775808 @9223372036854775807 @253402300800 @-62167219201 10000-01-01T00:00:00Z)
	for t in "${ts[@]}"; do
		bq cert-expiry --now "$t" "$H/ok.pem"
		bq trust-prune -s "$S" --now "$t"
		bq cert-regen -y -s "$S" --now "$t" CallManager
	done
	brun
	# the checks without Bats' DEBUG trap (a few hundred commands)
	checks() {
		for t in "${ts[@]}"; do
			res -2
			[ "${stderr_lines[0]}" = "cert-expiry: --now: not a time (YYYY-MM-DDTHH:MM:SSZ or @UNIX): \"$t\"" ]
			[ -z "$output" ]
			res -2
			[[ $stderr == "trust-prune: --now: not a time "*"\"$t\""* ]]
			res -2
			[[ $stderr == "cert-regen: --now: not a time "*"\"$t\""* ]]
		done
		for t in -9223372036854775808 253402300800 -62167219201; do
			SOURCE_DATE_EPOCH=$t xrun -2 --separate-stderr cert-expiry "$H/ok.pem"
			[ "$stderr" = "cert-expiry: bad SOURCE_DATE_EPOCH '$t': want Unix seconds from -62167219200 to 253402300799 (years 0000 to 9999)" ]
			SOURCE_DATE_EPOCH=$t xrun -2 --separate-stderr cert-regen -y -s "$S" CallManager
			[[ $stderr == "cert-regen: bad SOURCE_DATE_EPOCH '$t'"* ]]
			SOURCE_DATE_EPOCH=$t xrun -2 --separate-stderr itl-build -n -k "$H/ok.key" --sast "$H/ok.pem"
			[[ $stderr == "itl-build: bad SOURCE_DATE_EPOCH '$t'"* ]]
		done
		xrun -1 cert-expiry -a --now 2024-02-29T23:59:59Z "$H/ok.pem"	# a leap day is real
		[[ $output == *"not-yet-valid" ]]
		xrun -1 cert-expiry -a --now @-62167219200 "$H/ok.pem"
		[[ $output == *"not-yet-valid" ]]
		# cert-regen: the certificate it would make must end by 9999-12-31T23:59:59Z
		before=$(tree "$S")
		xrun -2 --separate-stderr cert-regen -y -s "$S" --now 9999-12-31T23:59:59Z CallManager
		[ "$stderr" = "cert-regen: CallManager: valid 1825 days from 9999-12-31T23:59:59Z would end after 9999-12-31T23:59:59Z, the last time X.509 can encode" ]
		SOURCE_DATE_EPOCH=253402300799 xrun -2 --separate-stderr cert-regen -y -s "$S" --days 1 CallManager
		[[ $stderr == *"valid 1 days from 9999-12-31T23:59:59Z would end after"* ]]
		[ "$(tree "$S")" = "$before" ]
		xrun -0 --separate-stderr cert-regen -y -s "$S" --now 9995-01-02T00:00:00Z CallManager
		[ "$(openssl x509 -in "$S/CallManager/CallManager.pem" -noout -enddate)" = "notAfter=Dec 31 23:59:59 9999 GMT" ]
		xrun -1 cert-expiry -a --now 9999-12-31T00:00:00Z "$S/CallManager/CallManager.pem"
		[[ $output == *"9999-12-31T23:59:59Z"*critical* ]]
	}
	notrace checks
}
