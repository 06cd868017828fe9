/* certfile.c: certificates straight from PEM and DER bytes; OpenSSL only for PKCS#7 and PKCS#12. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/err.h>

#include "x509/cert.h"
#include "load/certfile.h"
#include "load/pkcs.h"
#include "tl/ctl.h"
#include "tl/sgn.h"
#include "x509/pem.h"

/* Where a certificate's bytes live until certfile_read returns. */
struct certfile_loc {
	int	 in_ders;	/* 1: s->ders at off; 0: the caller's bytes at off */
	size_t	 off, cap;	/* cap: s->ders.cap when parsed (the spans stay valid while equal) */
};

void
certfile_init(struct certfile *cf, const char *pass, int flags)
{
	memset(cf, 0, sizeof(*cf));
	cf->pass = pass;
	cf->flags = flags;
}

void
certfile_free(struct certfile *cf)
{
	buf_free(&cf->scratch);	/* it decoded key blocks too */
	buf_drop(&cf->ders);	/* certificates only: public */
	free(cf->certs);
	free(cf->locs);
	cf->certs = NULL;
	cf->locs = NULL;
	cf->ncerts = cf->ncap = 0;
}

static const char *
reason(struct certfile *s, const char *what, const char *detail)
{
	char d[sizeof(s->why)];
	size_t k;

	/* detail may be s->why itself */
	k = strlen(detail) < sizeof(d) ? strlen(detail) : sizeof(d) - 1;
	memcpy(d, detail, k);
	d[k] = '\0';
	snprintf(s->why, sizeof(s->why), "%s: %.*s", what, (int)(sizeof(s->why) / 2), d);
	return s->why;
}

/* Room for one more certificate; -1 when out of memory. */
static int
grow(struct certfile *s)
{
	struct certfile_cert *c;
	struct certfile_loc *l;
	size_t cap;

	if (s->ncerts < s->ncap)
		return 0;
	cap = s->ncap ? s->ncap * 2 : 16;
	if ((c = realloc(s->certs, cap * sizeof(*c))) == NULL)
		return -1;
	s->certs = c;
	if ((l = realloc(s->locs, cap * sizeof(*l))) == NULL)
		return -1;
	s->locs = l;
	s->ncap = cap;
	return 0;
}

/*
 * Record a certificate at der (in s->data, or just appended to s->ders), len bytes
 * and auxlen bytes of trust data after it.
 */
static const char *
add_parsed(struct certfile *s, const uint8_t *der, size_t len, size_t auxlen, int in_ders,
    int record, int function, const struct der_cert *dc)
{
	struct certfile_cert *c;
	struct certfile_loc *l;
	const char *e;

	if (grow(s) != 0)
		return "out of memory";
	c = &s->certs[s->ncerts];
	l = &s->locs[s->ncerts];
	if (dc != NULL)		/* parsed where it lies already */
		c->c = *dc;
	else if ((e = der_cert_parse(der, len, &c->c)) != NULL)
		return e;
	c->len = c->c.len;
	c->auxlen = auxlen;
	c->text = NULL;
	c->textlen = 0;
	c->index = s->ncerts + 1;
	c->record = record;
	c->function = function;
	c->source = NULL;
	c->sourcelen = 0;
	l->in_ders = in_ders;
	l->off = (size_t)(der - (in_ders ? s->ders.p : s->data));
	l->cap = s->ders.cap;
	s->ncerts++;
	return NULL;
}

static const char *
add_aux(struct certfile *s, const uint8_t *der, size_t len, size_t auxlen, int in_ders,
    int record, int function)
{
	return add_parsed(s, der, len, auxlen, in_ders, record, function, NULL);
}

static const char *
add(struct certfile *s, const uint8_t *der, size_t len, int in_ders, int record, int function)
{
	return add_aux(s, der, len, 0, in_ders, record, function);
}

/* Copy der (and auxlen bytes of trust data after it) into s->ders, then add it. */
static const char *
add_copy(struct certfile *s, const uint8_t *der, size_t len, size_t auxlen)
{
	size_t off = s->ders.len;

	if (buf_add(&s->ders, der, len + auxlen) != 0)
		return "out of memory";
	return add_aux(s, s->ders.p + off, len, auxlen, 1, 0, -1);
}

