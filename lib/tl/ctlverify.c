/* ctlverify.c: the CTL/ITL signature (RSA PKCS#1 v1.5 over the file minus the SIGNATURE TLV). */
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "tl/ctl.h"
#include "core/hash.h"

/* Serials compare as numbers: a leading 0x00 (DER's sign byte) is not significant. */
static int
serial_eq(const struct tlv *a, const struct tlv *b)
{
	const uint8_t *p = a->val, *q = b->val;
	size_t n = a->len, m = b->len;

	while (n > 1 && *p == 0)
		p++, n--;
	while (m > 1 && *q == 0)
		q++, m--;
	return n == m && memcmp(p, q, n) == 0;
}

static int
str_eq(const struct tlv *a, const struct tlv *b)
{
	size_t n = ctl_strlen(a);

	return n == ctl_strlen(b) && memcmp(a->val, b->val, n) == 0;
}

/* Does record r name the certificate (serial, issuer)? Issuer is checked when both have one. */
static int
rec_is(const struct ctl_rec *r, const struct tlv *serial, const struct tlv *issuer)
{
	if (r->function != CTL_FN_SAST || r->f[CTL_R_SERIAL].val == NULL)
		return 0;
	if (!serial_eq(&r->f[CTL_R_SERIAL], serial))
		return 0;
	if (issuer->val != NULL && r->f[CTL_R_ISSUER].val != NULL &&
	    !str_eq(&r->f[CTL_R_ISSUER], issuer))
		return 0;
	return 1;
}

int
ctl_find_signer(const struct ctl *c)
{
	size_t i;

	if (c->hf[CTL_H_SERIAL].val == NULL)
		return -1;
	for (i = 0; i < c->nrecs; i++)
		if (rec_is(&c->recs[i], &c->hf[CTL_H_SERIAL], &c->hf[CTL_H_CANAME]))
			return (int)i;
	return -1;
}

/*
 * Decoding a certificate's key costs OpenSSL 3 several times the RSA check
 * itself, and a directory of trust lists from one cluster has a handful of
 * signers: keep the last few decoded keys, keyed by the certificate's bytes.
 */
#define KEYCACHE 8
static struct {
	uint8_t		*der;
	size_t		 len;
	EVP_PKEY	*key;
} cache[KEYCACHE];
static size_t cnext;

static EVP_PKEY *
cache_get(const struct tlv *t)
{
	size_t i;

	for (i = 0; i < KEYCACHE; i++)
		if (cache[i].key != NULL && cache[i].len == t->len &&
		    memcmp(cache[i].der, t->val, t->len) == 0 && EVP_PKEY_up_ref(cache[i].key))
			return cache[i].key;
	return NULL;
}

static void
cache_put(const struct tlv *t, EVP_PKEY *k)
{
	uint8_t *der;

	if ((der = OPENSSL_memdup(t->val, t->len)) == NULL || !EVP_PKEY_up_ref(k)) {
		OPENSSL_free(der);
		return;
	}
	OPENSSL_free(cache[cnext].der);
	EVP_PKEY_free(cache[cnext].key);
	cache[cnext].der = der;
	cache[cnext].len = t->len;
	cache[cnext].key = k;
	cnext = (cnext + 1) % KEYCACHE;
}

void
ctl_verify_cleanup(void)
{
	size_t i;

	for (i = 0; i < KEYCACHE; i++) {
		OPENSSL_free(cache[i].der);
		EVP_PKEY_free(cache[i].key);
		cache[i].der = NULL;
		cache[i].key = NULL;
	}
}

