#!/usr/bin/env bats
# itlstream.bats: itl-build -o FILE writes the file as its records are made (lib/tl/ctlwritestream):
# the same bytes as the file built in memory (-o -), wherever the signer's record comes, past
# the writer's pieces of 48 KiB; a write that fails, a refused --trust and an existing file
# leave the old file and no temporary one.
load helpers
load storekit

TS=1798761600

setup_file() {
	cd "$BATS_FILE_TMPDIR"
	need_storekit
	# 240 EC certificates (about 170 KB of records: four pieces) and an RSA signer
	local i spec=
	for ((i = 0; i < 240; i++)); do
		spec+="ec$i|20240101000000Z|20290101000000Z|/O=Example/CN=host-$i|ec"$'\n'
	done
	mkcerts . <<<"$spec"
	mkcerts . <<-'EOF'
		sast|20240101000000Z|20290101000000Z|/CN=ITLRECOVERY_stream|1024
		other|20240101000000Z|20290101000000Z|/CN=other-signer|1024
	EOF
	cat ec{0..119}.pem >a.pem	# one cat each, not one per certificate
	cat ec{120..239}.pem >b.pem
}

setup() {
	cd "$BATS_TEST_TMPDIR"
	F=$BATS_FILE_TMPDIR
}

# same ARGS...: itl-build -f ARGS -o FILE and -o - (the file built in memory) give the same bytes
# and the same diagnostics (the size warning names the output, "<stdin>" for -), and the file verifies
same() {
	xrun -0 --separate-stderr itl-build -f --now @$TS "$@" -o f.tlv
	local e1=$stderr
	itl-build -f --now @$TS "$@" -o - >m.tlv 2>m.err
	cmp f.tlv m.tlv
	[ "${e1//f.tlv/<stdin>}" = "$(<m.err)" ]
	ctl-dump -q f.tlv
}

@test "itlstream: -o FILE writes the bytes -o - does: the signer first, in the middle, last, and alone" {
	local k=(-k "$F/sast.key")
	same "${k[@]}" --sast "$F/sast.pem" --ccm "$F/a.pem" --tvs "$F/b.pem"
	[ "$(ctl-dump --json f.tlv | jq -c '[(.records | length), .signature.record, .signature.verified]')" = '[241,1,true]' ]
	same "${k[@]}" --ccm "$F/a.pem" --sast "$F/sast.pem" --tvs "$F/b.pem"
	[ "$(ctl-dump --json f.tlv | jq -c '[(.records | length), .signature.record]')" = '[241,121]' ]
	same "${k[@]}" --ccm "$F/a.pem" --tvs "$F/b.pem" --sast "$F/sast.pem"
	[ "$(ctl-dump --json f.tlv | jq -c '[(.records | length), .signature.record]')" = '[241,241]' ]
	same "${k[@]}" --sast "$F/sast.pem"
	# --resign: the old records copied, a new signer after them; --json reads the streamed file
	itl-build "${k[@]}" --sast "$F/sast.pem" --ccm "$F/a.pem" --now @$TS -o r.tlv
	same --resign r.tlv --sast "$F/other.pem" -k "$F/other.key"
	[ "$(ctl-dump --json f.tlv | jq -c '[(.records | length), .signature.record]')" = '[122,122]' ]
	xrun -0 --separate-stderr itl-build --resign r.tlv --sast "$F/other.pem" -k "$F/other.key" \
		--now @$TS -j -o g.tlv
	[ "$(jq -c '[(.records | length), .signature.verified]' <<<"$output")" = '[122,true]' ]
	[ "$(ctl-dump --json g.tlv | jq -c '[(.records | length), .signature.verified]')" = '[122,true]' ]
}

@test "itlstream: a write failing mid-stream, a refused --trust, an existing file: exit 2 or 1, the old file whole, no temporary file" {
	command -v cc >/dev/null || skip "no C compiler for the write shim"
	local asan="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
	# write(2) on the file fails with ENOSPC past its first 100 KB (the third piece)
	cat >full.c <<-'EOF'
		#define _GNU_SOURCE
		#include <dlfcn.h>
		#include <errno.h>
		#include <unistd.h>
		static size_t total;
		ssize_t write(int fd, const void *p, size_t n) {
			static ssize_t (*real)(int, const void *, size_t);
			if (real == NULL)
				real = (ssize_t (*)(int, const void *, size_t))dlsym(RTLD_NEXT, "write");
			if (fd > 2 && total + n > 100000) {
				errno = ENOSPC;
				return -1;
			}
			if (fd > 2)
				total += n;
			return real(fd, p, n);
		}
	EOF
	cc -shared -fPIC -o full.so full.c -ldl
	itl-build -k "$F/sast.key" --sast "$F/sast.pem" --now @$TS -o ITLFile.tlv
	cp ITLFile.tlv old.tlv
	LD_PRELOAD=$PWD/full.so ASAN_OPTIONS=$asan xrun -2 --separate-stderr itl-build -f \
		-k "$F/sast.key" --sast "$F/sast.pem" --ccm "$F/a.pem" --tvs "$F/b.pem" --now @$TS \
		-o ITLFile.tlv
	[ "$stderr" = "itl-build: ITLFile.tlv: No space left on device" ]
	cmp ITLFile.tlv old.tlv
	[ -z "$(ls | grep '\.tmp\.')" ]
	# another key: phones holding ITLFile.tlv would reject the new file; nothing written
	xrun -1 --separate-stderr itl-build -k "$F/other.key" --sast "$F/other.pem" --ccm "$F/a.pem" \
		--trust ITLFile.tlv --now @$TS -o new.tlv
	[[ $stderr == *"itl-build: ITLFile.tlv: a phone holding it would reject the new file: "* ]]
	[ ! -e new.tlv ]
	[ -z "$(ls | grep '\.tmp\.')" ]
	# without -f an existing file is kept, after the whole file was built
	xrun -2 --separate-stderr itl-build -k "$F/sast.key" --sast "$F/sast.pem" --ccm "$F/a.pem" \
		--now @$TS -o ITLFile.tlv
	[[ $stderr == *"itl-build: ITLFile.tlv: exists (use --force to replace it)" ]]
	cmp ITLFile.tlv old.tlv
	[ -z "$(ls | grep '\.tmp\.')" ]
}
