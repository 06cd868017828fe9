# storekit.bash: what the store tests (crash, store, trust-prune, cert-regen .bats) share beyond
# helpers.bash: their fixtures' certificates made in one process, and the store comparisons of
# tests/bin/storetree (tests/tools/storetree.c) in one process each instead of a pipeline.

# tests/bin/storetree and tests/bin/storecerts (make check builds them)
ST=$TOP/tests/bin/storetree
SC=$TOP/tests/bin/storecerts
# the committed store templates (certificates with fixed dates; tests/fixtures/stores/README.md)
FIX=$TOP/tests/fixtures/stores

# need_storekit: skip the test (or, in setup_file, the file) when the test tools are not built.
need_storekit() {
	[ -x "$ST" ] && [ -x "$SC" ] || skip "tests/bin/storetree or storecerts is not built (make check builds them)"
}

# putb FILE <TEXT: TEXT (no NUL) written to FILE by builtins: a cat or cp was a process.
putb() {
	local _t=
	IFS= read -r -d '' _t || true
	printf '%s' "$_t" >"$1"
}

# has_name DIR ERE: a file of DIR (dot files left out) has a name ERE matches (ls DIR | grep -q ERE,
# without the two processes).
has_name() {
	local f
	for f in "$1"/*; do
		[[ ! ${f##*/} =~ $2 ]] || return 0
	done
	return 1
}

# same_text A B: files A and B hold the same text (no NUL), compared by builtins (diff -u
# only to show a difference).
same_text() {
	local a= b=
	IFS= read -r -d '' a <"$1" || true
	IFS= read -r -d '' b <"$2" || true
	[ "$a" = "$b" ] || { diff -u "$1" "$2"; return 1; }
}

# nlines VAR PREFIX: in VAR, how many lines of $output begin with PREFIX (grep -c "^PREFIX"),
# by builtins.
nlines() {
	local _s=$'\n'$output _t
	_t=${_s//$'\n'"$2"/}
	printf -v "$1" %d $(((${#_s} - ${#_t}) / (${#2} + 1)))
}

# tree DIR: every file and symbolic link under DIR (DIR/.backup and DIR/.lock left out), sorted
# by path, with its mode, owner and SHA-256 or target (storetree: one process): equal output =
# the same store, for every store test.
tree() {
	"$ST" tree "$1"
}

# mkcerts DIR <SPEC: the certificates of SPEC, one a line "NAME|NOTBEFORE|NOTAFTER|SUBJECT|BITS|ISSUER"
# (BITS and ISSUER optional: 2048, self-signed), each exactly as "mkcert_dates DIR NAME NOTBEFORE
# NOTAFTER SUBJECT BITS ISSUER" (helpers.bash) makes it, its key from mkkey, in one process.
# BITS "ec": a fresh P-256 key instead (made by storecerts in no time), where no check needs RSA.
mkcerts() {
	local dir=$1 name nb na subj bits iss spec=
	while IFS='|' read -r name nb na subj bits iss; do
		[ -n "$name" ] || continue
		[ "$bits" = ec ] || mkkey "$dir/$name.key" "${bits:-2048}"
		spec+="$name"$'\t'"$nb"$'\t'"$na"$'\t'"$subj"${iss:+$'\t'$iss}$'\n'
	done
	"$SC" "$dir" <<<"$spec"
}

# fail_steps MAX CMD...: CMD with CTK_FAIL_AFTER=1, 2, 3 ... until it completes, on the store S,
# which each failed run must leave as it was (the next step starts from what it left): exit 2
# with the simulated failure's message, tree "$S" (the test file's) equal to $before, no
# temporary file and no backup under S/.backup. Prints the step it completed at; fails, saying
# why, at the first step that breaks a rule or after MAX steps. Run it as $(notrace fail_steps ...).
fail_steps() {
	local max=$1 n st err f
	shift
	shopt -s globstar dotglob nullglob
	for ((n = 1; n <= max; n++)); do
		st=0
		CTK_FAIL_AFTER=$n "$@" >/dev/null 2>"$BATS_TEST_TMPDIR/err" || st=$?
		[ "$st" -ne 0 ] || { echo $n; return 0; }
		[ "$st" -eq 2 ] || { echo "CTK_FAIL_AFTER=$n: exit $st" >&2; return 1; }
		err=$(<"$BATS_TEST_TMPDIR/err")
		[[ $err == *"simulated failure (CTK_FAIL_AFTER=$n)"* ]] || { echo "CTK_FAIL_AFTER=$n: $err" >&2; return 1; }
		[ "$(tree "$S")" = "$before" ] || { echo "CTK_FAIL_AFTER=$n: the store changed" >&2; return 1; }
		for f in "$S"/**; do	# no temporary file left (find -name '*.tmp.*')
			[[ ${f##*/} != *.tmp.* ]] || { echo "CTK_FAIL_AFTER=$n: $f left" >&2; return 1; }
		done
		f=("$S"/.backup/[!.]*)	# the store's id (.backup/.id) is no backup
		[ ${#f[@]} = 0 ] || { echo "CTK_FAIL_AFTER=$n: ${f[*]} left" >&2; return 1; }
	done
	echo "not completed after $max steps" >&2
	return 1
}
