#!/usr/bin/env bats
# sgn.bats: signed TFTP files (.sgn, .enc.sgn): itl-build --sign-file writes them, ctl-dump
# reads and verifies them, against an independent writer (printf + openssl dgst -sign).
# (A damaged signed file cut short or with its header length past the end: tests/unit/t_capture.c.)
load helpers

TS=1798761600	# 2027-01-01T00:00:00Z

setup_file() {
	cd "$BATS_FILE_TMPDIR"
	# signers with fixed serials, so that the independent writer knows the bytes; keys from
	# mkkey's pool (a run makes each size once), never openssl req -newkey
	for b in 1024 2048 4096; do
		MKCERT_BITS=$b mkcert . tftp$b 30 "/C=US/O=Lab/CN=tftp$b.lab" -set_serial 0x7A00$b
	done
	mkcert . sast 30 /CN=ITLRECOVERY_lab -set_serial 0x5A57
	mkcert . other 30 /CN=other.lab -set_serial 0x0123
	# the phone's ITL: ITLRecovery signs; tftp2048 is the TFTP record, tftp1024 only SAST
	itl-build -k sast.key --sast sast.pem --sast tftp1024.pem --tftp tftp2048.pem \
		--ccm-tftp tftp4096.pem --now @$TS -o ITLFile.tlv
	# a payload that is not a multiple of 4 and holds NUL and high bytes
	printf '<device>\n<fullConfig>true</fullConfig>\000\377\n</device>\n' >SEP001122334455.cnf.xml
}

