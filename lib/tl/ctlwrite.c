/* ctlwrite.c: the header is sized before signing, so HEADERLENGTH is final when the digest runs. */
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/rsa.h>

#include "x509/cert.h"
#include "tl/ctlwrite.h"
#include "tl/cucmname.h"
#include "tl/itlkey.h"
#include "x509/der.h"
#include "core/hash.h"
#include "tl/tlv.h"

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
	free(w->rv);
	buf_drop(&w->recs);	/* records: public */
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

/* The fields of a record, made before anything is appended. */
struct fields {
	char		*subject, *issuer;
	struct der_span	 serial, pk, sig, cert;
};

static const char *
fields_get(struct fields *f, const uint8_t *der, size_t len, const struct der_cert *dcp,
    int form)
{
	struct der_cert dc;
	struct der_span alg;
	const char *why;

	if (dcp != NULL)	/* parsed by the reader already: certificates are read once */
		dc = *dcp;
	else if ((why = der_cert_parse(der, len, &dc)) != NULL)
		return why;
	if (dc.len != len)
		return "bytes after the certificate";
	if ((f->subject = cucmname(dc.subject.p, dc.subject.len, form, &why)) == NULL)
		return why;
	if (dc.issuer.len == dc.subject.len &&	/* self-signed, as CUCM's own certificates */
	    memcmp(dc.issuer.p, dc.subject.p, dc.subject.len) == 0)
		f->issuer = strdup(f->subject);
	else
		f->issuer = cucmname(dc.issuer.p, dc.issuer.len, form, &why);
	if (f->issuer == NULL)
		return why != NULL ? why : "out of memory";
	if (strlen(f->subject) >= U16MAX || strlen(f->issuer) >= U16MAX)
		return "a name is too long for a 16-bit length";
	if (der_spki(&dc.spki, &alg, &f->pk) != 0)
		return "the public key does not decode";
	f->serial = der_serial_unsigned(&dc);
	f->sig = dc.sigval;
	f->cert.p = der;
	f->cert.len = len;
	if (len > U16MAX)
		return "the certificate is too long for a 16-bit length";
	return NULL;
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
		tlv_put(b, tag, f->serial.p, f->serial.len);
		break;
	case CTL_R_PUBKEY:	/* RSA: the PKCS#1 RSAPublicKey; EC: the X9.62 point */
		tlv_put(b, tag, f->pk.p, f->pk.len);
		break;
	case CTL_R_SIGNATURE:
		tlv_put(b, tag, f->sig.p, f->sig.len);
		break;
	case CTL_R_CERT:
		tlv_put(b, tag, f->cert.p, f->cert.len);
		break;
	case CTL_R_IP:
		if (ip != NULL)
			tlv_put(b, tag, ip, 4);
		break;
	}
}

int
ctlw_add(struct ctlw *w, const uint8_t *der, size_t dlen, int function, const char *dns,
    const uint8_t ip[4], const char **why)
{
	return ctlw_add_parsed(w, der, dlen, NULL, function, dns, ip, why);
}

int
ctlw_add_parsed(struct ctlw *w, const uint8_t *der, size_t dlen, const struct der_cert *dc,
    int function, const char *dns, const uint8_t ip[4], const char **why)
{
	struct fields f;
	struct ctlw_rec *r;
	struct buf *b = &w->recs;
	const uint8_t *tags = w->layout == CTLW_CUCM ? cucm_tags : certutils_tags;
	size_t start = b->len, len, i, certoff = 0;
	int rc = -1;

	memset(&f, 0, sizeof(f));
	*why = NULL;
	if (function < 0 || function > (int)U16MAX)
		*why = "the role code is out of range (0-65535)";
	else if (dns != NULL && strlen(dns) >= U16MAX)
		*why = "the DNS name is too long for a 16-bit length";
	else
		*why = fields_get(&f, der, dlen, dc, w->layout == CTLW_CUCM ? CUCMNAME_CUCM :
		    CUCMNAME_CERTUTILS);
	if (*why != NULL)
		goto out;
	tlv_put16(b, CTL_R_LENGTH, 0);
	for (i = 0; i < sizeof(cucm_tags); i++) {
		if (tags[i] == CTL_R_CERT)
			certoff = b->len + 3;
		put_tag(b, tags[i], &f, function, dns, ip);
	}
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
	r->off = w->base + start;
	r->len = len;
	r->function = function;
	r->cert = w->base + certoff;
	r->certlen = dlen;
	rc = w->added != NULL ? w->added(w, w->nrec - 1, why) : 0;
out:
	free(f.subject);
	free(f.issuer);
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
	r->off = w->base + w->recs.len - cr->len;
	r->len = cr->len;
	r->function = cr->function;
	if (t->val != NULL) {
		r->cert = r->off + (t->off + 3 - cr->off);
		r->certlen = t->len;
	}
	return w->added != NULL ? w->added(w, w->nrec - 1, why) : 0;
}

