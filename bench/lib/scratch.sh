# bench/lib/scratch.sh, sourced by the benches: scratch space and one core.
# bench_scratch NAME KB: $tmp, a directory removed on exit, on /dev/shm when it has KB free
# (RAM, like a warm page cache; creating and removing many files there does not wait on a
# disk shared with other work), else in TMPDIR or /tmp. $pin: taskset for core 0, if any.
bench_scratch() {
	dir=${TMPDIR:-/tmp}
	if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ] &&
	    [ "$(df -Pk /dev/shm | awk 'NR == 2 { print $4 }')" -gt "$2" ]; then
		dir=/dev/shm
	fi
	tmp=$(mktemp -d "$dir/$1.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT INT TERM
	pin=
	command -v taskset >/dev/null 2>&1 && taskset -c 0 true 2>/dev/null && pin="taskset -c 0"
	return 0
}
