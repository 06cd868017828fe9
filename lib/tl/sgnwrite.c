/* sgnwrite.c: a signed file is a trust-list header over a payload: ctlwrite lays out both. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "core/afbatch.h"
#include "core/afile.h"
#include "core/diag.h"
#include "core/io.h"
#include "tl/cucmname.h"
#include "tl/sgn.h"
#include "tl/sgnenc.h"
#include "tl/sgnjson.h"
#include "tl/sgnwrite.h"
#include "x509/der.h"

int
sgnw_signer_init(struct sgnw_signer *s, const uint8_t *der, size_t len, int layout,
    const struct ctlw_key *k, const char **why)
{
	struct der_cert dc;
	struct der_span sp;
	/* certutils today: ',' between RFC 4514 attributes, as in its trust lists */
	int form = layout == CTLW_CUCM ? CUCMNAME_CUCM : CUCMNAME_CERTUTILS;

	memset(s, 0, sizeof(*s));
	if ((*why = der_cert_parse(der, len, &dc)) != NULL)
		return -1;
	if (!ctlw_key_matches(k, der, len)) {
		*why = "the key does not match the signer's certificate";
		return -1;
	}
	s->der = der;
	s->len = len;
	s->layout = layout;
	if ((s->subject = cucmname(dc.subject.p, dc.subject.len, form, why)) == NULL)
		return -1;
	if (dc.issuer.len == dc.subject.len &&	/* self-signed, as CUCM's own certificates */
	    memcmp(dc.issuer.p, dc.subject.p, dc.subject.len) == 0)
		s->issuer = strdup(s->subject);
	else
		s->issuer = cucmname(dc.issuer.p, dc.issuer.len, form, why);
	if (s->issuer == NULL) {
		if (*why == NULL)
			*why = "out of memory";
		return -1;
	}
	sp = der_serial_unsigned(&dc);
	s->serial = sp.p;
	s->nserial = sp.len;
	if (strlen(s->subject) >= 0xFFFF || strlen(s->issuer) >= 0xFFFF || sp.len > 0xFFFF) {
		*why = "a name or the serial is too long for a 16-bit length";
		return -1;
	}
	return 0;
}

void
sgnw_signer_free(struct sgnw_signer *s)
{
	free(s->subject);
	free(s->issuer);
	s->subject = s->issuer = NULL;
}

/* A TLV value (the tag is the caller's) for the header's signer id. */
static struct tlv
idval(const void *p, size_t n)
{
	struct tlv t;

	memset(&t, 0, sizeof(t));
	t.val = p;
	t.len = (uint16_t)n;
	return t;
}

int
sgnw_sign(const struct sgnw_signer *s, const struct ctlw_opts *o,
    const struct ctlw_key *k, const uint8_t *p, size_t n, struct buf *out, struct ctl *c,
    const char **why)
{
	struct ctlw_opts so = *o;
	struct sgn_verdict v;
	struct tlv id[3];

	memset(c, 0, sizeof(*c));
	memset(&v, 0, sizeof(v));
	so.version = o->nextra > 0 ? 0x200 : 0x100;	/* 2.0: encrypted (the extra tags) */
	id[0] = idval(s->subject, strlen(s->subject) + 1);	/* NUL counted */
	id[1] = idval(s->serial, s->nserial);
	id[2] = idval(s->issuer, strlen(s->issuer) + 1);
	/* certutils' signer block is 04 06 05 (CUCM's 04 05 06); neither writes 0x1C here */
	if (ctlw_sign_body(out, s->layout, &so, id, k, p, n, why) != 0)
		return -1;
	if (sgn_parse_any(c, out->p, out->len) != (o->nextra > 0 ? SGN_ENCRYPTED : SGN_SIGNED) ||
	    c->damaged)
		*why = "the file built does not parse as a signed file";
	else if (!sgn_verify_cert(c, k->pkey, s->der, s->len, &v))
		*why = v.error;
	return *why == NULL ? 0 : -1;
}

