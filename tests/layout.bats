#!/usr/bin/env bats
# layout.bats: the lib/ folders depend only downwards, and DEVELOPERS.md maps every lib file.
load helpers

@test "layout: no lib folder includes a folder above it" {
	run -0 sh "$BATS_TEST_DIRNAME/layers.sh"
	[ -z "$output" ]
}

@test "layout: an include going up is reported and fails the check" {
	t=$BATS_TEST_TMPDIR/tree
	mkdir -p "$t/lib/core" "$t/lib/store"
	printf '#include "store/txn.h"\n' >"$t/lib/core/buf.c"
	printf '#include "core/buf.h"\n' >"$t/lib/store/txn.c"
	run -1 sh "$BATS_TEST_DIRNAME/layers.sh" "$t"
	[ "$output" = 'layers: lib/core/buf.c: #include "store/txn.h" goes up (core may use only lower folders)' ]
}

@test "layout: DEVELOPERS.md maps every lib file under its folder" {
	local f dir stem missing=
	for f in "$TOP"/lib/*/*.c "$TOP"/lib/*/*.h; do
		dir=$(basename "$(dirname "$f")")
		stem=$(basename "$f"); stem=${stem%.*}
		# the row must stand in the section of its own folder
		awk -v d="### $dir/" -v s="| $stem |" '
			index($0, "### ") == 1 { in_d = index($0, d) == 1 }
			in_d && index($0, s) == 1 { found = 1 }
			END { exit !found }' "$TOP/DEVELOPERS.md" || missing="$missing lib/$dir/$stem"
	done
	[ -z "$missing" ] || { echo "not in DEVELOPERS.md:$missing"; false; }
}
