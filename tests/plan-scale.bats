#!/usr/bin/env bats
# plan-scale.bats: cert-regen --cluster --plan on generated clusters (tests/bin/mkcluster): the
# plans the planner made before it tried steps in place (goldens, byte for byte) and a 256-node
# cluster with CallManager-trust replicated in full under a CPU limit (issues 26 and 28).
load helpers

MKCLUSTER=$TOP/tests/bin/mkcluster
TS=1798761600

setup() {
	[ -x "$MKCLUSTER" ] || skip "tests/bin/mkcluster is not built (make check builds it)"
	cd "$BATS_TEST_TMPDIR"
}

# 12 nodes, each a TFTP node, in three CallManager groups, mixed mode: every step changes many
# lists (each TVS regeneration every ITL, each CallManager the CTL), some through TVS. The
# goldens were written by the planner that copied the cluster's view for every step tried.
@test "plan-scale: 12 TFTP nodes in groups, mixed: text and JSON as the copying planner wrote them" {
	"$MKCLUSTER" c 12 tftp=all groups=3
	itl-build --cluster c --all --mixed -f --now @$TS
	xrun -0 --separate-stderr cert-regen --cluster c --plan
	check_golden plan-scale.12-mixed.txt
	xrun -0 --separate-stderr cert-regen --cluster c --plan --json --cucm-version 11.5
	check_golden plan-scale.12-mixed-115.json
	# a served ITL that is no longer what the stores yield: node002's TVS regenerated since
	cert-regen -s c/node002 -y -q --now 2027-01-01T00:00:00Z --key-type ec TVS
	xrun -0 --separate-stderr cert-regen --cluster c --plan --cucm-version 11.5
	check_golden plan-scale.12-stale-115.txt
}

# The planner copied the whole view (65,000 trust certificates at 256 nodes) for each of 769
# steps: 19 s of CPU and 337 MB. A CPU limit, not a clock: 5 s is 20x what it takes now.
# bats test_tags=full
@test "plan-scale: 256 nodes, every CallManager in every node's trust: planned under ulimit -t 5" {
	[ -z "${CTK_VALGRIND:-}" ] || skip "under valgrind the CPU limit means nothing"
	"$MKCLUSTER" c 256 trust=bundle
	itl-build --cluster c --all --now @$TS 2>/dev/null
	xrun -0 --separate-stderr sh -c 'ulimit -t 5; exec cert-regen --cluster c --plan'
	[ "${lines[-1]}" = "safe: 769 steps" ]
	[ "${lines[-2]}" = "  reset phones of TFTP node node002, and let them fetch the new ITL before the next step" ]
	xrun -0 --separate-stderr sh -c 'ulimit -t 5; exec cert-regen --cluster c --plan --json'
	[ "$(jq '.steps | length' <<<"$output")" = 769 ]
	[ "$(jq '[.steps[] | select(.itl.node001.changed)] | length' <<<"$output")" = 258 ]
}
