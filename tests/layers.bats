#!/usr/bin/env bats
# layers.bats: tests/layers.sh fails on a circle between files of one folder (issue 27: the
# cluster view and the phone rule included each other), and passes a folder that only chains.
load helpers

@test "layers: two files of one folder including each other are reported and fail the check" {
	t=$BATS_TEST_TMPDIR/tree
	mkdir -p "$t/lib/cucm"
	# the old shape: the view's header names the rule's type, the rule's code asks the view
	printf '#include "cucm/phone.h"\n' >"$t/lib/cucm/clview.h"
	printf '#include "cucm/clview.h"\n' >"$t/lib/cucm/clview.c"
	printf '#include "cucm/clview.h"\n#include "cucm/phone.h"\n' >"$t/lib/cucm/phone.c"
	: >"$t/lib/cucm/phone.h"
	xrun -1 sh "$BATS_TEST_DIRNAME/layers.sh" "$t"
	[ "$output" = 'layers: lib/cucm/clview and lib/cucm/phone include each other (a circle in one folder)' ]
}

@test "layers: a circle through a third file of the folder fails too; a chain passes" {
	t=$BATS_TEST_TMPDIR/tree
	mkdir -p "$t/lib/tl"
	printf '#include "tl/b.h"\n' >"$t/lib/tl/a.c"
	printf '#include "tl/c.h"\n' >"$t/lib/tl/b.c"
	printf '#include "core/buf.h"\n' >"$t/lib/tl/c.c"
	xrun -0 sh "$BATS_TEST_DIRNAME/layers.sh" "$t"
	[ -z "$output" ]
	printf '#include "tl/a.h"\n' >>"$t/lib/tl/c.c"
	xrun -1 sh "$BATS_TEST_DIRNAME/layers.sh" "$t"
	[[ $output == *'lib/tl/a and lib/tl/b include each other (a circle in one folder, through other files of it)'* ]]
	[[ $output == *'lib/tl/a and lib/tl/c include each other'* ]]
}
