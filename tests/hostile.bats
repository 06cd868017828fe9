#!/usr/bin/env bats
# hostile.bats: every tool in bin/ against hostile input: damaged files, hostile names, planted
# symlinks, FIFOs and directories, files that vanish, read-only directories, /dev/full, secrets,
# and the inputs in tests/regress/ that once crashed a fuzz target.
load helpers

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

# both_clean: $output and $stderr of the last run pass clean_text.
both_clean() {
	printf '%s' "$output" | clean_text
	printf '%s' "$stderr" | clean_text
}

# no_secret: nothing the last run printed holds a private key.
no_secret() {
	[[ $output != *"PRIVATE KEY"* ]]
	[[ $stderr != *"PRIVATE KEY"* ]]
}

# tree DIR: modes and hashes of every file under DIR (.backup left out): equal = unchanged.
tree() {
	(cd "$1" && find . \( -path ./.backup -o -path ./.lock \) -prune -o \( -type f -o -type l \) -printf '%m %p %l\n' |
		sort && find . \( -path ./.backup -o -path ./.lock \) -prune -o -type f -print0 | sort -z | xargs -0r sha256sum)
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

setup_file() {
	local h="$BATS_FILE_TMPDIR" b="$BATS_FILE_TMPDIR/bad" s="$BATS_FILE_TMPDIR/tpl"
	mkdir -p "$b" "$s/CallManager" "$s/CallManager-trust" "$s/tomcat-trust"
	mkcert "$h" ok 365 /CN=ok
	openssl x509 -in "$h/ok.pem" -outform DER -out "$h/ok.der"
	# A name with ESC, BEL, a C1 CSI, a tab and (patched in afterwards) invalid UTF-8.
	printf '[req]\ndistinguished_name=dn\nprompt=no\n[dn]\nCN=ev\033[31mRED\a\302\2332J\303\277\303\276\tend\n' \
		>"$h/evil.cnf"
	openssl req -x509 -utf8 -newkey rsa:2048 -nodes -keyout "$h/evil.key" -out "$h/evil.pem" \
		-days 365 -config "$h/evil.cnf" 2>/dev/null
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
	local f
	for f in $(bad_files) "$BATS_TEST_TMPDIR/dir.pem" nonexistent.tlv; do
		run -2 --separate-stderr timeout 60 "$TOP/bin/ctl-dump" -q "$f"
		[ -z "$output" ]
		[[ $stderr == "ctl-dump: $f: "* ]]
		run -2 --separate-stderr ctl-dump -q "$f"
		run -2 --separate-stderr ctl-dump "$f"
		[[ $stderr == *"ctl-dump: $f: "* ]]
		both_clean
		run -2 --separate-stderr ctl-dump -j "$f"
		[ -z "$output" ] || jq -e . <<<"$output" >/dev/null
		run -2 --separate-stderr ctl-dump -b "$f"
		run -2 --separate-stderr ctl-dump -x "$BATS_TEST_TMPDIR/dir.pem" "$f"
		if [ -f "$H/good.tlv" ]; then
			run -2 --separate-stderr ctl-dump -t "$f" "$H/good.tlv"
			[[ $stderr == *"ctl-dump: $f: "* ]]
		fi
	done
}

@test "hostile: cert-expiry: damaged, random, empty, huge, FIFO input: exit 2 (nagios 3), names the file" {
	need_tool cert-expiry
	local f
	for f in $(bad_files) nonexistent.pem; do
		run -2 --separate-stderr timeout 60 "$TOP/bin/cert-expiry" --now $NOW "$f"
		[ -z "$output" ]
		[[ $stderr == "cert-expiry: $f: "* ]]
		run -2 --separate-stderr cert-expiry --now $NOW -j "$f" "$H/ok.pem"
		jq -e '.certificates | length == 1' <<<"$output" >/dev/null
		run -2 --separate-stderr cert-expiry --now $NOW --json-lines "$f"
		[ -z "$output" ] || jq -e . <<<"$output" >/dev/null
		run -3 --separate-stderr cert-expiry --now $NOW --nagios "$f"
		run -2 --separate-stderr cert-expiry --now $NOW --prometheus "$f"
	done
}

@test "hostile: itl-build: damaged certificate, key, --resign and --trusted files: exit 2, nothing written" {
	need_tool itl-build
	local f
	for f in $(bad_files); do
		run -2 --separate-stderr itl-build -k "$H/ok.key" --sast "$H/ok.pem" --tftp "$f" -o out.tlv
		[[ $stderr == "itl-build: $f"* ]]
		[ ! -e out.tlv ]
		run -2 --separate-stderr itl-build -k "$f" --sast "$H/ok.pem" -o out.tlv
		[[ $stderr == "itl-build: $f"* ]]
		[ ! -e out.tlv ]
		run -2 --separate-stderr itl-build -k "$H/ok.key" --resign "$f" -o out.tlv
		[ ! -e out.tlv ]
		run -2 --separate-stderr itl-build -k "$H/ok.key" --sast "$H/ok.pem" --trusted "$f" -o out.tlv
		[ ! -e out.tlv ]
		no_secret
	done
}

@test "hostile: cert-regen: damaged own certificate, key or --import file: exit 2, store unchanged" {
	need_tool cert-regen
	local f before
	before=$(tree "$S")
	for f in "$B"/*; do
		cp "$f" "$S/CallManager/CallManager.pem"
		before=$(tree "$S")
		run -2 --separate-stderr cert-regen -y -s "$S" --now $NOW CallManager
		[[ $stderr == *"cert-regen: "*"CallManager"* ]]
		no_secret
		[ "$(tree "$S")" = "$before" ]
	done
	cp "$H/tpl/CallManager/CallManager.pem" "$S/CallManager/"
	for f in "$B"/*; do
		cp "$f" "$S/CallManager/CallManager.key"
		before=$(tree "$S")
		run -2 --separate-stderr cert-regen -y -s "$S" --now $NOW CallManager
		no_secret
		[ "$(tree "$S")" = "$before" ]
	done
	cp "$H/tpl/CallManager/CallManager.key" "$S/CallManager/"
	before=$(tree "$S")
	for f in "$B"/*; do
		run -2 --separate-stderr cert-regen -y -s "$S" --now $NOW --import "$f" CallManager
		[[ $stderr == "cert-regen: $f"* ]]
		[ "$(tree "$S")" = "$before" ]
	done
}

@test "hostile: trust-prune: damaged files in a trust unit are reported, left in place; the rest is done" {
	need_tool trust-prune
	local f
	cp "$B"/* "$S/CallManager-trust/"
	run -2 --separate-stderr trust-prune -s "$S" --now $LATER
	[[ $output == *expired.pem* ]]
	for f in "$B"/*; do
		[[ $stderr == *"trust-prune: $S/CallManager-trust/${f##*/}: "* ]]
	done
	both_clean
	run -2 --separate-stderr trust-prune -s "$S" --now $LATER -j
	jq -e . <<<"$output" >/dev/null
	run -2 --separate-stderr trust-prune -s "$S" --now $LATER --apply
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
	for f in "$H/good.tlv" "$H/evil-utf8.tlv"; do
		for m in "" -b -c; do
			run --separate-stderr ctl-dump $m "$f"
			[ "$status" -le 1 ]
			both_clean
		done
		[[ $(ctl-dump "$f") == *'ev\x1B[31mRED\x07\xC2\x9B2J'* ]]
		run --separate-stderr ctl-dump -j "$f"
		[ "$status" -le 1 ]
		jq -e '.records | length == 2' <<<"$output" >/dev/null
		both_clean
	done
	for f in "$H/evil.pem" "$H/evil-utf8.pem" "$H/evil-utf8.der" "$H/good.tlv"; do
		for m in "" -a --alarm --prometheus --nagios; do
			run --separate-stderr cert-expiry --now $NOW $m "$f"
			[ "$status" -le 2 ]
			[ -z "$stderr" ]
			both_clean
		done
		[[ $(cert-expiry --now $NOW -a "$f") == *'\x1B[31mRED'* ]]
		for m in -j --json-lines; do
			run -0 --separate-stderr cert-expiry --now $NOW $m "$f"
			jq -e . <<<"$output" >/dev/null
			both_clean
		done
	done
}