/* The FILENAME a phone sees: the output's base name. NULL when nothing names it. */
static char *
header_name(const char *in, const char *out, const char *ext)
{
	const char *src = out != NULL && strcmp(out, "-") != 0 ? out : in, *b;
	size_t n;
	char *s;

	if (strcmp(src, "-") == 0)
		return NULL;
	b = strrchr(src, '/') != NULL ? strrchr(src, '/') + 1 : src;
	n = strlen(b) + strlen(ext) + 1;
	if (*b == '\0' || (s = malloc(n)) == NULL)
		return NULL;
	snprintf(s, n, "%s%s", b, src == in ? ext : "");
	return s;
}

/* --encrypt-for: the payload becomes the ciphertext, the header gets the key and digest tags. */
static int
encrypt(const struct ctlw_opts *o, uint8_t **p, size_t *n, struct buf *hdr, const char **why)
{
	struct buf cipher = BUF_ZERO;

	if (sgnenc_encrypt(o->encrypt_for, o->digest, o->digest_code, *p, *n, hdr, &cipher,
	    why) != 0) {
		buf_free(&cipher);
		return -1;
	}
	OPENSSL_cleanse(*p, *n);
	free(*p);
	*p = cipher.p;		/* the buffer changes hands */
	*n = cipher.len;
	return 0;
}

int
sgnw_file(const struct sgnw_signer *s, const struct ctlw_opts *o,
    const struct ctlw_key *k, const char *in, const char *out, int force, int dryrun,
    struct json *j, struct afbatch *ab)
{
	struct ctlw_opts fo = *o;
	struct buf b = BUF_ZERO, eh = BUF_ZERO;
	struct ctl c;
	struct sgn_verdict v;
	const char *why, *ext = o->encrypt_for != NULL ? ".enc.sgn" : ".sgn";
	char *fname = NULL, *path = NULL;
	uint8_t *p;
	size_t n;
	int rc = -1;

	memset(&c, 0, sizeof(c));
	if ((p = io_slurp(in, IO_MAX, &n)) == NULL)
		return -1;
	if ((fname = header_name(in, out, ext)) == NULL) {
		warnf("%s: no name for the header's FILENAME: give -o FILE", io_name(in));
		goto out;
	}
	if (out == NULL && (path = malloc(strlen(in) + 9)) != NULL)
		snprintf(path, strlen(in) + 9, "%s%s", in, ext);
	fo.filename = fname;
	if (o->encrypt_for != NULL) {
		if (encrypt(o, &p, &n, &eh, &why) != 0) {
			warnf("%s: %s", io_name(in), why);
			goto out;
		}
		fo.extra = eh.p;
		fo.nextra = eh.len;
	}
	if (out == NULL && path == NULL)
		warnf("out of memory");
	else if (sgnw_sign(s, &fo, k, p, n, &b, &c, &why) != 0)
		warnf("%s: %s", io_name(in), why);
	else if (dryrun || (ab != NULL ? afbatch_write(ab, out != NULL ? out : path, b.p, b.len,
	    AFILE_MODE_DEFAULT, force) : afile_write(out != NULL ? out : path, b.p, b.len,
	    AFILE_MODE_DEFAULT, force)) == 0)
		rc = 0;
	if (rc == 0 && j != NULL) {
		memset(&v, 0, sizeof(v));
		v.by_cert = 1;
		v.src = s->subject;
		sgn_verify_cert(&c, k->pkey, s->der, s->len, &v);
		sgnjson_print(j, &c, dryrun && out != NULL && strcmp(out, "-") == 0 ? fname :
		    out != NULL ? out : path, &v);
	}
out:
	ctl_free(&c);
	buf_free(&b);
	buf_free(&eh);
	free(p);
	free(fname);
	free(path);
	return rc;
}
