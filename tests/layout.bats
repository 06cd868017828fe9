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