@test "hostile: hostile names in stores and file names: escaped on stdout and stderr" {
	need_tool ctl-dump cert-expiry
	local n=$'bad\e[2J\e]0;title\a\nname\xff\xc2\x9b.pem' t
	cp "$B/random" "$n"
	run -2 --separate-stderr ctl-dump "$n"
	[[ $stderr == 'ctl-dump: bad\x1B[2J\x1B]0;title\x07\x0Aname\xFF\xC2\x9B.pem: '* ]]
	both_clean
	for t in "" -j --json-lines --nagios --prometheus --alarm; do
		run --separate-stderr cert-expiry --now $NOW $t "$n"
		[ "$status" -ge 2 ]
		both_clean
	done
	cp "$H/evil.pem" "$S/tomcat-trust/$n"
	cp "$H/evil-utf8.pem" "$S/CallManager-trust/x$n"
	for t in "" -a -j --json-lines --nagios --prometheus --alarm; do
		run --separate-stderr cert-expiry --now $NOW $t -s "$S"
		[ "$status" -le 2 ]
		both_clean
	done
	if [ -x "$TOP/bin/trust-prune" ]; then
		for t in "" -v -j; do
			run --separate-stderr trust-prune -s "$S" --now $LATER $t
			[ "$status" -le 2 ]
			both_clean
		done
	fi
	if [ -x "$TOP/bin/itl-build" ]; then
		run -2 --separate-stderr itl-build -k "$H/ok.key" --sast "$n" -o out.tlv
		both_clean
		cp "$H/evil.pem" "e$n"
		run -0 --separate-stderr itl-build -j -k "$H/ok.key" --sast "$H/ok.pem" --tftp "e$n" -o out.tlv
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
		run -0 --separate-stderr cert-regen -y $t -s "$S" --now $NOW CallManager
		both_clean
		[ "$t" != -j ] || jq -e . <<<"$output" >/dev/null
	done
	for t in "$S"/*/*; do
		printf '%s' "${t##*/}" | clean_text
	done
}

