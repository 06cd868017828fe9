/* cert.h: certificates through OpenSSL: decode DER, print names, serials and times. */
#ifndef CTK_CERT_H
#define CTK_CERT_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/x509.h>

/* Free a stack of certificates (lib/load/certx509 makes them). */
void cert_free_all(STACK_OF(X509) *sk);
/* One DER certificate (exactly), or NULL. */
X509 *cert_from_der(const uint8_t *der, size_t len);
/* Name as RFC 4514 text as lib/dntext prints it (control bytes escaped): malloc'd, the caller frees; NULL on failure. */
char *cert_name_text(const X509_NAME *name);
/* The first CN of name into out (empty when none); returns out. The one CN reader. */
char *cert_cn(const X509_NAME *name, char *out, size_t outlen);
/* The same for a DER Name (a der_cert's subject span). */
char *cert_cn_der(const uint8_t *name, size_t len, char *out, size_t outlen);
/* The serial as der_serial_text prints it (upper or lower case hex); malloc'd, NULL when out of memory. */
char *cert_serial_text(const X509 *x, int upper);
/* ASN1_TIME as seconds since the epoch; -1 with *ok = 0 when malformed. */
int64_t cert_time(const ASN1_TIME *t, int *ok);
/* Digest of the DER certificate as hex (alg "sha1", "sha256"...) into out (129 bytes); NULL on failure. */
char *cert_digest_hex(const X509 *x, const char *alg, int upper, char *out);
/* "RSA-2048", "EC-P256", ... into out; returns out. */
char *cert_key_desc(const X509 *x, char *out, size_t outlen);
/* 1 when the private key matches the certificate's public key. */
int cert_key_matches(const X509 *x, EVP_PKEY *key);

#endif