/* pkcs_fn: an OpenSSL certificate, encoded again to DER. */
static int
add_x509(void *arg, X509 *x)
{
	struct certfile *s = arg;
	unsigned char *der = NULL;
	const char *e;
	int k;

	if ((k = i2d_X509(x, &der)) <= 0)
		e = "cannot re-encode a certificate";
	else
		e = add_copy(s, der, (size_t)k, 0);
	OPENSSL_free(der);
	if (e != NULL)
		snprintf(s->why, sizeof(s->why), "%s", e);
	return e != NULL ? -1 : 0;
}

/*
 * PKCS#7, PKCS#12 and odd DER encodings, through OpenSSL. *found: the bytes were
 * one of them, holding a certificate or not. NULL, or why they are damaged.
 */
static const char *
from_openssl(struct certfile *s, const uint8_t *p, size_t n, int *found)
{
	X509 *x;
	const char *e = NULL;
	size_t before = s->ncerts;
	int r;

	*found = 0;
	s->why[0] = '\0';
	if ((x = cert_from_der(p, n)) != NULL) {
		r = add_x509(s, x);
		X509_free(x);
		*found = r == 0;
		return r != 0 ? s->why : NULL;
	}
	if ((r = pkcs_p7(p, n, add_x509, s)) >= 0 || s->why[0] != '\0') {
		ERR_clear_error();
		*found = r > 0;
		return r < 0 ? s->why : NULL;
	}
	/* A PKCS#12 that does not take the password given may still take the empty one. */
	if ((r = pkcs_p12(p, n, s->pass, &s->budget, add_x509, s, &e)) == -2 && s->pass != NULL)
		r = pkcs_p12(p, n, NULL, &s->budget, add_x509, s, &e);
	if (r != -1)
		s->haskey = 1;	/* a PKCS#12 is a key's container */
	if (r >= 0) {
		*found = r > 0;
		return NULL;
	}
	if (s->why[0] != '\0')
		return s->why;
	s->ncerts = before;
	if (r == -3)
		return e;
	return r == -2 ? "PKCS#12: wrong password or damaged" :
	    "not a PEM, DER, PKCS#7 or PKCS#12 certificate";
}

/* A PEM label ending in "PRIVATE KEY" (PKCS#8, RSA, EC, ENCRYPTED). */
static int
is_key(const struct pem_block *b)
{
	static const char pk[] = "PRIVATE KEY";

	return b->labellen >= sizeof(pk) - 1 &&
	    memcmp(b->label + b->labellen - (sizeof(pk) - 1), pk, sizeof(pk) - 1) == 0;
}

/* One CERTIFICATE or TRUSTED CERTIFICATE block; lim: the text before it is read, or 0. */
static const char *
pem_cert(struct certfile *s, const struct pem_block *b, size_t lim)
{
	struct der_cert c;
	const uint8_t *der = b->der;
	const char *e;
	size_t aux, keep;
	int over;

	/* over the text already read: never past it, so the iterator reads the rest intact */
	over = s->wdata != NULL && lim >= s->wpos && b->len <= lim - s->wpos;
	if (over) {
		memcpy(s->wdata + s->wpos, b->der, b->len);
		der = s->wdata + s->wpos;
	}
	if ((e = der_cert_parse(der, b->len, &c)) != NULL)
		return reason(s, "bad certificate in PEM block", e);
	/* TRUSTED CERTIFICATE: OpenSSL's trust settings follow the certificate */
	aux = b->len - c.len;
	if (aux > 0 && !(b->labellen == 19 && memcmp(b->label, "TRUSTED", 7) == 0))
		return "bad certificate in PEM block: trailing bytes";
	keep = s->flags & CERTFILE_AUX ? aux : 0;
	if (over) {	/* parsed once, where it stays */
		s->wpos += c.len + keep;
		return add_parsed(s, der, c.len, keep, 0, 0, -1, &c);
	}
	if ((e = add_copy(s, b->der, c.len, keep)) == NULL && s->wdata == NULL) {
		s->certs[s->ncerts - 1].text = (const char *)b->text;
		s->certs[s->ncerts - 1].textlen = b->textlen;
		s->certs[s->ncerts - 1].source = b->source;
		s->certs[s->ncerts - 1].sourcelen = b->sourcelen;
	}
	return e;
}

