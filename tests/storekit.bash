# storekit.bash: what the store tests (crash, store, trust-prune, cert-regen .bats) share beyond
# helpers.bash: their fixtures' certificates made in one process, and the store comparisons of
# tests/bin/storetree (tests/tools/storetree.c) in one process each instead of a pipeline.

# tests/bin/storetree and tests/bin/storecerts (make check builds them)
ST=$TOP/tests/bin/storetree
SC=$TOP/tests/bin/storecerts

# need_storekit: skip the test (or, in setup_file, the file) when the test tools are not built.
need_storekit() {
	[ -x "$ST" ] && [ -x "$SC" ] || skip "tests/bin/storetree or storecerts is not built (make check builds them)"
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
