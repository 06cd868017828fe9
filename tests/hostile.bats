#!/usr/bin/env bats
# hostile.bats: every tool in bin/ against hostile input: damaged files, hostile names, planted
# symlinks, FIFOs and directories, files that vanish, read-only directories, /dev/full, secrets,
# and the inputs in tests/regress/ that once crashed a fuzz target.
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

@test "hostile: ctl-dump: damaged, random, empty, huge, FIFO input: exit 2, names the file, -j valid" {
	need_tool ctl-dump
	local f fs l t
	fs=($(bad_files) "$BATS_TEST_TMPDIR/dir.pem" nonexistent.tlv)
	for f in "${fs[@]}"; do
		bq timeout 60 "$TOP/bin/ctl-dump" -q "$f"
		bq ctl-dump -q "$f"
		bq ctl-dump "$f"
		bq ctl-dump -j "$f"
		bq ctl-dump -b "$f"
		bq ctl-dump -x "$BATS_TEST_TMPDIR/dir.pem" "$f"
		[ ! -f "$H/good.tlv" ] || bq ctl-dump -t "$f" "$H/good.tlv"
	done
	brun
	# the checks without Bats' DEBUG trap (a few hundred commands)
	checks() {
		for f in "${fs[@]}"; do
			res -2
			[ -z "$output" ]
			[[ $stderr == "ctl-dump: $f: "* ]]
			res -2
			[ -z "$output" ]
			[[ $stderr == "ctl-dump: $f: "* ]]
			res -2
			[[ $stderr == *"ctl-dump: $f: "* ]]
			clean_later
			res -2
			json_later
			res -2
			# awk -F'\t' 'NF != 7' on each line, by builtins: six tabs a line
			[ -z "$output" ] || while IFS= read -r l; do
				t=${l//[!$'\t']/}
				[ ${#t} -eq 6 ]
			done <<<"$output"
			[[ $stderr == *"ctl-dump: $f: "* ]]
			res -2
			[[ $stderr == *"ctl-dump: "* ]]
			if [ -f "$H/good.tlv" ]; then
				res -2
				[[ $stderr == *"ctl-dump: $f: "* ]]
			fi
		done
		clean_check
		json_check
	}
	notrace checks
}

@test "hostile: cert-expiry: damaged, random, empty, huge, FIFO input: exit 2 (nagios 3), names the file" {
	need_tool cert-expiry
	local f fs
	fs=($(bad_files) nonexistent.pem)
	for f in "${fs[@]}"; do
		bq timeout 60 "$TOP/bin/cert-expiry" --now $NOW "$f"
		bq cert-expiry --now $NOW -j "$f" "$H/ok.pem"
		bq cert-expiry --now $NOW --json-lines "$f"
		bq cert-expiry --now $NOW --nagios "$f"
		bq cert-expiry --now $NOW --prometheus "$f"
	done
	brun
	# the checks without Bats' DEBUG trap (a few hundred commands)
	checks() {
		# json_check: one jq for the -j documents, one for the --json-lines ones
		for f in "${fs[@]}"; do
			res -2
			[ -z "$output" ]
			[[ $stderr == "cert-expiry: $f: "* ]]
			res -2
			json_later '.certificates | length == 1'
			res -2
			json_later
			res -3
			[[ $output == "CERT-EXPIRY UNKNOWN"* ]]
			res -2
			[[ $stderr == *"cert-expiry: $f: "* ]]
			[[ $output == *$'\nx509_read_errors 1'* ]]
			[[ $'\n'$output != *$'\nx509_cert_'* ]]
		done
		json_check
	}
	notrace checks
}

@test "hostile: itl-build: damaged certificate, key, --resign and --trust files: exit 2, nothing written" {
	need_tool itl-build
	local f fs i
	fs=($(bad_files))
	# each run writes to its own out.N.tlv: none may exist afterwards
	for f in "${fs[@]}"; do
		bq itl-build -k "$H/ok.key" --sast "$H/ok.pem" --tftp "$f" -o out.$((BQ + 1)).tlv
		bq itl-build -k "$f" --sast "$H/ok.pem" -o out.$((BQ + 1)).tlv
		bq itl-build -k "$H/ok.key" --resign "$f" -o out.$((BQ + 1)).tlv
		bq itl-build -k "$H/ok.key" --sast "$H/ok.pem" --trust "$f" -o out.$((BQ + 1)).tlv
	done
	brun
	# the checks without Bats' DEBUG trap (a few hundred commands)
	checks() {
		for f in "${fs[@]}"; do
			res -2
			[[ $stderr == "itl-build: $f"* ]]
			[ ! -e out.$BR.tlv ]
			res -2
			[[ $stderr == "itl-build: $f"* ]]
			[ ! -e out.$BR.tlv ]
			res -2
			[ ! -e out.$BR.tlv ]
			res -2
			[ ! -e out.$BR.tlv ]
			no_secret
		done
	}
	notrace checks
}

@test "hostile: cert-regen: damaged own certificate, key or --import file: exit 2, store unchanged" {
	need_tool cert-regen
	need_storekit
	local f before
	# one batch: per file, the copy, the tree before, the run, the tree after
	for f in "$B"/*; do
		bq cp "$f" "$S/CallManager/CallManager.pem"
		bq "$ST" tree "$S"
		bq cert-regen -y -s "$S" --now $NOW CallManager
		bq "$ST" tree "$S"
	done
	bq cp "$H/tpl/CallManager/CallManager.pem" "$S/CallManager/"
	for f in "$B"/*; do
		bq cp "$f" "$S/CallManager/CallManager.key"
		bq "$ST" tree "$S"
		bq cert-regen -y -s "$S" --now $NOW CallManager
		bq "$ST" tree "$S"
	done
	bq cp "$H/tpl/CallManager/CallManager.key" "$S/CallManager/"
	bq "$ST" tree "$S"
	for f in "$B"/*; do
		bq cert-regen -y -s "$S" --now $NOW --import "$f" CallManager
		bq "$ST" tree "$S"
	done
	brun
	# the checks without Bats' DEBUG trap (a few hundred commands)
	checks() {
		for f in "$B"/*; do
			res -0
			res -0
			before=$output
			res -2
			[[ $stderr == *"cert-regen: "*"CallManager"* ]]
			no_secret
			res -0
			[ "$output" = "$before" ]
		done
		res -0
		for f in "$B"/*; do
			res -0
			res -0
			before=$output
			res -2
			no_secret
			res -0
			[ "$output" = "$before" ]
		done
		res -0
		res -0
		before=$output
		for f in "$B"/*; do
			res -2
			[[ $stderr == "cert-regen: $f"* ]]
			res -0
			[ "$output" = "$before" ]
		done
	}
	notrace checks
}

@test "hostile: trust-prune: damaged files in a trust unit are reported, left in place; the rest is done" {
	need_tool trust-prune
	local f
	cp "$B"/* "$S/CallManager-trust/"
	xrun -2 --separate-stderr trust-prune -s "$S" --now $LATER
	[[ $output == *expired.pem* ]]
	for f in "$B"/*; do
		[[ $stderr == *"trust-prune: $S/CallManager-trust/${f##*/}: "* ]]
	done
	both_clean
	xrun -2 --separate-stderr trust-prune -s "$S" --now $LATER -j
	jq -e . <<<"$output" >/dev/null
	xrun -2 --separate-stderr trust-prune -s "$S" --now $LATER --apply
	for f in "$B"/*; do
		cmp "$f" "$S/CallManager-trust/${f##*/}"
	done
	[ ! -e "$S/CallManager-trust/expired.pem" ]
	cmp "$H/expired.pem" "$S"/.backup/*/CallManager-trust/expired.pem
	cmp "$H/valid.pem" "$S/CallManager-trust/valid.pem"
}

@test "hostile: control bytes, escape sequences and invalid UTF-8 in certificate names: escaped, JSON valid" {
	need_tool ctl-dump cert-expiry
	local f
	[ -f "$H/good.tlv" ] || skip "bin/itl-build could not build the fixture"
	local tl=("$H/good.tlv" "$H/evil-utf8.tlv") cs=("$H/evil.pem" "$H/evil-utf8.pem" "$H/evil-utf8.der" "$H/good.tlv")
	for f in "${tl[@]}"; do
		for m in "" -b -c -j; do
			bq ctl-dump $m "$f"
		done
	done
	for f in "${cs[@]}"; do
		for m in "" -a --alarm --prometheus --nagios -j --json-lines; do
			bq cert-expiry --now $NOW $m "$f"
		done
	done
	brun
	# the checks without Bats' DEBUG trap (a few hundred commands)
	checks() {
		for f in "${tl[@]}"; do
			for m in "" -b -c; do
				res
				[ "$status" -le 1 ]
				clean_later
				[ "$m" != "" ] || [[ $output == *'ev\x1B[31mRED\x07\xC2\x9B2J'* ]]
			done
			res
			[ "$status" -le 1 ]
			json_later '.records | length == 2'
			clean_later
		done
		json_check
		JSON=() JSONF=()
		for f in "${cs[@]}"; do
			for m in "" -a --alarm --prometheus --nagios; do
				res
				[ "$status" -le 2 ]
				[ -z "$stderr" ]
				clean_later
				[ "$m" != -a ] || [[ $output == *'\x1B[31mRED'* ]]
			done
			for m in -j --json-lines; do
				res -0
				json_later .
				clean_later
			done
		done
		json_check
		clean_check
	}
	notrace checks
}

@test "hostile: hostile names in stores and file names: escaped on stdout and stderr" {
	need_tool ctl-dump cert-expiry
	local n=$'bad\e[2J\e]0;title\a\nname\xff\xc2\x9b.pem' t
	cp "$B/random" "$n"
	# one batch for the runs, one perl for their clean-text checks
	bq ctl-dump "$n"
	for t in "" -j --json-lines --nagios --prometheus --alarm; do
		bq cert-expiry --now $NOW $t "$n"
	done
	bq cp "$H/evil.pem" "$S/tomcat-trust/$n"
	bq cp "$H/evil-utf8.pem" "$S/CallManager-trust/x$n"
	for t in "" -a -j --json-lines --nagios --prometheus --alarm; do
		bq cert-expiry --now $NOW $t -s "$S"
	done
	if [ -x "$TOP/bin/trust-prune" ]; then
		for t in "" -v -j; do
			bq trust-prune -s "$S" --now $LATER $t
		done
	fi
	brun
	res -2
	[[ $stderr == 'ctl-dump: bad\x1B[2J\x1B]0;title\x07\x0Aname\xFF\xC2\x9B.pem: '* ]]
	clean_later
	for t in "" -j --json-lines --nagios --prometheus --alarm; do
		res
		[ "$status" -ge 2 ]
		clean_later
	done
	res -0
	res -0
	for t in "" -a -j --json-lines --nagios --prometheus --alarm; do
		res
		[ "$status" -le 2 ]
		clean_later
	done
	if [ -x "$TOP/bin/trust-prune" ]; then
		for t in "" -v -j; do
			res
			[ "$status" -le 2 ]
			clean_later
		done
	fi
	clean_check
	if [ -x "$TOP/bin/itl-build" ]; then
		xrun -2 --separate-stderr itl-build -k "$H/ok.key" --sast "$n" -o out.tlv
		both_clean
		cp "$H/evil.pem" "e$n"
		xrun -0 --separate-stderr itl-build -j -k "$H/ok.key" --sast "$H/ok.pem" --tftp "e$n" -o out.tlv
		jq -e . <<<"$output" >/dev/null
		both_clean
	fi
}

@test "hostile: cert-regen: control bytes in a certificate name reach neither the terminal nor a file name" {
	need_tool cert-regen
	local t
	cp "$H/evil.pem" "$S/CallManager/CallManager.pem"
	cp "$H/evil.key" "$S/CallManager/CallManager.key"
	for t in -n -j ""; do
		xrun -0 --separate-stderr cert-regen -y $t -s "$S" --now $NOW CallManager
		both_clean
		[ "$t" != -j ] || jq -e . <<<"$output" >/dev/null
	done
	for t in "$S"/*/*; do
		printf '%s' "${t##*/}" | clean_text
	done
}

@test "hostile: symlinks in a store are never followed out of it, nor moved or deleted through" {
	need_storekit
	need_tool cert-expiry
	local out="$BATS_TEST_TMPDIR/outside" sums
	mkdir -p "$out/dir"
	cp "$H/expired.pem" "$out/expired.pem"
	cp "$H/expired.pem" "$out/dir/expired2.pem"
	cp "$H/ok.pem" "$out/own.pem"
	cp "$H/ok.key" "$out/own.key"
	ln -s "$out/expired.pem" "$S/CallManager-trust/link.pem"
	ln -s "$out/dir" "$S/Phone-trust"
	sums=$(tree "$out")
	xrun --separate-stderr cert-expiry --now $LATER -a -s "$S"
	[[ $output != *"link.pem"* && $output != *"expired2"* ]]
	if [ -x "$TOP/bin/trust-prune" ]; then
		xrun --separate-stderr trust-prune -s "$S" --now $LATER --apply
		[ "$status" -le 2 ]
		[ -L "$S/CallManager-trust/link.pem" ] && [ -L "$S/Phone-trust" ]
		[ "$(tree "$out")" = "$sums" ]
		[ ! -e "$S/CallManager-trust/expired.pem" ]
	fi
	if [ -x "$TOP/bin/cert-regen" ]; then
		# an own certificate and key that are symlinks out of the store
		rm "$S/CallManager/CallManager.pem" "$S/CallManager/CallManager.key"
		ln -s "$out/own.pem" "$S/CallManager/CallManager.pem"
		ln -s "$out/own.key" "$S/CallManager/CallManager.key"
		xrun --separate-stderr cert-regen -y -s "$S" --now $NOW CallManager
		[ "$(tree "$out")" = "$sums" ]
		[ "$status" -eq 2 ] || [ ! -L "$S/CallManager/CallManager.key" ]
	fi
	# .backup planted as a symlink would take old keys out of the store
	rm -rf "$S/.backup" "$S/CallManager"
	cp -a "$H/tpl/CallManager" "$S/"
	mkdir "$out/backups"
	ln -s "$out/backups" "$S/.backup"
	if [ -x "$TOP/bin/cert-regen" ]; then
		xrun -2 --separate-stderr cert-regen -y -s "$S" --now $NOW CallManager
		[[ $stderr == *".backup: symbolic link"* ]]
		cmp "$H/tpl/CallManager/CallManager.key" "$S/CallManager/CallManager.key"
	fi
	if [ -x "$TOP/bin/trust-prune" ]; then
		cp "$H/expired.pem" "$S/CallManager-trust/expired.pem"
		xrun -2 --separate-stderr trust-prune -s "$S" --now $LATER --apply
		cmp "$H/expired.pem" "$S/CallManager-trust/expired.pem"
	fi
	[ -z "$(ls -A "$out/backups")" ]
}

@test "hostile: a planted backup manifest never makes a restore reach outside the store" {
	local v="$BATS_TEST_TMPDIR/victim" sum b
	echo victim >"$v"
	sum=$(sha256sum <"$v" | cut -d' ' -f1)
	if [ -x "$TOP/bin/trust-prune" ]; then
		for p in "CallManager-trust/../../victim" "../victim" "/$v" "CallManager-trust/x/../../../victim"; do
			b="$S/.backup/20200101T000000Z-trust-prune"
			rm -rf "$S/.backup"
			mkdir -p "$b/CallManager-trust"
			printf '# trust-prune manifest 1\n%s\t%s\tCN=x\t01\t2020-01-01T00:00:00Z\texpired\n' \
				"$p" "$sum" >"$b/manifest"
			echo planted >"$b/victim"
			xrun -2 --separate-stderr trust-prune -r "$b"
			[ "$(cat "$v")" = victim ]
		done
	fi
	if [ -x "$TOP/bin/cert-regen" ]; then
		for p in "put	../victim" "remove	../victim" "replace	../victim" "put	/$v" "replace	$v"; do
			b="$S/.backup/20200101T000000Z-cert-regen"
			rm -rf "$S/.backup"
			mkdir -p "$b"
			printf '# planted\n%s\n' "$p" >"$b/MANIFEST"
			echo planted >"$b/victim"
			echo planted >"$S/.backup/victim"
			xrun --separate-stderr cert-regen -y -s "$S" --restore "$b"
			[ "$status" -le 2 ]
			[ "$(cat "$v")" = victim ]
		done
	fi
}

@test "hostile: itl-build -s: a symlink or FIFO where a unit's certificate belongs is reported, not left out silently" {
	need_tool itl-build
	mkdir -p "$S/TVS" "$S/ITLRecovery"
	mkcert "$S/TVS" TVS 365 /CN=tvs1
	mkcert "$S/ITLRecovery" ITLRecovery 365 /CN=ITLRECOVERY_cucm1
	xrun -0 --separate-stderr itl-build -n -j -s "$S"
	[[ $output == *"CN=tvs1"* ]]
	mv "$S/TVS/TVS.pem" tvs.pem
	ln -s "$BATS_TEST_TMPDIR/tvs.pem" "$S/TVS/TVS.pem"
	xrun --separate-stderr itl-build -n -j -s "$S"
	[[ $stderr == *"TVS/TVS.pem"* ]]
	rm "$S/TVS/TVS.pem"
	mkfifo "$S/TVS/TVS.pem"
	xrun --separate-stderr timeout 60 "$TOP/bin/itl-build" -n -j -s "$S"
	[[ $stderr == *"TVS/TVS.pem"* ]]
}

@test "hostile: FIFOs and directories where certificates and keys belong: no hang, exit 2" {
	need_storekit
	need_tool cert-expiry
	mkfifo "$S/CallManager-trust/fifo.pem"
	mkdir "$S/CallManager-trust/dir.pem"
	xrun --separate-stderr timeout 60 "$TOP/bin/cert-expiry" --now $NOW -s "$S"
	[ "$status" -le 2 ]
	xrun -2 --separate-stderr timeout 60 "$TOP/bin/cert-expiry" --now $NOW "$S/CallManager-trust/fifo.pem"
	[[ $stderr == "cert-expiry: $S/CallManager-trust/fifo.pem: "* ]]
	if [ -x "$TOP/bin/trust-prune" ]; then
		xrun --separate-stderr timeout 60 "$TOP/bin/trust-prune" -s "$S" --now $LATER --apply
		[ "$status" -le 2 ]
		[ -p "$S/CallManager-trust/fifo.pem" ] && [ -d "$S/CallManager-trust/dir.pem" ]
	fi
	if [ -x "$TOP/bin/cert-regen" ]; then
		local f before
		for f in CallManager.pem CallManager.key; do
			rm -rf "$S/CallManager"
			cp -a "$H/tpl/CallManager" "$S/"
			rm "$S/CallManager/$f"
			mkfifo "$S/CallManager/$f"
			before=$(tree "$S")
			xrun -2 --separate-stderr timeout 60 "$TOP/bin/cert-regen" -y -s "$S" --now $NOW CallManager
			[[ $stderr == *"cert-regen: "*"$f"* ]]
			[ "$(tree "$S")" = "$before" ]
			rm "$S/CallManager/$f"
			mkdir "$S/CallManager/$f"
			xrun -2 --separate-stderr timeout 60 "$TOP/bin/cert-regen" -y -s "$S" --now $NOW CallManager
			[ -d "$S/CallManager/$f" ]
		done
	fi
	if [ -x "$TOP/bin/itl-build" ]; then
		xrun -2 --separate-stderr timeout 60 "$TOP/bin/itl-build" -k "$S/CallManager-trust/fifo.pem" \
			--sast "$H/ok.pem" -o out.tlv
		[ ! -e out.tlv ]
	fi
}

# hold_fifo PATH: a FIFO at PATH with a writer that never writes (its pid in $HOLDER).
hold_fifo() {
	rm -rf "$1"
	mkfifo "$1"
	sleep 120 <>"$1" >/dev/null 2>&1 3>&- &
	HOLDER=$!
}

@test "hostile: a FIFO with a writer is refused at once by name (ctl-dump, cert-expiry, cert-regen); stdin stays a pipe" {
	need_storekit
	need_tool cert-expiry
	local f=$BATS_TEST_TMPDIR/held.pem
	hold_fifo "$f"
	xrun -2 --separate-stderr timeout 20 "$TOP/bin/cert-expiry" --now $NOW "$f"
	[ "$stderr" = "cert-expiry: $f: a FIFO, not a regular file" ]
	[ -z "$output" ]
	if [ -x "$TOP/bin/ctl-dump" ]; then
		xrun -2 --separate-stderr timeout 20 "$TOP/bin/ctl-dump" "$f"
		[ "$stderr" = "ctl-dump: $f: a FIFO, not a regular file" ]
		[ -z "$output" ]
	fi
	kill "$HOLDER"
	# a pipe on stdin is still read
	xrun -0 --separate-stderr sh -c 'cat "$1" | cert-expiry --now "$2" -a -' sh "$H/ok.pem" $NOW
	[[ $output == *"<stdin>"* ]]
	if [ -x "$TOP/bin/cert-regen" ]; then
		local before
		hold_fifo "$S/CallManager/CallManager.pem"
		before=$(tree "$S")
		xrun -2 --separate-stderr timeout 20 "$TOP/bin/cert-regen" -y -s "$S" --now $NOW CallManager
		[[ $stderr == *"cert-regen: $S/CallManager/CallManager.pem: a FIFO, not a regular file"* ]]
		[ "$(tree "$S")" = "$before" ]
		kill "$HOLDER"
	fi
}

@test "hostile: files that disappear between listing and reading: message, exit 2, nothing lost" {
	[ -f "$BATS_FILE_TMPDIR/vanish.so" ] || skip "no C compiler for the LD_PRELOAD shim"
	need_tool cert-expiry
	export LD_PRELOAD="$BATS_FILE_TMPDIR/vanish.so" ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
	CTK_VANISH=valid.pem xrun -2 --separate-stderr cert-expiry --now $NOW -a -s "$S"
	[[ $stderr == *"cert-expiry: $S/"*"valid.pem: "* ]]
	[[ $output == *CallManager.pem* ]]
	if [ -x "$TOP/bin/trust-prune" ]; then
		rm -rf "$S"
		cp -a "$H/tpl" "$S"
		CTK_VANISH=valid.pem xrun -2 --separate-stderr trust-prune -s "$S" --now $LATER --apply
		[[ $stderr == *"valid.pem"* ]]
		cmp "$H/expired.pem" "$S"/.backup/*/CallManager-trust/expired.pem
	fi
	if [ -x "$TOP/bin/cert-regen" ]; then
		rm -rf "$S"
		cp -a "$H/tpl" "$S"
		rm "$S/CallManager-trust/valid.pem"
		cp "$H/tpl/CallManager/CallManager.key" keep.key
		CTK_VANISH=CallManager.key xrun -2 --separate-stderr cert-regen -y -s "$S" --now $NOW CallManager
		[[ $stderr == *"CallManager.key"* ]]
		cmp "$H/tpl/CallManager/CallManager.pem" "$S/CallManager/CallManager.pem"
	fi
	unset LD_PRELOAD
}

@test "hostile: read-only directories: writers exit 2 and change nothing" {
	need_storekit
	RO=$(mktemp -d /tmp/ctk-ro.XXXXXX)
	chmod 755 "$RO"
	cp -a "$S" "$RO/store"
	mkdir "$RO/out"
	cp "$H/ok.key" "$H/ok.pem" "$RO/"
	[ "$(id -u)" != 0 ] || chown -R 65534:65534 "$RO"
	find "$RO" -type d -exec chmod 555 {} +
	local before=$(tree "$RO/store")
	if [ -x "$TOP/bin/cert-regen" ]; then
		xrun -2 --separate-stderr as_user cert-regen -y -s "$RO/store" --now $NOW CallManager
		[[ $stderr == "cert-regen: $RO/store"* ]]
		[ "$(tree "$RO/store")" = "$before" ]
		[ ! -e "$RO/store/.backup" ]
	fi
	if [ -x "$TOP/bin/trust-prune" ]; then
		xrun -2 --separate-stderr as_user trust-prune -s "$RO/store" --now $LATER --apply
		[[ $stderr == "trust-prune: $RO/store"* ]]
		[ "$(tree "$RO/store")" = "$before" ]
	fi
	if [ -x "$TOP/bin/itl-build" ]; then
		xrun -2 --separate-stderr as_user itl-build -k "$RO/ok.key" --sast "$RO/ok.pem" -o "$RO/out/x.tlv"
		[[ $stderr == "itl-build: $RO/out/x.tlv"* ]]
		[ -z "$(ls -A "$RO/out")" ]
	fi
	if [ -x "$TOP/bin/ctl-dump" ] && [ -f "$H/good.tlv" ]; then
		xrun -2 --separate-stderr as_user ctl-dump -x "$RO/out" "$H/good.tlv"
		[ -z "$(ls -A "$RO/out")" ]
	fi
}

@test "hostile: stdout on /dev/full: every tool exits 2 with a message" {
	local t
	if [ -x "$TOP/bin/ctl-dump" ] && [ -f "$H/good.tlv" ]; then
		for t in "" -b -j -c; do
			xrun -2 --separate-stderr full ctl-dump $t "$H/good.tlv"
			[[ $stderr == *"ctl-dump: stdout: No space left on device"* ]]
		done
	fi
	if [ -x "$TOP/bin/cert-expiry" ]; then
		for t in "" -j --nagios --prometheus --alarm; do
			xrun --separate-stderr full cert-expiry --now $LATER -a $t "$H/ok.pem"
			[ "$status" -ge 2 ] || { echo "cert-expiry $t: exit $status" >&2; false; }
			[[ $stderr == *"No space left on device"* ]]
		done
	fi
	if [ -x "$TOP/bin/itl-build" ]; then
		xrun -2 --separate-stderr full itl-build -k "$H/ok.key" --sast "$H/ok.pem"
		[[ $stderr == *"No space left on device"* ]]
	fi
	if [ -x "$TOP/bin/trust-prune" ]; then
		xrun -2 --separate-stderr full trust-prune -s "$S" --now $LATER
		[[ $stderr == *"No space left on device"* ]]
	fi
	if [ -x "$TOP/bin/cert-regen" ]; then
		xrun -2 --separate-stderr full cert-regen -n -s "$S" --now $NOW CallManager
		[[ $stderr == *"No space left on device"* ]]
	fi
}

@test "secrets: keys stay 0600 under umask 000, backups are private, no key is ever printed" {
	need_tool cert-regen
	local k m
	xrun -0 --separate-stderr bash -c "umask 000; exec \"\$@\"" _ "$TOP/bin/cert-regen" \
		-y -s "$S" --now $NOW CallManager
	no_secret
	[ "$(stat -c %a "$S/CallManager/CallManager.key")" = 600 ]
	[ "$(stat -c %a "$S/.backup")" = 700 ]
	for k in "$S"/.backup/*; do
		[ "$(stat -c %a "$k")" = 700 ]
	done
	while IFS= read -r -d '' k; do
		m=$(stat -c %a "$k")
		[ "$m" = 600 ] || { echo "$k has mode $m" >&2; false; }
	done < <(find "$S" -type f -exec grep -lZ 'PRIVATE KEY' {} +)
	cmp "$H/tpl/CallManager/CallManager.key" "$S"/.backup/*/CallManager/CallManager.key
	xrun --separate-stderr cert-regen -j -y -s "$S" --now $NOW CallManager
	no_secret
	if [ -x "$TOP/bin/trust-prune" ]; then
		xrun --separate-stderr trust-prune -v -j -s "$S" --now $LATER
		no_secret
	fi
	if [ -x "$TOP/bin/cert-expiry" ]; then
		xrun --separate-stderr cert-expiry -a -s "$S" --now $NOW
		no_secret
	fi
}

@test "secrets: a PKCS#12 password comes from a file or the environment, never required in argv" {
	need_tool cert-expiry
	openssl pkcs12 -export -in "$H/ok.pem" -inkey "$H/ok.key" -passout pass:s3cret -out ok.p12
	printf 's3cret\n' >pw
	chmod 600 pw
	xrun -2 --separate-stderr cert-expiry --now $NOW ok.p12
	[[ $stderr == "cert-expiry: ok.p12: "* ]]
	xrun -0 --separate-stderr cert-expiry --now $NOW -a --password-file pw ok.p12
	[[ $output == *"CN=ok"* ]]
	CERT_EXPIRY_PASSWORD=s3cret xrun -0 --separate-stderr cert-expiry --now $NOW -a ok.p12
	[[ $output == *"CN=ok"* ]]
	CERT_EXPIRY_PASSWORD=Leak-Me-Not xrun -2 --separate-stderr cert-expiry --now $NOW ok.p12
	[[ $stderr == "cert-expiry: ok.p12: "* && $stderr != *Leak-Me-Not* ]]
	no_secret
}

@test "hostile: a PKCS#12 asking for 2^31 key derivation iterations is refused at once, not obeyed" {
	need_tool cert-expiry
	local f
	for f in "$REGRESS"/cert-p12-*-iter-*.p12; do
		xrun -2 --separate-stderr timeout 30 "$TOP/bin/cert-expiry" "$f"
		[[ $stderr == "cert-expiry: $f: PKCS#12: refused: "* ]]
	done
}

@test "hostile: PKCS#12 key-derivation bombs (scrypt p=4096, 30 safes x 2,000,000 iterations) are refused by their price; a walk goes on" {
	need_tool cert-expiry
	[ -x "$TOP/tests/bin/mkp12" ] || skip "tests/bin/mkp12 is not built (make check builds it)"
	"$TOP/tests/bin/mkp12" "$H/ok.pem" scrypt.p12 scrypt 16384 8 4096
	"$TOP/tests/bin/mkp12" "$H/ok.pem" safes.p12 pbkdf2 30 2000000
	"$TOP/tests/bin/mkp12" "$H/ok.pem" fine.p12 pbkdf2 1 600000
	[ "$(stat -c %s scrypt.p12)" -lt 1048576 ] && [ "$(stat -c %s safes.p12)" -lt 1048576 ]
	# timeout: a hang guard only (obeyed, the two would cost minutes), not a timed test
	xrun -2 --separate-stderr timeout 60 "$TOP/bin/cert-expiry" --now $NOW scrypt.p12
	[ "$stderr" = "cert-expiry: scrypt.p12: PKCS#12: refused: scrypt parameters over the cap" ]
	[ -z "$output" ]
	xrun -2 --separate-stderr timeout 60 "$TOP/bin/cert-expiry" --now $NOW safes.p12
	[ "$stderr" = "cert-expiry: safes.p12: PKCS#12: refused: key derivation work over the per-file budget" ]
	# within the budget: a safe of 600,000 iterations, as some exporters write
	xrun --separate-stderr cert-expiry --now $NOW -a fine.p12
	[ "$status" -le 1 ] && [ -z "$stderr" ]
	[[ $output == *"fine.p12"*"CN=ok"* ]]
	# a walk reports each bomb and goes on with the next file
	mkdir walk
	cp scrypt.p12 safes.p12 "$H/ok.pem" walk/
	xrun -2 --separate-stderr timeout 60 "$TOP/bin/cert-expiry" --now $NOW -a walk
	[[ $output == *"walk/ok.pem"*"CN=ok"* ]]
	[ "$stderr" = "cert-expiry: walk/safes.p12: PKCS#12: refused: key derivation work over the per-file budget
cert-expiry: walk/scrypt.p12: PKCS#12: refused: scrypt parameters over the cap" ]
	if [ -x "$TOP/bin/itl-build" ]; then
		xrun -2 --separate-stderr timeout 60 "$TOP/bin/itl-build" -n -k "$H/ok.key" --sast "$H/ok.pem" --tftp scrypt.p12
		[ "$stderr" = "itl-build: scrypt.p12: PKCS#12: refused: scrypt parameters over the cap" ]
	fi
}

@test "walks: a service account skips 0600 keys unread (--nagios not UNKNOWN); symlinked certificates are reported and counted" {
	need_tool cert-expiry
	RO=$(mktemp -d /tmp/ctk-keys.XXXXXX)
	chmod 755 "$RO"
	cp -a "$S" "$RO/store"
	# a key under another name that holds a key only: skipped by its content
	cp "$H/ok.key" "$RO/store/CallManager/stray-key.pem"
	find "$RO/store" -type d -exec chmod 755 {} +
	find "$RO/store" -type f -exec chmod 644 {} +
	find "$RO/store" -name '*.key' -exec chmod 600 {} +
	[ -n "$(find "$RO/store" -name '*.key')" ]
	xrun --separate-stderr as_user cert-expiry --now $NOW --nagios -s "$RO/store"
	[ "$status" -ne 3 ]
	[[ $output == "CERT-EXPIRY "*"; 0 files unreadable |"* && $output != *UNKNOWN* ]]
	[ -z "$stderr" ]
	xrun --separate-stderr as_user cert-expiry --now $NOW --prometheus -s "$RO/store"
	[ "$status" -le 1 ]
	[[ $output == *$'\nx509_read_errors 0\n'* || $output == *$'\nx509_read_errors 0' ]]
	# a symlinked certificate: a note on stderr, an entry in JSON's skipped, the table lines as before
	xrun --separate-stderr cert-expiry --now $NOW -a -s "$RO/store"
	local table=$output st=$status
	[ "$st" -le 1 ] && [ -n "$table" ]
	ln -s "$H/ok.pem" "$RO/store/CallManager-trust/linked.pem"
	xrun --separate-stderr cert-expiry --now $NOW -a -s "$RO/store"
	[ "$status" = "$st" ] && [ "$output" = "$table" ]
	[ "$stderr" = "cert-expiry: $RO/store/CallManager-trust/linked.pem: symbolic link: not followed, skipped" ]
	xrun --separate-stderr cert-expiry --now $NOW -j -s "$RO/store"
	jq -e '([.skipped[] | select(.skipped == "symbolic link: not followed")] | length) == 1 and .errors == []' <<<"$output" >/dev/null
	rm "$RO/store/CallManager-trust/linked.pem"
	xrun --separate-stderr cert-expiry --now $NOW -j -s "$RO/store"
	jq -e '.skipped == []' <<<"$output" >/dev/null
}

@test "regress: every input that once crashed a fuzz target replays cleanly through the tools" {
	local f t n=0
	for f in "$REGRESS"/*; do
		[ -f "$f" ] || continue
		n=$((n + 1))
		# the fuzz targets too, when `make fuzz-build` made them after the last library change
		for t in "$TOP"/tests/fuzz/bin/fuzz_*; do
			[ "${t%.log}" != "$t" ] || [ ! -x "$t" ] || [ ! "$t" -nt "$TOP/lib/libctk.a" ] ||
				timeout 120 "$t" "$f" 2>/dev/null
		done
		if [ -x "$TOP/bin/ctl-dump" ]; then
			for t in "" -b -j -c; do
				bq ctl-dump $t "$f"
			done
		fi
		if [ -x "$TOP/bin/cert-expiry" ]; then
			bq cert-expiry --now $NOW "$f"
			bq cert-expiry --now $NOW -j "$f"
		fi
		if [ -x "$TOP/bin/itl-build" ]; then
			bq itl-build -n -k "$H/ok.key" --sast "$H/ok.pem" --tftp "$f"
			bq itl-build -n -k "$H/ok.key" --resign "$f"
		fi
	done
	[ "$n" -gt 0 ]
	brun
	# the checks without Bats' DEBUG trap (a few hundred commands)
	checks() {
		# the tools' runs, checked in the same order (one jq for the JSON of them all)
		for f in "$REGRESS"/*; do
			[ -f "$f" ] || continue
			if [ -x "$TOP/bin/ctl-dump" ]; then
				for t in "" -b -j -c; do
					res
					[ "$status" -le 2 ]
					[ "$t" != -j ] || json_later
				done
			fi
			if [ -x "$TOP/bin/cert-expiry" ]; then
				res
				[ "$status" -le 2 ]
				res
				[ "$status" -le 2 ]
				json_later .
			fi
			if [ -x "$TOP/bin/itl-build" ]; then
				res
				[ "$status" -le 2 ]
				res
				[ "$status" -le 2 ]
			fi
		done
		json_check
	}
	notrace checks
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

@test "hostile: trust lists over 1 MB or 1,024 records are refused, memory stays within 16x the file" {
	need_tool ctl-dump cert-expiry trust-prune itl-build
	[ -x /usr/bin/time ] || skip "/usr/bin/time is absent"
	tl_amp amp8.tlv 0100020005 1677721		# 8 MB of empty records
	tl_amp amp1025.tlv 0100020005 1025
	tl_amp amp1024.tlv 0100020005 1024
	# 16 records of 65,535 bytes, each 21,843 empty 3-byte tags: the most tags 1 MB can hold
	tl_amp dense.tlv "010002fffe$(printf '0b0000%.0s' $(seq 21843))" 16
	[ "$(stat -c %s dense.tlv)" -le 1048576 ]
	base=$(tl_rss ctl-dump -j "$H/good.tlv")
	# the modes' runs in one batch; tl_rss's measure as bq runs it: /usr/bin/time into rss.N
	for m in "" -j -b; do
		bq ctl-dump $m amp8.tlv
		bq ctl-dump $m amp1025.tlv
		bq ctl-dump $m amp1024.tlv
		bq /usr/bin/time -f %M -o rss.$((BQ + 1)) "$TOP/bin/ctl-dump" $m dense.tlv
		bq /usr/bin/time -f %M -o rss.$((BQ + 1)) "$TOP/bin/ctl-dump" $m amp8.tlv
	done
	brun
	for m in "" -j -b; do
		res -2 --no-output
		[ "$stderr" = "ctl-dump: amp8.tlv: trust list larger than 1048576 bytes at byte 1048576" ]
		res -2 --no-output
		[ "$stderr" = "ctl-dump: amp1025.tlv: more than 1024 records at byte 5132" ]
		res -1 --no-output
		res -1 --no-output
		mapfile -t rss <rss.$BR
		[ $((rss[-1] - base)) -le $((16 * 1024)) ]	# KB: 16x a 1 MB file
		res -2 --no-output
		mapfile -t rss <rss.$BR
		[ $((rss[-1] - base)) -le $((16 * 8192)) ]
	done
	xrun -2 --separate-stderr cert-expiry --now $NOW amp8.tlv
	[ "$stderr" = "cert-expiry: amp8.tlv: damaged CTL/ITL: trust list larger than 1048576 bytes at byte 1048576" ]
	rss=$(tl_rss cert-expiry --now $NOW amp8.tlv) || [ $? -eq 2 ]
	[ $((rss - base)) -le $((16 * 8192)) ]
	xrun -2 --separate-stderr trust-prune -s "$S" --keep-in amp8.tlv
	[ "$stderr" = "trust-prune: amp8.tlv: trust list larger than 1048576 bytes at byte 1048576" ]
	xrun -2 --separate-stderr itl-build -k "$H/ok.key" --sast "$H/ok.pem" --trust amp8.tlv -o x.tlv
	[ "$stderr" = "itl-build: amp8.tlv: trust list larger than 1048576 bytes at byte 1048576" ]
	xrun -2 --separate-stderr itl-build -k "$H/ok.key" --resign amp1025.tlv -o x.tlv
	[ "$stderr" = "itl-build: amp1025.tlv: more than 1024 records at byte 5132" ]
	[ ! -e x.tlv ]
}

@test "hostile: out of memory (ulimit -v) anywhere in ctl-dump: exit 2 with a message, never a signal" {
	need_tool ctl-dump
	tl_plain ctl-dump
	tl_amp amp8.tlv 0100020005 1677721
	tl_amp dense.tlv "010002fffe$(printf '0b0000%.0s' $(seq 21843))" 16
	xrun -2 --separate-stderr bash -c 'ulimit -v 600000; exec ctl-dump amp8.tlv'
	[ "$stderr" = "ctl-dump: amp8.tlv: trust list larger than 1048576 bytes at byte 1048576" ]
	# From too little to load the libraries to enough: every run ends in 0, 1 or 2, and 2 says why.
	# every 1,000 KB under make check-full; every 8,000 KB under make check
	local v m f oom=0 step
	# the runs in one sh, each in a subshell of its own limit
	step=$(pick_full 1000 8000)
	for ((v = 8000; v <= 24000; v += step)); do
		for f in dense.tlv "$H/good.tlv" amp8.tlv; do
			for m in "" -j -b; do
				bq sh -c "ulimit -v $v; exec ctl-dump $m $f"
			done
		done
	done
	brun
	# the checks without Bats' DEBUG trap (a few hundred commands)
	checks() {
		for ((v = 8000; v <= 24000; v += step)); do
			for f in dense.tlv "$H/good.tlv" amp8.tlv; do
				for m in "" -j -b; do
					res --no-output
					[ "$status" -le 2 ] || [ "$status" -eq 127 ]	# 127: the loader gave up
					[ "$status" -ne 2 ] || [[ $stderr == "ctl-dump: "* ]]
					[[ $stderr != *"out of memory"* ]] || oom=$((oom + 1))
				done
			done
		done
		[ "$oom" -gt 0 ]
	}
	notrace checks
}

@test "hostile: the trust check compares keys: a forged ITLRecovery (old subject and serial, new key) is rejected" {
	need_tool ctl-dump itl-build
	mkcert . rec 365 /CN=ITLRECOVERY_node1
	mkcert . tftp 365 /CN=node1
	serial=$(openssl x509 -in rec.pem -noout -serial | cut -d= -f2)
	mkcert . forged 365 /CN=ITLRECOVERY_node1 -set_serial "0x$serial"
	[ "$(openssl x509 -in forged.pem -noout -serial -subject -issuer)" = \
	  "$(openssl x509 -in rec.pem -noout -serial -subject -issuer)" ]
	itl-build -k rec.key --sast rec.pem --tftp tftp.pem --now @1700000000 -o old.tlv
	itl-build -k forged.key --sast forged.pem --tftp tftp.pem -o forged.tlv
	itl-build -k rec.key --sast rec.pem --tftp tftp.pem -o same.tlv
	xrun -1 ctl-dump --brief --trust old.tlv forged.tlv
	[[ ${lines[-1]} == "REJECTED forged.tlv: the new file's signer has the serial number and issuer of a SAST record of the old file, but not its key (record #1 of old.tlv)" ]]
	xrun -1 --separate-stderr ctl-dump -j --trust old.tlv forged.tlv
	jq -e '.signature.verified == true and .trust.accepted == false' <<<"$output" >/dev/null
	xrun -1 --separate-stderr ctl-dump -q --trust old.tlv forged.tlv
	[ -z "$output" ]
	xrun -0 ctl-dump --brief --trust old.tlv same.tlv
	[[ ${lines[-1]} == "ACCEPTED same.tlv: signed by a SAST certificate of the old file (record #1 of old.tlv)" ]]
	xrun -1 --separate-stderr itl-build -k forged.key --sast forged.pem --tftp tftp.pem --trust old.tlv -o out.tlv
	[[ $stderr == *"old.tlv: a phone holding it would reject the new file: "*"not its key; nothing written" ]]
	[ ! -e out.tlv ]
	xrun -0 --separate-stderr itl-build -k rec.key --sast rec.pem --tftp tftp.pem --trust old.tlv -o out.tlv
	ctl-dump -q --trust old.tlv out.tlv
}

@test "hostile: --now and SOURCE_DATE_EPOCH must be real calendar times X.509 can encode; exit 2 otherwise" {
	need_storekit
	need_tool cert-regen cert-expiry trust-prune itl-build
	local t ts=(2026-02-30T00:00:00Z 2026-02-29T12:00:00Z 2026-04-31T00:00:00Z 2026-01-01T00:00:60Z
	    @-9223372036854775808 @9223372036854775807 @253402300800 @-62167219201 10000-01-01T00:00:00Z)
	for t in "${ts[@]}"; do
		bq cert-expiry --now "$t" "$H/ok.pem"
		bq trust-prune -s "$S" --now "$t"
		bq cert-regen -y -s "$S" --now "$t" CallManager
	done
	brun
	# the checks without Bats' DEBUG trap (a few hundred commands)
	checks() {
		for t in "${ts[@]}"; do
			res -2
			[ "${stderr_lines[0]}" = "cert-expiry: --now: not a time (YYYY-MM-DDTHH:MM:SSZ or @UNIX): \"$t\"" ]
			[ -z "$output" ]
			res -2
			[[ $stderr == "trust-prune: --now: not a time "*"\"$t\""* ]]
			res -2
			[[ $stderr == "cert-regen: --now: not a time "*"\"$t\""* ]]
		done
		for t in -9223372036854775808 253402300800 -62167219201; do
			SOURCE_DATE_EPOCH=$t xrun -2 --separate-stderr cert-expiry "$H/ok.pem"
			[ "$stderr" = "cert-expiry: bad SOURCE_DATE_EPOCH '$t': want Unix seconds from -62167219200 to 253402300799 (years 0000 to 9999)" ]
			SOURCE_DATE_EPOCH=$t xrun -2 --separate-stderr cert-regen -y -s "$S" CallManager
			[[ $stderr == "cert-regen: bad SOURCE_DATE_EPOCH '$t'"* ]]
			SOURCE_DATE_EPOCH=$t xrun -2 --separate-stderr itl-build -n -k "$H/ok.key" --sast "$H/ok.pem"
			[[ $stderr == "itl-build: bad SOURCE_DATE_EPOCH '$t'"* ]]
		done
		xrun -1 cert-expiry -a --now 2024-02-29T23:59:59Z "$H/ok.pem"	# a leap day is real
		[[ $output == *"not-yet-valid" ]]
		xrun -1 cert-expiry -a --now @-62167219200 "$H/ok.pem"
		[[ $output == *"not-yet-valid" ]]
		# cert-regen: the certificate it would make must end by 9999-12-31T23:59:59Z
		before=$(tree "$S")
		xrun -2 --separate-stderr cert-regen -y -s "$S" --now 9999-12-31T23:59:59Z CallManager
		[ "$stderr" = "cert-regen: CallManager: valid 1825 days from 9999-12-31T23:59:59Z would end after 9999-12-31T23:59:59Z, the last time X.509 can encode" ]
		SOURCE_DATE_EPOCH=253402300799 xrun -2 --separate-stderr cert-regen -y -s "$S" --days 1 CallManager
		[[ $stderr == *"valid 1 days from 9999-12-31T23:59:59Z would end after"* ]]
		[ "$(tree "$S")" = "$before" ]
		xrun -0 --separate-stderr cert-regen -y -s "$S" --now 9995-01-02T00:00:00Z CallManager
		[ "$(openssl x509 -in "$S/CallManager/CallManager.pem" -noout -enddate)" = "notAfter=Dec 31 23:59:59 9999 GMT" ]
		xrun -1 cert-expiry -a --now 9999-12-31T00:00:00Z "$S/CallManager/CallManager.pem"
		[[ $output == *"9999-12-31T23:59:59Z"*critical* ]]
	}
	notrace checks
}

@test "hostile: a killed itl-build -o leaves a temp file; the next run removes it, never a live writer's" {
	need_tool itl-build ctl-dump
	command -v cc >/dev/null || skip "no C compiler for the kill shim"
	command -v flock >/dev/null || skip "flock(1) is absent"
	# fsync(2) is the last step before the rename: die there, as a kill -9 would
	printf '%s\n' '#include <signal.h>' 'int fsync(int fd) { (void)fd; raise(SIGKILL); return 0; }' >kill.c
	cc -shared -fPIC -o kill.so kill.c
	local asan="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
	LD_PRELOAD=$PWD/kill.so ASAN_OPTIONS=$asan xrun itl-build -k "$H/ok.key" --sast "$H/ok.pem" -o ITLFile.tlv
	[ "$status" -eq 137 ]
	first=$(ls ITLFile.tlv.tmp.*)
	[ -s "$first" ]
	# killed again: the first leftover is gone, one new one is left
	LD_PRELOAD=$PWD/kill.so ASAN_OPTIONS=$asan xrun itl-build -k "$H/ok.key" --sast "$H/ok.pem" -o ITLFile.tlv
	[ "$status" -eq 137 ]
	[ ! -e ITLFile.tlv ] && [ ! -e "$first" ]
	[ "$(ls ITLFile.tlv.tmp.* | wc -l)" -eq 1 ]
	# a live writer's temp file (locked) beside it, and a look-alike of another name
	: >ITLFile.tlv.tmp.live01
	: >ITLFile.tlv.tmp.notours
	: >Other.tlv.tmp.abcdef
	(exec 9<ITLFile.tlv.tmp.live01; flock -x 9; exec sleep 60) &
	holder=$!
	sleep 0.2
	xrun -0 --separate-stderr itl-build -k "$H/ok.key" --sast "$H/ok.pem" -o ITLFile.tlv
	kill $holder
	ctl-dump -q ITLFile.tlv
	[ "$(ls | grep -c '\.tmp\.')" -eq 3 ]
	[ -e ITLFile.tlv.tmp.live01 ] && [ -e ITLFile.tlv.tmp.notours ] && [ -e Other.tlv.tmp.abcdef ]
	wait $holder 2>/dev/null || true
	xrun -0 --separate-stderr itl-build -f -k "$H/ok.key" --sast "$H/ok.pem" -o ITLFile.tlv
	[ "$(ls | grep -c '\.tmp\.')" -eq 2 ]
	[ ! -e ITLFile.tlv.tmp.live01 ]
}

@test "hostile: bidi controls (U+202E, U+2066, ...) in names are escaped in text and diagnostics, kept as \\u in JSON" {
	need_tool ctl-dump cert-expiry itl-build
	local c m
	# CN "invoice<U+202E>fdp.exe<U+2066>x<U+2069><U+200F>" shows as "invoiceexe.pdf" when not escaped
	printf '[req]\ndistinguished_name=dn\nprompt=no\n[dn]\nCN=invoice\342\200\256fdp.exe\342\201\246x\342\201\251\342\200\217\n' >bidi.cnf
	mkkey bidi.key
	openssl req -x509 -utf8 -key bidi.key -out bidi.pem -days 365 \
		-config bidi.cnf 2>/dev/null
	itl-build -k bidi.key --sast bidi.pem -o bidi.tlv
	esc='invoice\xE2\x80\xAEfdp.exe\xE2\x81\xA6x\xE2\x81\xA9\xE2\x80\x8F'
	for m in "" -b; do
		xrun -0 --separate-stderr ctl-dump $m bidi.tlv
		[[ $output == *"$esc"* ]]
		! grep -q "$(printf '\342\200\256\\|\342\201\246\\|\342\201\251\\|\342\200\217')" <<<"$output"
	done
	xrun -0 --separate-stderr ctl-dump -j bidi.tlv
	[ "$(jq -r '.records[0].subject' <<<"$output")" = "$(printf 'CN=invoice\342\200\256fdp.exe\342\201\246x\342\201\251\342\200\217')" ]
	[[ $output == *'invoice\u202efdp.exe\u2066x\u2069\u200f'* ]]
	for m in -a --nagios --prometheus --alarm; do
		xrun --separate-stderr cert-expiry --now $NOW $m bidi.pem
		! grep -q "$(printf '\342\200\256')" <<<"$output$stderr"
	done
	[[ $(cert-expiry --now $NOW -a bidi.pem) == *"CN=$esc"* ]]
	# a file name with U+202E in a diagnostic
	c=$(printf 'evil\342\200\256gpj.tlv')
	printf 'x' >"$c"
	xrun -2 --separate-stderr ctl-dump "$c"
	[ "$stderr" = 'ctl-dump: evil\xE2\x80\xAEgpj.tlv: not a CTL/ITL file nor a show itl/show ctl capture' ]
}

@test "hostile: serials over 64 bytes print in full, negative ones with a '-' (cert-expiry, ctl-dump, trust-prune)" {
	need_tool ctl-dump cert-expiry itl-build trust-prune
	long=$(printf '7F%.0s' $(seq 70))
	mkcert . long 365 /CN=long -set_serial "0x$long"
	mkcert . neg 365 /CN=neg -set_serial -0x1234
	[ "$(openssl x509 -in neg.pem -noout -serial)" = "serial=-1234" ]
	xrun -1 cert-expiry -a --now $LATER long.pem neg.pem
	[ "$(cut -f6 <<<"${lines[0]}")" = "$long" ]
	[ "$(cut -f6 <<<"${lines[1]}")" = "-1234" ]
	xrun -1 cert-expiry -j --now $LATER long.pem neg.pem
	[ "$(jq -r '.certificates | map(.serial) | join(" ")' <<<"$output")" = "$long -1234" ]
	xrun -1 cert-expiry --prometheus --now $LATER neg.pem
	[[ $output == *'serial="-1234"'* ]]
	itl-build -k neg.key --sast neg.pem --tftp long.pem -o nl.tlv
	xrun -0 ctl-dump -b nl.tlv
	[ "$(cut -f4 <<<"${lines[0]}")" = "-1234" ]
	[ "$(cut -f4 <<<"${lines[1]}")" = "$long" ]
	mkcert_dates . old 20100101000000Z 20200101000000Z /CN=old
	cp long.pem neg.pem old.pem "$S/CallManager-trust/"
	xrun -1 --separate-stderr trust-prune -s "$S" --now $NOW -v
	[[ $output == *$'\t'"$long"$'\t'* ]]
	[[ $output == *$'\t-1234\t'* ]]
	xrun -1 --separate-stderr trust-prune -s "$S" --now $NOW -j
	jq -e --arg l "$long" '[.. | objects | select(.serial? == $l or .serial? == "-1234")] | length == 2' <<<"$output" >/dev/null
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

@test "hostile: ctl-dump: damaged signed files exit 2 with the byte, never a crash or a hang; text clean, JSON valid" {
	need_tool ctl-dump itl-build
	cd "$BATS_TEST_TMPDIR"
	printf '<device/>\n' >a.cnf.xml
	itl-build --sign-file -k "$H/ok.key" --signer "$H/ok.pem" -o good.sgn a.cnf.xml
	mkdir v
	sgn_variants good.sgn v
	local f n=0
	for f in v/*; do
		bq timeout 60 "$TOP/bin/ctl-dump" "$f"
		bq ctl-dump -j --signer "$H/ok.pem" "$f"
		bq ctl-dump -b --trust "$H/good.tlv" "$f"
		bq ctl-dump --payload "$f"
	done
	brun
	# the checks without Bats' DEBUG trap (a few hundred commands)
	checks() {
		for f in v/*; do
			n=$((n + 1))
			res -2
			[[ $stderr =~ ^"ctl-dump: $f: ".*" at byte "[0-9]+$ ]] || [[ $stderr == "ctl-dump: $f: "* ]]
			clean_later
			res -2
			json_later
			res -2
			[ -z "$output" ]
			res -2
			[ -z "$output" ]
		done
		clean_check
		json_check
		[ "$n" -ge 19 ]
		# the fuzz target's way of reading them, when it is built and current
		if [ -x "$TOP/tests/fuzz/bin/fuzz_sgn" ] && [ "$TOP/tests/fuzz/bin/fuzz_sgn" -nt "$TOP/lib/libctk.a" ]; then
			for f in v/*; do
				{ printf '\000\000'; cat "$f"; } >one
				timeout 60 "$TOP/tests/fuzz/bin/fuzz_sgn" one 2>/dev/null
			done
		fi
	}
	notrace checks
}

@test "hostile: signed files whose signer names hold escape sequences and invalid UTF-8: escaped, JSON valid" {
	need_tool ctl-dump itl-build
	cd "$BATS_TEST_TMPDIR"
	printf '<device/>\n' >a.cnf.xml
	itl-build --sign-file -k "$H/evil.key" --signer "$H/evil.pem" -o evil.sgn a.cnf.xml
	cp evil.sgn evil-utf8.sgn
	patchbin evil-utf8.sgn '\xc3\xbf\xc3\xbe' '\xff\xfe\xc0\xaf'
	for f in evil.sgn evil-utf8.sgn; do
		xrun -0 --separate-stderr ctl-dump "$f"
		both_clean
		xrun --separate-stderr ctl-dump --trust "$H/good.tlv" "$f"
		[ "$status" -le 1 ]
		both_clean
		xrun -0 --separate-stderr ctl-dump -j "$f"
		jq -e '.header.signer.name | test("RED")' <<<"$output"
		xrun -0 --separate-stderr ctl-dump -b "$f"
		both_clean
		[ "$(awk -F'\t' '{print NF}' <<<"$output")" = 5 ]
	done
	# the TFTP record of good.tlv is evil.pem: the unpatched file is accepted, by serial and
	# issuer; the patched one names another issuer and no longer verifies
	xrun -0 --separate-stderr ctl-dump -b --trust "$H/good.tlv" evil.sgn
	[[ $output == "ACCEPTED	"* ]]
	xrun -1 --separate-stderr ctl-dump -b --trust "$H/good.tlv" evil-utf8.sgn
	[[ $output == "REJECTED	"* ]]
}

@test "hostile: itl-build --sign-file: a directory, a missing or damaged signer, stdout on /dev/full: exit 2, nothing written" {
	need_tool itl-build
	cd "$BATS_TEST_TMPDIR"
	mkdir d
	printf 'x' >a.cnf.xml
	xrun -2 --separate-stderr itl-build --sign-file -k "$H/ok.key" --signer "$H/ok.pem" d
	[[ $stderr == "itl-build: d: "* ]]
	[ ! -e d.sgn ]
	xrun -2 --separate-stderr itl-build --sign-file -k "$H/ok.key" --signer "$H/bad/trunc.pem" a.cnf.xml
	[[ $stderr == "itl-build: $H/bad/trunc.pem: "* ]]
	xrun -2 --separate-stderr itl-build --sign-file -k "$H/bad/random" --signer "$H/ok.pem" a.cnf.xml
	[ ! -e a.cnf.xml.sgn ]
	xrun -2 --separate-stderr full itl-build --sign-file -k "$H/ok.key" --signer "$H/ok.pem" -o - a.cnf.xml
	[[ $stderr == *"No space left on device"* ]]
	# one unreadable file among good ones: the others are signed, the status says trouble
	printf 'y' >b.cnf.xml
	xrun -2 --separate-stderr itl-build --sign-file -k "$H/ok.key" --signer "$H/ok.pem" a.cnf.xml d b.cnf.xml
	[ -s a.cnf.xml.sgn ] && [ -s b.cnf.xml.sgn ] && [ ! -e d.sgn ]
}
