/* ctlwrite.c: the header is sized before signing, so HEADERLENGTH is final when the digest runs. */
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/rsa.h>

#include "cert.h"
#include "ctlwrite.h"
#include "cucmname.h"
#include "hash.h"
#include "tlv.h"

#define U16MAX 0xFFFFu

/* Record tags after RECORDLENGTH, per layout (FORMAT.md section 3). */
static const uint8_t cucm_tags[] = { 2, 3, 4, 5, 6, 7, 8, 9, 10 };
static const uint8_t certutils_tags[] = { 2, 3, 5, 6, 4, 7, 8, 9, 10 };

void
ctlw_init(struct ctlw *w, int layout)
{
	memset(w, 0, sizeof(*w));
	w->layout = layout;
}

void
ctlw_free(struct ctlw *w)
{
	size_t i;

	for (i = 0; i < w->nrec; i++)
		X509_free(w->rv[i].x);
	free(w->rv);
	buf_free(&w->recs);
	w->rv = NULL;
	w->nrec = 0;
}

static struct ctlw_rec *
push(struct ctlw *w)
{
	struct ctlw_rec *v;

	if ((w->nrec & (w->nrec - 1)) == 0) {
		if ((v = realloc(w->rv, (w->nrec ? w->nrec * 2 : 8) * sizeof(*v))) == NULL)
			return NULL;
		w->rv = v;
	}
	v = &w->rv[w->nrec++];
	memset(v, 0, sizeof(*v));
	return v;
}

/* The text fields of a record, made once before anything is appended. */
struct fields {
	char		*subject, *issuer;
	uint8_t		 serial[64];
	size_t		 nserial;
	unsigned char	*der;
	int		 nder;
	const ASN1_BIT_STRING *pk, *sig;
};

static const char *
fields_get(struct fields *f, X509 *x, int form)
{
	const char *why;

	if ((f->subject = cucmname(X509_get_subject_name(x), form, &why)) == NULL ||
	    (f->issuer = cucmname(X509_get_issuer_name(x), form, &why)) == NULL)
		return why;
	if (strlen(f->subject) >= U16MAX || strlen(f->issuer) >= U16MAX)
		return "a name is too long for a 16-bit length";
	if ((f->nserial = cert_serial_bytes(x, f->serial)) == 0)
		return "the serial number is longer than 64 bytes";
	X509_get0_signature(&f->sig, NULL, x);
	if ((f->pk = X509_get0_pubkey_bitstr(x)) == NULL || f->sig == NULL)
		return "the certificate has no public key or signature";
	if ((f->nder = i2d_X509(x, &f->der)) <= 0)
		return "the certificate does not encode";
	if ((unsigned)f->nder > U16MAX)
		return "the certificate is too long for a 16-bit length";
	return NULL;
}

static void
fields_free(struct fields *f)
{
	free(f->subject);
	free(f->issuer);
	OPENSSL_free(f->der);
}

static void
put_tag(struct buf *b, uint8_t tag, const struct fields *f, int function, const char *dns,
    const uint8_t ip[4])
{
	switch (tag) {
	case CTL_R_DNS:
		if (dns != NULL)
			tlv_putstr(b, tag, dns);
		break;
	case CTL_R_SUBJECT:
		tlv_putstr(b, tag, f->subject);
		break;
	case CTL_R_FUNCTION:
		tlv_put16(b, tag, (uint16_t)function);
		break;
	case CTL_R_ISSUER:
		tlv_putstr(b, tag, f->issuer);
		break;
	case CTL_R_SERIAL:
		tlv_put(b, tag, f->serial, f->nserial);
		break;
	case CTL_R_PUBKEY:	/* RSA: the PKCS#1 RSAPublicKey; EC: the X9.62 point */
		tlv_put(b, tag, f->pk->data, (size_t)f->pk->length);
		break;
	case CTL_R_SIGNATURE:
		tlv_put(b, tag, f->sig->data, (size_t)f->sig->length);
		break;
	case CTL_R_CERT:
		tlv_put(b, tag, f->der, (size_t)f->nder);
		break;
	case CTL_R_IP:
		if (ip != NULL)
			tlv_put(b, tag, ip, 4);
		break;
	}
}

