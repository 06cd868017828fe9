/* fuzz_certfile.c: libFuzzer target for cert-expiry's fast path (lib/certfile, under lib/scan). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "load/certfile.h"
#include "x509/der.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static volatile uint8_t sink;	/* the bytes of every certificate are read */

/* Every span must lie inside its certificate: abort (a finding) when one does not. */
static void
inside(const struct certfile_cert *c, struct der_span s)
{
	if (s.p == NULL)
		return;
	if (s.p < c->der || s.len > c->len || (size_t)(s.p - c->der) > c->len - s.len)
		abort();
}

static void
check(const struct certfile *cf, const char *why)
{
	char key[64];
	size_t i, k;

	if (cf->ncerts > 0 && cf->certs == NULL)
		abort();
	for (i = 0; i < cf->ncerts; i++) {
		const struct certfile_cert *c = &cf->certs[i];

		for (k = 0; k < c->len; k++)
			sink ^= c->der[k];
		inside(c, c->c.tbs);
		inside(c, c->c.serial);
		inside(c, c->c.issuer);
		inside(c, c->c.subject);
		inside(c, c->c.spki);
		inside(c, c->c.sigval);
		der_key_desc(c->c.spki.p, c->c.spki.len, key, sizeof(key));
	}
	if (why != NULL)
		sink ^= (uint8_t)strlen(why);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct certfile cf;
	uint8_t *copy;

	/* A copy with a NUL after it, as lib/scan hands over what it read. */
	if ((copy = malloc(len + 1)) == NULL)
		return 0;
	memcpy(copy, data, len);
	copy[len] = '\0';
	certfile_init(&cf, len & 1 ? "fuzz" : NULL, len & 2 ? CERTFILE_TL | CERTFILE_AUX : CERTFILE_TL);
	check(&cf, certfile_read(&cf, copy, len, 1));
	check(&cf, certfile_read(&cf, copy, len, 0));	/* the buffers are reused, as in a walk */
	certfile_free(&cf);
	free(copy);
	return 0;
}