setup() {
	cd "$BATS_TEST_TMPDIR"
	cp "$BATS_FILE_TMPDIR"/*.pem "$BATS_FILE_TMPDIR"/*.key "$BATS_FILE_TMPDIR"/ITLFile.tlv \
		"$BATS_FILE_TMPDIR"/SEP001122334455.cnf.xml .
}

# tcp FROM TO: a text file's bytes (no NUL) at TO by builtins (a cp was a process per file);
# keys go through copy600 (helpers.bash), 0600 from the start
tcp() {
	local t
	IFS= read -r -d '' t <"$1" || true
	printf '%s' "$t" >"$2"
}

# tlv TAG HEX: one TLV as hex, on stdout (tlv_ below into a variable)
tlv() {
	local r
	tlv_ r "$1" "$2"
	printf '%s' "$r"
}

# sgnwrite OUT PAYLOAD KEY SERIALHEX SUBJECT ISSUER DIGEST FILENAME [VERSION [EXTRAHEX]]
# (SGNW_ORDER=465: the signer block as certutils writes it today, name, issuer, serial):
# a signed file written from the format alone: the header by printf, the signature by
# openssl dgst over the file with the SIGNATURE TLV cut out. The hex is built and written by
# bash builtins (tlv_, nul_, unhex of helpers.bash), outside Bats' trace: a file costs four
# processes.
sgnwrite() {
	notrace sgnwrite_ "$@"
}

# tlv_ VAR TAG HEX: one TLV as hex into VAR
tlv_() { printf -v "$1" '%02x%04x%s' "$2" $((${#3} / 2)) "$3"; }
# nul_ VAR STRING: the string (ASCII) and its NUL as hex into VAR
nul_() {
	local s=$2 h= i
	for ((i = 0; i < ${#s}; i++)); do printf -v h '%s%02x' "$h" "'${s:i:1}"; done
	printf -v "$1" '%s00' "$h"
}

sgnwrite_() {
	local out=$1 pay=$2 key=$3 ser=$4 subj=$5 iss=$6 dg=$7 fn=$8 ver=${9:-0100} extra=${10:-}
	local bits sig code mod id pre post hl pad="" t1 t2 t3 a b
	[[ $(openssl pkey -in "$key" -noout -text 2>/dev/null) =~ Private-Key:\ \(([0-9]+)\ bit ]]
	bits=${BASH_REMATCH[1]}
	sig=$((bits / 8))
	case $dg in sha1) code=01 ;; sha256) code=02 ;; sha512) code=03 ;; esac
	case $bits in 1024) mod=01 ;; 2048) mod=02 ;; 4096) mod=03 ;; esac
	nul_ a "$subj" && tlv_ t1 4 "$a"
	tlv_ t2 5 "$ser"
	nul_ a "$iss" && tlv_ t3 6 "$a"
	if [ "${SGNW_ORDER:-456}" = 465 ]; then id=$t1$t3$t2; else id=$t1$t2$t3; fi
	nul_ a "$fn" && tlv_ t1 14 "$a"
	printf -v a '%08x' $TS && tlv_ t2 15 "$a"
	post=$t1$t2$extra
	hl=$((5 + 5 + ${#id} / 2 + 3 + 18 + 3 + sig + ${#post} / 2))
	while [ $(((hl + ${#pad} / 2) % 4)) -ne 0 ]; do pad=${pad}0d; done
	hl=$((hl + ${#pad} / 2))
	tlv_ t1 10 00 && tlv_ t2 11 $mod && tlv_ b 9 "$t1$t2" && tlv_ a 8 $code && tlv_ t3 7 "$a$b"
	tlv_ t1 1 "$ver" && printf -v a '%04x' $hl && tlv_ t2 2 "$a" && tlv_ b 3 "$id"
	pre=$t1$t2$b$t3
	{ unhex "$pre$post$pad"; cat "$pay"; } >"$out.signed"
	openssl dgst -"$dg" -sign "$key" -out "$out.sig" "$out.signed"
	printf -v a '0c%04x' "$sig"
	{ unhex "$pre$a"; cat "$out.sig"; unhex "$post$pad"; cat "$pay"; } >"$out"
	rm -f "$out.signed" "$out.sig"
}

# bats test_tags=full
@test "sgn: itl-build --sign-file gives the independent writer's bytes: SHA-1/256/512, 1024/2048/4096-bit signers" {
	for case in 1024:sha1 2048:sha256 4096:sha512 2048:sha1 2048:sha512; do
		b=${case%:*} d=${case#*:}
		sgnwrite ref.sgn SEP001122334455.cnf.xml tftp$b.key 7a00$b "CN=tftp$b.lab;O=Lab;C=US" \
			"CN=tftp$b.lab;O=Lab;C=US" $d SEP001122334455.cnf.xml.sgn
		rm -f SEP001122334455.cnf.xml.sgn
		xrun -0 itl-build --sign-file -k tftp$b.key --signer tftp$b.pem --digest $d \
			--now @$TS SEP001122334455.cnf.xml
		cmp ref.sgn SEP001122334455.cnf.xml.sgn
		xrun -0 ctl-dump --signer tftp$b.pem ref.sgn
		[ "${lines[-1]}" = "The signed file was verified successfully (signer: tftp$b.pem)." ]
		xrun -0 ctl-dump -j ref.sgn
		jq -e --arg d $d --argjson s $((b / 8)) '.type == "SGN" and .header.version == "1.0" and
			.header.digest == $d and .header.signature_length == $s and .header.length % 4 == 0 and
			.header.filename == "SEP001122334455.cnf.xml.sgn" and .header.timestamp == 1798761600 and
			.signature.verified == null' <<<"$output"
	done
}

# What certutils' sgnfile (github.com/usecallmanagernz/certutils d9db03e, sgnfile build_sgn_file)
# writes since its commit "Combine field building calls" (2024-08):
# version 1.0, header 01 02 03{04 06 05} 07{08 09{0A 0B}} 0C 0E 0F 0D*, no tag 0x1C; each name
# attribute as Python cryptography's rfc4514_string() (CN L ST O OU C STREET DC UID, others by
# dotted OID; \ " + , ; < > escaped, a leading # or space too) joined by ',' in DER order; the
# serial as its minimal unsigned bytes; SIGNATUREMODULUS the index of the signature length in
# 64/128/256/512; padding 0x0D until the header is a multiple of 4; FILENAME the input's base
# name + .sgn; digest SHA-1 (1) or SHA-512 (3). Its parser takes those tags only and checks the
# signature over the file minus the SIGNATURE TLV with the TFTP certificate.
# bats test_tags=full
@test "sgn: certutils layout writes what certutils' sgnfile writes (names, serial, header); ctl-dump verifies sgnfile's files" {
	mkcert . cu 30 '/C=US/O=Lab, Inc./OU=a\+b/CN=#tftp.lab/emailAddress=tftp@lab' \
		-set_serial 0x8A0001
	local n='C=US,O=Lab\, Inc.,OU=a\+b,CN=\#tftp.lab,1.2.840.113549.1.9.1=tftp@lab'
	itl-build -k sast.key --sast sast.pem --tftp cu.pem --now @$TS -o cuITL.tlv
	itl-build --layout certutils -k sast.key --sast sast.pem --tftp cu.pem --now @$TS -o cuITL2.tlv
	for d in sha1 sha512; do
		rm -f SEP001122334455.cnf.xml.sgn
		SOURCE_DATE_EPOCH=$TS xrun -0 itl-build --sign-file --layout certutils -k cu.key --signer cu.pem \
			--digest $d SEP001122334455.cnf.xml
		SGNW_ORDER=465 sgnwrite ref.sgn SEP001122334455.cnf.xml cu.key 8a0001 "$n" "$n" $d \
			SEP001122334455.cnf.xml.sgn
		cmp ref.sgn SEP001122334455.cnf.xml.sgn
		for itl in cuITL.tlv cuITL2.tlv; do
			xrun -0 ctl-dump --brief --trust $itl ref.sgn
			[ "$output" = "ACCEPTED	8A0001	SEP001122334455.cnf.xml.sgn	$(wc -c <SEP001122334455.cnf.xml)	ref.sgn" ]
		done
		xrun -0 ctl-dump --signer cu.pem ref.sgn
		[ "${lines[-1]}" = "The signed file was verified successfully (signer: cu.pem)." ]
		grep -qxF "4	SIGNERNAME	$((${#n} + 1))	$n" <<<"$output"
	done
	# the other name forms a writer may use match by serial and issuer too: RFC 4514 with commas
	# (the reverse order), certutils' before 2024-08 (';', signer block 04 05 06), CUCM's
	for f in 'CN=\#tftp.lab,OU=a\+b,O=Lab\, Inc.,C=US,emailAddress=tftp@lab' \
	    'C=US;O=Lab\, Inc.;OU=a\+b;CN=\#tftp.lab;1.2.840.113549.1.9.1=tftp@lab' \
	    'CN=#tftp.lab;OU=a+b;O=Lab, Inc.;C=US;emailAddress=tftp@lab'; do
		sgnwrite other.sgn SEP001122334455.cnf.xml cu.key 8a0001 "$f" "$f" sha1 other.sgn
		xrun -0 ctl-dump --brief --trust cuITL.tlv other.sgn
		[[ $output == "ACCEPTED	8A0001	other.sgn	"* ]]
	done
	# an issuer that differs (same serial) is not the signer
	sgnwrite fake.sgn SEP001122334455.cnf.xml cu.key 8a0001 "$n" "CN=someone.else" sha1 fake.sgn
	xrun -1 --separate-stderr ctl-dump --brief --trust cuITL.tlv fake.sgn
	[[ $output == "REJECTED	8A0001	"* ]]
	[ "$stderr" = "ctl-dump: fake.sgn: a phone would reject it: the signer is not in the trust list" ]
}

@test "sgn: --trust ITL: TFTP and CCM+TFTP signers accepted; SAST-only, absent, tampered rejected with the reason" {
	itl-build --sign-file -k tftp2048.key --signer tftp2048.pem -o tftp.sgn SEP001122334455.cnf.xml
	itl-build --sign-file -k tftp4096.key --signer tftp4096.pem -o ccmtftp.sgn SEP001122334455.cnf.xml
	itl-build --sign-file -k tftp1024.key --signer tftp1024.pem -o sast.sgn SEP001122334455.cnf.xml
	itl-build --sign-file -k other.key --signer other.pem -o absent.sgn SEP001122334455.cnf.xml
	cp tftp.sgn tampered.sgn
	printf 'X' | dd of=tampered.sgn bs=1 seek=$(($(wc -c <tampered.sgn) - 3)) conv=notrunc status=none
	xrun -0 ctl-dump --trust ITLFile.tlv tftp.sgn
	[ "${lines[-1]}" = "The signed file was verified successfully (signer: TFTP record 3 of ITLFile.tlv)." ]
	xrun -0 ctl-dump -j --trust ITLFile.tlv ccmtftp.sgn
	jq -e '.signature == {"verified": true, "signer": "CCM+TFTP record 4 of ITLFile.tlv", "error": null}' <<<"$output"
	xrun -1 ctl-dump --trust ITLFile.tlv sast.sgn
	[ "${lines[-1]}" = "The signed file could not be verified: the signer is only a SAST record of the trust list (phones need TFTP or CCM+TFTP) (signer: SAST record 2 of ITLFile.tlv)." ]
	xrun -1 ctl-dump -j --trust ITLFile.tlv absent.sgn
	jq -e '.signature.verified == false and .signature.signer == null and .signature.error == "the signer is not in the trust list"' <<<"$output"
	xrun -1 --separate-stderr ctl-dump -q --trust ITLFile.tlv tampered.sgn
	[ -z "$output" ] && [ -z "$stderr" ]
	xrun -1 ctl-dump --trust ITLFile.tlv tampered.sgn
	[ "${lines[-1]}" = "The signed file could not be verified: the signature does not match (signer: TFTP record 3 of ITLFile.tlv)." ]
	# --signer: the wrong certificate, and the right one over a tampered payload
	xrun -1 --separate-stderr ctl-dump --brief --signer other.pem tftp.sgn
	[[ $output == "FAILED	7A002048	tftp.sgn	"* ]]
	[ "$stderr" = "ctl-dump: tftp.sgn: not verified: the header names another signer (serial number or issuer)" ]
	xrun -1 --separate-stderr ctl-dump --brief --signer tftp2048.pem tampered.sgn
	[[ $output == "FAILED	"* ]]
	[ "$stderr" = "ctl-dump: tampered.sgn: not verified: the signature does not match" ]
	xrun -2 --separate-stderr ctl-dump --signer tftp2048.pem --trust ITLFile.tlv tftp.sgn
	[[ $stderr == *"--signer and --trust exclude each other"* ]]
}

@test "sgn: an issuer text without '=' never matches and is read within its bytes (fuzz_sgn found a read past it)" {
	sgnwrite bare.sgn SEP001122334455.cnf.xml tftp2048.key 7A002048 "CN=tftp2048.lab;O=Lab;C=US" \
		"tftp2048.lab" sha256 SEP001122334455.cnf.xml.sgn
	sgnwrite rfc.sgn SEP001122334455.cnf.xml tftp2048.key 7A002048 "CN=tftp2048.lab;O=Lab;C=US" \
		"C=US,O=Lab,CN=tftp2048.lab" sha256 SEP001122334455.cnf.xml.sgn
	xrun -1 ctl-dump --trust ITLFile.tlv bare.sgn
	[ "${lines[-1]}" = "The signed file could not be verified: the signer is not in the trust list." ]
	# the control: the same file with the issuer in RFC 4514 order is the TFTP record's
	xrun -0 ctl-dump --trust ITLFile.tlv rfc.sgn
	[ "${lines[-1]}" = "The signed file was verified successfully (signer: TFTP record 3 of ITLFile.tlv)." ]
}

@test "sgn: without --signer or --trust the signature is not checked: exit 0, verified null" {
	itl-build --sign-file -k tftp2048.key --signer tftp2048.pem SEP001122334455.cnf.xml
	f=SEP001122334455.cnf.xml.sgn
	xrun -0 ctl-dump $f
	[ "${lines[-1]}" = "Signature not checked: give --signer CERT or --trust ITL." ]
	n=$(wc -c <SEP001122334455.cnf.xml)
	[ "${lines[-2]}" = "Payload: $n bytes, SHA1 $(sha1sum <SEP001122334455.cnf.xml | cut -c1-40), SHA256 $(sha256sum <SEP001122334455.cnf.xml | cut -c1-64)" ]
	grep -qx $'14\tFILENAME\t28\tSEP001122334455.cnf.xml.sgn' <<<"$output"
	grep -qx $'5\tSERIALNUMBER\t4\t7A:00:20:48' <<<"$output"
	grep -qx $'8\tDIGESTALGORTITHM\t1\tsha1' <<<"$output"
	xrun -0 ctl-dump -j $f
	jq -e --argjson n $n '.payload.length == $n and .payload.offset == .header.length and
		.size == .header.length + $n and .encryption == null and
		.signature == {"verified": null, "signer": null, "error": null}' <<<"$output"
	[ "$(jq -r .payload.sha256 <<<"$output")" = "$(sha256sum <SEP001122334455.cnf.xml | cut -c1-64 | tr a-f A-F)" ]
	xrun -0 ctl-dump --brief $f
	[ "$output" = "UNCHECKED	7A002048	$f	$n	$f" ]
}

@test "sgn: --payload writes the payload byte for byte; one file only; refuses a file that does not verify" {
	itl-build --sign-file -k tftp2048.key --signer tftp2048.pem SEP001122334455.cnf.xml
	ctl-dump --payload SEP001122334455.cnf.xml.sgn >out.xml
	cmp out.xml SEP001122334455.cnf.xml
	ctl-dump --payload - <SEP001122334455.cnf.xml.sgn | cmp - SEP001122334455.cnf.xml
	ctl-dump --payload --trust ITLFile.tlv SEP001122334455.cnf.xml.sgn | cmp - SEP001122334455.cnf.xml
	printf '<a/>\n' >a.xml
	itl-build --sign-file -k tftp2048.key --signer tftp2048.pem a.xml
	[ "$(ctl-dump --payload a.xml.sgn | xmllint --noout - 2>&1 && echo ok)" = ok ] ||
		[ -z "$(command -v xmllint)" ]
	xrun -2 --separate-stderr ctl-dump --payload a.xml.sgn SEP001122334455.cnf.xml.sgn
	[[ $stderr == *"--payload takes one file"* ]]
	xrun -1 --separate-stderr ctl-dump --payload --signer other.pem a.xml.sgn
	[ -z "$output" ]
	xrun -2 --separate-stderr ctl-dump --payload ITLFile.tlv
	[ -z "$output" ]
	[ "$stderr" = "ctl-dump: ITLFile.tlv: not a signed file (a trust list has no payload)" ]
}

@test "sgn: an encrypted 2.0 file built by the test: header and encryption fields shown, signature verified, --payload refused" {
	# AES-128-CBC of the plain text padded with \r to 16 bytes; key wrapped for the phone's key
	mkcert . phone 30 /CN=SEP001122334455
	key=00112233445566778899aabbccddeeff iv=0f0e0d0c0b0a09080706050403020100
	n=$(wc -c <SEP001122334455.cnf.xml); padn=$((16 - n % 16))
	{ cat SEP001122334455.cnf.xml; head -c $padn /dev/zero | tr '\0' '\r'; } >plain
	openssl enc -aes-128-cbc -K $key -iv $iv -nopad -in plain -out cipher
	unhex $key | openssl pkeyutl -encrypt -certin -inkey phone.pem -out wrapped
	ivinfo=$(tlv 18 00)$(tlv 19 $iv)$(tlv 20 "$(printf '%04x' $padn)")
	keyinfo=$(tlv 22 00)$(tlv 23 0080)$(tlv 24 01)$(tlv 25 "$(hex <wrapped)")
	enc=$(tlv 16 "$(tlv 17 "$ivinfo")$(tlv 21 "$keyinfo")$(tlv 26 01)$(tlv 27 "$(openssl dgst -sha1 -binary SEP001122334455.cnf.xml | hex)")")
	sgnwrite SEP001122334455.cnf.xml.enc.sgn cipher tftp2048.key 7a002048 "CN=tftp2048.lab;O=Lab;C=US" \
		"CN=tftp2048.lab;O=Lab;C=US" sha1 SEP001122334455.cnf.xml.enc.sgn 0200 "$enc"
	f=SEP001122334455.cnf.xml.enc.sgn
	xrun -0 ctl-dump --trust ITLFile.tlv $f
	[ "${lines[-1]}" = "The signed file was verified successfully (signer: TFTP record 3 of ITLFile.tlv)." ]
	[ "${lines[-2]}" = "Encryption: IV $iv, wrapped key size 128 bits, wrapped key 256 bytes, plain text sha1 $(sha1sum <SEP001122334455.cnf.xml | cut -c1-40)" ]
	grep -qx $'19\tIV\t\t16\t'$iv <<<"$output"
	grep -qx $'Version:\t2.0' <<<"$output"
	xrun -0 ctl-dump -j --signer tftp2048.pem $f
	jq -e --arg iv ${iv^^} --argjson p $padn '.type == "ENC" and .signature.verified and
		.encryption.iv == $iv and .encryption.key_bits == 128 and .encryption.padding == $p and
		.encryption.wrapped_key_length == 256 and .encryption.plain_digest == "sha1" and
		.payload.length == ((.size) - .header.length) and (.header | has("unknown") | not)' <<<"$output"
	xrun -2 --separate-stderr ctl-dump --payload $f
	[ -z "$output" ]
	[ "$stderr" = "ctl-dump: $f: the payload is encrypted (version 2.0): only the phone's key decrypts it (--phone-key)" ]
	# what a phone does with its key: the test decrypts and finds the plain text
	wk=$(ctl-dump -j $f | jq -r .payload.offset)
	tail -c +$((wk + 1)) $f | openssl enc -d -aes-128-cbc -K $key -iv $iv -nopad | head -c $n | cmp - SEP001122334455.cnf.xml
}

@test "sgn: a whole TFTP directory in one process: one line per file, exit 1 for the one bad file, 2 for a damaged one" {
	mkdir tftp
	for i in $(seq 1 30); do
		printf '<device><n>%d</n></device>\n' $i >tftp/SEP0000000000$(printf %02d $i).cnf.xml
	done
	itl-build --sign-file -k tftp2048.key --signer tftp2048.pem tftp/*.cnf.xml
	[ "$(ls tftp/*.sgn | wc -l)" -eq 30 ]
	itl-build --sign-file -f -k tftp1024.key --signer tftp1024.pem tftp/SEP000000000017.cnf.xml
	xrun -1 --separate-stderr ctl-dump --brief --trust ITLFile.tlv tftp/*.sgn
	[ "${#lines[@]}" -eq 30 ]
	[ "$(grep -c '^ACCEPTED	7A002048	SEP0000000000..\.cnf\.xml\.sgn	' <<<"$output")" -eq 29 ]
	[ "$(grep '^REJECTED' <<<"$output")" = "REJECTED	7A001024	SEP000000000017.cnf.xml.sgn	$(wc -c <tftp/SEP000000000017.cnf.xml)	tftp/SEP000000000017.cnf.xml.sgn" ]
	[ "$stderr" = "ctl-dump: tftp/SEP000000000017.cnf.xml.sgn: a phone would reject it: the signer is only a SAST record of the trust list (phones need TFTP or CCM+TFTP)" ]
	head -c 50 tftp/SEP000000000003.cnf.xml.sgn >tftp/broken.sgn
	xrun -2 --separate-stderr ctl-dump --brief --trust ITLFile.tlv tftp/*.sgn
	[ "${#lines[@]}" -eq 30 ]
	[[ $stderr == *"ctl-dump: tftp/broken.sgn: "*" at byte "* ]]
	xrun -0 bash -c "ctl-dump --json --trust ITLFile.tlv tftp/SEP00000000000[1-5].cnf.xml.sgn | jq -s 'map(.signature.verified) | all'"
	[ "$output" = true ]
}

# bats test_tags=full
@test "sgn: --sign-file of a directory killed at every file operation leaves each FILE.sgn old or new; the next run removes the leftovers" {
	command -v cc >/dev/null || skip "no C compiler for the kill shim"
	# SIGKILL at the Nth temp file, fsync, rename or link of the run (KILL_AT=N)
	cat >kill.c <<-'EOF'
		#define _GNU_SOURCE
		#include <dlfcn.h>
		#include <signal.h>
		#include <stdlib.h>
		static long calls;
		static void step(void) { const char *e = getenv("KILL_AT"); if (e != NULL && ++calls == atol(e)) raise(SIGKILL); }
		int mkstemp(char *t) { step(); return ((int (*)(char *))dlsym(RTLD_NEXT, "mkstemp"))(t); }
		int fsync(int fd) { step(); return ((int (*)(int))dlsym(RTLD_NEXT, "fsync"))(fd); }
		int rename(const char *a, const char *b) { step(); return ((int (*)(const char *, const char *))dlsym(RTLD_NEXT, "rename"))(a, b); }
		int link(const char *a, const char *b) { step(); return ((int (*)(const char *, const char *))dlsym(RTLD_NEXT, "link"))(a, b); }
	EOF
	cc -shared -fPIC -o kill.so kill.c -ldl
	local asan="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" n=0 st f
	mkdir d new
	for f in 1 2 3 4 5; do printf '<device>%d</device>\n' $f >d/SEP00000000000$f.cnf.xml; done
	cp d/*.xml new/
	SOURCE_DATE_EPOCH=1700000000 itl-build --sign-file -k tftp2048.key --signer tftp2048.pem d/*.cnf.xml
	mkdir old && cp d/*.sgn old/
	SOURCE_DATE_EPOCH=1800000000 itl-build --sign-file -k tftp2048.key --signer tftp2048.pem new/*.cnf.xml
	while :; do
		n=$((n + 1))
		[ $n -lt 40 ]
		st=0
		KILL_AT=$n LD_PRELOAD=$PWD/kill.so ASAN_OPTIONS=$asan SOURCE_DATE_EPOCH=1800000000 \
			"$TOP/bin/itl-build" --sign-file -f -k tftp2048.key --signer tftp2048.pem d/*.cnf.xml || st=$?
		for f in 1 2 3 4 5; do
			f=SEP00000000000$f.cnf.xml.sgn
			cmp -s d/$f old/$f || cmp -s d/$f new/$f || { echo "kill at $n: $f is neither old nor new" >&2; return 1; }
		done
		[ $st -ne 0 ] || break
		[ $st -eq 137 ]
		cp old/*.sgn d/	# the next point starts from the old files again, leftovers kept
	done
	# 5 temp files, 5 fsyncs, 5 renames, one directory fsync: every point was a kill
	[ $n -eq 17 ]
	for f in 1 2 3 4 5; do cmp d/SEP00000000000$f.cnf.xml.sgn new/SEP00000000000$f.cnf.xml.sgn; done
	[ -z "$(ls d | grep '\.tmp\.')" ]
}

@test "sgn: itl-build --sign-file refuses a key that is not the signer's, never clobbers, is deterministic, --json" {
	xrun -2 --separate-stderr itl-build --sign-file -k other.key --signer tftp2048.pem SEP001122334455.cnf.xml
	[ "$stderr" = "itl-build: tftp2048.pem: the key does not match the signer's certificate" ]
	[ ! -e SEP001122334455.cnf.xml.sgn ]
	SOURCE_DATE_EPOCH=$TS itl-build --sign-file -k tftp2048.key --signer tftp2048.pem SEP001122334455.cnf.xml
	cp SEP001122334455.cnf.xml.sgn first.sgn
	xrun -2 --separate-stderr itl-build --sign-file -k tftp2048.key --signer tftp2048.pem SEP001122334455.cnf.xml
	[[ $stderr == *"exists (use --force"* ]]
	SOURCE_DATE_EPOCH=$TS itl-build --sign-file -f -k tftp2048.key --signer tftp2048.pem SEP001122334455.cnf.xml
	cmp first.sgn SEP001122334455.cnf.xml.sgn
	SOURCE_DATE_EPOCH=$TS itl-build --sign-file -k tftp2048.key --signer tftp2048.pem -o - SEP001122334455.cnf.xml | cmp - first.sgn
	[ "$(stat -c %a first.sgn)" = "$(stat -c %a SEP001122334455.cnf.xml.sgn)" ]
	xrun -0 itl-build --sign-file -j -k tftp2048.key --signer tftp2048.pem --digest sha256 -o x.sgn SEP001122334455.cnf.xml
	jq -e '.file == "x.sgn" and .header.filename == "x.sgn" and .header.digest == "sha256" and
		.signature.verified and .signature.signer == "CN=tftp2048.lab;O=Lab;C=US"' <<<"$output"
	xrun -0 itl-build --sign-file -n -j -k tftp2048.key --signer tftp2048.pem -o y.sgn SEP001122334455.cnf.xml
	[ ! -e y.sgn ]
	xrun -2 --separate-stderr itl-build --sign-file -k tftp2048.key --signer tftp2048.pem -o z.sgn a b
	[[ $stderr == *"-o names one output"* ]]
	xrun -2 --separate-stderr itl-build --sign-file -k tftp2048.key SEP001122334455.cnf.xml
	[[ $stderr == *"needs -k KEY and --signer CERT"* ]]
	xrun -2 --separate-stderr itl-build --sign-file -k tftp2048.key --signer tftp2048.pem missing.xml
	[ "$stderr" = "itl-build: missing.xml: No such file or directory" ]
}

# bats test_tags=full
@test "sgn: the man pages' example (phones ignore configuration changes) runs as written" {
	mkdir tftp
	cp SEP001122334455.cnf.xml tftp/
	# the node's TFTP certificate was regenerated, but phones still hold the old ITL
	mkcert . new 30 /CN=tftp.lab
	itl-build --sign-file -k new.key --signer new.pem tftp/*.cnf.xml
	xrun -0 --separate-stderr bash -c 'ctl-dump --brief --trust ITLFile.tlv tftp/*.sgn | grep -v ^ACCEPTED | cut -f1,5'
	[ "$output" = "REJECTED	tftp/SEP001122334455.cnf.xml.sgn" ]
	[ "$stderr" = "ctl-dump: tftp/SEP001122334455.cnf.xml.sgn: a phone would reject it: the signer is not in the trust list" ]
	xrun -0 bash -c 'ctl-dump --payload tftp/SEP001122334455.cnf.xml.sgn | cmp - tftp/SEP001122334455.cnf.xml && echo same'
	[ "$output" = same ]
	if command -v xmllint >/dev/null; then
		printf '<device/>\n' >tftp/SEP001122334455.cnf.xml
		itl-build --sign-file -f -k new.key --signer new.pem tftp/SEP001122334455.cnf.xml
		ctl-dump --payload tftp/SEP001122334455.cnf.xml.sgn | xmllint --noout -
	fi
	# itl-build(1): sign again with the certificate the ITL lists as TFTP
	cp tftp2048.key tftp.key
	cp tftp2048.pem tftp.pem
	xrun -0 bash -c 'itl-build --sign-file -f -k tftp.key --signer tftp.pem tftp/*.cnf.xml &&
		ctl-dump -q --trust ITLFile.tlv tftp/*.sgn && echo phones accept them'
	[ "$output" = "phones accept them" ]
	# both pages show these commands as run here, and README's pipeline the same ones
	grep -qF 'ctl-dump --brief --trust ITLFile.tlv tftp/*.sgn | grep -v ^ACCEPTED | cut -f1,5' "$TOP/man/ctl-dump.1"
	grep -qF 'ctl-dump -q --trust ITLFile.tlv tftp/*.sgn && echo phones accept them' "$TOP/man/itl-build.1"
	grep -qF 'ctl-dump --brief --trust ITLFile.tlv tftp/*.sgn | grep -v ^ACCEPTED' "$TOP/README.md"
	grep -qF 'ctl-dump --payload tftp/SEP001122334455.cnf.xml.sgn | xmllint --noout -' "$TOP/README.md"
	grep -qF 'itl-build --sign-file -f -k tftp.key --signer tftp.pem tftp/*.cnf.xml' "$TOP/README.md"
	grep -qF 'ctl-dump -q --trust ITLFile.tlv tftp/*.sgn && echo "phones accept them"' "$TOP/README.md"
}

# bats test_tags=full
@test "sgn: itl-build --sign-file -k pkcs11: URI: the same bytes as with the key file" {
	softhsm_token tftp2048.key tftp
	mkdir hsm
	xrun -0 --separate-stderr itl-build --sign-file --pkcs11-module "$mod" -k "$uri" \
		--signer tftp2048.pem --now @$TS -o hsm/a.sgn SEP001122334455.cnf.xml
	itl-build --sign-file -k tftp2048.key --signer tftp2048.pem --now @$TS -o a.sgn \
		SEP001122334455.cnf.xml
	cmp hsm/a.sgn a.sgn
	# a token key that is not the signer's is refused before anything is written
	xrun -2 --separate-stderr itl-build --sign-file --pkcs11-module "$mod" -k "$uri" \
		--signer tftp1024.pem -o no.sgn SEP001122334455.cnf.xml
	[[ $stderr == *"tftp1024.pem: the key does not match the signer's certificate"* ]]
	[ ! -e no.sgn ]
}

@test "sgn: itl-build --sign-file --cluster --node: the node's CallManager signs into its tftp/; phones holding its ITL accept" {
	local n u
	mkdir c
	printf 'cucm-pub 10.0.0.1 publisher tftp\ncucm-sub1 10.0.0.2\n' >c/nodes
	# every directory in one mkdir
	mkdir -p c/cucm-{pub,sub1}/{CallManager,tomcat,ipsec,TVS} c/cucm-pub/{ITLRecovery,CAPF}
	for n in cucm-pub cucm-sub1; do
		for u in CallManager tomcat ipsec TVS; do
			tcp tftp2048.pem c/$n/$u/$u.pem	# only CallManager's pair matters here
			copy600 tftp2048.key c/$n/$u/$u.key
		done
		MKCERT_BITS=1024 mkcert c/$n/CallManager CallManager 30 "/O=Example/CN=$n"
	done
	tcp sast.pem c/cucm-pub/sast.pem
	copy600 sast.key c/cucm-pub/sast.key
	tcp sast.pem c/cucm-pub/ITLRecovery/ITLRecovery.pem
	copy600 sast.key c/cucm-pub/ITLRecovery/ITLRecovery.key
	tcp other.pem c/cucm-pub/CAPF/CAPF.pem
	copy600 other.key c/cucm-pub/CAPF/CAPF.key
	xrun -0 --separate-stderr itl-build --sign-file --cluster c --node cucm-pub SEP001122334455.cnf.xml
	[ -z "$output" ]
	[ -s c/cucm-pub/tftp/SEP001122334455.cnf.xml.sgn ]
	xrun -0 ctl-dump --brief --signer c/cucm-pub/CallManager/CallManager.pem c/cucm-pub/tftp/SEP001122334455.cnf.xml.sgn
	[[ $output == "VERIFIED	"*"	SEP001122334455.cnf.xml.sgn	"* ]]
	# the node's own ITL lists its CallManager as TFTP: a phone holding it accepts the file
	itl-build --cluster c --node cucm-pub -o pub-ITL.tlv
	xrun -0 ctl-dump --brief --trust pub-ITL.tlv c/cucm-pub/tftp/SEP001122334455.cnf.xml.sgn
	[[ $output == "ACCEPTED	"* ]]
	xrun -2 --separate-stderr itl-build --sign-file --cluster c --node cucm-sub1 SEP001122334455.cnf.xml
	[[ $stderr == *"cucm-sub1: not a TFTP node"* ]]
	xrun -2 --separate-stderr itl-build --sign-file --cluster c --node cucm-pub -k sast.key SEP001122334455.cnf.xml
	[[ $stderr == *"--sign-file --cluster takes --node NAME"* ]]
}

# mkcl: an offline cluster ./c (tests/cluster.bats' layout): cucm-pub (publisher, TFTP, CAPF,
# ITLRecovery), cucm-sub1 (TFTP), cucm-sub2; CallManager-trust replicated.
mkcl() {
	local n u m
	mkdir c
	printf 'cucm-pub 10.0.0.1 publisher tftp\ncucm-sub1 10.0.0.2 tftp\ncucm-sub2 10.0.0.3\n' >c/nodes
	for n in cucm-pub cucm-sub1 cucm-sub2; do
		for u in CallManager TVS; do
			mkdir -p c/$n/$u
			MKCERT_BITS=1024 mkcert c/$n/$u $u 30 "/O=Example/CN=$n-$u"
		done
		for u in tomcat ipsec; do	# in no ITL: one pair for all, as the test above does
			mkdir -p c/$n/$u
			cp tftp1024.pem c/$n/$u/$u.pem
			cp tftp1024.key c/$n/$u/$u.key
		done
		mkdir c/$n/CallManager-trust
	done
	mkdir c/cucm-pub/CAPF c/cucm-pub/ITLRecovery
	cp other.pem c/cucm-pub/CAPF/CAPF.pem
	cp other.key c/cucm-pub/CAPF/CAPF.key
	cp sast.pem c/cucm-pub/ITLRecovery/ITLRecovery.pem
	cp sast.key c/cucm-pub/ITLRecovery/ITLRecovery.key
	for n in cucm-pub cucm-sub1 cucm-sub2; do
		for m in cucm-pub cucm-sub1 cucm-sub2; do
			cp c/$m/CallManager/CallManager.pem c/$n/CallManager-trust/$m.pem
		done
	done
}

# bats test_tags=full
@test "sgn: --cluster --trust ITL: a signer a TVS of the cluster vouches for is accepted through TVS; text, --brief, --json say which path" {
	local n s
	mkcl
	itl-build --cluster c --node cucm-pub -o ITL.tlv
	for n in cucm-pub cucm-sub1 cucm-sub2; do
		printf '<device><n>%s</n></device>\n' $n >$n.cnf.xml
	done
	itl-build --sign-file --cluster c --node cucm-pub cucm-pub.cnf.xml
	itl-build --sign-file --cluster c --node cucm-sub1 cucm-sub1.cnf.xml
	itl-build --sign-file -k tftp2048.key --signer tftp2048.pem -o c/cucm-sub1/tftp/stranger.sgn cucm-sub2.cnf.xml
	cp c/cucm-pub/tftp/cucm-pub.cnf.xml.sgn pub.sgn
	cp c/cucm-sub1/tftp/cucm-sub1.cnf.xml.sgn sub1.sgn
	cp c/cucm-sub1/tftp/stranger.sgn stranger.sgn
	s=$(openssl x509 -in c/cucm-sub1/CallManager/CallManager.pem -noout -serial | sed 's/.*=//')
	# the publisher's ITL lists its own CallManager as TFTP: direct
	xrun -0 ctl-dump --cluster c --trust ITL.tlv pub.sgn
	[ "${lines[-1]}" = "The signed file was verified successfully (signer: TFTP record 3 of ITL.tlv; direct)." ]
	# cucm-sub1's CallManager is no record of it: without the cluster a phone rejects the file ...
	xrun -1 --separate-stderr ctl-dump --brief --trust ITL.tlv sub1.sgn
	[ "$stderr" = "ctl-dump: sub1.sgn: a phone would reject it: the signer is not in the trust list" ]
	# ... with it, the phone's own TFTP node's TVS (cucm-pub) trusts a CallManager of the cluster
	xrun -0 ctl-dump --cluster c --trust ITL.tlv sub1.sgn
	[ "${lines[-1]}" = "The signed file was verified successfully (signer: CallManager of cucm-sub1; tvs via cucm-pub)." ]
	xrun -0 ctl-dump -j --cluster c --trust ITL.tlv sub1.sgn
	jq -e '.signature == {"verified": true, "signer": "CallManager of cucm-sub1", "error": null,
		"path": "tvs", "via": "cucm-pub"}' <<<"$output"
	xrun -0 ctl-dump -j --cluster c --trust ITL.tlv pub.sgn
	jq -e '.signature.path == "direct" and .signature.via == null and .signature.verified' <<<"$output"
	# a signer no TVS trusts: rejected, each TVS says why; exit 1 for the directory
	xrun -1 --separate-stderr ctl-dump --brief --cluster c --trust ITL.tlv pub.sgn sub1.sgn stranger.sgn
	[ "${lines[0]}" = "ACCEPTED	$(openssl x509 -in c/cucm-pub/CallManager/CallManager.pem -noout -serial | sed 's/.*=//')	cucm-pub.cnf.xml.sgn	$(wc -c <cucm-pub.cnf.xml)	pub.sgn	direct" ]
	[ "${lines[1]}" = "ACCEPTED	$s	cucm-sub1.cnf.xml.sgn	$(wc -c <cucm-sub1.cnf.xml)	sub1.sgn	tvs via cucm-pub" ]
	[ "${lines[2]}" = "REJECTED	7A002048	stranger.sgn	$(wc -c <cucm-sub2.cnf.xml)	stranger.sgn	-" ]
	[ "$stderr" = "ctl-dump: stranger.sgn: a phone would reject it: the signer is not in the trust list (signer CN=tftp2048.lab;O=Lab;C=US); TVS cucm-pub does not trust the signer; TVS cucm-sub1 does not trust the signer; TVS cucm-sub2 does not trust the signer; stranded groups: cucm-pub, cucm-sub1, cucm-sub2" ]
	xrun -1 ctl-dump -j --cluster c --trust ITL.tlv stranger.sgn
	jq -e '.signature.verified == false and .signature.path == null and .signature.via == null and
		(.signature.error | endswith("TVS cucm-sub2 does not trust the signer; stranded groups: cucm-pub, cucm-sub1, cucm-sub2"))' <<<"$output"
	# cucm-pub's TVS regenerated since the phone got its ITL: with no groups declared each node
	# is a group of its own, and phones whose group is cucm-pub alone reach no TVS that vouches
	MKCERT_BITS=1024 mkcert c/cucm-pub/TVS TVS 30 /O=Example/CN=cucm-pub-TVS
	xrun -1 --separate-stderr ctl-dump --brief --cluster c --trust ITL.tlv sub1.sgn
	[ "$output" = "REJECTED	$s	cucm-sub1.cnf.xml.sgn	$(wc -c <cucm-sub1.cnf.xml)	sub1.sgn	-" ]
	[[ $stderr == *"; TVS cucm-pub was regenerated since; stranded groups: cucm-pub" ]]
	# one CallManager group of cucm-pub and cucm-sub1 (cucm-sub2 in none): cucm-sub1's TVS vouches
	cp c/nodes nodes.nogroups
	sed -i -e '/^cucm-pub /s/$/ groups=g1/' -e '/^cucm-sub1 /s/$/ groups=g1/' c/nodes
	xrun -0 ctl-dump --brief --cluster c --trust ITL.tlv sub1.sgn
	[ "$output" = "ACCEPTED	$s	cucm-sub1.cnf.xml.sgn	$(wc -c <cucm-sub1.cnf.xml)	sub1.sgn	tvs via cucm-sub1" ]
	cp nodes.nogroups c/nodes
	# every TVS regenerated: nobody vouches
	for n in cucm-sub1 cucm-sub2; do
		MKCERT_BITS=1024 mkcert c/$n/TVS TVS 30 "/O=Example/CN=$n-TVS"
	done
	xrun -1 --separate-stderr ctl-dump -q --cluster c --trust ITL.tlv sub1.sgn
	[ -z "$output" ] && [ -z "$stderr" ]
	xrun -1 ctl-dump --cluster c --trust ITL.tlv sub1.sgn
	[[ ${lines[-1]} == "The signed file could not be verified: the signer is not in the trust list (signer CN=cucm-sub1-CallManager;O=Example); TVS cucm-pub was regenerated since; TVS cucm-sub1 was regenerated since; TVS cucm-sub2 was regenerated since; stranded groups: cucm-pub, cucm-sub1, cucm-sub2." ]]
	# the direct path does not need the TVS servers; a tampered file is not mended by them
	xrun -0 ctl-dump -q --cluster c --trust ITL.tlv pub.sgn
	cp pub.sgn bad.sgn
	printf 'X' | dd of=bad.sgn bs=1 seek=$(($(wc -c <bad.sgn) - 3)) conv=notrunc status=none
	xrun -1 ctl-dump --cluster c --trust ITL.tlv bad.sgn
	[ "${lines[-1]}" = "The signed file could not be verified: the signature does not match (signer: TFTP record 3 of ITL.tlv)." ]
	# trouble: the cluster does not load
	xrun -2 --separate-stderr ctl-dump --cluster nosuch --trust ITL.tlv pub.sgn
	[ -z "$output" ]
}