int
ctlw_key_init(struct ctlw_key *k, EVP_PKEY *pkey, const char **why)
{
	unsigned char *spki = NULL;
	size_t n;

	memset(k, 0, sizeof(*k));
	k->pkey = pkey;
	*why = NULL;
	if (EVP_PKEY_get_base_id(pkey) != EVP_PKEY_RSA)
		*why = "not an RSA key (no signature algorithm code is known for others)";
	else if ((k->sigbytes = (size_t)EVP_PKEY_get_size(pkey)) == 0 || k->sigbytes > U16MAX)
		*why = "the key size is out of range";
	else if ((spki = itlkey_spki(pkey, &n)) == NULL)
		*why = "the public key does not encode";
	else {
		k->spki = spki;
		k->nspki = n;
		k->bits = EVP_PKEY_get_bits(pkey);
	}
	ERR_clear_error();
	return *why == NULL ? 0 : -1;
}

void
ctlw_key_free(struct ctlw_key *k)
{
	OPENSSL_free(k->spki);
	k->spki = NULL;
}

/* 1 when the DER certificate holds k's public key. */
static int
holds_key(const uint8_t *der, size_t len, const struct ctlw_key *k)
{
	struct der_cert dc;
	const unsigned char *p = der;
	X509 *x;
	int r;

	if (der_cert_parse(der, len, &dc) != NULL)
		return 0;
	/* The same encoding: the usual case, and no key decoding (slow in OpenSSL 3.0). */
	if (dc.spki.len == k->nspki && memcmp(dc.spki.p, k->spki, k->nspki) == 0)
		return 1;
	if ((x = d2i_X509(NULL, &p, (long)len)) == NULL)
		return 0;
	r = cert_key_matches(x, k->pkey);
	X509_free(x);
	return r;
}

