/* sgncert.h: the certificate a user names as a signed file's signer (ctl-dump --signer CERT). */
#ifndef CTK_SGNCERT_H
#define CTK_SGNCERT_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/types.h>

#include "load/itlcerts.h"

/* A signer's certificate given by the user (--signer CERT): its DER and its public key. */
struct sgn_cert {
	struct itlcerts	 certs;
	const uint8_t	*der;		/* the first certificate of the file */
	size_t		 len;
	EVP_PKEY	*key;
};
#define SGN_CERT_ZERO { ITLCERTS_ZERO, NULL, 0, NULL }

/* Load the first certificate of path (PEM, DER ...). 0, or -1 after a diagnostic. */
int sgn_cert_load(struct sgn_cert *sc, const char *path);
void sgn_cert_free(struct sgn_cert *sc);

#endif
