#!/bin/sh
# layers.sh: lib/ folders depend only downwards. A file in lib/<folder>/ may include
# headers of its own folder and of folders of a lower rank; src/ may include any.
# Argument: the tree to check (default: this checkout). Prints each include that goes the wrong way and exits 1 when there is one.
cd "${1:-$(dirname "$0")/..}" || exit 2
rank() {
	case $1 in
	core) echo 0 ;; x509) echo 1 ;; tl) echo 2 ;; load) echo 3 ;;
	store) echo 4 ;; cucm) echo 5 ;; prune|regen|report) echo 6 ;;
	*) echo 99 ;;
	esac
}
bad=0
for dir in lib/*/; do
	d=$(basename "$dir")
	r=$(rank "$d")
	if [ "$r" = 99 ]; then
		echo "layers: lib/$d: folder has no rank (add it to tests/layers.sh and DEVELOPERS.md)"
		bad=1
		continue
	fi
	for f in "$dir"*.c "$dir"*.h; do
		[ -f "$f" ] || continue
		for inc in $(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$f"); do
			case $inc in
			*/*) ;;
			*)	echo "layers: $f: #include \"$inc\" names no folder"; bad=1; continue ;;
			esac
			t=${inc%%/*}
			tr=$(rank "$t")
			# a folder of the same rank other than its own is a sibling: not allowed either
			if [ "$tr" -gt "$r" ] || { [ "$tr" = "$r" ] && [ "$t" != "$d" ]; }; then
				echo "layers: $f: #include \"$inc\" goes up ($d may use only lower folders)"
				bad=1
			fi
		done
	done
done
exit $bad
