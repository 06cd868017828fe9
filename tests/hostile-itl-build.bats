#!/usr/bin/env bats
# hostile-itl-build.bats: itl-build against damaged inputs, odd store entries and a kill before its rename (tests/hostile.bash).
# bats file_tags=full
load hostile

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
