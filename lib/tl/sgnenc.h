/* sgnenc.h: the payload of an encrypted configuration file (.enc.sgn, version 2.0; FORMAT.md section 7): encrypt for a phone, decrypt with its key. */
#ifndef CTK_SGNENC_H
#define CTK_SGNENC_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/types.h>

#include "core/buf.h"
#include "tl/ctl.h"

/*
 * Encrypt plain[0..n) for the phone whose RSA public key is phone: a fresh AES-128 key and IV,
 * the text padded with 1 to 16 '\r' (never 0: certutils' enccnf cuts the pad count as given),
 * AES-128-CBC into cipher; the key wrapped with RSA PKCS#1 v1.5. hdr gets the header tags that
 * follow TIMESTAMP: 16 (17: 18 0, 19 IV, 20 pad; 21: 22 0, 23 the wrapped key's bits, 24 1,
 * 25 the wrapped key), 26 digest code, 27 the plain text's digest by digest (code dcode).
 * Both buffers are emptied first. 0, or -1 with *why.
 */
int sgnenc_encrypt(EVP_PKEY *phone, const char *digest, int dcode, const uint8_t *plain,
    size_t n, struct buf *hdr, struct buf *cipher, const char **why);
/*
 * Decrypt the encrypted file c (parsed, not damaged) with the phone's private key: unwrap the
 * AES key, AES-128-CBC, cut the pad count, check the plain text against the header's digest.
 * The plain text (malloc'd) into *out, *n; 0, or -1 with *why (nothing in *out).
 */
int sgnenc_decrypt(const struct ctl *c, EVP_PKEY *phone, uint8_t **out, size_t *n,
    const char **why);

#endif