@test "hostile: symlinks in a store are never followed out of it, nor moved or deleted through" {
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
	run --separate-stderr cert-expiry --now $LATER -a -s "$S"
	[[ $output != *"link.pem"* && $output != *"expired2"* ]]
	if [ -x "$TOP/bin/trust-prune" ]; then
		run --separate-stderr trust-prune -s "$S" --now $LATER --apply
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
		run --separate-stderr cert-regen -y -s "$S" --now $NOW CallManager
		[ "$(tree "$out")" = "$sums" ]
		[ "$status" -eq 2 ] || [ ! -L "$S/CallManager/CallManager.key" ]
	fi
	# .backup planted as a symlink would take old keys out of the store
	rm -rf "$S/.backup" "$S/CallManager"
	cp -a "$H/tpl/CallManager" "$S/"
	mkdir "$out/backups"
	ln -s "$out/backups" "$S/.backup"
	if [ -x "$TOP/bin/cert-regen" ]; then
		run -2 --separate-stderr cert-regen -y -s "$S" --now $NOW CallManager
		[[ $stderr == *".backup: symbolic link"* ]]
		cmp "$H/tpl/CallManager/CallManager.key" "$S/CallManager/CallManager.key"
	fi
	if [ -x "$TOP/bin/trust-prune" ]; then
		cp "$H/expired.pem" "$S/CallManager-trust/expired.pem"
		run -2 --separate-stderr trust-prune -s "$S" --now $LATER --apply
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
			run -2 --separate-stderr trust-prune -r "$b"
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
			run --separate-stderr cert-regen -y -s "$S" --restore "$b"
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
	run -0 --separate-stderr itl-build -n -j -s "$S"
	[[ $output == *"CN=tvs1"* ]]
	mv "$S/TVS/TVS.pem" tvs.pem
	ln -s "$BATS_TEST_TMPDIR/tvs.pem" "$S/TVS/TVS.pem"
	run --separate-stderr itl-build -n -j -s "$S"
	[[ $stderr == *"TVS/TVS.pem"* ]]
	rm "$S/TVS/TVS.pem"
	mkfifo "$S/TVS/TVS.pem"
	run --separate-stderr timeout 60 "$TOP/bin/itl-build" -n -j -s "$S"
	[[ $stderr == *"TVS/TVS.pem"* ]]
}

@test "hostile: FIFOs and directories where certificates and keys belong: no hang, exit 2" {
	need_tool cert-expiry
	mkfifo "$S/CallManager-trust/fifo.pem"
	mkdir "$S/CallManager-trust/dir.pem"
	run --separate-stderr timeout 60 "$TOP/bin/cert-expiry" --now $NOW -s "$S"
	[ "$status" -le 2 ]
	run -2 --separate-stderr timeout 60 "$TOP/bin/cert-expiry" --now $NOW "$S/CallManager-trust/fifo.pem"
	[[ $stderr == "cert-expiry: $S/CallManager-trust/fifo.pem: "* ]]
	if [ -x "$TOP/bin/trust-prune" ]; then
		run --separate-stderr timeout 60 "$TOP/bin/trust-prune" -s "$S" --now $LATER --apply
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
			run -2 --separate-stderr timeout 60 "$TOP/bin/cert-regen" -y -s "$S" --now $NOW CallManager
			[[ $stderr == *"cert-regen: "*"$f"* ]]
			[ "$(tree "$S")" = "$before" ]
			rm "$S/CallManager/$f"
			mkdir "$S/CallManager/$f"
			run -2 --separate-stderr timeout 60 "$TOP/bin/cert-regen" -y -s "$S" --now $NOW CallManager
			[ -d "$S/CallManager/$f" ]
		done
	fi
	if [ -x "$TOP/bin/itl-build" ]; then
		run -2 --separate-stderr timeout 60 "$TOP/bin/itl-build" -k "$S/CallManager-trust/fifo.pem" \
			--sast "$H/ok.pem" -o out.tlv
		[ ! -e out.tlv ]
	fi
}

