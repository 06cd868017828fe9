#!/bin/sh
# deps.sh [--quiet | --check] PKG...: install the Debian packages that are missing.
# As root it runs apt-get; otherwise it prints the exact command and fails.
# --check never installs (make, make install, make deb): it prints the command and fails.
quiet=0 check=0
[ "$1" = --quiet ] && { quiet=1; shift; }
[ "$1" = --check ] && { quiet=1; check=1; shift; }
# one dpkg-query for all (one per package cost a second on every make check); a package
# it does not know is absent from its output, hence missing
installed=$(dpkg-query -W -f='${Package} ${Status}\n' "$@" 2>/dev/null |
	sed -n 's/^\([^ ]*\) install ok installed$/\1/p' | tr '\n' ' ')
missing=
for p in "$@"; do
	case " $installed " in
	*" $p "*) ;;
	*) missing="$missing $p" ;;
	esac
done
if [ -z "$missing" ]; then
	[ $quiet = 1 ] || echo "deps: all present:$(printf ' %s' "$@")"
	exit 0
fi
if ! command -v dpkg-query >/dev/null 2>&1; then
	echo "deps: not a Debian system; install:$missing" >&2
	exit 0
fi
if [ $check = 0 ] && [ "$(id -u)" = 0 ]; then
	echo "deps: installing:$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get install -y -q $missing >&2 ||
		{ apt-get update -q >&2 && apt-get install -y -q $missing >&2; } || exit 2
else
	echo "deps: missing packages; run: make deps (or: sudo apt-get install -y$missing)" >&2
	exit 2
fi
