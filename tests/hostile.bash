# hostile.bash: what the hostile-*.bats files share (hostile input for every tool in bin/: damaged
# files, hostile names, planted symlinks, FIFOs and directories, files that vanish, read-only
# directories, /dev/full, secrets, and the inputs in tests/regress/ that once crashed a fuzz
# target): their fixtures (setup_file), batches, and the checks of clean text and valid JSON.
# Each hostile-TOOL.bats holds one tool's tests (hostile-every-tool.bats those of them all), so
# that make check-full runs them side by side; all are in the full tier (DEVELOPERS.md, "Tests").
load helpers
load storekit

NOW=2027-01-01T00:00:00Z
LATER=2030-01-01T00:00:00Z
REGRESS="$BATS_TEST_DIRNAME/regress"

need_tool() {
	local t
	for t in "$@"; do
		[ -x "$TOP/bin/$t" ] || skip "bin/$t is not built yet"
	done
}

# clean_text: stdin is valid UTF-8 holding no control character but tab and newline (a
# terminal is never sent a raw escape sequence, C0 or C1).
clean_text() {
	perl -e 'local $/; my $s = <STDIN>; $s = "" unless defined $s;
		utf8::decode($s) or exit 3; exit($s =~ /[\x00-\x08\x0B-\x1F\x7F-\x9F]/ ? 1 : 0)'
}

# both_clean: $output and $stderr of the last run pass clean_text (one perl for both).
both_clean() {
	perl -e 'for my $s (@ARGV) { utf8::decode($s) or exit 3; exit 1 if $s =~ /[\x00-\x08\x0B-\x1F\x7F-\x9F]/ }' \
		-- "$output" "${stderr-}"
}

# no_secret: nothing the last run printed holds a private key.
no_secret() {
	[[ $output != *"PRIVATE KEY"* ]]
	[[ $stderr != *"PRIVATE KEY"* ]]
}

# full CMD...: run CMD with stdout on /dev/full (a function, so the valgrind wrappers apply).
full() {
	"$@" >/dev/full
}

# as_user CMD...: run a tool from bin/ where directory permissions bind: as nobody when root.
as_user() {
	local t=$1 vg=()
	shift
	[ -z "${CTK_VALGRIND:-}" ] || vg=(valgrind -q --error-exitcode=99 --leak-check=full \
		--errors-for-leak-kinds=definite)
	if [ "$(id -u)" = 0 ]; then
		setpriv --reuid 65534 --regid 65534 --clear-groups -- "${vg[@]}" "$TOP/bin/$t" "$@"
	else
		"${vg[@]}" "$TOP/bin/$t" "$@"
	fi
}

# patchbin FILE FROM TO: replace every byte sequence FROM (perl escapes) with TO, in place.
patchbin() {
	perl -0777 -pi -e "s/$2/$3/g" "$1"
}

# --- batches (helpers.bash has slurp, setres, xrun and VG) ---

# A batch: bq queues commands, brun runs them all in one sh, res reads their results back in
# the same order. bq CMD...: the next command (a tool of bin/ under $VG, like the wrappers);
# its stdout, stderr and status go to b/N.out, .err and .rc.
bq() {
	local w l=
	[ -d "$BATS_TEST_TMPDIR/b" ] || { mkdir "$BATS_TEST_TMPDIR/b"; BQ=0 BR=0; }
	case $1 in ctl-dump | itl-build | cert-regen | trust-prune | cert-expiry) l='$VG' ;; esac
	for w; do
		l+=" '${w//\'/\'\\\'\'}'"
	done
	BQ=$((BQ + 1))
	printf '{ %s; } >b/%d.out 2>b/%d.err </dev/null; echo $? >b/%d.rc\n' "$l" $BQ $BQ $BQ \
		>>"$BATS_TEST_TMPDIR/b/batch.sh"
}

# brun: run the queued commands (in $BATS_TEST_TMPDIR).
brun() {
	(cd "$BATS_TEST_TMPDIR" && sh b/batch.sh)
	rm "$BATS_TEST_TMPDIR/b/batch.sh"
}

