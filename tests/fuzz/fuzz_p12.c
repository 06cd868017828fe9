/*
 * fuzz_p12.c: libFuzzer target for the PKCS#7 and PKCS#12 containers (lib/load/pkcs), run
 * with -timeout=2: the work budget must hold whatever the parameters say. The budget here
 * is small (about 40 ms of key derivation) so that a slow path other than the priced
 * derivations shows as a timeout; lib/load/certfile spends PKCS_BUDGET per file.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>

#include "load/pkcs.h"
#include "x509/der.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static volatile uint8_t sink;

/* Every certificate handed over must encode and walk like one. */
static int
take(void *arg, X509 *x)
{
	unsigned char *der = NULL;
	struct der_cert c;
	int n;

	(void)arg;
	if ((n = i2d_X509(x, &der)) > 0) {
		(void)der_cert_parse(der, (size_t)n, &c);
		sink ^= der[n - 1];
	}
	OPENSSL_free(der);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	const char *why = NULL;
	long budget = 100000, before;
	int r;

	(void)pkcs_p7(data, len, take, NULL);
	before = budget;
	r = pkcs_p12(data, len, len & 1 ? "fuzz" : NULL, &budget, take, NULL, &why);
	if (budget < 0 || budget > before || (r == -3 && why == NULL))
		abort();	/* the budget never goes negative; a refusal always says why */
	if (r == -2 && budget > 0)
		(void)pkcs_p12(data, len, NULL, &budget, take, NULL, &why);
	sink ^= (uint8_t)pkcs_is_p12(data, len);
	ERR_clear_error();
	return 0;
}
