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
/*
 * NULL when key is bounded like every key the project reads (RSA: modulus at
 * most 16384 bits, public exponent at most 2^64), else why not: a record may
 * carry any key, and a 3,071-bit exponent costs milliseconds per verification.
 */
const char *ctlkey_bound(EVP_PKEY *key);

/*
 * What verifying one file under each distinct key gave, so that a loop over a
 * trust list's records verifies at most once per key, however many records
 * repeat it. Keys are held by reference; ctlkey_memo_free releases them.
 */
struct ctlkey_memo_ent;
struct ctlkey_memo {
	size_t			 n, cap;
	struct ctlkey_memo_ent	*v;
};
#define CTLKEY_MEMO_ZERO { 0, 0, NULL }

/* 1 when a key equal to key was met: *why is what it gave (NULL: verified); else 0. */
int ctlkey_memo_get(const struct ctlkey_memo *m, EVP_PKEY *key, const char **why);
/* Remember why (static text, NULL: verified) for key. 0, or -1 (out of memory: not kept). */
int ctlkey_memo_put(struct ctlkey_memo *m, EVP_PKEY *key, const char *why);
void ctlkey_memo_free(struct ctlkey_memo *m);

#endif