int
ctlw_find_signer(const struct ctlw *w, const struct ctlw_key *k, const uint8_t *want,
    size_t wantlen)
{
	size_t i;

	for (i = 0; i < w->nrec; i++) {
		const struct ctlw_rec *r = &w->rv[i];
		const uint8_t *der = w->recs.p + (r->cert - w->base);

		if (r->function != CTL_FN_SAST || r->certlen == 0 || r->off < w->base)
			continue;
		if (want != NULL && (wantlen != r->certlen || memcmp(want, der, wantlen) != 0))
			continue;
		if (holds_key(der, r->certlen, k))
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
	if (r->off < w->base)
		return "the signer's record is written out already";
	tlv_init(&rd, w->recs.p, r->off - w->base + 5, r->off - w->base + r->len, 0);
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
	static const uint8_t idtags[3] = { CTL_H_SIGNERNAME, CTL_H_SERIAL, CTL_H_CANAME };
	uint8_t version[2] = { 1, 2 };
	size_t idlen = 9 + (size_t)id[0].len + id[1].len + id[2].len, sigoff, i;
	int k, order[3] = { 0, 1, 2 };	/* subject, serial, issuer */

	if (o->version != 0) {
		version[0] = (uint8_t)(o->version >> 8);
		version[1] = (uint8_t)o->version;
	}
	tlv_put(b, CTL_H_VERSION, version, 2);
	tlv_put16(b, CTL_H_HDRLEN, 0);
	if (layout == CTLW_CERTUTILS) {
		/* signed files (1.0, 2.0) carry no 0x1C: certutils' sgnfile and enccnf write none */
		if (o->version != 0x100 && o->version != 0x200)
			tlv_put16(b, CTL_H_SIGNERVER, (uint16_t)o->signer_version);
		order[1] = 2;		/* 04 06 05 */
		order[2] = 1;
	}
	buf_addc(b, CTL_H_SIGNERID);
	buf_add16(b, (uint16_t)idlen);
	for (k = 0; k < 3; k++)
		tlv_put(b, idtags[order[k]], id[order[k]].val, id[order[k]].len);
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
	if (o->nextra > 0)
		buf_add(b, o->extra, o->nextra);
	while (b->len % 4 != 0)
		buf_addc(b, CTL_H_PAD);
	return sigoff;
}

/*
 * Sign the digest md of out into its SIGNATURE and verify what was signed:
 * a faulty token or HSM must not go unnoticed.
 */
const char *
ctlw_sign_md(uint8_t *sig, const struct ctlw_opts *o, const struct ctlw_key *k,
    const uint8_t *md, size_t mdlen)
{
	EVP_PKEY_CTX *ctx;
	const EVP_MD *alg = hash_md(o->digest);
	const char *why = NULL;
	size_t siglen = k->sigbytes;

	if ((ctx = EVP_PKEY_CTX_new(k->pkey, NULL)) == NULL || EVP_PKEY_sign_init(ctx) != 1 ||
	    EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) != 1 ||
	    EVP_PKEY_CTX_set_signature_md(ctx, alg) != 1 ||
	    EVP_PKEY_sign(ctx, sig, &siglen, md, mdlen) != 1 || siglen != k->sigbytes)
		why = "signing failed";
	else if (EVP_PKEY_verify_init(ctx) != 1 ||
	    EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) != 1 ||
	    EVP_PKEY_CTX_set_signature_md(ctx, alg) != 1 ||
	    EVP_PKEY_verify(ctx, sig, siglen, md, mdlen) != 1)
		why = "the signature does not verify";
	ERR_clear_error();
	EVP_PKEY_CTX_free(ctx);
	return why;
}

/*
 * The header (up to the padding, HEADERLENGTH set) into h, emptied first, with
 * room for more bytes after it; *sigoff the offset of its SIGNATURE tag. 0, or
 * -1 with *why.
 */
static int
header(struct buf *h, int layout, const struct ctlw_opts *o, const struct tlv id[3],
    const struct ctlw_key *k, size_t more, size_t *sigoff, const char **why)
{
	int modcode = o->modulus_code >= 0 ? o->modulus_code : ctlw_modulus_code(k->bits);

	h->len = 0;
	h->err = 0;
	*why = NULL;
	if (hash_md(o->digest) == NULL)
		*why = "unknown digest algorithm";
	else if (o->digest_code < 0 || o->digest_code > 255)
		*why = "the digest code is out of range (0-255)";
	else if (modcode < 0 || modcode > 255)
		*why = "no SIGNATUREMODULUS code is known for this key size: give one";
	else if (9 + (size_t)id[0].len + id[1].len + id[2].len > U16MAX ||
	    strlen(o->filename) >= U16MAX)
		*why = "the header is longer than 65535 bytes";
	if (*why != NULL)
		return -1;
	buf_reserve(h, 64 + 9 + (size_t)id[0].len + id[1].len + id[2].len + k->sigbytes +
	    strlen(o->filename) + o->nextra + more);
	*sigoff = put_header(h, layout, o, id, modcode, k->sigbytes);
	if (h->err || h->len > U16MAX) {
		*why = h->err ? "out of memory" : "the header is longer than 65535 bytes";
		return -1;
	}
	h->p[8] = (uint8_t)(h->len >> 8);	/* HEADERLENGTH: 01 00 02 VV VV 02 00 02 HH LL */
	h->p[9] = (uint8_t)h->len;
	return 0;
}

