#!/bin/sh
# seeds.sh TARGET DIR: write a seed corpus for fuzz_TARGET into DIR (emptied first), made at
# run time from generated certificates and the project's own tools. ../shared/samples is not
# copied here: run.sh hands that directory to libFuzzer to read in place.
set -eu
target=$1 dir=$2
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rm -rf "$dir"
mkdir -p "$dir"

# cert NAME KEYALG-ARGS...: self-signed certificate $tmp/NAME.pem, key $tmp/NAME.key.
cert() {
	n=$1
	shift
	openssl req -x509 -new -nodes "$@" -keyout "$tmp/$n.key" -out "$tmp/$n.pem" -days 30 \
	    -subj "/CN=$n/O=fuzz/C=US" -addext "subjectAltName=DNS:$n.example" 2>/dev/null
	openssl x509 -in "$tmp/$n.pem" -outform DER -out "$tmp/$n.der"
}

cert rsa1024 -newkey rsa:1024
cert rsa2048 -newkey rsa:2048
cert p256 -newkey ec -pkeyopt ec_paramgen_curve:P-256
cert p384 -newkey ec -pkeyopt ec_paramgen_curve:P-384
cert ed25519 -newkey ed25519
# issue 16: a serial over 64 bytes, a negative serial, bidi controls in the CN
openssl req -x509 -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:P-256 -keyout "$tmp/odd.key" \
    -out "$tmp/longserial.der" -outform DER -days 1 -subj /CN=long \
    -set_serial "0x$(printf '7F%.0s' $(seq 70))" 2>/dev/null
openssl req -x509 -new -key "$tmp/odd.key" -out "$tmp/negserial.der" -outform DER -days 1 \
    -subj /CN=neg -set_serial -0x1234 2>/dev/null
printf '[req]\ndistinguished_name=dn\nprompt=no\n[dn]\nCN=a\342\200\256b\342\201\246c\n' >"$tmp/bidi.cnf"
openssl req -x509 -utf8 -new -key "$tmp/odd.key" -out "$tmp/bidi.der" -outform DER -days 1 \
    -config "$tmp/bidi.cnf" 2>/dev/null

case $target in
ctl)
	itl=$top/bin/itl-build
	if [ -x "$itl" ]; then
		"$itl" -k "$tmp/rsa1024.key" --sast "$tmp/rsa1024.pem" \
		    --tftp "$tmp/rsa2048.pem,dns=tftp.example,ip=10.0.0.1" --tvs "$tmp/p256.pem" \
		    -o "$dir/itl-cucm.tlv"
		"$itl" --ctl -k "$tmp/rsa1024.key" --sast "$tmp/rsa1024.pem" --layout certutils \
		    --digest sha256 --ccm-tftp "$tmp/rsa1024.pem" --capf "$tmp/ed25519.pem" \
		    -o "$dir/ctl-certutils.tlv"
		"$itl" -k "$tmp/rsa1024.key" --sast "$tmp/rsa1024.pem" --digest sha512 \
		    --role "99=$tmp/p384.pem" -o "$dir/itl-unknown-role.tlv"
		mkdir "$tmp/bad"
		[ ! -x "$top/tests/bin/mkcorpus" ] ||
		    "$top/tests/bin/mkcorpus" "$dir/itl-cucm.tlv" "$tmp/bad" >/dev/null
		# a stride through the malformed variants keeps the seed corpus small
		ls "$tmp/bad" | awk 'NR % 8 == 1' | while read -r f; do
			mv "$tmp/bad/$f" "$dir/bad-$f"
		done
	else
		echo "seeds.sh: bin/itl-build absent: ctl seeds are ../shared/samples only" >&2
	fi
	printf '\001\000\002\001\002\000\010' >"$dir/tiny.tlv"
	# issue 16: past the record cap (1,025 empty 5-byte records), and the bidi CN's ITL
	{ printf '\001\000\002\001\002\002\000\002\000\014\015\015'
	  i=0; while [ $i -lt 1025 ]; do printf '\001\000\002\000\005'; i=$((i + 1)); done
	} >"$dir/amp1025.tlv"
	[ ! -x "$itl" ] || "$itl" -k "$tmp/rsa1024.key" --sast "$tmp/rsa1024.pem" \
	    --tftp "$tmp/bidi.der" --tvs "$tmp/negserial.der" -o "$dir/itl-odd.tlv"
	# an ITL an EC key signed (ECDSA), so that the fuzzer starts inside the EC verify path: the
	# records are itl-build's, the header and signature tests/bin/ctldump-ecitl's (itl-build
	# signs with RSA only); the signer's record holds its EC point
	ec=$top/tests/bin/ctldump-ecitl
	if [ -x "$itl" ] && [ -x "$ec" ]; then
		openssl req -x509 -new -key "$tmp/p256.key" -subj /CN=ecfuzz -set_serial 0x7E41 \
		    -days 30 -out "$tmp/ec.pem" 2>/dev/null
		"$itl" -k "$tmp/rsa1024.key" --sast "$tmp/rsa1024.pem" --sast "$tmp/ec.pem" \
		    --tvs "$tmp/p384.pem" -f -o "$tmp/rec.tlv"
		set -- $(od -An -tu1 -j8 -N2 "$tmp/rec.tlv")
		"$ec" "$dir/itl-ec.tlv" "$tmp/p256.key" ecfuzz 7e41 \
		    "$(od -An -v -tx1 -j $(($1 * 256 + $2)) "$tmp/rec.tlv" | tr -d " \n")"
	fi
	;;
