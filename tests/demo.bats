#!/usr/bin/env bats
# make demo (samples/demo.sh): the story runs to its end on this machine, its second half the cluster's.
# bats file_tags=full
load helpers

@test "demo: both halves run; the cluster's plan, runbook, run and replay agree step for step" {
	run -0 --separate-stderr sh "$TOP/samples/demo.sh"
	[ -z "$stderr" ]
	local -a heads
	mapfile -t heads < <(grep '^==== ' <<<"$output" | cut -c6-31)
	[ "${heads[0]}" = "ctl-dump samples/ITLFile-d" ]
	[ "${heads[-5]}" = "itl-build --cluster --all:" ]
	[ "${heads[-4]}" = "cert-regen --cluster --pla" ]
	[ "${heads[-3]}" = "cert-regen --cluster --run" ]
	[ "${heads[-2]}" = "cert-regen --cluster -y: t" ]
	[ "${heads[-1]}" = "ctl-dump --cluster -t: the" ]
	# the plan's steps are the runbook's and the run's, and the replay accepts every handover
	local plan rb run
	plan=$(sed -n '/^==== cert-regen --cluster --plan/,/^==== /p' <<<"$output" | grep '^step ')
	rb=$(sed -n '/^==== cert-regen --cluster --runbook/,/^==== /p' <<<"$output" | grep '^step ')
	run=$(sed -n '/^==== cert-regen --cluster -y/,/^==== /p' <<<"$output" | grep '^step ')
	[ "$(wc -l <<<"$plan")" = 6 ] && [ "$plan" = "$rb" ] && [ "$plan" = "$run" ]
	local replay
	replay=$(sed -n '/^==== ctl-dump --cluster -t/,$p' <<<"$output" | sed 1d)
	[ "$(grep -c '^ACCEPTED ' <<<"$replay")" = 8 ]
	[ "$(grep -c 'through TVS via' <<<"$replay")" = 2 ]
	[ "$(wc -l <<<"$replay")" = 8 ]
}
