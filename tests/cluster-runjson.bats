#!/usr/bin/env bats
# cert-regen --cluster -y -j: the run as one JSON document (the plan's keys per step, and what was
# done); Cisco-signed firmware loads among a TFTP node's .sgn files are left alone, not rejected.
load helpers
load clusterkit

NOW=2027-01-01T00:00:00Z
TS=1798761600

setup() {
	cd "$BATS_TEST_TMPDIR"
}

# fixtures C: configuration files signed by cucm-sub1's CallManager (as CUCM's TFTP service signs
# them), a firmware load signed by a key of no cluster (standing in for Cisco's), named as
# loads are; a stranger.key/.pem left for a configuration file signed by an unknown key.
fixtures() {
	local n
	for n in 1 2; do
		printf '<device><n>%s</n></device>\n' $n >SEP00000000000$n.cnf.xml
		itl-build --sign-file --cluster "$1" --node cucm-sub1 --now @$TS SEP00000000000$n.cnf.xml
	done
	MKCERT_BITS=1024 mkcert . cisco 30 "/O=Cisco Systems/CN=Cisco Manufacturing CA SHA2"
	head -c 3000 /dev/urandom >sip88xx.12-8-1-0001-455.loads
	itl-build --sign-file -k cisco.key --signer cisco.pem --now @$TS \
		-o "$1/cucm-sub1/tftp/sip88xx.12-8-1-0001-455.loads.sgn" sip88xx.12-8-1-0001-455.loads
	MKCERT_BITS=1024 mkcert . stranger 30 /CN=stranger
}

# full tier (about 2 s of CPU): the next test keeps -y -j in make check
# bats test_tags=full
@test "cluster-runjson: -y -j: per step the plan's keys, regenerated, backups, sgn counts (re-signed, accepted, left rejected, firmware left alone), the outcome" {
	clusterkit_mk2 c
	itl-build --cluster c --all --now @$TS
	fixtures c
	cp c/cucm-sub1/tftp/sip88xx.12-8-1-0001-455.loads.sgn fw.before
	xrun -0 cert-regen --cluster c --plan --json
	local plan=$output
	xrun -0 --separate-stderr cert-regen --cluster c -y -j --now $NOW
	[ -z "$stderr" ] || { echo "$stderr"; false; }
	local js=$output
	jq -e . <<<"$js" >/dev/null
	[ "$(jq -c '[.tool, .result, .stopped_at, .left_rejected, .mixed, (.steps | length)]' <<<"$js")" = \
		"[\"cert-regen\",\"done\",null,0,false,$(jq '.steps | length' <<<"$plan")]" ]
	# the plan's keys, with the same values, in every step of the run
	[ "$(jq -c '[.steps[] | {step, node, units, restart, reset_phones, ctl, itl: (.itl | map_values({changed, accepted, path, via}))}]' <<<"$plan")" = \
		"$(jq -c '[.steps[] | {step, node, units, restart, reset_phones, ctl, itl: (.itl | map_values({changed, accepted, path, via}))}]' <<<"$js")" ]
	# the CallManager step of cucm-sub1 re-signs its 2 configuration files, leaves the firmware alone
	[ "$(jq -c '.steps[] | select(.node == "cucm-sub1" and .units == ["CallManager"]) | .sgn["cucm-sub1"]' <<<"$js")" = \
		'{"resigned":2,"accepted":0,"left_rejected":0,"firmware_left_alone":1}' ]
	# the steps before it: the files accepted, the firmware left alone (judged once, then from the memo)
	[ "$(jq -c '[.steps[] | .sgn["cucm-sub1"] // empty] | .[0:-1] | map([.accepted, .firmware_left_alone]) | unique' <<<"$js")" = '[[2,1]]' ]
	# every regenerated unit with its serial, and each node's backup that exists
	[ "$(jq '[.steps[].regenerated[] | select(.serial | test("^[0-9A-F]+$"))] | length' <<<"$js")" = \
		"$(jq '[.steps[].units[]] | length' <<<"$plan")" ]
	jq -r '.steps[].backups[]' <<<"$js" | while read -r b; do [ -d "$b" ]; done
	[ "$(jq -r '[.steps[] | .itl[] | .history // empty] | first' <<<"$js")" != null ]
	[ "$(jq -c '.final | keys' <<<"$js")" = '["cucm-pub","cucm-sub1"]' ]
	cmp fw.before c/cucm-sub1/tftp/sip88xx.12-8-1-0001-455.loads.sgn
	ctl-dump -q --trust c/cucm-sub1/tftp/ITLFile.tlv c/cucm-sub1/tftp/SEP*.cnf.xml.sgn
}