sgn)
	# 2-byte length of a trust list, the list, then a signed file (fuzz_sgn.c)
	itl=$top/bin/itl-build
	printf '<device><fullConfig>true</fullConfig></device>\n' >"$tmp/cnf.xml"
	printf '\000\000\001\000\002\002\000\002\000\012' >"$dir/tiny-enc.sgn"
	if [ -x "$itl" ]; then
		"$itl" -k "$tmp/rsa1024.key" --sast "$tmp/rsa1024.pem" --tftp "$tmp/rsa2048.pem" \
		    --ccm-tftp "$tmp/rsa1024.pem" -o "$tmp/itl.tlv"
		"$itl" --sign-file -k "$tmp/rsa2048.key" --signer "$tmp/rsa2048.pem" \
		    -o "$tmp/a.sgn" "$tmp/cnf.xml"
		"$itl" --sign-file --layout certutils --digest sha512 -k "$tmp/rsa1024.key" \
		    --signer "$tmp/rsa1024.pem" -o "$tmp/b.sgn" "$tmp/cnf.xml"
		n=$(wc -c <"$tmp/itl.tlv")
		for f in a b; do
			{ printf "\\$(printf %03o $((n >> 8)))\\$(printf %03o $((n & 255)))"
			  cat "$tmp/itl.tlv" "$tmp/$f.sgn"; } >"$dir/itl-$f.sgn"
			{ printf '\000\000'; cat "$tmp/$f.sgn"; } >"$dir/alone-$f.sgn"
		done
	else
		echo "seeds.sh: bin/itl-build absent: sgn seeds are tiny only" >&2
	fi
	;;
cert)
	for n in rsa2048 p256 ed25519; do
		cp "$tmp/$n.pem" "$dir/$n.pem"
		cp "$tmp/$n.der" "$dir/$n.der"
	done
	cat "$tmp/rsa1024.pem" "$tmp/p384.pem" >"$dir/bundle.pem"
	openssl x509 -in "$tmp/p256.pem" -trustout -addtrust serverAuth -out "$dir/trusted.pem"
	openssl crl2pkcs7 -nocrl -certfile "$dir/bundle.pem" -outform DER -out "$dir/bundle.p7b"
	openssl crl2pkcs7 -nocrl -certfile "$dir/bundle.pem" -out "$dir/bundle.p7.pem"
	# PKCS#12 with few iterations, so that the fuzzer spends its time in parsing
	p12="openssl pkcs12 -export -iter 1 -maciter -macalg sha256"
	$p12 -in "$tmp/p256.pem" -inkey "$tmp/p256.key" -passout pass: -out "$dir/empty.p12"
	$p12 -in "$tmp/rsa1024.pem" -inkey "$tmp/rsa1024.key" -certfile "$tmp/p384.pem" \
	    -passout pass:fuzz -out "$dir/pass.p12"
	$p12 -in "$tmp/p256.pem" -nokeys -certpbe NONE -passout pass: -out "$dir/plain.p12"
	cp "$tmp/p256.key" "$dir/key-only.pem"
	openssl req -new -key "$tmp/p256.key" -subj /CN=csr -out "$dir/csr.pem"
	cp "$tmp/longserial.der" "$tmp/negserial.der" "$tmp/bidi.der" "$dir/"
	printf -- '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n' >"$dir/short.pem"
	;;
p12)
	openssl crl2pkcs7 -nocrl -certfile "$tmp/rsa1024.pem" -certfile "$tmp/p256.pem" \
	    -outform DER -out "$dir/bundle.p7b"
	p12="openssl pkcs12 -export -iter 1 -maciter -macalg sha256"
	$p12 -in "$tmp/p256.pem" -inkey "$tmp/p256.key" -passout pass: -out "$dir/empty.p12"
	$p12 -in "$tmp/rsa1024.pem" -inkey "$tmp/rsa1024.key" -certfile "$tmp/p384.pem" \
	    -passout pass:fuzz -out "$dir/pass.p12"
	$p12 -in "$tmp/p256.pem" -nokeys -certpbe NONE -passout pass: -out "$dir/plain.p12"
	openssl pkcs12 -export -legacy -iter 1 -in "$tmp/p256.pem" -inkey "$tmp/p256.key" \
	    -passout pass: -out "$dir/legacy.p12" 2>/dev/null || true
	# the key-derivation bombs of tests/hostile-cert-expiry.bats, with small counts and the real shapes
	mk=$top/tests/bin/mkp12
	if [ -x "$mk" ]; then
		"$mk" "$tmp/p256.pem" "$dir/scrypt.p12" scrypt 1024 8 16
		"$mk" "$tmp/p256.pem" "$dir/safes.p12" pbkdf2 4 3
	fi
	;;
