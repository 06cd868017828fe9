#!/usr/bin/env bats
# Mixed mode: the CTL a phone holds counts in the ITL and .sgn verdicts too (CUCM.md "The CTL":
# a phone checks the ITL's signer against its CTL), in ctl-dump --cluster, itl-build -t
# --cluster, the plan and the run alike.
load helpers
load clusterkit

NOW=2027-01-01T00:00:00Z
TS=1798761600

setup() {
	cd "$BATS_TEST_TMPDIR"
}

# drift C: cucm-sub1's CallManager and TVS replaced behind what C serves (at 11.5 the new ITL
# then has neither a signer the served ITL holds nor a TVS a phone of cucm-sub1's group can
# authenticate); the new CallManager copied into every CallManager-trust, as CUCM replicates it.
drift() {
	local u
	for u in CallManager TVS; do
		MKCERT_BITS=1024 mkcert "$1/cucm-sub1/$u" $u 400 "/O=Example/CN=cucm-sub1" \
			-addext basicConstraints=CA:FALSE
	done
	cp "$1/cucm-sub1/CallManager/CallManager.pem" "$1/cucm-pub/CallManager-trust/cucm-sub1.pem"
	cp "$1/cucm-sub1/CallManager/CallManager.pem" "$1/cucm-sub1/CallManager-trust/cucm-sub1.pem"
}

# in_ctl CTL ITL: the CTL rule written out here from the format: a CCM+TFTP, TFTP or SAST record
# of CTL carries ITL's signer (serial and issuer) and the certificate of ITL's signer record.
in_ctl() {
	ctl-dump -j "$1" "$2" | jq -se '.[1] as $n
	| ($n.header.signer) as $g
	| ([$n.records[] | select(.role == "SAST" and .serial == $g.serial)][0].certificate.sha256) as $fp
	| any(.[0].records[]; (.role == "CCM+TFTP" or .role == "TFTP" or .role == "SAST") and
	    .serial == $g.serial and .certificate.sha256 == $fp)' >/dev/null
}

