#!/usr/bin/env bats
# layout.bats: the lib/ folders depend only downwards, and DEVELOPERS.md maps every lib file.
# bats file_tags=full
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
	local f missing
	# one awk over the map: each "folder stem" pair must stand in the section of its own folder
	missing=$(for f in "$TOP"/lib/*/*.c "$TOP"/lib/*/*.h; do f=${f#"$TOP/lib/"}; f=${f%.*}; echo "${f%%/*} ${f#*/}"; done |
		sort -u | awk '
			NR == FNR { if (index($0, "### ") == 1) { d = $2; sub("/.*", "", d) }
				else if (d != "" && index($0, "| ") == 1) { split($0, c, "|"); s = c[2]; gsub(/ /, "", s); row[d " " s] = 1 }
				next }
			!($0 in row) { printf " lib/%s/%s", $1, $2 }' "$TOP/DEVELOPERS.md" -)
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
