/*
 * ctlkey.c: decoding a whole certificate costs OpenSSL 3 about 85 us, decoding
 * a PKCS#1 key under 1 us, and a directory of captures from many clusters has
 * a few hundred signers at most: decode the record's own PUBLICKEY (PKCS#1, or
 * an EC point whose length names the curve) and keep every key met, in a hash
 * table keyed by the key's bytes.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/params.h>
#include <openssl/x509.h>

#include "core/hash.h"
#include "tl/ctlkey.h"
#include "x509/der.h"

/* 50 clusters of a few signers each fit many times over; a probe run is short. */
#define SLOTS	1024
#define PROBE	8

/* How a key's bytes are read: the same bytes never mean two keys, but say it anyway. */
enum { K_PKCS1, K_SPKI, K_POINT };

static struct slot {
	uint8_t		*der;
	size_t		 len;
	int		 kind;
	EVP_PKEY	*key;
} table[SLOTS];
static unsigned evict;

static EVP_PKEY *
lookup(const struct der_span *k, int kind, uint32_t h)
{
	struct slot *s;
	unsigned i;

	for (i = 0; i < PROBE; i++) {
		s = &table[(h + i) % SLOTS];
		if (s->key != NULL && s->kind == kind && s->len == k->len &&
		    memcmp(s->der, k->p, k->len) == 0)
			return EVP_PKEY_up_ref(s->key) ? s->key : NULL;
	}
	return NULL;
}

static void
insert(const struct der_span *k, int kind, uint32_t h, EVP_PKEY *key)
{
	struct slot *s = NULL;
	uint8_t *der;
	unsigned i;

	for (i = 0; i < PROBE && s == NULL; i++)
		if (table[(h + i) % SLOTS].key == NULL)
			s = &table[(h + i) % SLOTS];
	if (s == NULL)
		s = &table[(h + evict++ % PROBE) % SLOTS];
	if ((der = OPENSSL_memdup(k->p, k->len)) == NULL || !EVP_PKEY_up_ref(key)) {
		OPENSSL_free(der);
		return;
	}
	OPENSSL_free(s->der);
	EVP_PKEY_free(s->key);
	s->der = der;
	s->len = k->len;
	s->kind = kind;
	s->key = key;
}

/*
 * An X9.62 uncompressed point (04 X Y): its length names the curve, as in the
 * certificates CUCM makes (P-256, P-384; P-521 for completeness). OpenSSL
 * checks that the point is on the curve; NULL when it is not.
 */
static EVP_PKEY *
point(const struct der_span *k)
{
	const char *curve = k->len == 65 ? "P-256" : k->len == 97 ? "P-384" :
	    k->len == 133 ? "P-521" : NULL;
	OSSL_PARAM par[3];
	EVP_PKEY_CTX *ctx;
	EVP_PKEY *key = NULL;

	if (curve == NULL || k->p[0] != 0x04)
		return NULL;
	par[0] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, (char *)curve, 0);
	par[1] = OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, (void *)k->p, k->len);
	par[2] = OSSL_PARAM_construct_end();
	if ((ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL)) == NULL ||
	    EVP_PKEY_fromdata_init(ctx) != 1 ||
	    EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, par) != 1)
		key = NULL;
	EVP_PKEY_CTX_free(ctx);
	return key;
}

/* k read as kind: PUBLICKEY (PKCS#1 or an EC point) or the certificate's SubjectPublicKeyInfo. */
static EVP_PKEY *
decode(const struct der_span *k, int kind)
{
	const unsigned char *p = k->p;
	EVP_PKEY *key;

	if (kind == K_POINT)
		key = point(k);
	else {
		key = kind == K_SPKI ? d2i_PUBKEY(NULL, &p, (long)k->len) :
		    d2i_PublicKey(EVP_PKEY_RSA, NULL, &p, (long)k->len);
		if (key != NULL && p != k->p + k->len) {	/* trailing bytes: not this form */
			EVP_PKEY_free(key);
			key = NULL;
		}
	}
	ERR_clear_error();
	return key;
}

