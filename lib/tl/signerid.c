/*
 * signerid.c: a signer is named by serial and issuer; the issuer's text differs
 * by writer (CUCM's order and ';', certutils' ',', escapes, quotes), so it is
 * compared as attributes, and against the certificate's own DER issuer where
 * the record holds one (the record's ISSUERNAME text is only display then).
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "tl/ctlkey.h"
#include "tl/cucmname.h"
#include "tl/signerid.h"
#include "x509/der.h"

int
signerid_issuer_is(const struct tlv *t, const struct tlv *text, const uint8_t *der,
    size_t len)
{
	/* Every text form of the DER issuer: their attribute type names differ (OIDs, keywords). */
	static const int forms[] = { CUCMNAME_CUCM, CUCMNAME_DER, CUCMNAME_SGNFILE,
		CUCMNAME_CERTUTILS };
	struct der_cert dc;
	const char *why;
	char *s;
	size_t i;
	int eq = 0;

	if (t->val == NULL)
		return 1;
	if (der == NULL || len == 0 || der_cert_parse(der, len, &dc) != NULL)
		return text != NULL && text->val != NULL &&
		    cucmname_eq(t->val, ctl_strlen(t), text->val, ctl_strlen(text));
	for (i = 0; !eq && i < sizeof(forms) / sizeof(forms[0]); i++)
		if ((s = cucmname(dc.issuer.p, dc.issuer.len, forms[i], &why)) != NULL) {
			eq = cucmname_eq(t->val, ctl_strlen(t), (const uint8_t *)s, strlen(s));
			free(s);
		}
	return eq;
}

int
signerid_names(const struct ctl_rec *r, const struct ctl *f)
{
	const struct tlv *ser = &f->hf[CTL_H_SERIAL], *ct = &r->f[CTL_R_CERT];

	if (ser->val == NULL || r->f[CTL_R_SERIAL].val == NULL ||
	    !ctl_serial_eq(&r->f[CTL_R_SERIAL], ser))
		return 0;
	return signerid_issuer_is(&f->hf[CTL_H_CANAME], &r->f[CTL_R_ISSUER], ct->val, ct->len);
}

const char signerid_split[] = "the signer's record holds a PUBLICKEY that is not the key of its "
    "CERTIFICATE";

const char *
signerid_split_key(const struct ctl_rec *r)
{
	const struct tlv *pk = &r->f[CTL_R_PUBKEY], *ct = &r->f[CTL_R_CERT];
	const unsigned char *p;
	struct der_cert dc;
	struct der_span alg, bits;
	EVP_PKEY *a, *b;
	int eq;

	if (pk->val == NULL || pk->len == 0 || ct->val == NULL ||
	    der_cert_parse(ct->val, ct->len, &dc) != NULL)
		return NULL;
	/* CUCM writes the certificate's own key bytes: equal bytes, one compare. */
	if (der_spki(&dc.spki, &alg, &bits) == 0 && bits.len == pk->len &&
	    memcmp(bits.p, pk->val, pk->len) == 0)
		return NULL;
	/* Otherwise the key the signature is checked with (ctlkey) against the certificate's. */
	if ((a = ctlkey_get(r)) == NULL)
		return NULL;	/* no key at all: the signature check says so */
	p = dc.spki.p;
	b = d2i_PUBKEY(NULL, &p, (long)dc.spki.len);
	eq = b != NULL && EVP_PKEY_eq(a, b) == 1;
	ERR_clear_error();
	EVP_PKEY_free(a);
	EVP_PKEY_free(b);
	return eq ? NULL : signerid_split;
}
