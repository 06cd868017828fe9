#!/bin/sh
# bench/itl-build-records.sh: `itl-build` writing an ITL of N records (a 2048-bit SAST signer
# and N-1 RSA-2048 certificates from one PEM bundle; CTK_BENCH_RECORDS, default 5 50 500)
# against `openssl dgst -sha256 -sign` of the same file, one process each. CPU time
# (user + sys) per run over chunks of 10 runs, the two alternating (CTK_BENCH_PAIRS chunks,
# default 7), medians; and the instructions each executes (valgrind --tool=callgrind), which a
# busy machine does not blur. ratio = openssl / itl-build. Target (issue #28): >= 0.80 at every size.
set -eu
top=$(pwd)
. "$top/bench/lib/scratch.sh"
. "$top/bench/lib/cpu.sh"
SIZES=${CTK_BENCH_RECORDS:-5 50 500}
PAIRS=${CTK_BENCH_PAIRS:-7}
bench_scratch itl-records 200000
cc -O2 -o "$tmp/gen" "$top/bench/trust-prune-gen.c" $(pkg-config --cflags --libs libcrypto)
cd "$tmp"
openssl req -x509 -newkey rsa:2048 -nodes -keyout sast.key -out sast.pem -days 3650 \
	-subj "/C=US/O=Bench/OU=VTG/CN=ITLRECOVERY_bench/ST=CA/L=SJ" 2>/dev/null

echo "itl-build records bench: ITL of N records, RSA-2048 SHA-256 signer, one process per file;" \
	"CPU medians of $PAIRS alternating chunks of 10; load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%8s %9s %12s %12s %7s %14s %14s %7s\n' records bytes "openssl ms" "itl-build ms" ratio \
	"openssl Ir" "itl-build Ir" "Ir ratio"
for n in $SIZES; do
	rm -rf s && "$tmp/gen" s $((n - 1))
	find s -path '*-trust/*' -name '*.pem' -exec cat {} + >bundle.pem
	set -- "$top/bin/itl-build" -f -k sast.key --sast sast.pem --ccm bundle.pem --digest sha256 \
		--now @1798761600 -o itl.tlv
	"$@" 2>/dev/null || [ $? -eq 1 ]
	: >o; : >i
	p=0
	while [ $p -lt "$PAIRS" ]; do
		cpu_runs 10 openssl dgst -sha256 -sign sast.key -out sig itl.tlv >>o
		cpu_runs 10 "$@" >>i
		p=$((p + 1))
	done
	mo=$(median <o); mi=$(median <i)
	io=$(callgrind_ir openssl dgst -sha256 -sign sast.key -out sig itl.tlv)
	ii=$(callgrind_ir "$@")
	printf '%8d %9d %12.2f %12.2f %7s %14s %14s %7s\n' "$n" "$(wc -c <itl.tlv)" \
		"$(echo "$mo" | awk '{ print $1 * 1000 }')" "$(echo "$mi" | awk '{ print $1 * 1000 }')" \
		"$(ratio "$mo" "$mi")" "$io" "$ii" "$(ratio "$io" "$ii")"
done
echo "target: ratio >= 0.80 from 5 to 500 records"