der)
	for n in rsa1024 rsa2048 p256 p384 ed25519; do
		cp "$tmp/$n.der" "$dir/$n.der"
		openssl pkey -in "$tmp/$n.key" -pubout -outform DER -out "$dir/$n.spki"
	done
	openssl rsa -in "$tmp/rsa1024.key" -RSAPublicKey_out -outform DER \
	    -out "$dir/rsa1024.pkcs1" 2>/dev/null
	openssl req -x509 -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:P-521 \
	    -keyout "$tmp/p521.key" -out "$dir/p521.der" -outform DER -days 1 -subj /CN=p521 \
	    -set_serial 0 2>/dev/null
	cp "$tmp/longserial.der" "$tmp/negserial.der" "$tmp/bidi.der" "$dir/"
	;;
pcap)
	# tests/bin/mkpcap's hand-made captures of the demo trust lists (make check builds it)
	mk=$top/tests/bin/mkpcap
	[ -x "$mk" ] || { echo "seeds: $mk is not built (make tests/bin/mkpcap)" >&2; exit 2; }
	itl=$top/samples/ITLFile-demo.tlv ctl=$top/samples/CTLFile-demo.tlv
	for s in tcp-ooo tftp-dup tftp-cut tftp-error; do
		"$mk" $s "$dir/$s.pcap" "$itl"
	done
	"$mk" v6-chunked "$dir/v6.pcap" "$itl" "$ctl"
	"$mk" pcapng "$dir/v6.pcapng" "$dir/v6.pcap"
	head -c 3000 "$itl" >"$tmp/SEPWRAP.cnf.xml"
	"$mk" tftp-wrap "$dir/wrap.pcap" "$tmp/SEPWRAP.cnf.xml"
	;;
manifest)
	# a real backup of each tool, and today's trust-prune format
	s=$tmp/store
	mkdir -p "$s/CallManager-ECDSA" "$s/CallManager-trust"
	cp "$tmp/p256.pem" "$s/CallManager-ECDSA/CallManager-ECDSA.pem"
	cp "$tmp/p256.key" "$s/CallManager-ECDSA/CallManager-ECDSA.key"
	if [ -x "$top/bin/cert-regen" ] &&
	    "$top/bin/cert-regen" -s "$s" -y -q --now 2027-01-01T00:00:00Z CallManager-ECDSA; then
		# the one backup, whatever its name (STAMP-NNN-tool since backups sort by creation)
		cp "$s"/.backup/20270101T000000Z-*cert-regen/MANIFEST "$dir/regen.manifest"
	fi
	printf '# ctlkit change by cert-regen; undo: cert-regen --restore <this directory>\nput\tA/a.pem\nreplace\tA/A.key\nremove\tA-trust/\\x09.pem\n' >"$dir/regen1.manifest"
	printf '# trust-prune manifest 1\n# path\tsha256\tsubject\tserial\tnotAfter\treason\nCallManager-trust/x.pem\t%064d\tCN=x\t01\t2020-01-01T00:00:00Z\texpired\n' 0 >"$dir/prune1.manifest"
	;;
ctltext)
	# listings as ctl-dump prints them, and as a session log (prompts, CRLF, an 80-column wrap)
	dump=$top/bin/ctl-dump
	if [ -x "$top/bin/itl-build" ] && [ -x "$dump" ]; then
		"$top/bin/itl-build" -k "$tmp/rsa1024.key" --sast "$tmp/rsa1024.pem" \
		    --tftp "$tmp/rsa2048.pem,dns=tftp.example,ip=10.0.0.1" --tvs "$tmp/p256.pem" \
		    --role "99=$tmp/p384.pem" -o "$tmp/ITLFile.tlv"
		"$dump" "$tmp/ITLFile.tlv" >"$dir/itl.txt"
		{ printf 'admin:show itl\n'; cat "$dir/itl.txt"; printf 'admin:\n'; } |
		    sed 's/$/\r/' >"$dir/session.log"
		expand "$dir/itl.txt" | fold -w 80 >"$dir/wrapped.txt"
	fi
	printf 'admin: show ctl Length of CTL file: 0 CTL File not found . Please run CTLClient.\nError parsing the CTL File.\n' >"$dir/notfound.txt"
	;;
*)
	for n in rsa2048 p256; do
		cp "$tmp/$n.pem" "$dir/$n.pem"
		cp "$tmp/$n.der" "$dir/$n.der"
	done
	cat "$tmp/rsa1024.pem" "$tmp/p384.pem" >"$dir/bundle.pem"
	cp "$tmp/longserial.der" "$tmp/negserial.der" "$tmp/bidi.der" "$dir/"
	[ ! -x "$top/bin/itl-build" ] ||
	    "$top/bin/itl-build" -k "$tmp/rsa1024.key" --sast "$tmp/rsa1024.pem" \
	    --tvs "$tmp/p256.pem" -o "$dir/itl.tlv"
	;;
esac