@test "hostile: files that disappear between listing and reading: message, exit 2, nothing lost" {
	[ -f "$BATS_FILE_TMPDIR/vanish.so" ] || skip "no C compiler for the LD_PRELOAD shim"
	need_tool cert-expiry
	export LD_PRELOAD="$BATS_FILE_TMPDIR/vanish.so" ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
	CTK_VANISH=valid.pem run -2 --separate-stderr cert-expiry --now $NOW -a -s "$S"
	[[ $stderr == *"cert-expiry: $S/"*"valid.pem: "* ]]
	[[ $output == *CallManager.pem* ]]
	if [ -x "$TOP/bin/trust-prune" ]; then
		rm -rf "$S"
		cp -a "$H/tpl" "$S"
		CTK_VANISH=valid.pem run -2 --separate-stderr trust-prune -s "$S" --now $LATER --apply
		[[ $stderr == *"valid.pem"* ]]
		cmp "$H/expired.pem" "$S"/.backup/*/CallManager-trust/expired.pem
	fi
	if [ -x "$TOP/bin/cert-regen" ]; then
		rm -rf "$S"
		cp -a "$H/tpl" "$S"
		rm "$S/CallManager-trust/valid.pem"
		cp "$H/tpl/CallManager/CallManager.key" keep.key
		CTK_VANISH=CallManager.key run -2 --separate-stderr cert-regen -y -s "$S" --now $NOW CallManager
		[[ $stderr == *"CallManager.key"* ]]
		cmp "$H/tpl/CallManager/CallManager.pem" "$S/CallManager/CallManager.pem"
	fi
	unset LD_PRELOAD
}

@test "hostile: read-only directories: writers exit 2 and change nothing" {
	RO=$(mktemp -d /tmp/ctk-ro.XXXXXX)
	chmod 755 "$RO"
	cp -a "$S" "$RO/store"
	mkdir "$RO/out"
	cp "$H/ok.key" "$H/ok.pem" "$RO/"
	[ "$(id -u)" != 0 ] || chown -R 65534:65534 "$RO"
	find "$RO" -type d -exec chmod 555 {} +
	local before=$(tree "$RO/store")
	if [ -x "$TOP/bin/cert-regen" ]; then
		run -2 --separate-stderr as_user cert-regen -y -s "$RO/store" --now $NOW CallManager
		[[ $stderr == "cert-regen: $RO/store"* ]]
		[ "$(tree "$RO/store")" = "$before" ]
		[ ! -e "$RO/store/.backup" ]
	fi
	if [ -x "$TOP/bin/trust-prune" ]; then
		run -2 --separate-stderr as_user trust-prune -s "$RO/store" --now $LATER --apply
		[[ $stderr == "trust-prune: $RO/store"* ]]
		[ "$(tree "$RO/store")" = "$before" ]
	fi
	if [ -x "$TOP/bin/itl-build" ]; then
		run -2 --separate-stderr as_user itl-build -k "$RO/ok.key" --sast "$RO/ok.pem" -o "$RO/out/x.tlv"
		[[ $stderr == "itl-build: $RO/out/x.tlv"* ]]
		[ -z "$(ls -A "$RO/out")" ]
	fi
	if [ -x "$TOP/bin/ctl-dump" ] && [ -f "$H/good.tlv" ]; then
		run -2 --separate-stderr as_user ctl-dump -x "$RO/out" "$H/good.tlv"
		[ -z "$(ls -A "$RO/out")" ]
	fi
}

@test "hostile: stdout on /dev/full: every tool exits 2 with a message" {
	local t
	if [ -x "$TOP/bin/ctl-dump" ] && [ -f "$H/good.tlv" ]; then
		for t in "" -b -j -c; do
			run -2 --separate-stderr full ctl-dump $t "$H/good.tlv"
			[[ $stderr == *"ctl-dump: stdout: No space left on device"* ]]
		done
	fi
	if [ -x "$TOP/bin/cert-expiry" ]; then
		for t in "" -j --nagios --prometheus --alarm; do
			run --separate-stderr full cert-expiry --now $LATER -a $t "$H/ok.pem"
			[ "$status" -ge 2 ] || { echo "cert-expiry $t: exit $status" >&2; false; }
			[[ $stderr == *"No space left on device"* ]]
		done
	fi
	if [ -x "$TOP/bin/itl-build" ]; then
		run -2 --separate-stderr full itl-build -k "$H/ok.key" --sast "$H/ok.pem"
		[[ $stderr == *"No space left on device"* ]]
	fi
	if [ -x "$TOP/bin/trust-prune" ]; then
		run -2 --separate-stderr full trust-prune -s "$S" --now $LATER
		[[ $stderr == *"No space left on device"* ]]
	fi
	if [ -x "$TOP/bin/cert-regen" ]; then
		run -2 --separate-stderr full cert-regen -n -s "$S" --now $NOW CallManager
		[[ $stderr == *"No space left on device"* ]]
	fi
}

@test "secrets: keys stay 0600 under umask 000, backups are private, no key is ever printed" {
	need_tool cert-regen
	local k m
	run -0 --separate-stderr bash -c "umask 000; exec \"\$@\"" _ "$TOP/bin/cert-regen" \
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
	run --separate-stderr cert-regen -j -y -s "$S" --now $NOW CallManager
	no_secret
	if [ -x "$TOP/bin/trust-prune" ]; then
		run --separate-stderr trust-prune -v -j -s "$S" --now $LATER
		no_secret
	fi
	if [ -x "$TOP/bin/cert-expiry" ]; then
		run --separate-stderr cert-expiry -a -s "$S" --now $NOW
		no_secret
	fi
}

@test "secrets: a PKCS#12 password comes from a file or the environment, never required in argv" {
	need_tool cert-expiry
	openssl pkcs12 -export -in "$H/ok.pem" -inkey "$H/ok.key" -passout pass:s3cret -out ok.p12
	printf 's3cret\n' >pw
	chmod 600 pw
	run -2 --separate-stderr cert-expiry --now $NOW ok.p12
	[[ $stderr == "cert-expiry: ok.p12: "* ]]
	run -0 --separate-stderr cert-expiry --now $NOW -a --password-file pw ok.p12
	[[ $output == *"CN=ok"* ]]
	CERT_EXPIRY_PASSWORD=s3cret run -0 --separate-stderr cert-expiry --now $NOW -a ok.p12
	[[ $output == *"CN=ok"* ]]
	CERT_EXPIRY_PASSWORD=Leak-Me-Not run -2 --separate-stderr cert-expiry --now $NOW ok.p12
	[[ $stderr == "cert-expiry: ok.p12: "* && $stderr != *Leak-Me-Not* ]]
	no_secret
}

@test "hostile: a PKCS#12 asking for 2^31 key derivation iterations is refused at once, not obeyed" {
	need_tool cert-expiry
	local f
	for f in "$REGRESS"/cert-p12-*-iter-*.p12; do
		run -2 --separate-stderr timeout 30 "$TOP/bin/cert-expiry" "$f"
		[[ $stderr == "cert-expiry: $f: PKCS#12: refused: "* ]]
	done
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
				run --separate-stderr ctl-dump $t "$f"
				[ "$status" -le 2 ]
			done
			run --separate-stderr ctl-dump -j "$f"
			[ -z "$output" ] || jq -e . <<<"$output" >/dev/null
		fi
		if [ -x "$TOP/bin/cert-expiry" ]; then
			run --separate-stderr cert-expiry --now $NOW "$f"
			[ "$status" -le 2 ]
			run --separate-stderr cert-expiry --now $NOW -j "$f"
			[ "$status" -le 2 ]
			jq -e . <<<"$output" >/dev/null
		fi
		if [ -x "$TOP/bin/itl-build" ]; then
			run --separate-stderr itl-build -n -k "$H/ok.key" --sast "$H/ok.pem" --tftp "$f"
			[ "$status" -le 2 ]
			run --separate-stderr itl-build -n -k "$H/ok.key" --resign "$f"
			[ "$status" -le 2 ]
		fi
	done
	[ "$n" -gt 0 ]
}