static const char *
from_pem(struct certfile *s, const uint8_t *p, size_t n)
{
	struct pem_iter it;
	struct pem_block b;
	const char *e = NULL;
	int k, found;

	/*
	 * Room for every certificate the text can hold (base64: 3 bytes per 4), so
	 * that s->ders never moves and no certificate is parsed twice (certfile_read).
	 */
	if (s->wdata == NULL || p != s->data)
		(void)buf_reserve(&s->ders, n / 4 * 3 + 3);
	pem_init(&it, p, n);
	while (e == NULL && (k = pem_next(&it, &b, &s->scratch, &e)) != 0) {
		if (k < 0)
			break;
		if (is_key(&b))
			s->haskey = 1;
		if (b.labellen == 5 && memcmp(b.label, "PKCS7", 5) == 0) {
			e = from_openssl(s, b.der, b.len, &found);
			if (e != NULL)
				e = reason(s, "bad PKCS#7 block", e);
		} else if (pem_is_cert(&b))
			e = pem_cert(s, &b, s->wdata != NULL && p == s->data ? it.pos : 0);
		/* keys, CSRs, parameters: skipped */
	}
	if (e == NULL && s->ncerts == 0)
		e = s->nocert = "no certificate in PEM";
	return e;
}

static const char *
from_ctl(struct certfile *s, const uint8_t *p, size_t n, int named)
{
	struct ctl ctl;
	const struct tlv *t;
	const char *e = NULL;
	size_t i;

	if (ctl_parse(&ctl, p, n) != 0) {
		snprintf(s->why, sizeof(s->why), "damaged CTL/ITL: %s at byte %zu", ctl.err,
		    ctl.err_off);
		e = s->why;
		ctl_free(&ctl);
		/* a signed TFTP file has the trust list's header: it names its signer, holds none */
		if (sgn_parse_any(&ctl, p, n) != SGN_NONE && ctl.damaged)
			snprintf(s->why, sizeof(s->why), "damaged signed file: %s at byte %zu",
			    ctl.err, ctl.err_off);
		else if (sgn_kind(&ctl) != SGN_NONE) {
			s->nocert = "a signed file: no certificate";
			e = named ? s->nocert : NULL;
		}
		goto out;
	}
	for (i = 0; i < ctl.nrecs && e == NULL; i++) {
		t = &ctl.recs[i].f[CTL_R_CERT];
		if (t->val != NULL && (e = add(s, t->val, t->len, 0, (int)i + 1,
		    ctl.recs[i].function)) != NULL) {
			snprintf(s->why, sizeof(s->why), "record %zu: bad certificate: %s", i + 1, e);
			e = s->why;
		}
	}
	if (e == NULL && s->ncerts == 0)
		e = "no certificate in CTL/ITL";
out:
	ctl_free(&ctl);
	return e;
}

/* Skip a DER tag and length, even when the length runs past the end. */
static const uint8_t *
skip_head(const uint8_t *p, size_t n)
{
	size_t k;

	if (n < 2)
		return NULL;
	if (p[1] < 0x80)
		k = 2;
	else if (p[1] >= 0x81 && p[1] <= 0x84)
		k = 2u + (p[1] & 0x7F);
	else
		return NULL;
	return k < n ? p + k : NULL;
}

/*
 * A SEQUENCE that starts like a certificate (2), a PKCS#7 or a PFX (1): damage,
 * not a key (0).
 */
