# helpers.bash: shared setup for every tests/<tool>.bats.
bats_require_minimum_version 1.5.0

export LC_ALL=C TZ=UTC
unset SOURCE_DATE_EPOCH
# Bats gives the test directory as a canonical absolute path: TOP without a fork per test
TOP=${BATS_TEST_DIRNAME%/*}
GOLD="$BATS_TEST_DIRNAME/golden"
SHARED="$TOP/../shared/samples"
# CTK_VALGRIND=1 (make valgrind) runs every tool under valgrind.
if [ -n "${CTK_VALGRIND:-}" ]; then
	for _t in ctl-dump itl-build cert-regen trust-prune cert-expiry; do
		eval "$_t() { valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \"$TOP/bin/$_t\" \"\$@\"; }"
	done
fi

# Bats 1.8's DEBUG trap records a stack trace before every command the test runs, the commands
# of these helpers included (about 0.3 ms of CPU each, a tenth of the suite): here it records
# only the test file's own lines, so a failure still names the line of its test that failed
# (a helper's failure: the test line that called it). Other Bats versions keep their own trap.
if [ "${BATS_VERSION-}" = 1.8.2 ] && [ -z "${_ctk_trap-}" ] && declare -F bats_debug_trap >/dev/null; then
	_ctk_trap=$(declare -f bats_debug_trap)
	eval "${_ctk_trap/\{/\{ [[ \$1 == \"\$BATS_TEST_SOURCE\" ]] || return 0;}"
	_ctk_trap=1
fi

# --- cheaper runs: a fork from Bats' bash costs several times one from sh, and run makes two ---

# the valgrind prefix of make valgrind, for tools that an sh batch runs (the wrappers above are
# functions of this shell and do not reach them)
export VG=${CTK_VALGRIND:+valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite}

# slurp VAR FILE: FILE's content in VAR, trailing newlines cut (as $(...) and run do).
slurp() {
	local _v=
	IFS= read -r -d '' _v <"$2" || true
	printf -v "$1" '%s' "${_v%"${_v##*[!$'\n']}"}"
}

# setres FILE-BASE: status, output, lines, stderr, stderr_lines as run sets them, from
# FILE-BASE.rc, .out and .err (empty lines left out of lines, as run does).
setres() {
	slurp status "$1.rc"
	slurp output "$1.out"
	slurp stderr "$1.err"
	IFS=$'\n' read -d '' -r -a lines <<<"$output" || true
	IFS=$'\n' read -d '' -r -a stderr_lines <<<"$stderr" || true
}

# xrun [-N] [--separate-stderr] CMD...: what Bats' run sets (status, output, lines; stderr and
# stderr_lines, empty without --separate-stderr; -N: the status must be N), in one fork where run
# costs two and its bookkeeping. Empty lines are left out of lines, as run does.
xrun() {
	local want= sep= o="$BATS_TEST_TMPDIR/.xrun"
	while :; do
		case $1 in
		-[0-9]*) want=${1#-} ;;
		--separate-stderr) sep=1 ;;
		*) break ;;
		esac
		shift
	done
	status=0
	if [ -n "$sep" ]; then
		"$@" >"$o.out" 2>"$o.err" || status=$?
	else
		"$@" >"$o.out" 2>&1 || status=$?
		: >"$o.err"
	fi
	echo "$status" >"$o.rc"
	setres "$o"
	[ -z "$want" ] || [ "$status" = "$want" ] ||
		{ printf 'expected exit %s, got %s: %s\n%s\n%s\n' "$want" "$status" "$*" "$output" "$stderr" >&2; return 1; }
}

# hex: stdin's bytes as lowercase hex on one line (od: coreutils, where xxd is a package of its own).
hex() {
	od -An -v -tx1 | tr -d ' \n'
}

# unhex HEX: the bytes HEX spells, on stdout: each pair becomes a \xHH escape in one pattern
# substitution (bash 5.2's patsub_replacement: & is the match), no process and no loop: a loop
# ran Bats' DEBUG trap twice a byte (3.3 s for a 5 KB trust list, 0.1 s this way).
shopt -s patsub_replacement
unhex() {
	local h=$1
	printf "${h//??/\\x&}"
}

# Compare $output with tests/golden/$1; UPDATE_GOLDEN=1 rewrites the golden file.
check_golden() {
	if [ -n "${UPDATE_GOLDEN:-}" ]; then
		printf '%s\n' "$output" >"$GOLD/$1"
	fi
	diff -u "$GOLD/$1" - <<<"$output"
}

# Skip, saying why, when ../shared/samples is not beside the project; fail instead in CI
# (CI=true), which always has it: a green CI must not hide a skipped golden comparison.
need_shared() {
	[ ! -f "$SHARED/$1" ] || return 0
	if [ "${CI:-}" = true ]; then
		echo "../shared/samples/$1 is absent, and CI=true: CI always has ../shared" >&2
		return 1
	fi
	skip "../shared/samples/$1 is absent"
}

# absent WHAT: skip the test saying WHAT is absent; under CI=true, which installs every
# package (make check-full), fail instead: a green CI must not hide a skipped test.
absent() {
	if [ "${CI:-}" = true ]; then
		echo "$1 is absent, and CI=true: make check-full installs it" >&2
		return 1
	fi
	skip "$1 is absent (make check-full or make deps installs it)"
}

# need_cmd CMD PKG: CMD is installed, else absent "CMD (Debian package PKG)".
need_cmd() {
	command -v "$1" >/dev/null || absent "$1 (Debian package $2)"
}

# pick_full FULL QUICK: FULL under make check-full (CTK_FULL=1), else QUICK. The crash and
# failure-injection loops try every file operation either way; check-full also tries
# every timing of the timed kills.
pick_full() {
	if [ -n "${CTK_FULL:-}" ]; then echo "$1"; else echo "$2"; fi
}

# notrace CMD...: CMD in a subshell without Bats' DEBUG trap, which otherwise runs before every
# command of a test (about 0.3 ms of CPU each): for the long loops. A failing command still
# fails the subshell (errexit), hence the test; variables CMD sets stay in the subshell.
notrace() {
	(
		trap - DEBUG
		"$@"
	)
}

# delay_after MS: the next delay of a timed-kill loop: a few ms more under check-full,
# three times as long under make check (1, 4, 13, 40 ... ms).
delay_after() {
	pick_full $(($1 + 1 + $1 / 6)) $(($1 * 3 + 1))
}

# mkkey OUT [bits]: an RSA key (0600) at OUT, distinct from every other key mkkey gave in
# this test file. RSA key generation is most of what the fixtures cost: the n-th key of a
# file is the n-th key of the committed pool tests/fixtures/keys (made once; its README says
# how), else of a pool in tests/bin/keypool (made lazily, shared by the files run side by
# side, kept between runs like the other test binaries; `make clean` removes it).
mkkey() {
	local out=$1 bits=${2:-2048} pool="${CTK_KEYPOOL:-$TOP/tests/bin/keypool}" n=0
	local ctr="$BATS_FILE_TMPDIR/.keys.$bits"
	[ ! -f "$ctr" ] || read -r n <"$ctr"
	n=$((n + 1))
	echo "$n" >"$ctr"
	local key="$TOP/tests/fixtures/keys/rsa$bits-$n.key"
	if [ -n "${CTK_KEYPOOL:-}" ] || [ ! -f "$key" ]; then
		key=$pool/rsa$bits-$n.key
		[ -d "$pool" ] || { mkdir -p "$pool" && chmod 700 "$pool"; }
	fi
	if [ ! -f "$key" ]; then
		# generated aside, then linked in: a file running beside this one sees it whole or not at all
		openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:"$bits" -out "$pool/.new.$$" 2>/dev/null
		chmod 600 "$pool/.new.$$"
		ln "$pool/.new.$$" "$key" 2>/dev/null || true
		rm -f "$pool/.new.$$"
	fi
	copy600 "$key" "$out"
}

# copy600 FROM TO: FROM's bytes (text: no NUL) at TO, mode 0600 from the moment it exists, by
# builtins (mkkey runs for every fixture certificate: a cp and a chmod were two processes each).
copy600() {
	local _k= _u
	IFS= read -r -d '' _k <"$1" || true
	if [ -e "$2" ]; then
		printf '%s' "$_k" >"$2"
		chmod 600 "$2"
		return
	fi
	# this shell's umask from /proc (builtins; $(umask) would fork)
	IFS= read -r -d '' _u </proc/$BASHPID/status || true
	_u=${_u#*Umask:$'\t'} _u=${_u%%$'\n'*}
	umask 077
	printf '%s' "$_k" >"$2"
	umask "$_u"
}

# mkcert DIR NAME [days [subject [extra openssl req args...]]]: self-signed RSA certificate
# DIR/NAME.pem with key DIR/NAME.key (mkkey), 2048 bits or MKCERT_BITS (MKCERT_BITS=1024 mkcert
# ... where no check reads the size: cert-regen makes each new key the size of the old one);
# MKCERT_KEY=FILE: a copy of that key instead (certificates whose keys need not differ).
# days may be negative (use mkcert_dates).
mkcert() {
	local dir=$1 name=$2 days=${3:-365} subj=${4:-/CN=$2}
	shift 4 2>/dev/null || shift $#
	if [ -n "${MKCERT_KEY:-}" ]; then
		copy600 "$MKCERT_KEY" "$dir/$name.key"
	else
		mkkey "$dir/$name.key" "${MKCERT_BITS:-2048}"
	fi
	openssl req -x509 -key "$dir/$name.key" -out "$dir/$name.pem" \
		-days "$days" -subj "$subj" -sha256 "$@" 2>/dev/null
}

# mkcert_dates DIR NAME NOTBEFORE NOTAFTER [subject [bits [issuer-name]]]: certificate
# DIR/NAME.pem + DIR/NAME.key valid exactly NOTBEFORE..NOTAFTER (YYYYMMDDHHMMSSZ);
# self-signed, or signed by DIR/<issuer-name>.pem/.key when issuer-name is given.
mkcert_dates() {
	local dir=$1 name=$2 nb=$3 na=$4 subj=${5:-/CN=$2} bits=${6:-2048} iss=${7:-}
	local ca="$dir/.ca"
	[ -d "$ca" ] || mkdir -p "$ca"
	[ -f "$ca/ca.cnf" ] || {
		printf '%s\n' '[ ca ]' 'default_ca = d' '[ d ]' "database = $ca/index.txt" \
			"new_certs_dir = $ca" "serial = $ca/serial" 'default_md = sha256' \
			'policy = p' 'unique_subject = no' 'email_in_dn = no' '[ p ]' \
			'commonName = optional' '[ leaf ]' 'basicConstraints = CA:FALSE' \
			'[ root ]' 'basicConstraints = critical,CA:TRUE' \
			'keyUsage = keyCertSign, cRLSign, digitalSignature' >"$ca/ca.cnf"
		: >"$ca/index.txt"
	}
	# a random 60-bit serial by builtins (openssl rand was a process per certificate)
	printf '%04x%04x%04x%04x\n' $RANDOM $RANDOM $RANDOM $RANDOM >"$ca/serial"
	mkkey "$dir/$name.key" "$bits"
	openssl req -new -key "$dir/$name.key" -subj "$subj" -out "$ca/$name.csr" 2>/dev/null
	if [ -n "$iss" ]; then
		openssl ca -config "$ca/ca.cnf" -batch -preserveDN -notext -extensions leaf \
			-cert "$dir/$iss.pem" -keyfile "$dir/$iss.key" -in "$ca/$name.csr" \
			-startdate "$nb" -enddate "$na" -out "$dir/$name.pem" 2>/dev/null
	else
		openssl ca -config "$ca/ca.cnf" -batch -selfsign -preserveDN -notext -extensions root \
			-keyfile "$dir/$name.key" -in "$ca/$name.csr" \
			-startdate "$nb" -enddate "$na" -out "$dir/$name.pem" 2>/dev/null
	fi
	rm -f "$ca/$name.csr" "$ca"/*.pem
}

# softhsm_token KEY LABEL: a SoftHSM token "ctk" (PIN 1234) in ./tokens holding the private
# key KEY as LABEL; sets mod (the PKCS#11 module) and uri (the key's pkcs11: URI). Skips
# the test when SoftHSM, pkcs11-tool or OpenSSL's pkcs11 engine is not installed (need_cmd).
softhsm_token() {
	local e
	need_cmd softhsm2-util softhsm2
	need_cmd pkcs11-tool opensc
	for e in /usr/lib/*/engines-3/pkcs11.so /usr/lib/engines-3/pkcs11.so; do
		[ -f "$e" ] && break
	done
	[ -f "$e" ] || absent "OpenSSL's pkcs11 engine (Debian package libengine-pkcs11-openssl)"
	mod=$(ls /usr/lib/softhsm/libsofthsm2.so /usr/lib/*/softhsm/libsofthsm2.so 2>/dev/null | head -1)
	[ -n "$mod" ] || absent "libsofthsm2.so (Debian package softhsm2)"
	mkdir tokens
	export SOFTHSM2_CONF=$PWD/softhsm2.conf
	echo "directories.tokendir = $PWD/tokens" >"$SOFTHSM2_CONF"
	softhsm2-util --init-token --free --label ctk --so-pin 1234 --pin 1234 >/dev/null
	openssl pkcs8 -topk8 -nocrypt -in "$1" -out k8.pem
	softhsm2-util --import k8.pem --token ctk --label "$2" --id 01 --pin 1234 >/dev/null
	uri="pkcs11:token=ctk;object=$2;type=private;pin-value=1234"
}

# mkcluster2 DIR: an offline cluster of two TFTP nodes in DIR (lock, modes and escape .bats):
# cucm-pub (publisher, with ITLRecovery) and cucm-sub1, each a store with CallManager, tomcat,
# ipsec and TVS (RSA-1024 from the key pool), CallManager-trust holding both CallManagers, and
# tomcat-trust its own tomcat; DIR/nodes names them.
mkcluster2() {
	local n u cn
	for n in cucm-pub cucm-sub1; do
		for u in CallManager tomcat ipsec TVS; do
			cn=$n
			[ $u != tomcat ] || cn=$n.example.com
			mkdir -p "$1/$n/$u"
			MKCERT_BITS=1024 mkcert "$1/$n/$u" $u 400 "/O=Example/CN=$cn" \
				-addext basicConstraints=CA:FALSE
		done
		mkdir -p "$1/$n/CallManager-trust" "$1/$n/tomcat-trust"
	done
	mkdir -p "$1/cucm-pub/ITLRecovery"
	MKCERT_BITS=1024 mkcert "$1/cucm-pub/ITLRecovery" ITLRecovery 400 \
		"/O=Example/CN=ITLRECOVERY_cucm-pub" -addext basicConstraints=CA:FALSE
	for n in cucm-pub cucm-sub1; do
		cp "$1/cucm-pub/CallManager/CallManager.pem" "$1/$n/CallManager-trust/cucm-pub.pem"
		cp "$1/cucm-sub1/CallManager/CallManager.pem" "$1/$n/CallManager-trust/cucm-sub1.pem"
		cp "$1/$n/tomcat/tomcat.pem" "$1/$n/tomcat-trust/$n.pem"
	done
	printf 'cucm-pub 10.0.0.1 publisher tftp\ncucm-sub1 10.0.0.2 tftp\n' >"$1/nodes"
}

# reserve FROM TO TS [itl-build options]: a copy of cluster FROM in TO serving the ITLs (and CTL)
# itl-build --all makes at @TS with those options (another release, mixed mode) instead of FROM's.
reserve() {
	local from=$1 to=$2 ts=$3
	shift 3
	cp -a "$from" "$to"
	rm -rf "$to"/*/tftp
	itl-build --cluster "$to" --all --now "@$ts" "$@"
}

# keyless FROM TO: what an administrator holds of the live cluster FROM: its nodes file and the
# files each TFTP node serves (tftp/, history left out), node stores empty of keys and certificates.
keyless() {
	local d n
	mkdir -p "$2"
	cp "$1/nodes" "$2/nodes"
	for d in "$1"/*/; do
		n=${d%/} n=${n##*/}
		mkdir -p "$2/$n"
		[ -d "$d/tftp" ] || continue
		mkdir -p "$2/$n/tftp"
		find "$d/tftp" -maxdepth 1 -type f -exec cp -t "$2/$n/tftp/" {} +
	done
}
