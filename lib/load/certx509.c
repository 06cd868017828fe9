/* certx509.c: OpenSSL objects for the callers that need them, decoded from certfile's DER. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/err.h>

#include "core/diag.h"
#include "core/io.h"
#include "load/certfile.h"
#include "load/certx509.h"
#include "x509/cert.h"

int
certx509_load(const uint8_t *buf, size_t len, const char *pass, STACK_OF(X509) **out,
    const char **why)
{
	static char whybuf[192];	/* certfile's reason outlives its buffers */
	const struct certfile_cert *c;
	const unsigned char *p;
	struct certfile cf;
	STACK_OF(X509) *sk;
	const char *e;
	X509 *x;
	size_t i;
	int rc = 1;

	*out = NULL;
	certfile_init(&cf, pass, CERTFILE_AUX);
	if ((e = certfile_read(&cf, buf, len, 1)) != NULL || cf.ncerts == 0) {
		rc = e != NULL && e != cf.nocert ? -1 : 0;
		snprintf(whybuf, sizeof(whybuf), "%s", e != NULL ? e : "no certificate");
		*why = whybuf;
		certfile_free(&cf);
		return rc;
	}
	if ((sk = sk_X509_new_null()) == NULL)
		rc = -1;
	for (i = 0; rc == 1 && i < cf.ncerts; i++) {
		c = &cf.certs[i];
		p = c->der;
		/* TRUSTED CERTIFICATE: the trust settings go with the X509 (d2i_X509_AUX) */
		x = c->auxlen > 0 ? d2i_X509_AUX(NULL, &p, (long)(c->len + c->auxlen)) :
		    cert_from_der(c->der, c->len);
		if (x == NULL || sk_X509_push(sk, x) <= 0) {
			X509_free(x);
			*why = x == NULL ? "bad certificate" : "out of memory";
			rc = -1;
		}
	}
	certfile_free(&cf);
	ERR_clear_error();
	if (rc != 1) {
		cert_free_all(sk);
		return -1;
	}
	*out = sk;
	return 1;
}

STACK_OF(X509) *
certx509_load_file(const char *path, const char *pass)
{
	STACK_OF(X509) *sk = NULL;
	const char *why = NULL;
	uint8_t *buf;
	size_t len;

	if ((buf = io_slurp(path, IO_MAX, &len)) == NULL)
		return NULL;
	if (certx509_load(buf, len, pass, &sk, &why) <= 0)
		warnf("%s: %s", io_name(path), why);
	OPENSSL_cleanse(buf, len);	/* a PKCS#12 or a bundle may hold a key */
	free(buf);
	return sk;
}
