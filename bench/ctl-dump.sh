#!/bin/sh
# bench/ctl-dump.sh: ctl-dump on two corpora of ITL files (10 records each, RSA-2048 signers),
# text to /dev/null, against plain C loops (bench/ctl-dump-baseline.c) that do only what must be
# done (the floors):
#   verify floor:          read, parse, d2i_PublicKey of the signer's PUBLICKEY (EC: the point
#                          through EVP_PKEY_fromdata), verify
#   verify+digest floor:   the same plus the file's MD5 and SHA-1 and each certificate's SHA-1
# Corpora: "one signer" = 10 distinct ITLs copied to N files; "signer per file" = N files each
# signed by its own certificate, keys cycling through 40 (bench/ctl-dump-gen.c); "EC signer per
# file" = the same with EC keys (P-256, P-384, P-521 in turn) and ECDSA signatures.
# Targets (issue 17): text >= 0.70 of the verify+digest floor, -q >= 0.70 of the verify floor.
# CTK_BENCH_ITLS=N sets N (default 10000); CTK_BENCH_CTLDUMP=path benches another binary.
set -eu
top=$(pwd)
N=${CTK_BENCH_ITLS:-10000}
dump=${CTK_BENCH_CTLDUMP:-$top/bin/ctl-dump}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for p in baseline gen; do
	cc -O2 -I"$top/lib" -o "$tmp/$p" "$top/bench/ctl-dump-$p.c" "$top/lib/libctk.a" \
		$(pkg-config --cflags --libs libcrypto libtasn1)
done

# Corpus 1: 10 distinct ITLs (2048-bit signer, 10 records), copied to N files.
cd "$tmp"
for i in 0 1 2 3 4 5 6 7 8 9; do
	openssl req -x509 -newkey rsa:2048 -nodes -keyout k$i.key -out s$i.pem -days 3650 \
		-subj "/CN=ITLRECOVERY_bench$i" 2>/dev/null
	set -- --sast s$i.pem
	for r in 1 2 3 4 5 6 7 8 9; do
		[ -f c$r.pem ] || openssl req -x509 -newkey rsa:2048 -nodes -keyout c$r.key -out c$r.pem \
			-days 3650 -subj "/CN=node$r" 2>/dev/null
		set -- "$@" --tvs c$r.pem
	done
	"$top/bin/itl-build" -k k$i.key --now @1700000000 "$@" -o itl$i.tlv
done
mkdir one per ec
i=0
while [ $i -lt "$N" ]; do
	cp itl$((i % 10)).tlv one/ITLFile-$i.tlv
	i=$((i + 1))
done
# Corpus 2: a signer certificate per file, 40 keys.
"$tmp/gen" per "$N" 40
# Corpus 3: the same with EC keys and ECDSA signatures.
"$tmp/gen" ec "$N" 40 ec
cat one/* per/* ec/* >/dev/null	# warm the page cache

now() { date +%s.%N; }
rate() { echo "$1 $2 $3" | awk '{ printf "%.0f", $1 / ($3 - $2) }'; }
pct() { echo "$1 $2" | awk '{ printf "%.2f", $1 / $2 }'; }
# run CORPUS: best of 3 alternated rounds of each loop; sets vf df tx qq js (files/s).
run() {
	vf=0; df=0; tx=0; qq=0; js=0
	for round in 1 2 3; do
		t0=$(now); "$tmp/baseline" "$1"/* >/dev/null; t1=$(now)
		"$tmp/baseline" -d "$1"/* >/dev/null; t2=$(now)
		"$dump" "$1"/* >/dev/null; t3=$(now)
		"$dump" -q "$1"/*; t4=$(now)
		"$dump" --json "$1"/* >/dev/null; t5=$(now)
		r=$(rate "$N" "$t0" "$t1"); [ "$r" -gt "$vf" ] && vf=$r
		r=$(rate "$N" "$t1" "$t2"); [ "$r" -gt "$df" ] && df=$r
		r=$(rate "$N" "$t2" "$t3"); [ "$r" -gt "$tx" ] && tx=$r
		r=$(rate "$N" "$t3" "$t4"); [ "$r" -gt "$qq" ] && qq=$r
		r=$(rate "$N" "$t4" "$t5"); [ "$r" -gt "$js" ] && js=$r
	done
	echo "  $2:"
	echo "    floors: verify $vf files/s, verify+digest $df files/s"
	echo "    ctl-dump (text):  $tx files/s = $(pct "$tx" "$df") of verify+digest (target >= 0.70)"
	echo "    ctl-dump -q:      $qq files/s = $(pct "$qq" "$vf") of verify (target >= 0.70)"
	echo "    ctl-dump --json:  $js files/s = $(pct "$js" "$df") of verify+digest"
}
echo "ctl-dump bench: $N ITL files x 10 records per corpus, RSA-2048 or EC signers, best of 3 rounds"
run one "one signer (10 distinct files copied)"
run per "signer per file (a certificate per file, 40 keys)"
run ec "EC signer per file (a certificate per file, 40 keys: P-256, P-384, P-521)"
