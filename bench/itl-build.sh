#!/bin/sh
# bench/itl-build.sh: build and sign a 20-record ITL, 1,000 files in one process, against
# one process doing the EVP signature openssl dgst -sha1 -sign does over the same bytes.
# CPU time per file. Target (issue #3): itl-build's work per file <= 1.5 x the signature's. For reference, also
# the per-file time of a shell loop of itl-build processes beside openssl dgst processes.
set -eu
top=$(pwd)
N=${CTK_BENCH_FILES:-1000}
P=${CTK_BENCH_PROCS:-200}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cc -O2 -D_POSIX_C_SOURCE=200809L -I"$top/lib" -o "$tmp/baseline" "$top/bench/itl-build-baseline.c" \
	"$top/lib/libctk.a" $(pkg-config --cflags --libs libcrypto libtasn1)

# A 2048-bit SAST signer and 19 more 2048-bit certificates: 20 records.
cd "$tmp"
openssl req -x509 -newkey rsa:2048 -nodes -keyout sast.key -out sast.pem -days 3650 \
	-subj "/C=US/O=Bench/OU=VTG/CN=ITLRECOVERY_bench/ST=CA/L=SJ" 2>/dev/null
set -- --sast sast.pem,dns=bench,ip=10.0.0.1
certs=sast.pem
for r in 01 02 03 04 05 06 07 08 09 10 11 12 13 14 15 16 17 18 19; do
	openssl req -x509 -newkey rsa:2048 -nodes -keyout c$r.key -out c$r.pem -days 3650 \
		-subj "/C=US/O=Bench/OU=VTG/CN=node$r.example.com/ST=CA/L=SJ" 2>/dev/null
	set -- "$@" --tvs c$r.pem,dns=node$r
	certs="$certs c$r.pem"
done
"$top/bin/itl-build" -k sast.key --now @1700000000 "$@" -o ITLFile.tlv
args=$*

ratio() { echo "$1 $2" | awk '{ printf "%.2f", $1 / $2 }'; }
ms() { echo "$1" | awk '{ printf "%.3f", $1 * 1000 }'; }
set -- $("$tmp/baseline" sast.key "$N" ITLFile.tlv $certs)
best_b=$1; best_t=$2

# Children's CPU seconds (user + sys) from the shell's times, the last line it prints.
cpu() { tail -1 | awk '{ for (i = 1; i <= 2; i++) { split($i, t, "m"); s += t[1] * 60 + t[2] } print s }'; }
pt=$( (i=0
	while [ $i -lt "$P" ]; do
		"$top/bin/itl-build" -k sast.key --now @1700000000 $args >out.tlv	# -o would fsync
		i=$((i + 1))
	done
	times) | cpu)
po=$( (i=0
	while [ $i -lt "$P" ]; do
		openssl dgst -sha1 -sign sast.key -out out.sig ITLFile.tlv
		i=$((i + 1))
	done
	times) | cpu)
pt=$(echo "$pt $P" | awk '{ print $1 / $2 }')
po=$(echo "$po $P" | awk '{ print $1 / $2 }')

echo "itl-build bench: ITL of 20 records ($(wc -c <ITLFile.tlv) bytes), RSA-2048 SHA-1 signer, CPU time, the two loops alternating in chunks of 50"
echo "  baseline (EVP sign over the same bytes, as openssl dgst -sha1 -sign, $N in one process): $(ms "$best_b") ms/file"
echo "  itl-build (read 20 PEM certificates, build, sign, check, $N in one process): $(ms "$best_t") ms/file" \
	"= $(ratio "$best_t" "$best_b") x baseline (target <= 1.5)"
echo "  for reference, one process per file ($P files, CPU): itl-build $(ms "$pt") ms/file," \
	"openssl dgst -sha1 -sign $(ms "$po") ms/file = $(ratio "$pt" "$po") x"
