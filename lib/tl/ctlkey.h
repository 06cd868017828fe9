/* ctlkey.h: a trust-list record's public key, decoded once per distinct key and kept. */
#ifndef CTK_CTLKEY_H
#define CTK_CTLKEY_H

#include <openssl/evp.h>

#include "tl/ctl.h"

/*
 * The public key of record r: from its PUBLICKEY (PKCS#1 RSAPublicKey, or an
 * X9.62 uncompressed EC point of 65, 97 or 133 bytes: P-256, P-384, P-521)
 * when that decodes, else from its certificate's SubjectPublicKeyInfo (other
 * types, a point off its curve). Cached by those bytes; the caller owns one reference
 * (EVP_PKEY_free). NULL when neither decodes.
 */
EVP_PKEY *ctlkey_get(const struct ctl_rec *r);
/* Free the cache (optional, for leak checkers). */
void ctlkey_cleanup(void);

#endif