/* Sign the whole file in out, its SIGNATURE at sigoff. NULL, or why not. */
static const char *
sign_file(struct buf *out, size_t sigoff, const struct ctlw_opts *o, const struct ctlw_key *k)
{
	EVP_MD_CTX *ctx;
	uint8_t dg[EVP_MAX_MD_SIZE];
	unsigned int dglen = 0;
	size_t sigend = sigoff + 3 + k->sigbytes;
	const char *why;

	/* The signed bytes: the whole file with the SIGNATURE TLV cut out, not zeroed. */
	if (out->err || (ctx = EVP_MD_CTX_new()) == NULL)
		return "out of memory";
	if (EVP_DigestInit_ex(ctx, hash_md(o->digest), NULL) != 1 ||
	    EVP_DigestUpdate(ctx, out->p, sigoff) != 1 ||
	    EVP_DigestUpdate(ctx, out->p + sigend, out->len - sigend) != 1 ||
	    EVP_DigestFinal_ex(ctx, dg, &dglen) != 1)
		why = "the digest failed";
	else
		why = ctlw_sign_md(out->p + sigoff + 3, o, k, dg, dglen);
	EVP_MD_CTX_free(ctx);
	return why;
}

int
ctlw_sign_body(struct buf *out, int layout, const struct ctlw_opts *o, const struct tlv id[3],
    const struct ctlw_key *k, const uint8_t *body, size_t blen, const char **why)
{
	size_t sigoff;

	/* one allocation for the whole file: the body is copied once, never moved */
	if (header(out, layout, o, id, k, blen, &sigoff, why) != 0)
		return -1;
	buf_add(out, body, blen);
	return (*why = sign_file(out, sigoff, o, k)) == NULL ? 0 : -1;
}

int
ctlw_sign(struct ctlw *w, const struct ctlw_opts *o, const struct ctlw_key *k,
    struct buf *out, struct ctl *c, const char **why)
{
	struct buf h = BUF_ZERO;
	struct tlv id[3];
	size_t sigoff;

	memset(c, 0, sizeof(*c));
	out->len = 0;
	*why = NULL;
	if (o->signer >= w->nrec || w->rv[o->signer].function != CTL_FN_SAST)
		*why = "the signer is not a SAST record";
	else
		*why = signer_id(w, o->signer, &id[0], &id[1], &id[2]);
	if (*why != NULL || header(&h, w->layout, o, id, k, 0, &sigoff, why) != 0) {
		buf_drop(&h);
		return -1;
	}
	/*
	 * The records' buffer becomes the file: grown in place by the header's
	 * length (a large block is remapped, not copied), the records moved up
	 * within it and the header put in front. No second buffer of the file's
	 * size: its pages cost more than the signature at 500 records.
	 */
	buf_drop(out);
	*out = w->recs;
	memset(&w->recs, 0, sizeof(w->recs));
	w->nrec = 0;
	if (buf_reserve(out, h.len) == 0) {
		memmove(out->p + h.len, out->p, out->len);
		memcpy(out->p, h.p, h.len);
		out->len += h.len;
	}
	buf_drop(&h);
	if ((*why = sign_file(out, sigoff, o, k)) != NULL)
		return -1;
	/* Check the file as a phone would: it parses and its header names the signer. */
	if (ctl_parse(c, out->p, out->len) != 0)
		*why = "the file built does not parse";
	else if (ctl_find_signer(c) != (int)o->signer)
		*why = "the header names another SAST record (same serial and issuer)";
	return *why == NULL ? 0 : -1;
}

int
ctlw_key_matches(const struct ctlw_key *k, const uint8_t *der, size_t len)
{
	return holds_key(der, len, k);
}

const char *
ctlw_signer_id(const struct ctlw *w, size_t i, struct tlv id[3])
{
	if (i >= w->nrec || w->rv[i].function != CTL_FN_SAST)
		return "the signer is not a SAST record";
	return signer_id(w, i, &id[0], &id[1], &id[2]);
}

int
ctlw_header(struct buf *h, int layout, const struct ctlw_opts *o, const struct tlv id[3],
    const struct ctlw_key *k, size_t *sigoff, const char **why)
{
	return header(h, layout, o, id, k, 0, sigoff, why);
}