EVP_PKEY *
ctl_rec_key(const struct ctl_rec *r)
{
	const struct tlv *t = &r->f[CTL_R_CERT];
	const unsigned char *p;
	EVP_PKEY *k = NULL;
	X509 *x;

	if (t->val != NULL) {
		if ((k = cache_get(t)) != NULL)
			return k;
		p = t->val;
		if ((x = d2i_X509(NULL, &p, t->len)) != NULL) {
			if ((k = X509_get0_pubkey(x)) != NULL && EVP_PKEY_up_ref(k))
				cache_put(t, k);
			else
				k = NULL;
			X509_free(x);
		}
		return k;
	}
	t = &r->f[CTL_R_PUBKEY];
	if (t->val != NULL) {
		p = t->val;
		k = d2i_PublicKey(EVP_PKEY_RSA, NULL, &p, t->len);
	}
	return k;
}

const char *
ctl_verify_key(const struct ctl *c, EVP_PKEY *key)
{
	const struct tlv *sig = &c->hf[CTL_H_SIGNATURE], *dg = &c->hf[CTL_H_DIGEST];
	const char *dname, *why = NULL;
	const EVP_MD *md;
	EVP_MD_CTX *ctx = NULL;
	size_t end;

	if (c->damaged)
		why = "the file is damaged";
	else if (sig->val == NULL || sig->len == 0)
		why = "the header has no signature";
	else if (dg->val == NULL || dg->len != 1)
		why = "the header has no digest algorithm";
	else if ((dname = ctl_digest_name(dg->val[0])) == NULL)
		why = "unknown digest algorithm code";
	else if ((md = hash_md(dname)) == NULL || (ctx = EVP_MD_CTX_new()) == NULL)
		why = "out of memory";
	else {
		end = sig->off + 3 + sig->len;
		/* The signed bytes: everything but the SIGNATURE TLV itself, cut out, not zeroed. */
		if (EVP_DigestVerifyInit(ctx, NULL, md, NULL, key) != 1 ||
		    EVP_DigestVerifyUpdate(ctx, c->buf, sig->off) != 1 ||
		    EVP_DigestVerifyUpdate(ctx, c->buf + end, c->len - end) != 1 ||
		    EVP_DigestVerifyFinal(ctx, sig->val, sig->len) != 1)
			why = "the signature does not match";
	}
	ERR_clear_error();
	EVP_MD_CTX_free(ctx);
	return why;
}

int
ctl_verify(const struct ctl *c, struct ctl_verify *v)
{
	const struct tlv *sig = &c->hf[CTL_H_SIGNATURE], *dg = &c->hf[CTL_H_DIGEST];
	EVP_PKEY *key = NULL;

	v->verified = 0;
	v->signer = ctl_find_signer(c);
	v->error = NULL;
	if (c->damaged)
		v->error = "the file is damaged";
	else if (sig->val == NULL || sig->len == 0)
		v->error = "the header has no signature";
	else if (dg->val == NULL || dg->len != 1)
		v->error = "the header has no digest algorithm";
	else if (ctl_digest_name(dg->val[0]) == NULL)
		v->error = "unknown digest algorithm code";
	else if (v->signer < 0)
		v->error = "no SAST record matches the signer's serial number and issuer";
	else if ((key = ctl_rec_key(&c->recs[v->signer])) == NULL)
		v->error = "the signer's certificate does not parse";
	else
		v->error = ctl_verify_key(c, key);
	v->verified = v->error == NULL;
	ERR_clear_error();
	EVP_PKEY_free(key);
	return v->verified;
}

int
ctl_serial_eq(const struct tlv *a, const struct tlv *b)
{
	return serial_eq(a, b);
}

int
ctl_trusts(const struct ctl *old, const struct ctl *nw, int *rec, const char **why)
{
	size_t i;

	*rec = -1;
	if (nw->hf[CTL_H_SERIAL].val == NULL) {
		*why = "the new file names no signer";
		return 0;
	}
	for (i = 0; i < old->nrecs; i++) {
		if (rec_is(&old->recs[i], &nw->hf[CTL_H_SERIAL], &nw->hf[CTL_H_CANAME])) {
			*rec = (int)i;
			*why = "signed by a SAST certificate of the old file";
			return 1;
		}
	}
	*why = "the new file's signer is not a SAST record of the old file";
	return 0;
}
