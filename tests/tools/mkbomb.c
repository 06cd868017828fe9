/*
 * mkbomb: a trust list that prices every file judged against it: N copies of
 * the seed's signing SAST record, each with FUNCTION set and its PUBLICKEY
 * replaced by an RSA key of NBITS modulus and EBITS public exponent (random,
 * odd; the same key in every record, or a new one in each), no certificate.
 * The records name the seed's signer (serial, issuer), so a signed file or a
 * trust list that signer signed is checked against each of them.
 * With sig: a copy of a signed file (trust list or .sgn) whose SIGNATURE is
 * LEN random bytes below any modulus of that size (first byte 0): the price
 * of a verification is the modulus's, whatever key really signed.
 * usage: mkbomb SEED OUT N FUNCTION NBITS EBITS same|distinct
 *        mkbomb sig FILE OUT LEN
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>

#include "core/buf.h"
#include "core/io.h"
#include "tl/ctl.h"

/* DER length of n at p; returns its size. */
static size_t
der_len(uint8_t *p, size_t n)
{
	if (n < 0x80) {
		p[0] = (uint8_t)n;
		return 1;
	}
	if (n < 0x100) {
		p[0] = 0x81, p[1] = (uint8_t)n;
		return 2;
	}
	p[0] = 0x82, p[1] = (uint8_t)(n >> 8), p[2] = (uint8_t)n;
	return 3;
}

/* A positive DER INTEGER of bits random bits, the top and bottom ones set, into p. */
static size_t
der_int(uint8_t *p, int bits)
{
	size_t n = ((size_t)bits + 7) / 8, sign, h;
	uint8_t v[2049];

	if (RAND_bytes(v, (int)n) != 1)
		exit(2);
	v[0] &= (uint8_t)(0xFF >> ((8 - bits % 8) % 8));
	v[0] |= (uint8_t)(1 << ((bits - 1) % 8));
	v[n - 1] |= 1;
	sign = (v[0] & 0x80) != 0;	/* DER's sign byte */
	p[0] = 0x02;
	h = 1 + der_len(p + 1, n + sign);
	if (sign)
		p[h++] = 0;
	memcpy(p + h, v, n);
	return h + n;
}

/* PKCS#1 RSAPublicKey { n, e } into p; returns its size. */
static size_t
rsa_pub(uint8_t *p, int nbits, int ebits)
{
	uint8_t body[4200];
	size_t n = der_int(body, nbits), h;

	n += der_int(body + n, ebits);
	p[0] = 0x30;
	h = 1 + der_len(p + 1, n);
	memcpy(p + h, body, n);
	return h + n;
}

static int
put(const char *path, const struct buf *b)
{
	FILE *fp;

	if ((fp = fopen(path, "wb")) == NULL || fwrite(b->p, 1, b->len, fp) != b->len ||
	    fclose(fp) != 0) {
		perror(path);
		return 2;
	}
	printf("%zu\n", b->len);
	return 0;
}

/* The header's TLVs again, SIGNATURE resized, HEADERLENGTH and padding mended; then the rest. */
static int
resig(const char *in, const char *out, size_t siglen)
{
	struct ctl c;
	struct tlv_reader r;
	struct tlv t;
	struct buf b = BUF_ZERO;
	uint8_t *p, sig[65535];
	size_t len, at = 0;
	int rc = 2;

	if (siglen < 1 || siglen > sizeof(sig) || (p = io_slurp(in, CTL_MAX_SIZE, &len)) == NULL ||
	    ctl_parse_header(&c, p, len) != 0 || RAND_bytes(sig, (int)siglen) != 1)
		return 2;
	sig[0] = 0;
	tlv_init(&r, p, 0, c.hdrlen, 1);
	while (tlv_next(&r, &t) == 1) {
		if (t.tag == TLV_PAD)
			continue;
		if (t.tag == CTL_H_HDRLEN)
			at = b.len + 3;
		tlv_put(&b, t.tag, t.tag == CTL_H_SIGNATURE ? sig : t.val,
		    t.tag == CTL_H_SIGNATURE ? siglen : t.len);
	}
	while (b.len % 4 != 0)
		buf_addc(&b, TLV_PAD);
	if (at != 0 && b.len <= 0xFFFF) {
		b.p[at] = (uint8_t)(b.len >> 8), b.p[at + 1] = (uint8_t)b.len;
		buf_add(&b, p + c.hdrlen, len - c.hdrlen);
		rc = put(out, &b);
	}
	ctl_free(&c);
	free(p);
	buf_free(&b);
	return rc;
}

int
main(int argc, char *argv[])
{
	static const int keep[] = { CTL_R_DNS, CTL_R_SUBJECT, CTL_R_ISSUER, CTL_R_SERIAL };
	struct ctl c;
	struct buf out = BUF_ZERO, rec = BUF_ZERO;
	uint8_t *seed, key[4200];
	size_t len, klen = 0, k;
	int n, fn, nbits, ebits, same, s;

	if (argc == 5 && strcmp(argv[1], "sig") == 0)
		return resig(argv[2], argv[3], (size_t)atoi(argv[4]));
	if (argc != 8) {
		fprintf(stderr, "usage: mkbomb SEED OUT N FUNCTION NBITS EBITS same|distinct\n"
		    "       mkbomb sig FILE OUT LEN\n");
		return 2;
	}
	n = atoi(argv[3]), fn = atoi(argv[4]), nbits = atoi(argv[5]), ebits = atoi(argv[6]);
	same = strcmp(argv[7], "same") == 0;
	if (nbits < 16 || nbits > 16392 || ebits < 2 || ebits > 16384 || n < 1 ||
	    (seed = io_slurp(argv[1], CTL_MAX_SIZE, &len)) == NULL || ctl_parse(&c, seed, len) != 0 ||
	    (s = ctl_find_signer(&c)) < 0) {
		fprintf(stderr, "mkbomb: bad arguments or seed\n");
		return 2;
	}
	buf_add(&out, seed, c.hdrlen);
	for (; n > 0; n--) {
		if (!same || klen == 0)
			klen = rsa_pub(key, nbits, ebits);
		rec.len = 0;
		tlv_put16(&rec, CTL_R_LENGTH, 0);
		for (k = 0; k < sizeof(keep) / sizeof(keep[0]); k++) {
			const struct tlv *t = &c.recs[s].f[keep[k]];
			if (t->val != NULL)
				tlv_put(&rec, t->tag, t->val, t->len);
		}
		tlv_put16(&rec, CTL_R_FUNCTION, (uint16_t)fn);
		tlv_put(&rec, CTL_R_PUBKEY, key, klen);
		rec.p[3] = (uint8_t)(rec.len >> 8), rec.p[4] = (uint8_t)rec.len;
		buf_add(&out, rec.p, rec.len);
	}
	s = put(argv[2], &out);
	ctl_free(&c);
	free(seed);
	buf_free(&out);
	buf_free(&rec);
	return s;
}
