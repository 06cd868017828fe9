/* fuzz_der.c: libFuzzer target for the fast DER walk (der_cert_parse) and the libtasn1 key decoders. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "x509/der.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Every span must lie inside the input: abort (a finding) when one does not. */
static void
inside(const uint8_t *data, size_t len, struct der_span s)
{
	if (s.p == NULL)
		return;
	if (s.p < data || s.len > len || (size_t)(s.p - data) > len - s.len)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct der_cert c;
	char key[64];

	if (der_cert_parse(data, len, &c) == NULL) {
		inside(data, len, c.tbs);
		inside(data, len, c.serial);
		inside(data, len, c.issuer);
		inside(data, len, c.subject);
		inside(data, len, c.spki);
		inside(data, len, c.sigval);
		inside(data, len, der_serial_unsigned(&c));
		if (c.len > len)
			abort();
		der_key_desc(c.spki.p, c.spki.len, key, sizeof(key));
	} else {
		/* Not a certificate: the input may be a SubjectPublicKeyInfo or an RSAPublicKey. */
		der_key_desc(data, len, key, sizeof(key));
		der_rsa_bits(data, len);
	}
	return 0;
}
