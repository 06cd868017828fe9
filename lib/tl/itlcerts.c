/* itlcerts.c: PEM and DER certificates are walked, never decoded into an X509 (that is slow). */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "x509/cert.h"
#include "x509/der.h"
#include "core/diag.h"
#include "core/io.h"
#include "tl/itlcerts.h"
#include "x509/pem.h"

static int
push(struct itlcerts *c, const uint8_t *der, size_t len)
{
	size_t *v;

	if ((v = realloc(c->off, (c->n + 2) * sizeof(*v))) == NULL)
		return -1;
	c->off = v;
	if (c->n == 0)
		v[0] = c->buf.len;
	if (buf_add(&c->buf, der, len) != 0)
		return -1;
	v[++c->n] = c->buf.len;
	return 0;
}

/* 1: one DER certificate and nothing after it. */
static int
is_der(const uint8_t *p, size_t len)
{
	struct der_cert dc;

	return der_cert_parse(p, len, &dc) == NULL && dc.len == len;
}

/* PEM with CERTIFICATE blocks only: 1 done, 0 not for this path, -1 damaged. */
static int
fast_pem(struct itlcerts *c, const uint8_t *buf, size_t len, const char **why)
{
	struct pem_iter it;
	struct pem_block b;
	struct buf scratch = BUF_ZERO;
	int k, rc = 1;

	pem_init(&it, buf, len);
	while (rc == 1 && (k = pem_next(&it, &b, &scratch, why)) > 0) {
		if ((b.labellen == 5 && memcmp(b.label, "PKCS7", 5) == 0) ||
		    (pem_is_cert(&b) && !is_der(b.der, b.len)) || (pem_is_cert(&b) &&
		    b.labellen == 19))
			rc = 0;		/* let cert_load judge it */
		else if (pem_is_cert(&b) && push(c, b.der, b.len) != 0) {
			*why = "out of memory";
			rc = -1;
		}
	}
	if (rc == 1 && k < 0)
		rc = -1;
	buf_free(&scratch);
	return rc;
}

/* Anything else: OpenSSL decodes it, and the certificates are encoded again. */
static int
slow(struct itlcerts *c, const uint8_t *buf, size_t len, const char **why)
{
	STACK_OF(X509) *sk;
	unsigned char *der;
	int i, n, r;

	if ((r = cert_load(buf, len, NULL, &sk, why)) != 1)
		return r;
	for (i = 0; i < sk_X509_num(sk) && r == 1; i++) {
		der = NULL;
		if ((n = i2d_X509(sk_X509_value(sk, i), &der)) <= 0 || push(c, der, (size_t)n)) {
			*why = "out of memory";
			r = -1;
		}
		OPENSSL_free(der);
	}
	cert_free_all(sk);
	return r;
}

int
itlcerts_parse(struct itlcerts *c, const uint8_t *buf, size_t len, const char **why)
{
	int r = 0;

	itlcerts_free(c);
	*why = NULL;
	if (len > 0 && pem_sniff(buf, len))
		r = fast_pem(c, buf, len, why);
	else if (len > 0 && is_der(buf, len))
		r = push(c, buf, len) == 0 ? 1 : -1;
	if (r == 0) {
		itlcerts_free(c);
		r = slow(c, buf, len, why);
	}
	if (r == 1 && c->n == 0) {
		*why = "no certificate in PEM";
		r = 0;
	}
	if (r == 1 && c->buf.err) {
		*why = "out of memory";
		r = -1;
	}
	return r;
}

int
itlcerts_load(struct itlcerts *c, const char *path)
{
	const char *why;
	uint8_t *buf;
	size_t len;
	int r;

	if ((buf = io_slurp(path, IO_MAX, &len)) == NULL)
		return -1;
	if ((r = itlcerts_parse(c, buf, len, &why)) != 1)
		warnf("%s: %s", io_name(path), why);
	OPENSSL_cleanse(buf, len);	/* a PKCS#12 or a bundle may hold a key */
	free(buf);
	return r == 1 ? 0 : -1;
}

const uint8_t *
itlcerts_get(const struct itlcerts *c, size_t i, size_t *len)
{
	*len = c->off[i + 1] - c->off[i];
	return c->buf.p + c->off[i];
}

void
itlcerts_free(struct itlcerts *c)
{
	buf_free(&c->buf);
	free(c->off);
	c->off = NULL;
	c->n = 0;
}
