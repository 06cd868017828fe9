/*
 * ecrecover.c: a name shared by many trust certificates must not cost a key decode and
 * a signature check per namesake (issue #28): the keys a signature can verify under are
 * found once (two scalar multiplications each), then each candidate is a byte comparison.
 */
#include <string.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include "x509/ecrecover.h"

static const struct {
	const char	*oid;	/* contents */
	size_t		 len;
	int		 nid;
} curves[] = {
	{ "\x2A\x86\x48\xCE\x3D\x03\x01\x07", 8, NID_X9_62_prime256v1 },
	{ "\x2B\x81\x04\x00\x22", 5, NID_secp384r1 },
	{ "\x2B\x81\x04\x00\x23", 5, NID_secp521r1 },
};

static int
curve_nid(const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(curves) / sizeof(curves[0]); i++)
		if (n == curves[i].len && memcmp(p, curves[i].oid, n) == 0)
			return curves[i].nid;
	return NID_undef;
}

int
ecrecover_spki(const struct der_span *spki, struct der_span *curve, struct der_span *point)
{
	static const uint8_t ecpk[] = { 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01 };
	struct der_span alg, oid;
	const uint8_t *a;
	size_t al;
	uint8_t id;

	if (der_spki(spki, &alg, point) != 0 || point->len == 0)
		return -1;
	a = alg.p;
	al = alg.len;
	if (der_next(&a, &al, &id, &oid) != 0 || id != 0x06 || oid.len != sizeof(ecpk) ||
	    memcmp(oid.p, ecpk, sizeof(ecpk)) != 0 ||
	    der_next(&a, &al, &id, curve) != 0 || id != 0x06 || al != 0 ||
	    curve_nid(curve->p, curve->len) == NID_undef)
		return -1;
	return 0;
}

/* The digest of an ecdsa-with-SHA* signatureAlgorithm (its SEQUENCE's contents), or NULL. */
static const EVP_MD *
sig_md(const struct der_span *alg)
{
	static const uint8_t sha1[] = { 0x06, 0x07, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x01 };
	static const uint8_t sha2[] = { 0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03 };

	if (alg->len == sizeof(sha1) && memcmp(alg->p, sha1, sizeof(sha1)) == 0)
		return EVP_sha1();
	if (alg->len != sizeof(sha2) + 1 || memcmp(alg->p, sha2, sizeof(sha2)) != 0)
		return NULL;	/* parameters are absent for ECDSA (RFC 5758) */
	switch (alg->p[sizeof(sha2)]) {
	case 1:
		return EVP_sha224();
	case 2:
		return EVP_sha256();
	case 3:
		return EVP_sha384();
	case 4:
		return EVP_sha512();
	}
	return NULL;
}

/* Q = u1 G + u2 R for each R whose x is r (+ n), into out. 0, or -1. */
static int
points(const EC_GROUP *g, const BIGNUM *r, const BIGNUM *u1, const BIGNUM *u2, BN_CTX *ctx,
    struct ecrecover *out)
{
	EC_POINT *R = EC_POINT_new(g), *Q = EC_POINT_new(g);
	BIGNUM *x = BN_new(), *p = BN_new();
	int j, y, rc = -1;

	if (R == NULL || Q == NULL || x == NULL || p == NULL ||
	    EC_GROUP_get_curve(g, p, NULL, NULL, ctx) != 1 || BN_copy(x, r) == NULL)
		goto out;
	for (j = 0; j < 2 && BN_cmp(x, p) < 0; j++) {
		for (y = 0; y < 2; y++) {
			if (EC_POINT_set_compressed_coordinates(g, R, x, y, ctx) != 1)
				continue;	/* x is not on the curve */
			if (EC_POINT_mul(g, Q, u1, R, u2, ctx) != 1 || EC_POINT_is_at_infinity(g, Q))
				continue;
			out->len[out->n] = EC_POINT_point2oct(g, Q, POINT_CONVERSION_UNCOMPRESSED,
			    out->pt[out->n], ECRECOVER_PT, ctx);
			if (out->len[out->n] > 0)
				out->n++;
		}
		if (BN_add(x, x, EC_GROUP_get0_order(g)) != 1)
			goto out;
	}
	rc = 0;
out:
	EC_POINT_free(R);
	EC_POINT_free(Q);
	BN_free(x);
	BN_free(p);
	return rc;
}

int
ecrecover_keys(const uint8_t *der, size_t len, const struct der_cert *c,
    const uint8_t *curve, size_t ncurve, struct ecrecover *out)
{
	const uint8_t *p = der, *sp;
	size_t left = len, hl;
	struct der_span cert, tbs, alg;
	unsigned char h[EVP_MAX_MD_SIZE];
	unsigned int hlen;
	const EVP_MD *md;
	EC_GROUP *g = NULL;
	ECDSA_SIG *sig = NULL;
	BN_CTX *ctx = NULL;
	BIGNUM *e = NULL, *rinv = NULL, *u1 = NULL, *u2 = NULL;
	const BIGNUM *r, *s, *n;
	uint8_t id;
	int nid = curve_nid(curve, ncurve), bits, rc = -1;

	memset(out, 0, sizeof(*out));
	out->curve = curve;
	out->ncurve = ncurve;
	/* Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue } */
	if (nid == NID_undef || der_next(&p, &left, &id, &cert) != 0 || id != 0x30)
		return -1;
	p = cert.p;
	left = cert.len;
	if (der_next(&p, &left, &id, &tbs) != 0 || der_next(&p, &left, &id, &alg) != 0 ||
	    id != 0x30 || (md = sig_md(&alg)) == NULL)
		return -1;
	sp = c->sigval.p;
	hl = c->sigval.len;
	if ((g = EC_GROUP_new_by_curve_name(nid)) == NULL || (ctx = BN_CTX_new()) == NULL ||
	    (sig = d2i_ECDSA_SIG(NULL, &sp, (long)hl)) == NULL || sp != c->sigval.p + hl ||
	    EVP_Digest(c->tbs.p, c->tbs.len, h, &hlen, md, NULL) != 1)
		goto out;
	ECDSA_SIG_get0(sig, &r, &s);
	n = EC_GROUP_get0_order(g);
	bits = BN_num_bits(n);
	if (BN_is_zero(r) || BN_is_negative(r) || BN_cmp(r, n) >= 0 ||
	    BN_is_zero(s) || BN_is_negative(s) || BN_cmp(s, n) >= 0)
		goto out;	/* verifies under no key */
	/* e: the leftmost bits of the digest, as many as the order has (SEC 1, 4.1.4) */
	if ((e = BN_bin2bn(h, (int)hlen, NULL)) == NULL ||
	    ((int)hlen * 8 > bits && BN_rshift(e, e, (int)hlen * 8 - bits) != 1) ||
	    (rinv = BN_mod_inverse(NULL, r, n, ctx)) == NULL || (u1 = BN_new()) == NULL ||
	    (u2 = BN_new()) == NULL || BN_mod_mul(u1, e, rinv, n, ctx) != 1 ||
	    (!BN_is_zero(u1) && BN_sub(u1, n, u1) != 1) ||	/* u1 = -e r^-1 */
	    BN_mod_mul(u2, s, rinv, n, ctx) != 1)			/* u2 = s r^-1 */
		goto out;
	rc = points(g, r, u1, u2, ctx, out);
out:
	ERR_clear_error();
	BN_free(e);
	BN_free(rinv);
	BN_free(u1);
	BN_free(u2);
	ECDSA_SIG_free(sig);
	BN_CTX_free(ctx);
	EC_GROUP_free(g);
	return rc;
}
