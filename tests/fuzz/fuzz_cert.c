/* fuzz_cert.c: libFuzzer target for certx509_load (PEM, DER, PKCS#7, PKCS#12) and the printing helpers. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/x509.h>

#include "x509/cert.h"
#include "load/certx509.h"
#include "check.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* A name as text: never a byte that could break a line or drive a terminal. */
static void
name(const X509_NAME *n)
{
	char *s = cert_name_text(n);

	if (s != NULL && !check_text((const uint8_t *)s, strlen(s)))
		abort();
	free(s);
}

static void
show(X509 *x)
{
	char cn[256], hex[129], *ser, key[64];
	int ok;

	name(X509_get_subject_name(x));
	name(X509_get_issuer_name(x));
	cert_cn(X509_get_subject_name(x), cn, sizeof(cn));
	ser = cert_serial_text(x, 1);
	free(ser);
	cert_time(X509_get0_notBefore(x), &ok);
	cert_time(X509_get0_notAfter(x), &ok);
	cert_digest_hex(x, "sha1", 1, hex);
	cert_key_desc(x, key, sizeof(key));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	STACK_OF(X509) *sk = NULL;
	const char *why = NULL;
	int i;

	/* The length picks the password, so both PKCS#12 paths are reached. */
	if (certx509_load(data, len, len & 1 ? "fuzz" : NULL, &sk, &why) == 1)
		for (i = 0; i < sk_X509_num(sk); i++)
			show(sk_X509_value(sk, i));
	cert_free_all(sk);
	return 0;
}