int
ctlw_add(struct ctlw *w, X509 *x, int function, const char *dns, const uint8_t ip[4],
    const char **why)
{
	struct fields f;
	struct ctlw_rec *r;
	struct buf *b = &w->recs;
	const uint8_t *tags = w->layout == CTLW_CUCM ? cucm_tags : certutils_tags;
	size_t start = b->len, len, i;
	int rc = -1;

	memset(&f, 0, sizeof(f));
	*why = NULL;
	if (function < 0 || function > (int)U16MAX)
		*why = "the role code is out of range (0-65535)";
	else if (dns != NULL && strlen(dns) >= U16MAX)
		*why = "the DNS name is too long for a 16-bit length";
	else
		*why = fields_get(&f, x, w->layout == CTLW_CUCM ? CUCMNAME_CUCM : CUCMNAME_DER);
	if (*why != NULL)
		goto out;
	tlv_put16(b, CTL_R_LENGTH, 0);
	for (i = 0; i < sizeof(cucm_tags); i++)
		put_tag(b, tags[i], &f, function, dns, ip);
	if (b->err || (r = push(w)) == NULL) {
		*why = "out of memory";
		goto out;
	}
	if ((len = b->len - start) > U16MAX) {
		w->nrec--;
		b->len = start;
		*why = "the record is longer than 65535 bytes";
		goto out;
	}
	b->p[start + 3] = (uint8_t)(len >> 8);
	b->p[start + 4] = (uint8_t)len;
	r->off = start;
	r->len = len;
	r->function = function;
	X509_up_ref(x);
	r->x = x;
	rc = 0;
out:
	fields_free(&f);
	return rc;
}

int
ctlw_add_raw(struct ctlw *w, const struct ctl *c, size_t i, const char **why)
{
	const struct ctl_rec *cr = &c->recs[i];
	const struct tlv *t = &cr->f[CTL_R_CERT];
	struct ctlw_rec *r;

	if (buf_add(&w->recs, c->buf + cr->off, cr->len) != 0 || (r = push(w)) == NULL) {
		*why = "out of memory";
		return -1;
	}
	r->off = w->recs.len - cr->len;
	r->len = cr->len;
	r->function = cr->function;
	r->x = t->val != NULL ? cert_from_der(t->val, t->len) : NULL;
	return 0;
}

int
ctlw_find_signer(const struct ctlw *w, EVP_PKEY *key, const X509 *want)
{
	size_t i;

	for (i = 0; i < w->nrec; i++) {
		const struct ctlw_rec *r = &w->rv[i];

		if (r->function != CTL_FN_SAST || r->x == NULL)
			continue;
		if (want != NULL && X509_cmp(r->x, want) != 0)
			continue;
		if (cert_key_matches(r->x, key))
			return (int)i;
	}
	return -1;
}

int
ctlw_modulus_code(int bits)
{
	switch (bits) {
	case 512:
		return 0;
	case 1024:
		return 1;
	case 2048:
		return 2;
	case 4096:
		return 3;
	}
	return -1;
}

/* The signer's subject, serial and issuer as its record holds them, so the header matches it. */
static const char *
signer_id(const struct ctlw *w, size_t i, struct tlv *subj, struct tlv *ser, struct tlv *iss)
{
	const struct ctlw_rec *r = &w->rv[i];
	struct tlv_reader rd;
	struct tlv t;

	subj->val = ser->val = iss->val = NULL;
	tlv_init(&rd, w->recs.p, r->off + 5, r->off + r->len, 0);
	while (tlv_next(&rd, &t) > 0) {
		if (t.tag == CTL_R_SUBJECT && subj->val == NULL)
			*subj = t;
		else if (t.tag == CTL_R_SERIAL && ser->val == NULL)
			*ser = t;
		else if (t.tag == CTL_R_ISSUER && iss->val == NULL)
			*iss = t;
	}
	if (subj->val == NULL || ser->val == NULL || iss->val == NULL)
		return "the signer's record lacks its subject, serial or issuer";
	return NULL;
}