static EVP_PKEY *
get(const struct der_span *k, int kind)
{
	uint32_t h = hash_fnv1a(k->p, k->len) ^ (uint32_t)kind;
	EVP_PKEY *key;

	if ((key = lookup(k, kind, h)) == NULL && (key = decode(k, kind)) != NULL)
		insert(k, kind, h, key);
	return key;
}

EVP_PKEY *
ctlkey_get(const struct ctl_rec *r)
{
	const struct tlv *pk = &r->f[CTL_R_PUBKEY], *ct = &r->f[CTL_R_CERT];
	struct der_span k;
	struct der_cert dc;
	EVP_PKEY *key = NULL;

	/* A PUBLICKEY that does not decode (not on the curve ...): the certificate's key. */
	if (pk->val != NULL && pk->len > 0 && (pk->val[0] == 0x30 || pk->val[0] == 0x04)) {
		k = (struct der_span){ pk->val, pk->len };
		key = get(&k, pk->val[0] == 0x30 ? K_PKCS1 : K_POINT);
	}
	if (key == NULL && ct->val != NULL && der_cert_parse(ct->val, ct->len, &dc) == NULL)
		key = get(&dc.spki, K_SPKI);
	return key;
}

void
ctlkey_cleanup(void)
{
	size_t i;

	for (i = 0; i < SLOTS; i++) {
		OPENSSL_free(table[i].der);
		EVP_PKEY_free(table[i].key);
		table[i].der = NULL;
		table[i].key = NULL;
	}
}

const char *
ctlkey_bound(EVP_PKEY *key)
{
	BIGNUM *e = NULL;
	const char *why = NULL;
	int bits;

	if (EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA)
		return NULL;	/* EC: the three named curves only (point()) */
	if (EVP_PKEY_get_bits(key) > 16384)
		return "the key's RSA modulus is over 16384 bits";
	if (!EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_E, &e))
		why = "the key's RSA public exponent cannot be read";
	else {
		/* 2^64 is bit 64 alone: any other 65-bit value is over it */
		if ((bits = BN_num_bits(e)) == 65 && BN_clear_bit(e, 64) && !BN_is_zero(e))
			bits = 66;
		if (bits > 65)
			why = "the key's RSA public exponent is over 2^64";
	}
	BN_free(e);
	ERR_clear_error();
	return why;
}

/* A key's identity for the memo: the hash of its SubjectPublicKeyInfo, then EVP_PKEY_eq. */
struct ctlkey_memo_ent {
	uint32_t	 h;
	EVP_PKEY	*key;
	const char	*why;
};

static uint32_t
key_hash(EVP_PKEY *key)
{
	unsigned char *der = NULL;
	int n = i2d_PUBKEY(key, &der);
	uint32_t h = n > 0 ? hash_fnv1a(der, (size_t)n) : 0;

	OPENSSL_free(der);
	ERR_clear_error();
	return h;
}

static struct ctlkey_memo_ent *
memo_find(const struct ctlkey_memo *m, EVP_PKEY *key, uint32_t h)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (m->v[i].key == key || (m->v[i].h == h && EVP_PKEY_eq(m->v[i].key, key) == 1))
			return &m->v[i];
	return NULL;
}

int
ctlkey_memo_get(const struct ctlkey_memo *m, EVP_PKEY *key, const char **why)
{
	struct ctlkey_memo_ent *e;

	if (m->n == 0 || (e = memo_find(m, key, key_hash(key))) == NULL)
		return 0;
	*why = e->why;
	return 1;
}

int
ctlkey_memo_put(struct ctlkey_memo *m, EVP_PKEY *key, const char *why)
{
	struct ctlkey_memo_ent *v;
	size_t cap;

	if (m->n == m->cap) {
		cap = m->cap ? 2 * m->cap : 8;
		if ((v = realloc(m->v, cap * sizeof(*v))) == NULL)
			return -1;
		m->v = v, m->cap = cap;
	}
	if (!EVP_PKEY_up_ref(key))
		return -1;
	m->v[m->n++] = (struct ctlkey_memo_ent){ key_hash(key), key, why };
	return 0;
}

void
ctlkey_memo_free(struct ctlkey_memo *m)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		EVP_PKEY_free(m->v[i].key);
	free(m->v);
	*m = (struct ctlkey_memo)CTLKEY_MEMO_ZERO;
}
