# clusterkit.bash: keyed offline clusters for the cluster tests, copied from the committed
# templates of tests/fixtures/cluster3 (made once by its make.sh; README.md there), where the
# tests made 9 to 14 certificates with openssl at every file or every test. Loaded after helpers.
#
#   clusterkit_tpl TPL          node stores cucm-pub (with CAPF and ITLRecovery), cucm-sub1 and
#                               cucm-sub2 under TPL, each unit a self-signed RSA-1024 leaf with its
#                               key, CallManager-trust replicated (fixtures/cluster3/kit)
#   clusterkit_mk DIR TPL A1 A2 A3
#                               DIR/nodes (cucm-pub publisher tftp at A1, cucm-sub1 tftp at A2,
#                               cucm-sub2 at A3) and a copy of the three stores
#   filesums DIR [-l|-n]        "SHA256  PATH" of every file under DIR (-l: store locks left out;
#                               -n: every path, directories too, listed first)
#   clusterkit_mk2 DIR, mkcluster3 DIR
#                               helpers.bash's mkcluster2 cluster (fixtures/cluster3/mk2) and
#                               mkcluster3's (fixtures/cluster3/mk3), nodes file included
#
# Every certificate of the templates is valid 2026-01-01 to 2049-12-31: tests that depend on the
# time give --now inside that.

CLUSTERKIT="$TOP/tests/fixtures/cluster3"

# clusterkit_cp FROM DIR: a copy of template FROM at DIR (made, or filled if it exists), its keys 0600 (git keeps no mode), and
# mkkey's count of this file's RSA-1024 keys past the 14 the templates hold, so that a unit a
# test makes (clusterkit_unit, mkcert) never has a key of the template's.
clusterkit_cp() {
	cp -rT "$CLUSTERKIT/$1" "$2"
	chmod 600 "$2"/*/*/*.key
	local n=0
	[ ! -f "$BATS_FILE_TMPDIR/.keys.1024" ] || read -r n <"$BATS_FILE_TMPDIR/.keys.1024"
	[ "$n" -ge 14 ] || echo 14 >"$BATS_FILE_TMPDIR/.keys.1024"
}

# clusterkit_unit DIR UNIT CN: DIR/UNIT/UNIT.pem and its key (0600). RSA-1024 from mkkey's pool:
# the plans do not depend on the size, and cert-regen keeps each key's size, so runs stay cheap.
clusterkit_unit() {
	mkdir -p "$1/$2"
	MKCERT_BITS=1024 mkcert "$1/$2" "$2" 400 "/O=Example/CN=$3" -addext basicConstraints=CA:FALSE
}

clusterkit_tpl() {
	clusterkit_cp kit "$1"
}

clusterkit_mk() {
	local d=$1 t=$2
	mkdir -p "$d"
	printf '# node     address    roles\ncucm-pub   %s   publisher tftp\ncucm-sub1  %s   tftp\ncucm-sub2  %s\n' \
	    "$3" "$4" "$5" >"$d/nodes"
	cp -a "$t/cucm-pub" "$t/cucm-sub1" "$t/cucm-sub2" "$d/"
}

# clusterkit_mk2 DIR: helpers.bash's mkcluster2 cluster, from the template (its openssl runs cost
# about 0.3 s a test).
clusterkit_mk2() {
	clusterkit_cp mk2 "$1"
}

# mkcluster3 DIR: mkcluster2's cluster, the publisher with CAPF too, and cucm-sub2 (no TFTP)
# with the units every node has, its CallManager in every CallManager-trust (clserved, clcheck).
mkcluster3() {
	clusterkit_cp mk3 "$1"
}

# filesums DIR [-l|-n]: "SHA256  PATH" of every file under DIR, hidden ones too: what
# find DIR -type f | sort | xargs sha256sum printed, in one process where that took four
# (sha256sum skips the directories ** also yields, and the names left out, as errors). -l: the
# store locks (.lock) left out; -n: first every path under DIR, directories included (find DIR).
filesums() {
	local -a f
	shopt -s globstar dotglob
	f=("$1"/**)
	shopt -u globstar dotglob
	case ${2:-} in
	-l) f=("${f[@]/%*\/.lock}") ;;
	-n) printf '%s\n' "${f[@]}" ;;
	esac
	sha256sum "${f[@]}" 2>/dev/null || :
}