/* Header up to and including SIGNATURE (zeros); returns the offset of the SIGNATURE tag. */
static size_t
put_header(struct buf *b, int layout, const struct ctlw_opts *o, const struct tlv id[3],
    int modcode, size_t sigbytes)
{
	static const uint8_t version[2] = { 1, 2 };
	size_t idlen = 9 + (size_t)id[0].len + id[1].len + id[2].len, sigoff, i;
	int k, order[3] = { 0, 1, 2 };	/* subject, serial, issuer */

	tlv_put(b, CTL_H_VERSION, version, 2);
	tlv_put16(b, CTL_H_HDRLEN, 0);
	if (layout == CTLW_CERTUTILS) {
		tlv_put16(b, CTL_H_SIGNERVER, (uint16_t)o->signer_version);
		order[1] = 2;		/* 04 06 05 */
		order[2] = 1;
	}
	buf_addc(b, CTL_H_SIGNERID);
	buf_add16(b, (uint16_t)idlen);
	for (k = 0; k < 3; k++)
		tlv_put(b, (uint8_t[]){ CTL_H_SIGNERNAME, CTL_H_SERIAL, CTL_H_CANAME }[order[k]],
		    id[order[k]].val, id[order[k]].len);
	buf_addc(b, CTL_H_SIGINFO);
	buf_add16(b, 15);
	tlv_put8(b, CTL_H_DIGEST, (uint8_t)o->digest_code);
	buf_addc(b, CTL_H_ALGOINFO);
	buf_add16(b, 8);
	tlv_put8(b, CTL_H_SIGALG, 0);		/* RSA */
	tlv_put8(b, CTL_H_MODULUS, (uint8_t)modcode);
	sigoff = b->len;
	buf_addc(b, CTL_H_SIGNATURE);
	buf_add16(b, (uint16_t)sigbytes);
	for (i = 0; i < sigbytes; i++)
		buf_addc(b, 0);
	tlv_putstr(b, CTL_H_FILENAME, o->filename);
	tlv_put32(b, CTL_H_TIMESTAMP, o->timestamp);
	while (b->len % 4 != 0)
		buf_addc(b, CTL_H_PAD);
	return sigoff;
}

static const char *
check_key(EVP_PKEY *key, const struct ctlw_opts *o, int *modcode, size_t *sigbytes)
{
	int bits;

	if (EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA)
		return "not an RSA key (no signature algorithm code is known for others)";
	bits = EVP_PKEY_get_bits(key);
	*sigbytes = (size_t)EVP_PKEY_get_size(key);
	if (*sigbytes == 0 || *sigbytes > U16MAX)
		return "the key size is out of range";
	*modcode = o->modulus_code >= 0 ? o->modulus_code : ctlw_modulus_code(bits);
	if (*modcode < 0 || *modcode > 255)
		return "no SIGNATUREMODULUS code is known for this key size: give one";
	return NULL;
}

int
ctlw_sign(const struct ctlw *w, const struct ctlw_opts *o, EVP_PKEY *key, struct buf *out,
    const char **why)
{
	struct tlv id[3];
	const EVP_MD *md;
	EVP_MD_CTX *ctx = NULL;
	size_t sigbytes = 0, sigoff, sigend, siglen;
	int modcode = 0, rc = -1;

	out->len = 0;
	out->err = 0;
	if (o->signer >= w->nrec || w->rv[o->signer].function != CTL_FN_SAST)
		*why = "the signer is not a SAST record";
	else if ((md = hash_md(o->digest)) == NULL)
		*why = "unknown digest algorithm";
	else if (o->digest_code < 0 || o->digest_code > 255)
		*why = "the digest code is out of range (0-255)";
	else if ((*why = check_key(key, o, &modcode, &sigbytes)) == NULL)
		*why = signer_id(w, o->signer, &id[0], &id[1], &id[2]);
	if (*why != NULL)
		return -1;
	if (9 + (size_t)id[0].len + id[1].len + id[2].len > U16MAX ||
	    strlen(o->filename) >= U16MAX) {
		*why = "the header is longer than 65535 bytes";
		return -1;
	}
	sigoff = put_header(out, w->layout, o, id, modcode, sigbytes);
	sigend = sigoff + 3 + sigbytes;
	if (out->len > U16MAX) {
		*why = "the header is longer than 65535 bytes";
		return -1;
	}
	out->p[8] = (uint8_t)(out->len >> 8);	/* HEADERLENGTH: 01 00 02 01 02 02 00 02 HH LL */
	out->p[9] = (uint8_t)out->len;
	buf_add(out, w->recs.p, w->recs.len);
	if (out->err || (ctx = EVP_MD_CTX_new()) == NULL) {
		*why = "out of memory";
		goto out;
	}
	siglen = sigbytes;
	/* The signed bytes: the whole file with the SIGNATURE TLV cut out, not zeroed. */
	if (EVP_DigestSignInit(ctx, NULL, md, NULL, key) != 1 ||
	    EVP_DigestSignUpdate(ctx, out->p, sigoff) != 1 ||
	    EVP_DigestSignUpdate(ctx, out->p + sigend, out->len - sigend) != 1 ||
	    EVP_DigestSignFinal(ctx, out->p + sigoff + 3, &siglen) != 1 || siglen != sigbytes) {
		*why = "signing failed";
		goto out;
	}
	rc = 0;
out:
	EVP_MD_CTX_free(ctx);
	return rc;
}
