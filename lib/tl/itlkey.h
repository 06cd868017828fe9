/* itlkey.h: the key that signs a CTL/ITL: a PEM or DER private key file, or a PKCS#11 URI. */
#ifndef CTK_ITLKEY_H
#define CTK_ITLKEY_H

#include <openssl/evp.h>

/*
 * Load spec: "pkcs11:..." (RFC 7512, through OpenSSL's pkcs11 engine,
 * libengine-pkcs11-openssl; module NULL uses the engine's default, p11-kit's
 * proxy), else a file ("-" = stdin) holding an unencrypted private key in PEM
 * or DER. Returns a key the caller frees with EVP_PKEY_free, or NULL after one
 * diagnostic naming spec. Call itlkey_cleanup() after the last key is freed.
 */
EVP_PKEY *itlkey_load(const char *spec, const char *module);
/*
 * The DER SubjectPublicKeyInfo of k (RSA: from its modulus and exponent, as
 * i2d_PUBKEY writes it, without OpenSSL's encoder lookup; other keys, or when
 * the numbers are not readable: i2d_PUBKEY). OPENSSL_free it; NULL on failure.
 */
unsigned char *itlkey_spki(EVP_PKEY *k, size_t *len);
/* Release the engine itlkey_load may have started. */
void itlkey_cleanup(void);

#endif