# full tier (about 1.5 s of CPU): the next test keeps the held CTL in make check
# bats test_tags=full
@test "cluster-held: at 11.5 the CTL a phone holds turns a stranded ITL into one accepted directly: ctl-dump, itl-build -t, the plan and the run agree" {
	# not mixed: no safe plan; the same ITL handed over is rejected by ctl-dump and itl-build -t
	clusterkit_mk2 n
	itl-build --cluster n --all --cucm-version 11.5 --now @$TS
	drift n
	xrun -1 --separate-stderr cert-regen --cluster n --cucm-version 11.5 --plan cucm-sub1:ipsec
	[[ ${lines[1]} == "no safe plan: cucm-sub1:ipsec: a phone holding cucm-sub1's ITL would reject the new one: "*"stranded groups: cucm-sub1" ]] || { echo "$output"; false; }
	itl-build --cluster n --node cucm-sub1 --cucm-version 11.5 --now @$TS -o n-new.tlv
	xrun -1 --separate-stderr ctl-dump --cluster n --cucm-version 11.5 -b --trust n/cucm-sub1/tftp/ITLFile.tlv n-new.tlv
	[[ ${lines[-1]} == "REJECTED n-new.tlv: "* ]]
	xrun -1 --separate-stderr itl-build --cluster n --node cucm-sub1 --cucm-version 11.5 --now @$TS -t n/cucm-sub1/tftp/ITLFile.tlv -o n-new2.tlv
	[ ! -e n-new2.tlv ]

	# mixed: the same drift; the new CTL (signed by the publisher's CallManager) is taken first
	# and lists cucm-sub1's new CallManager as CCM+TFTP: the new ITL is accepted directly
	clusterkit_mk2 c
	itl-build --cluster c --all --mixed --cucm-version 11.5 --now @$TS
	drift c
	xrun -0 --separate-stderr cert-regen --cluster c --cucm-version 11.5 --plan cucm-sub1:ipsec
	[[ $output == *$'\n  itl cucm-sub1: changes; accepted directly (its signer is in the CTL phones hold)\n'* ]] || { echo "$output"; false; }
	xrun -0 cert-regen --cluster c --cucm-version 11.5 --plan --json cucm-sub1:ipsec
	[ "$(jq -c '.steps[0].itl["cucm-sub1"] | [.accepted, .path]' <<<"$output")" = '[true,"direct"]' ]
	xrun -0 --separate-stderr cert-regen --cluster c --cucm-version 11.5 -y --now $NOW cucm-sub1:ipsec
	[[ $output == *$'\n  itl cucm-sub1: replaced, accepted directly (its signer is in the CTL phones hold); previous kept as tftp/history/000-ITLFile.tlv\n'* ]] || { echo "$output"; false; }
	local old=c/cucm-sub1/tftp/history/000-ITLFile.tlv new=c/cucm-sub1/tftp/ITLFile.tlv
	xrun -0 ctl-dump --cluster c --cucm-version 11.5 -b --trust $old $new
	[[ ${lines[-1]} == "ACCEPTED $new: directly: signed by a CCM+TFTP record of the CTL the phone holds (record #"*")" ]]
	xrun -0 --separate-stderr itl-build --cluster c --node cucm-sub1 --cucm-version 11.5 --now @$TS -t $old -o again.tlv -j
	[ "$(jq -c '.trust | [.accepted, .path]' <<<"$output")" = '[true,"direct"]' ]
	# the rule written out here says the same: the served CTL holds the new ITL's signer, the old ITL does not
	in_ctl c/cucm-sub1/tftp/CTLFile.tlv $new
	! in_ctl $old $new
	# without the CTL (served no more) the same pair is rejected: the held CTL made the difference
	mv c/cucm-pub/tftp/CTLFile.tlv c/cucm-pub/tftp/history/
	mv c/cucm-sub1/tftp/CTLFile.tlv c/cucm-sub1/tftp/history/
	xrun -1 ctl-dump --cluster c --cucm-version 11.5 -b --trust $old $new
	[[ ${lines[-1]} == "REJECTED $new: "*"stranded groups: cucm-sub1" ]]
}

@test "cluster-held: a signed file another node's CallManager signed: accepted directly through the CTL held, through TVS without it" {
	clusterkit_mk2 c
	itl-build --cluster c --all --mixed --cucm-version 11.5 --now @$TS
	printf '<device/>\n' >SEP001122334455.cnf.xml
	itl-build --sign-file -k c/cucm-pub/CallManager/CallManager.key \
		--signer c/cucm-pub/CallManager/CallManager.pem --now @$TS SEP001122334455.cnf.xml
	xrun -0 ctl-dump --cluster c --cucm-version 11.5 --trust c/cucm-sub1/tftp/ITLFile.tlv SEP001122334455.cnf.xml.sgn
	[[ $output == *"(signer: CCM+TFTP record #3 of the CTL; direct)."* ]] || { echo "$output"; false; }
	xrun -0 ctl-dump --cluster c --cucm-version 11.5 -j --trust c/cucm-sub1/tftp/ITLFile.tlv SEP001122334455.cnf.xml.sgn
	[ "$(jq -c '.signature | [.verified, .path, .signer]' <<<"$output")" = '[true,"direct","CCM+TFTP record #3 of the CTL"]' ]
	# the phone's ITL alone (cucm-sub1's) does not hold cucm-pub's CallManager: TVS vouches
	rm c/*/tftp/CTLFile.tlv
	xrun -0 ctl-dump --cluster c --cucm-version 11.5 -j --trust c/cucm-sub1/tftp/ITLFile.tlv SEP001122334455.cnf.xml.sgn
	[ "$(jq -c '.signature | [.verified, .path]' <<<"$output")" = '[true,"tvs"]' ]
}
