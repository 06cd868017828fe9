# bench/lib/cpu.sh, sourced by the benches: CPU time of child processes and medians.
# cpu_runs K CMD...: the CPU seconds (user + sys) per run of CMD run K times (output dropped;
# a status above 1 stops the bench), from the shell's times: its tick resolution is spread
# over K runs.
cpu_runs() {
	_k=$1
	shift
	( _i=0
	while [ $_i -lt "$_k" ]; do
		"$@" >/dev/null 2>&1 || [ $? -eq 1 ] || { echo "bench: $* failed" >&2; exit 2; }
		_i=$((_i + 1))
	done
	times ) | tail -1 | awk -v k="$_k" '{ for (i = 1; i <= 2; i++) { split($i, t, "m"); s += t[1] * 60 + t[2] }
		printf "%.6f\n", s / k }'
}
# median: the median of the numbers on stdin, one a line
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# ratio A B: A / B to two places
ratio() { echo "$1 $2" | awk '{ printf "%.2f", ($2 > 0) ? $1 / $2 : 0 }'; }
# callgrind_ir CMD...: the instructions CMD executes (valgrind --tool=callgrind), or - without valgrind
callgrind_ir() {
	command -v valgrind >/dev/null 2>&1 || { echo -; return 0; }
	valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
		awk '/Collected :/ { print $NF }' | tail -1
}
