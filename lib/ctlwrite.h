/* ctlwrite.h: build and sign CTL/ITL files (../shared/FORMAT.md) in CUCM's or certutils' layout. */
#ifndef CTK_CTLWRITE_H
#define CTK_CTLWRITE_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "buf.h"
#include "ctl.h"

enum {
	CTLW_CUCM,		/* header 01 02 03{04 05 06} ...; record tags 1..10; CUCM names */
	CTLW_CERTUTILS		/* header 01 02 1C 03{04 06 05} ...; record tags 1,3,5,6,4,7,8,9 */
};

struct ctlw_rec {
	size_t	 off, len;	/* the record's bytes in the writer's buffer */
	int	 function;	/* FUNCTION, -1 when a copied record has none */
	X509	*x;		/* its certificate (owned), NULL when it has none */
};

struct ctlw {
	int		 layout;
	struct buf	 recs;		/* the records, back to back, in file order */
	struct ctlw_rec	*rv;
	size_t		 nrec;
};

struct ctlw_opts {
	const char	*filename;	/* FILENAME: "ITLFile.tlv" or "CTLFile.tlv" */
	const char	*digest;	/* "sha1", "sha256" or "sha512" */
	int		 digest_code;	/* DIGESTALGORTITHM written */
	int		 modulus_code;	/* SIGNATUREMODULUS written; -1: from the key size */
	unsigned	 signer_version;	/* tag 0x1C (certutils layout): major << 8 | minor */
	uint32_t	 timestamp;
	size_t		 signer;	/* index of the signing SAST record */
};

void ctlw_init(struct ctlw *w, int layout);
void ctlw_free(struct ctlw *w);
/*
 * Append a record for certificate x (up-referenced, not taken) with the role
 * function; dns NULL writes no DNSNAME, ip NULL no IPADDRESS. 0, or -1 with
 * *why a static reason (a name or record too long for its 16-bit length ...).
 */
int ctlw_add(struct ctlw *w, X509 *x, int function, const char *dns, const uint8_t ip[4],
    const char **why);
/* Append record i of the parsed file c byte for byte. 0, or -1 with *why. */
int ctlw_add_raw(struct ctlw *w, const struct ctl *c, size_t i, const char **why);
/*
 * Index of the first SAST record whose certificate matches key's public key
 * (and, when want is not NULL, is want itself); -1 when none does.
 */
int ctlw_find_signer(const struct ctlw *w, EVP_PKEY *key, const X509 *want);
/*
 * Write the whole file into out (emptied first): header in w's layout, the
 * records, and the RSA PKCS#1 v1.5 signature by key over the file with the
 * SIGNATURE TLV cut out. The signer's name, serial and issuer are copied from
 * its record. 0, or -1 with *why a static reason (no modulus code for the key
 * size, not an RSA key, header too long, a signing failure ...).
 */
int ctlw_sign(const struct ctlw *w, const struct ctlw_opts *o, EVP_PKEY *key,
    struct buf *out, const char **why);
/* SIGNATUREMODULUS code for an RSA key of bits bits (512, 1024, 2048, 4096), -1 otherwise. */
int ctlw_modulus_code(int bits);

#endif
