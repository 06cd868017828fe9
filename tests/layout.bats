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

@test "layout: no function over 80 lines in lib/ or src/ (tests/funclen.sh)" {
	run -0 sh "$BATS_TEST_DIRNAME/funclen.sh" "$TOP/lib" "$TOP/src"
	[ -z "$output" ]
}

@test "layout: a function over 80 lines is reported and fails the check; 80 and data pass" {
	local t=$BATS_TEST_TMPDIR/src i
	mkdir -p "$t/sub"
	{
		printf 'static int\nshort_one(int a,\n    int b)\n{\n'
		for i in $(seq 79); do printf '\ta += b;\n'; done
		printf '\treturn a;\n}\n\n'
		printf 'static const int table[] = {\n'
		for i in $(seq 100); do printf '\t%d,\n' "$i"; done
		printf '};\n\nint\nlong_one(void)\n{\n\tint a = 0;\n\n'
		for i in $(seq 78); do printf '\ta++;\n'; done
		printf '\treturn a;\n}\n'
	} >"$t/sub/f.c"
	run -1 sh "$BATS_TEST_DIRNAME/funclen.sh" "$t"
	[ "$output" = "funclen: $t/sub/f.c:192: long_one() is 81 lines (limit 80)" ]
	FUNCLEN_MAX=81 run -0 sh "$BATS_TEST_DIRNAME/funclen.sh" "$t"
	[ -z "$output" ]
}
