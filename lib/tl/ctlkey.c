/*
 * ctlkey.c: decoding a whole certificate costs OpenSSL 3 about 85 us, decoding
 * a PKCS#1 key under 1 us, and a directory of captures from many clusters has
 * a few hundred signers at most: decode the record's own PUBLICKEY and keep
 * every key met, in a hash table keyed by the key's bytes.
 */
#include <string.h>

#include <openssl/err.h>
#include <openssl/x509.h>

#include "tl/ctlkey.h"
#include "x509/der.h"

/* 50 clusters of a few signers each fit many times over; a probe run is short. */
#define SLOTS	1024
#define PROBE	8

static struct slot {
	uint8_t		*der;
	size_t		 len;
	EVP_PKEY	*key;
} table[SLOTS];
static unsigned evict;

static uint32_t
fnv1a(const uint8_t *p, size_t n)
{
	uint32_t h = 2166136261u;

	while (n-- > 0)
		h = (h ^ *p++) * 16777619u;
	return h;
}

static EVP_PKEY *
lookup(const struct der_span *k, uint32_t h)
{
	struct slot *s;
	unsigned i;

	for (i = 0; i < PROBE; i++) {
		s = &table[(h + i) % SLOTS];
		if (s->key != NULL && s->len == k->len && memcmp(s->der, k->p, k->len) == 0)
			return EVP_PKEY_up_ref(s->key) ? s->key : NULL;
	}
	return NULL;
}

static void
insert(const struct der_span *k, uint32_t h, EVP_PKEY *key)
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
	s->key = key;
}

/* k: PUBLICKEY (spki 0) or the certificate's SubjectPublicKeyInfo (spki 1). */
static EVP_PKEY *
decode(const struct der_span *k, int spki)
{
	const unsigned char *p = k->p;
	EVP_PKEY *key;

	key = spki ? d2i_PUBKEY(NULL, &p, (long)k->len) :
	    d2i_PublicKey(EVP_PKEY_RSA, NULL, &p, (long)k->len);
	if (key != NULL && p != k->p + k->len) {	/* trailing bytes: not this form */
		EVP_PKEY_free(key);
		key = NULL;
	}
	ERR_clear_error();
	return key;
}

static EVP_PKEY *
get(const struct der_span *k, int spki)
{
	uint32_t h = fnv1a(k->p, k->len) ^ (uint32_t)spki;
	EVP_PKEY *key;

	if ((key = lookup(k, h)) == NULL && (key = decode(k, spki)) != NULL)
		insert(k, h, key);
	return key;
}

EVP_PKEY *
ctlkey_get(const struct ctl_rec *r)
{
	const struct tlv *pk = &r->f[CTL_R_PUBKEY], *ct = &r->f[CTL_R_CERT];
	struct der_span k;
	struct der_cert dc;
	EVP_PKEY *key = NULL;

	if (pk->val != NULL && pk->len > 0 && pk->val[0] == 0x30) {
		k = (struct der_span){ pk->val, pk->len };
		key = get(&k, 0);
	}
	if (key == NULL && ct->val != NULL && der_cert_parse(ct->val, ct->len, &dc) == NULL)
		key = get(&dc.spki, 1);
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
