/* itlcerts.h: certificates as DER for the trust-list writer, read without decoding keys. */
#ifndef CTK_ITLCERTS_H
#define CTK_ITLCERTS_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

struct itlcerts {
	struct buf	 buf;		/* the DER certificates back to back */
	size_t		*off;		/* certificate i is buf.p[off[i] .. off[i + 1]) */
	size_t		 n;
	int		 haskey;	/* the bytes held a private key (PEM block or PKCS#12) */
};
#define ITLCERTS_ZERO { BUF_ZERO, NULL, 0, 0 }

/*
 * The certificates in buf, in order, replacing c's contents, as certfile_read
 * finds them (PEM, DER, PKCS#7, PKCS#12; a TRUSTED CERTIFICATE without its trust
 * data). 1: c filled; 0: no certificate; -1: damaged. *why says why when not 1.
 * No diagnostics.
 */
int itlcerts_parse(struct itlcerts *c, const uint8_t *buf, size_t len, const char **why);
/* io_slurp + itlcerts_parse: 0 with at least one certificate, else -1 after a diagnostic "path: why". */
int itlcerts_load(struct itlcerts *c, const char *path);
/* Certificate i. */
const uint8_t *itlcerts_get(const struct itlcerts *c, size_t i, size_t *len);
void itlcerts_free(struct itlcerts *c);

#endif
