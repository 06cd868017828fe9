#!/bin/sh
# layers.sh: lib/ folders depend only downwards. A file in lib/<folder>/ may include
# headers of its own folder and of folders of a lower rank; src/ may include any. Two files of
# one folder may not include each other (a circle, directly or through other files of it).
# Argument: the tree to check (default: this checkout). Prints each include that goes the wrong way and exits 1 when there is one.
# One awk over every file: a process per file and per include made this take seconds.
cd "${1:-$(dirname "$0")/..}" || exit 2
ranks='core=0 cap=1 x509=1 tl=2 load=3 store=4 cucm=5 prune=6 regen=6 report=6 dump=6 build=6'
bad=0
for dir in lib/*/; do
	[ -d "$dir" ] || continue
	d=$(basename "$dir")
	case " $ranks " in
	*" $d="*) ;;
	*)	echo "layers: lib/$d: folder has no rank (add it to tests/layers.sh and DEVELOPERS.md)"
		bad=1 ;;
	esac
done
set -- lib/*/*.c lib/*/*.h
files=
for f; do [ -f "$f" ] && files="$files $f"; done
[ -n "$files" ] || exit $bad
# shellcheck disable=SC2086
awk -v ranks="$ranks" -v bad=$bad '
	BEGIN { n = split(ranks, r, " "); for (i = 1; i <= n; i++) { split(r[i], kv, "="); rank[kv[1]] = kv[2] } }
	FNR == 1 { split(FILENAME, p, "/"); d = p[2] }
	!(d in rank) { nextfile }
	/^#include "[^"]*"/ {
		inc = $0; sub(/^#include "/, "", inc); sub(/".*/, "", inc)
		if (index(inc, "/") == 0) {
			printf "layers: %s: #include \"%s\" names no folder\n", FILENAME, inc; bad = 1; next
		}
		t = inc; sub(/\/.*/, "", t)
		if (t == d) {	# within the folder: an edge between two files, for the circle check
			from = p[3]; sub(/\.[ch]$/, "", from); to = inc; sub(/^[^\/]*\//, "", to); sub(/\.h$/, "", to)
			if (from != to && !((d "/" from, d "/" to) in edge)) {
				edge[d "/" from, d "/" to] = 1; adj[d "/" from] = adj[d "/" from] " " d "/" to
			}
		}
		tr = (t in rank) ? rank[t] : 99
		# a folder of the same rank other than its own is a sibling: not allowed either
		if (tr + 0 > rank[d] + 0 || (tr == rank[d] && t != d)) {
			printf "layers: %s: #include \"%s\" goes up (%s may use only lower folders)\n", FILENAME, inc, d
			bad = 1
		}
	}
	# two files of one folder may not include each other, directly or through others of it
	END {
		for (a in adj) {	# what a reaches, depth first
			split(adj[a], st, " "); top = 0
			for (i in st) stack[++top] = st[i]
			while (top > 0) {
				b = stack[top--]
				if ((a, b) in reach) continue
				reach[a, b] = 1
				if (b in adj) { split(adj[b], nx, " "); for (i in nx) stack[++top] = nx[i] }
			}
		}
		for (k in reach) {
			split(k, ab, SUBSEP)
			if (ab[1] < ab[2] && (ab[2], ab[1]) in reach) {
				how = ((ab[1], ab[2]) in edge && (ab[2], ab[1]) in edge) ? "" : ", through other files of it"
				printf "layers: lib/%s and lib/%s include each other (a circle in one folder%s)\n", ab[1], ab[2], how
				bad = 1
			}
		}
		exit bad
	}' $files
