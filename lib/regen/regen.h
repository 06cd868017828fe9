/* regen.h: a fresh key, a self-signed certificate or a CSR built to a unit's profile. */
#ifndef CTK_REGEN_H
#define CTK_REGEN_H

#include <stdint.h>

#include <openssl/x509.h>

/* Serials are 16 bytes, first byte 0x40..0x7F: positive, always 32 hex digits. */
#define REGEN_SERIAL_LEN 16

struct regen_key {
	char	 type[8];	/* "rsa" or "ec" */
	int	 bits;		/* RSA modulus bits */
	char	 curve[16];	/* "P-256", "P-384", "P-521" */
};

struct regen_req {
	const X509_NAME		*subject;	/* borrowed */
	const X509_EXTENSION	*san_ext;	/* copied from the old certificate, or NULL */
	const char		*san;		/* OpenSSL syntax ("DNS:a,IP:10.0.0.1"), or NULL */
	const char		*bc, *ku, *eku;	/* OpenSSL syntax; NULL or "none": left out */
	int64_t			 not_before;
	int64_t			 days;		/* notAfter = notBefore + days * 86400 - 1 */
	uint8_t			 serial[REGEN_SERIAL_LEN];
};

/* The type and size of x's key into k ("rsa" 2048, "ec" P-256...). 0, or -1 when neither RSA nor EC. */
int regen_key_of(const X509 *x, struct regen_key *k);
/* Parse "rsa"/"ec" with bits or curve into k. 0, or -1 with *why set. */
int regen_key_set(struct regen_key *k, const char *type, int bits, const char *curve,
    const char **why);
/* "RSA-2048", "EC-P256" into out; returns out. */
char *regen_key_desc(const struct regen_key *k, char *out, size_t outlen);
/* The signature digest: "sha384" for P-384, "sha512" for P-521, else "sha256". */
const char *regen_digest(const struct regen_key *k);
/* A new private key (EVP_PKEY_free), or NULL after a diagnostic. */
EVP_PKEY *regen_keygen(const struct regen_key *k);
/* Fill serial with random bytes, first byte 0x40..0x7F. 0 or -1 (diagnosed). */
int regen_serial(uint8_t serial[REGEN_SERIAL_LEN]);
/*
 * The self-signed certificate for r signed by key with digest md: serial,
 * validity, extensions (basicConstraints, keyUsage, extendedKeyUsage, SAN,
 * subjectKeyIdentifier, authorityKeyIdentifier). X509_free; NULL after a diagnostic.
 */
X509 *regen_cert(const struct regen_req *r, EVP_PKEY *key, const char *md);
/* A CSR with r's subject and extensions (serial and validity unused). X509_REQ_free; NULL after a diagnostic. */
X509_REQ *regen_csr(const struct regen_req *r, EVP_PKEY *key, const char *md);
/*
 * A name from OpenSSL's -subj form "/CN=host/O=Example" ('\\' escapes '/'),
 * UTF-8 values. X509_NAME_free; NULL with *why set when malformed.
 */
X509_NAME *regen_name(const char *s, const char **why);
/* A copy of name with its (first) CN set to cn, added when absent. NULL on failure. */
X509_NAME *regen_name_cn(const X509_NAME *name, const char *cn);
/* PEM text of a certificate, CSR or private key (type 'c', 'r', 'k'): malloc'd, *len set; NULL on failure. */
char *regen_pem(int type, const void *obj, size_t *len);

#endif
