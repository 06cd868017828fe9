/* ctlverify.c: the CTL/ITL signature (RSA PKCS#1 v1.5 over the file minus the SIGNATURE TLV). */
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "tl/ctl.h"
#include "core/hash.h"
#include "tl/ctlkey.h"
#include "tl/signerid.h"

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

/* Is SAST record r the signer of f (serial, issuer in one canonical form: lib/tl/signerid)? */
static int
rec_is(const struct ctl_rec *r, const struct ctl *f)
{
	return r->function == CTL_FN_SAST && signerid_names(r, f);
}

int
ctl_find_signer(const struct ctl *c)
{
	size_t i;

	if (c->hf[CTL_H_SERIAL].val == NULL)
		return -1;
	for (i = 0; i < c->nrecs; i++)
		if (rec_is(&c->recs[i], c))
			return (int)i;
	return -1;
}

void
ctl_verify_cleanup(void)
{
	ctlkey_cleanup();
}

/* Does c's signature check out under key? The signed bytes are the file minus its SIGNATURE TLV. */
static int
sig_ok(const struct ctl *c, const EVP_MD *md, EVP_PKEY *key)
{
	const struct tlv *sig = &c->hf[CTL_H_SIGNATURE];
	size_t end = sig->off + 3 + sig->len;
	EVP_MD_CTX *ctx;
	int ok;

	if ((ctx = EVP_MD_CTX_new()) == NULL)
		return -1;
	/* Cut out, not zeroed. */
	ok = EVP_DigestVerifyInit(ctx, NULL, md, NULL, key) == 1 &&
	    EVP_DigestVerifyUpdate(ctx, c->buf, sig->off) == 1 &&
	    EVP_DigestVerifyUpdate(ctx, c->buf + end, c->len - end) == 1 &&
	    EVP_DigestVerifyFinal(ctx, sig->val, sig->len) == 1;
	ERR_clear_error();
	EVP_MD_CTX_free(ctx);
	return ok;
}

/* Why c cannot be checked at all (no signature, no digest...), or NULL; *md set when NULL. */
static const char *
unsigned_why(const struct ctl *c, const EVP_MD **md)
{
	const struct tlv *sig = &c->hf[CTL_H_SIGNATURE], *dg = &c->hf[CTL_H_DIGEST];
	const char *dname;

	if (c->damaged)
		return "the file is damaged";
	if (sig->val == NULL || sig->len == 0)
		return "the header has no signature";
	if (dg->val == NULL || dg->len != 1)
		return "the header has no digest algorithm";
	if ((dname = ctl_digest_name(dg->val[0])) == NULL)
		return "unknown digest algorithm code";
	if ((*md = hash_md(dname)) == NULL)
		return "out of memory";
	return NULL;
}

const char *
ctl_verify_key(const struct ctl *c, EVP_PKEY *key)
{
	const EVP_MD *md = NULL;
	const char *why = unsigned_why(c, &md);
	int ok;

	if (why != NULL)
		return why;
	if ((why = ctlkey_bound(key)) != NULL)
		return why;
	if ((ok = sig_ok(c, md, key)) < 0)
		return "out of memory";
	return ok ? NULL : "the signature does not match";
}

const char *
ctl_verify_key_once(const struct ctl *c, EVP_PKEY *key, struct ctlkey_memo *m)
{
	const char *why;

	if (!ctlkey_memo_get(m, key, &why)) {
		why = ctl_verify_key(c, key);
		(void)ctlkey_memo_put(m, key, why);	/* unkept: verified again, still right */
	}
	return why;
}

int
ctl_verify(const struct ctl *c, struct ctl_verify *v)
{
	const EVP_MD *md = NULL;
	const char *why = unsigned_why(c, &md);
	EVP_PKEY *key = NULL;

	v->verified = 0;
	v->signer = ctl_find_signer(c);
	v->error = NULL;
	if (why != NULL && strcmp(why, "out of memory") != 0)
		v->error = why;
	else if (v->signer < 0)
		v->error = "no SAST record matches the signer's serial number and issuer";
	else if ((key = ctlkey_get(&c->recs[v->signer])) == NULL)
		v->error = "the signer's certificate does not parse";
	/* bounded, then checked; and the certificate TVS would be asked about must hold that key */
	else if ((v->error = ctl_verify_key(c, key)) == NULL &&
	    (v->error = signerid_split_key(&c->recs[v->signer])) == NULL)
		v->verified = 1;
	EVP_PKEY_free(key);
	return v->verified;
}

/*
 * A phone finds the SAST record of its old file that names the new file's
 * signer, then checks the new file's signature with that record's key: a
 * certificate that only copies the old signer's serial and issuer fails here.
 */
int
ctl_serial_eq(const struct tlv *a, const struct tlv *b)
{
	return serial_eq(a, b);
}

int
ctl_trusts(const struct ctl *old, const struct ctl *nw, int *rec, const char **why)
{
	struct ctlkey_memo m = CTLKEY_MEMO_ZERO;
	const EVP_MD *md = NULL;
	const char *bad;
	EVP_PKEY *key;
	size_t i;
	int ok = 0;

	*rec = -1;
	if (nw->hf[CTL_H_SERIAL].val == NULL) {
		*why = "the new file names no signer";
		return 0;
	}
	*why = "the new file's signer is not a SAST record of the old file";
	for (i = 0; i < old->nrecs && !ok; i++) {
		if (!rec_is(&old->recs[i], nw))
			continue;
		*rec = (int)i;
		if ((bad = unsigned_why(nw, &md)) != NULL) {
			*why = bad;
			break;
		}
		if ((key = ctlkey_get(&old->recs[i])) == NULL) {
			*why = "the old file's SAST record has no usable key";
			continue;
		}
		/* once per distinct key: a list may repeat one key in every record */
		bad = ctl_verify_key_once(nw, key, &m);
		EVP_PKEY_free(key);
		if (bad == NULL && signerid_split_key(&old->recs[i]) != NULL) {
			*why = "the old file's SAST record that names the signer holds a "
			    "PUBLICKEY that is not the key of its CERTIFICATE";
			continue;
		}
		if ((ok = bad == NULL))
			*why = "signed by a SAST certificate of the old file";
		else
			*why = strcmp(bad, "the signature does not match") != 0 ? bad :
			    "the new file's signer has the serial number and issuer of a SAST "
			    "record of the old file, but not its key";
	}
	ctlkey_memo_free(&m);
	return ok;
}