@test "cluster-runjson: a firmware load Cisco signed is left alone (exit 0); a configuration file an unknown key signed is still left rejected (exit 1), in text and JSON" {
	clusterkit_mk2 c
	itl-build --cluster c --all --now @$TS
	fixtures c
	xrun -0 --separate-stderr cert-regen --cluster c -y --now $NOW cucm-sub1:CallManager
	[[ $output == *$'\n  sgn cucm-sub1: 2 re-signed, 0 already accepted, 0 left rejected, 1 firmware left alone (signed by Cisco)\n'* ]] || { echo "$output"; false; }
	[ -z "$stderr" ]
	mkdir old && mv c/cucm-sub1/tftp/history old/sub1 && mv c/.journal old/journal1	# a new run: a new history and journal
	# the same signer on a configuration file: not Cisco's firmware, so rejected and said
	itl-build --sign-file -k cisco.key --signer cisco.pem --now @$TS -o c/cucm-sub1/tftp/SEPBAD.cnf.xml.sgn SEP000000000001.cnf.xml
	itl-build --sign-file -k stranger.key --signer stranger.pem --now @$TS -o c/cucm-sub1/tftp/x.loads.cnf.xml.sgn SEP000000000001.cnf.xml
	xrun -1 --separate-stderr cert-regen --cluster c -y -j --now $NOW cucm-sub1:CallManager
	[ "$(jq -c '[.result, .left_rejected, .stopped_at, .steps[0].sgn["cucm-sub1"]]' <<<"$output")" = \
		'["signed files left rejected",2,null,{"resigned":2,"accepted":0,"left_rejected":2,"firmware_left_alone":1}]' ]
	[[ $stderr == *"c/cucm-sub1/tftp/SEPBAD.cnf.xml.sgn: a phone holding cucm-sub1's new ITL rejects it and no certificate of the cluster signed it: left as it is"* ]]
	[[ $stderr == *"c: 2 signed files left that phones reject (signer unknown to the cluster)" ]]
	# a firmware name signed by a certificate of the cluster is no firmware of Cisco's: judged, re-signed
	itl-build --sign-file -k c/cucm-sub1/CallManager/CallManager.key --signer c/cucm-sub1/CallManager/CallManager.pem \
		--now @$TS -o c/cucm-sub1/tftp/own.loads.sgn SEP000000000001.cnf.xml
	rm c/cucm-sub1/tftp/SEPBAD.cnf.xml.sgn c/cucm-sub1/tftp/x.loads.cnf.xml.sgn
	mv c/cucm-sub1/tftp/history old/sub12 && mv c/.journal old/journal2
	xrun -0 cert-regen --cluster c -y -j --now $NOW cucm-sub1:CallManager
	[ "$(jq -c '.steps[0].sgn["cucm-sub1"]' <<<"$output")" = '{"resigned":3,"accepted":0,"left_rejected":0,"firmware_left_alone":1}' ]
}

# bats test_tags=full
@test "cluster-runjson: a failure injected anywhere in a run: the JSON document still closes, result trouble, exit 2" {
	local k
	clusterkit_mk2 c
	itl-build --cluster c --all --mixed --now @$TS
	mv c tpl
	for ((k = 1; k < 200; k += 7)); do
		rm -rf c
		cp -a tpl c
		CTK_FAIL_AFTER=$k run --separate-stderr cert-regen --cluster c -y -j --now $NOW cucm-pub:ITLRecovery
		jq -e . <<<"$output" >/dev/null || { echo "fail at $k: not one JSON document: $output"; false; }
		[ "$status" -ne 0 ] || break
		[ "$status" -eq 2 ] || { echo "fail at $k: exit $status"; false; }
		[ "$(jq -r .result <<<"$output")" = trouble ]
	done
	[ "$status" -eq 0 ] && [ $k -gt 5 ]
	[ "$(jq -r .result <<<"$output")" = done ]
}