# res [-N] [--no-output]: the results of the next queued command, as run sets them (-N: its
# status must be N; --no-output: status and stderr only, for megabytes of output); RES is its
# file base (b/N), for clean_later and json_later.
res() {
	BR=$((BR + 1))
	RES="$BATS_TEST_TMPDIR/b/$BR"
	if [ "${!#}" = --no-output ]; then
		slurp status "$RES.rc"
		slurp stderr "$RES.err"
		set -- "${@:1:$#-1}"
	else
		setres "$RES"
	fi
	[ $# = 0 ] || [ "$status" = "${1#-}" ] ||
		{ printf 'expected exit %s, got %s: %s\n' "${1#-}" "$status" "$stderr" >&2; return 1; }
}

# clean_later: the last result's stdout and stderr are to pass clean_text (both_clean), checked
# by clean_check, one perl for them all. json_later [FILTER]: its stdout, when not empty, is to
# be valid JSON whose last document passes FILTER (jq -e FILTER, default .), checked by
# json_check, one jq per filter (per file only to name the culprit).
clean_later() {
	CLEAN+=("$RES.out" "$RES.err")
}
json_later() {
	[ -s "$RES.out" ] || [ $# -gt 0 ] || return 0
	JSON+=("$RES.out")
	JSONF+=("${1:-.}")
}
clean_check() {
	perl -e 'my $bad = 0;
		for my $f (@ARGV) {
			open(my $h, "<", $f) or die "$f: $!"; local $/; my $s = <$h>; $s = "" unless defined $s;
			if (!utf8::decode($s) || $s =~ /[\x00-\x08\x0B-\x1F\x7F-\x9F]/) { print STDERR "not clean: $f\n"; $bad = 1 }
		}
		exit $bad' "${CLEAN[@]}"
}
json_check() {
	local f i k bad=0 fl
	local -A group=()
	for i in "${!JSON[@]}"; do
		group[${JSONF[i]}]+=" $i"
	done
	for k in "${!group[@]}"; do
		fl=()
		for i in ${group[$k]}; do fl+=("${JSON[i]}"); done
		jq -e -n --argjson n ${#fl[@]} "reduce inputs as \$d ({}; .[input_filename] = (\$d | $k))
			| length == \$n and all(.[]; . != null and . != false)" "${fl[@]}" >/dev/null && continue
		for f in "${fl[@]}"; do
			jq -e "$k" "$f" >/dev/null || echo "$f: not valid JSON or not $k: $(<"$f")" >&2
		done
		bad=1
	done
	return $bad
}

setup_file() {
	local h="$BATS_FILE_TMPDIR" b="$BATS_FILE_TMPDIR/bad" s="$BATS_FILE_TMPDIR/tpl"
	mkdir -p "$b" "$s/CallManager" "$s/CallManager-trust" "$s/tomcat-trust"
	mkcert "$h" ok 365 /CN=ok
	openssl x509 -in "$h/ok.pem" -outform DER -out "$h/ok.der"
	# A name with ESC, BEL, a C1 CSI, a tab and (patched in afterwards) invalid UTF-8.
	printf '[req]\ndistinguished_name=dn\nprompt=no\n[dn]\nCN=ev\033[31mRED\a\302\2332J\303\277\303\276\tend\n' \
		>"$h/evil.cnf"
	mkkey "$h/evil.key"
	openssl req -x509 -utf8 -key "$h/evil.key" -out "$h/evil.pem" -days 365 -config "$h/evil.cnf" 2>/dev/null
	openssl x509 -in "$h/evil.pem" -outform DER -out "$h/evil-utf8.der"
	patchbin "$h/evil-utf8.der" '\xc3\xbf\xc3\xbe' '\xff\xfe\xc0\xaf'
	{ echo '-----BEGIN CERTIFICATE-----'; openssl base64 -in "$h/evil-utf8.der"
	  echo '-----END CERTIFICATE-----'; } >"$h/evil-utf8.pem"
	if [ -x "$TOP/bin/itl-build" ]; then
		"$TOP/bin/itl-build" -k "$h/ok.key" --sast "$h/ok.pem" \
			--tftp "$h/evil.pem,dns=tftp.example,ip=10.0.0.1" -o "$h/good.tlv"
		cp "$h/good.tlv" "$h/evil-utf8.tlv"
		patchbin "$h/evil-utf8.tlv" '\xc3\xbf\xc3\xbe' '\xff\xfe\xc0\xaf'
	fi
	# The hostile files: each one must give exit 2 and a message naming it.
	: >"$b/empty"
	openssl enc -aes-128-ctr -K 000102030405060708090a0b0c0d0e0f -iv 0 -in /dev/zero 2>/dev/null |
		head -c 4096 >"$b/random"
	head -c 500 "$h/ok.pem" >"$b/trunc.pem"
	head -c 300 "$h/ok.der" >"$b/trunc.der"
	printf '\060\204\377\377\377\377\060\000' >"$b/len-ffffffff.der"
	printf -- '-----BEGIN CERTIFICATE-----\nMII*not*base64\n-----END CERTIFICATE-----\n' >"$b/base64.pem"
	printf -- '-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n' >"$b/nobody.pem"
	printf '\001\000\002\001\002\002\000\002\377\377' >"$b/hdrlen-ffff.tlv"
	if [ -f "$h/good.tlv" ]; then
		head -c 700 "$h/good.tlv" >"$b/trunc.tlv"
		# the first record's RECORDLENGTH set to 0xFFFF
		cp "$h/good.tlv" "$b/reclen-ffff.tlv"
		local hl=$(od -An -tu1 -j8 -N2 "$h/good.tlv" | awk '{print $1 * 256 + $2}')
		printf '\377\377' | dd of="$b/reclen-ffff.tlv" bs=1 seek=$((hl + 3)) conv=notrunc status=none
	fi
	truncate -s 65M "$h/huge"
	# The store template: an own unit, a trust unit with an expired and a valid certificate.
	mkcert "$s/CallManager" CallManager 365 /CN=cucm1
	chmod 600 "$s/CallManager/CallManager.key"
	mkcert_dates "$h" expired 20100101000000Z 20200101000000Z "/CN=expired"
	mkcert_dates "$h" valid 20200101000000Z 20400101000000Z "/CN=valid"
	cp "$h/expired.pem" "$s/CallManager-trust/expired.pem"
	cp "$h/valid.pem" "$s/CallManager-trust/valid.pem"
	cp "$h/valid.pem" "$s/tomcat-trust/valid.pem"
	# LD_PRELOAD shim: CTK_VANISH=SUBSTRING unlinks a file the moment a tool opens it.
	if command -v cc >/dev/null; then
		cat >"$h/vanish.c" <<-'EOF'
		#define _GNU_SOURCE
		#include <dlfcn.h>
		#include <fcntl.h>
		#include <stdarg.h>
		#include <stdio.h>
		#include <stdlib.h>
		#include <string.h>
		#include <unistd.h>
		static int hit(const char *p) {
			const char *v = getenv("CTK_VANISH");
			return v != NULL && *v != '\0' && p != NULL && strstr(p, v) != NULL;
		}
		#define REAL(f) static __typeof__(f) *real; if (!real) real = dlsym(RTLD_NEXT, #f)
		int open(const char *p, int fl, ...) {
			va_list ap; mode_t m; REAL(open);
			va_start(ap, fl); m = va_arg(ap, mode_t); va_end(ap);
			if (hit(p) && !(fl & O_CREAT)) unlink(p);
			return real(p, fl, m);
		}
		int open64(const char *p, int fl, ...) {
			va_list ap; mode_t m; REAL(open64);
			va_start(ap, fl); m = va_arg(ap, mode_t); va_end(ap);
			if (hit(p) && !(fl & O_CREAT)) unlink(p);
			return real(p, fl, m);
		}
		int openat(int d, const char *p, int fl, ...) {
			va_list ap; mode_t m; REAL(openat);
			va_start(ap, fl); m = va_arg(ap, mode_t); va_end(ap);
			if (hit(p) && !(fl & O_CREAT)) unlinkat(d, p, 0);
			return real(d, p, fl, m);
		}
		FILE *fopen(const char *p, const char *md) {
			REAL(fopen);
			if (hit(p) && md[0] == 'r') unlink(p);
			return real(p, md);
		}
		EOF
		cc -shared -fPIC -o "$h/vanish.so" "$h/vanish.c" -ldl 2>/dev/null || true
	fi
}

setup() {
	H="$BATS_FILE_TMPDIR"
	B="$H/bad"
	S="$BATS_TEST_TMPDIR/store"
	cp -a "$H/tpl" "$S"
	cd "$BATS_TEST_TMPDIR"
}

teardown() {
	[ -z "${HOLDER:-}" ] || kill "$HOLDER" 2>/dev/null || true
	[ -z "${RO:-}" ] || { chmod -R u+w "$RO" 2>/dev/null; rm -rf "$RO"; }
}

# The hostile files, with the huge one, a FIFO and a directory named like a certificate.
bad_files() {
	mkfifo "$BATS_TEST_TMPDIR/fifo.pem"
	mkdir -p "$BATS_TEST_TMPDIR/dir.pem"
	ls "$B"/* "$H/huge" "$BATS_TEST_TMPDIR/fifo.pem"
}

# hold_fifo PATH: a FIFO at PATH with a writer that never writes (its pid in $HOLDER).
hold_fifo() {
	rm -rf "$1"
	mkfifo "$1"
	sleep 120 <>"$1" >/dev/null 2>&1 3>&- &
	HOLDER=$!
}

# ---- issue 16 items 2, 4, 8, 9 (helper tl): trust-list caps, the trust check, clocks, text ----

# tl_amp FILE RECORD-HEX COUNT: a trust-list header (version 1.2, length 12) then COUNT copies
# of the record given in hex.
tl_amp() {
	perl -e 'my ($rec, $n) = (pack("H*", $ARGV[0]), $ARGV[1]);
		print pack("H*", "0100020102020002000c0d0d"), $rec x $n' "$2" "$3" >"$1"
}

# tl_rss CMD...: the maximum resident set of CMD in KB on stdout ($status its exit status).
tl_rss() {
	local st=0
	/usr/bin/time -f '%M' -o "$BATS_TEST_TMPDIR/rss" "$@" >/dev/null 2>"$BATS_TEST_TMPDIR/rss.err" || st=$?
	tail -n 1 "$BATS_TEST_TMPDIR/rss"
	return $st
}

# tl_plain BIN: the tool is a plain build (ulimit -v starves ASan and valgrind of address space).
tl_plain() {
	[ -z "${CTK_VALGRIND:-}" ] || skip "valgrind needs its own address space"
	! grep -q __asan_init "$TOP/bin/$1" || skip "an ASan build needs terabytes of address space"
}

# --- signed TFTP files (.sgn, .enc.sgn; issue 13) ---

# sgn_variants GOOD DIR: structurally broken copies of the signed file GOOD in DIR.
sgn_variants() {
	local g=$1 d=$2 hl i v
	hl=$(od -An -tu1 -j8 -N2 "$g" | awk '{print $1 * 256 + $2}')
	for i in 1 2 4 5 9 10 12 40 100 $((hl - 1)); do	# cut inside the header
		head -c $i "$g" >"$d/cut-$i.sgn"
	done
	for v in '\000\000' '\000\003' '\000\013' "$(printf '\\%03o\\%03o' $(((hl + 1) >> 8)) $(((hl + 1) & 255)))" '\377\377'; do
		cp "$g" "$d/hl-$i.sgn"
		printf "$v" | dd of="$d/hl-$i.sgn" bs=1 seek=8 conv=notrunc status=none
		i=$((i + 1))
	done
	cp "$g" "$d/signerid-ffff.sgn"	# SIGNERID container (tag 3 at byte 10) runs past the header
	printf '\377\377' | dd of="$d/signerid-ffff.sgn" bs=1 seek=11 conv=notrunc status=none
	# version 2.0: an encryption container whose length runs past the header, and one nested
	# inside its own IV container until the parser's depth limit
	printf '\001\000\002\002\000\002\000\002\000\024\020\377\377\021\000\010\000\000\000\000\000' \
		>"$d/enc-container.sgn"
	printf '\001\000\002\002\000\002\000\002\000\044\020\000\025\021\000\022\021\000\017\021\000\014\021\000\011\021\000\006\021\000\003\000\000\000\015\015' \
		>"$d/enc-nested.sgn"
	printf '\001\000\002\001\000\002\000\002\000\014\015\003' >"$d/pad-then-cut.sgn"
}
