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
};
#define ITLCERTS_ZERO { BUF_ZERO, NULL, 0 }

/*
 * The certificates in buf, in order, replacing c's contents. PEM CERTIFICATE
 * blocks and a bare DER certificate are checked with der_cert_parse (OpenSSL
 * 3.0's d2i_X509 costs far more than an RSA signature); anything else (PKCS#7,
 * PKCS#12, TRUSTED CERTIFICATE) goes through cert_load. 1: c filled; 0: no
 * certificate; -1: damaged. *why says why when not 1. No diagnostics.
 */
int itlcerts_parse(struct itlcerts *c, const uint8_t *buf, size_t len, const char **why);
/* io_slurp + itlcerts_parse: 0 with at least one certificate, else -1 after a diagnostic "path: why". */
int itlcerts_load(struct itlcerts *c, const char *path);
/* Certificate i. */
const uint8_t *itlcerts_get(const struct itlcerts *c, size_t i, size_t *len);
void itlcerts_free(struct itlcerts *c);

#endif