static int
looks_certish(const uint8_t *p, size_t n)
{
	static const uint8_t p7[] = { 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x02 };
	const uint8_t *q, *r, *end = p + n;

	if ((q = skip_head(p, n)) == NULL)
		return 0;
	if (*q == 0x30)		/* tbsCertificate then version [0] or serial */
		return (r = skip_head(q, (size_t)(end - q))) != NULL &&
		    (*r == 0xA0 || *r == 0x02) ? 2 : 0;
	if ((size_t)(end - q) >= sizeof(p7) && memcmp(q, p7, sizeof(p7)) == 0)
		return 1;
	return end - q >= 4 && q[0] == 0x02 && q[1] == 0x01 && q[2] == 0x03 && q[3] == 0x30;
}

/* DER certificates back to back (a DER bundle): 0, or -1 with none kept. */
static int
from_ders(struct certfile *s, const uint8_t *p, size_t n)
{
	struct der_cert c;
	size_t off = 0;

	while (off < n) {
		if (der_cert_parse(p + off, n - off, &c) != NULL ||
		    add(s, p + off, c.len, 0, 0, -1) != NULL) {
			s->ncerts = 0;
			return -1;
		}
		off += c.len;
	}
	return 0;
}

/*
 * Fill s->certs from p[0..n). NULL when done (s->ncerts may be 0 for a file
 * met in a walk that holds no certificate), else why it failed.
 */
static const char *
extract(struct certfile *s, const uint8_t *p, size_t n, int named)
{
	struct der_cert c;
	const char *e, *fe;
	int found;

	if (n == 0)
		return named ? "empty file" : NULL;
	if (pem_sniff(p, n)) {
		e = from_pem(s, p, n);
		if (e != NULL && !named && s->ncerts == 0 &&
		    strcmp(e, "no certificate in PEM") == 0)
			return NULL;
		return e;
	}
	if (p[0] == 0x30) {
		if ((fe = der_cert_parse(p, n, &c)) == NULL && c.len == n)
			return add(s, p, n, 0, 0, -1);
		if (fe == NULL && from_ders(s, p, n) == 0)
			return NULL;
		if ((e = from_openssl(s, p, n, &found)) != NULL) {
			if (looks_certish(p, n) == 2)
				return reason(s, "damaged DER certificate", fe != NULL ? fe :
				    "trailing bytes");
			if (named || looks_certish(p, n))
				return e;
			s->ncerts = 0;
			s->nocert = e;	/* a DER key, a CSR */
			return NULL;
		}
		if (!found)
			s->nocert = "no certificate";
		return !found && named ? s->nocert : NULL;
	}
	if (!(s->flags & CERTFILE_TL))
		return named ? "not a PEM, DER, PKCS#7 or PKCS#12 certificate" : NULL;
	if (n >= 5 && p[0] == 0x01 && p[1] == 0x00 && p[2] == 0x02)
		return from_ctl(s, p, n, named);
	return named ? "not a PEM, DER, PKCS#7, PKCS#12 or CTL/ITL file" : NULL;
}


const char *
certfile_read(struct certfile *s, const uint8_t *p, size_t n, int named)
{
	struct certfile_loc *l;
	const char *e;
	size_t i;

	s->ncerts = 0;
	s->ders.len = 0;
	s->ders.err = 0;
	s->scratch.len = 0;
	s->data = p;
	s->wpos = 0;
	s->haskey = 0;
	s->nocert = NULL;
	s->budget = PKCS_BUDGET;	/* per file, whatever it holds */
	e = extract(s, p, n, named);
	for (i = 0; i < s->ncerts; i++) {
		l = &s->locs[i];
		s->certs[i].der = (l->in_ders ? s->ders.p : p) + l->off;
		if (l->in_ders && l->cap != s->ders.cap)	/* the buffer moved: parse again */
			(void)der_cert_parse(s->certs[i].der, s->certs[i].len, &s->certs[i].c);
	}
	/* Keys share files with certificates: leave none behind in the scratch buffer. */
	if (s->scratch.len > 0)
		OPENSSL_cleanse(s->scratch.p, s->scratch.len);
	return e;
}

const char *
certfile_read_over(struct certfile *s, uint8_t *p, size_t n, int named)
{
	const char *e;

	s->wdata = p;
	e = certfile_read(s, p, n, named);
	s->wdata = NULL;
	return e;
}
