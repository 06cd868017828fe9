#!/bin/sh
# funclen.sh: no function over 80 lines outside tables (the house rule). A function's
# lines are those between its opening brace at column 0 and its closing brace at column 0; its
# name is the identifier that last opened a line with "(" before the brace (ctlkit's style
# puts the type on a line of its own). Arguments: the directories whose *.c files are checked,
# searched recursively, relative to this checkout or absolute (default: lib).
# Prints each function over the limit and exits 1 when there is one; FUNCLEN_MAX moves the limit.
cd "$(dirname "$0")/.." || exit 2
[ $# -gt 0 ] || set -- lib
# Tables and data that are allowed to be long, as path:name (none today).
allow=''
files=$(find "$@" -name '*.c' -type f | LC_ALL=C sort) || exit 2
[ -n "$files" ] || { echo "funclen: no C files in $*" >&2; exit 2; }
# shellcheck disable=SC2086
awk -v max="${FUNCLEN_MAX:-80}" -v allow=" $allow " '
	FNR == 1 { start = 0; name = "?" }
	/^[A-Za-z_][A-Za-z0-9_]*\(/ && !start { name = $0; sub(/\(.*/, "", name) }
	/^\{/ && !start { start = FNR }
	/^\}/ && start {
		n = FNR - start - 1
		if (n > max && index(allow, " " FILENAME ":" name " ") == 0) {
			printf "funclen: %s:%d: %s() is %d lines (limit %d)\n", FILENAME, start, name, n, max
			bad = 1
		}
		start = 0
	}
	END { exit bad }' $files
