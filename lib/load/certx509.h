/* certx509.h: a file's certificates as OpenSSL X509 objects, read through lib/load/certfile. */
#ifndef CTK_CERTX509_H
#define CTK_CERTX509_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/x509.h>

/*
 * Every certificate in buf (certfile_read: PEM, DER, PKCS#7, PKCS#12; a TRUSTED
 * CERTIFICATE keeps its trust settings). pass may be NULL: an empty password is
 * tried. Returns 1 with *out a stack the caller frees with cert_free_all(); 0 when
 * buf is readable but holds no certificate (a key, a CSR: *why says so); -1 when it
 * is damaged or refused (*why says how). No diagnostics.
 */
int certx509_load(const uint8_t *buf, size_t len, const char *pass,
    STACK_OF(X509) **out, const char **why);
/* io_slurp + certx509_load with one diagnostic "path: why" on failure or when empty; NULL then. */
STACK_OF(X509) *certx509_load_file(const char *path, const char *pass);

#endif
