/* cert.c: OpenSSL certificates: one DER decoder and the printing helpers (names, serials, times). */
#include <limits.h>
#include <string.h>

#include <openssl/err.h>

#include "x509/cert.h"
#include "x509/der.h"
#include "x509/dntext.h"
#include "core/out.h"
#include "core/when.h"

X509 *
cert_from_der(const uint8_t *der, size_t len)
{
	const unsigned char *p = der;
	X509 *x;

	if (len > LONG_MAX)
		return NULL;
	x = d2i_X509(NULL, &p, (long)len);
	if (x != NULL && p != der + len) {
		X509_free(x);
		return NULL;
	}
	return x;
}

void
cert_free_all(STACK_OF(X509) *sk)
{
	sk_X509_pop_free(sk, X509_free);
}

char *
cert_name_text(const X509_NAME *name)
{
	unsigned char *der = NULL;
	struct buf b = BUF_ZERO;
	char *s = NULL;
	int n;

	/* One printer for every tool (lib/dntext), so a name reads the same everywhere. */
	if ((n = i2d_X509_NAME(name, &der)) > 0 && dntext_format(der, (size_t)n, &b) == 0)
		s = strdup((const char *)b.p);
	OPENSSL_free(der);
	buf_free(&b);
	return s;
}

char *
cert_cn(const X509_NAME *name, char *out, size_t outlen)
{
	int i;

	out[0] = '\0';
	i = X509_NAME_get_index_by_NID(name, NID_commonName, -1);
	if (i >= 0) {
		const ASN1_STRING *s = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i));
		size_t n = (size_t)ASN1_STRING_length(s);

		if (n >= outlen)
			n = outlen - 1;
		memcpy(out, ASN1_STRING_get0_data(s), n);
		out[n] = '\0';
	}
	return out;
}

char *
cert_cn_der(const uint8_t *name, size_t len, char *out, size_t outlen)
{
	const unsigned char *p = name;
	X509_NAME *n;

	out[0] = '\0';
	if (len <= LONG_MAX && (n = d2i_X509_NAME(NULL, &p, (long)len)) != NULL) {
		cert_cn(n, out, outlen);
		X509_NAME_free(n);
	}
	return out;
}

char *
cert_serial_text(const X509 *x, int upper)
{
	unsigned char *der = NULL;
	const uint8_t *p;
	struct der_span v;
	char *s = NULL;
	uint8_t id;
	size_t left;
	int n;

	/* Back to DER's INTEGER contents, so the one printer sees what a parsed file holds. */
	if ((n = i2d_ASN1_INTEGER(X509_get0_serialNumber(x), &der)) <= 0)
		return NULL;
	p = der;
	left = (size_t)n;
	if (der_next(&p, &left, &id, &v) == 0)
		s = der_serial_text(v.p, v.len, upper);
	OPENSSL_free(der);
	return s;
}

int64_t
cert_time(const ASN1_TIME *t, int *ok)
{
	struct tm tm;

	*ok = 0;
	if (t == NULL || ASN1_TIME_to_tm(t, &tm) != 1)
		return -1;
	*ok = 1;
	return when_timegm(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec);
}

char *
cert_digest_hex(const X509 *x, const char *alg, int upper, char *out)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	EVP_MD *m;
	int ok;

	if ((m = EVP_MD_fetch(NULL, alg, NULL)) == NULL)
		return NULL;
	ok = X509_digest(x, m, md, &n);
	EVP_MD_free(m);
	return ok == 1 ? out_hex(out, md, n, upper, 0) : NULL;
}

char *
cert_key_desc(const X509 *x, char *out, size_t outlen)
{
	unsigned char *der = NULL;
	int n;

	snprintf(out, outlen, "unknown");
	if ((n = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(x), &der)) > 0)
		der_key_desc(der, (size_t)n, out, outlen);
	OPENSSL_free(der);
	return out;
}

int
cert_key_matches(const X509 *x, EVP_PKEY *key)
{
	EVP_PKEY *pub = X509_get0_pubkey(x);
	int r = pub != NULL && EVP_PKEY_eq(pub, key) == 1;

	ERR_clear_error();
	return r;
}
