/* pkcs.h: the certificates of PKCS#7 and PKCS#12 containers, key derivation under a work budget. */
#ifndef CTK_PKCS_H
#define CTK_PKCS_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/x509.h>

/*
 * Key derivation a PKCS#12 may cost, in units of about one PBKDF2-HMAC-SHA256
 * iteration (0.4 us on the reference machine; scrypt: one unit per N*r*p): one
 * derivation may take PKCS_MAX_ITER iterations, scrypt PKCS_MAX_SCRYPT, and all
 * of one file's derivations together (every safe, every password tried)
 * PKCS_BUDGET, so that no file costs more than about 2 s of CPU time.
 */
#define PKCS_MAX_ITER	2000000L
#define PKCS_MAX_SCRYPT	(1L << 21)
#define PKCS_BUDGET	4000000L

/* Called with each certificate in file order; 0 to go on, -1 to stop (out of memory). */
typedef int (*pkcs_fn)(void *arg, X509 *x);

/*
 * The certificates of the DER PKCS#7 SignedData (or SignedAndEnvelopedData) at
 * der[0..len). The count, or -1 when der is not one.
 */
int pkcs_p7(const uint8_t *der, size_t len, pkcs_fn fn, void *arg);
/*
 * The certificates of a PKCS#12, without PKCS12_parse: keys are never decrypted,
 * and the cost of each key derivation is charged to *budget before it runs. The
 * password is pass, else "" or NULL (the two encodings of an empty one), chosen
 * by the MAC. Returns the count; -1 when der is not a PKCS#12; -2 for a wrong
 * password or damage; -3 when refused for its work (*why says which limit).
 */
int pkcs_p12(const uint8_t *der, size_t len, const char *pass, long *budget, pkcs_fn fn,
    void *arg, const char **why);
/* 1 when der[0..len) is a PKCS#12 PFX (a key's container). */
int pkcs_is_p12(const uint8_t *der, size_t len);

#endif
