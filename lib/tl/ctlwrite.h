/* ctlwrite.h: build and sign CTL/ITL files (../shared/FORMAT.md) in CUCM's or certutils' layout. */
#ifndef CTK_CTLWRITE_H
#define CTK_CTLWRITE_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "core/buf.h"
#include "tl/ctl.h"
#include "x509/der.h"

enum {
	CTLW_CUCM,		/* header 01 02 03{04 05 06} ...; record tags 1..10; CUCM names */
	CTLW_CERTUTILS		/* header 01 02 1C 03{04 06 05} ...; record tags 1,3,5,6,4,7,8,9 */
};

struct ctlw_rec {
	size_t	 off, len;	/* the record's bytes in the writer's buffer */
	int	 function;	/* FUNCTION, -1 when a copied record has none */
	size_t	 cert, certlen;	/* its CERTIFICATE's bytes in the buffer; certlen 0: none */
};

struct ctlw {
	int		 layout;
	struct buf	 recs;		/* the records, back to back, in file order */
	struct ctlw_rec	*rv;
	size_t		 nrec;
	/*
	 * A writer that streams (lib/tl/ctlwritestream.c) hands the records out
	 * as they are made: base is the record bytes written out before recs[0]
	 * (rv's offsets count from the first record), added is called after
	 * each record with its index; 0, or -1 with *why. NULL: all in recs.
	 */
	size_t		 base;
	int		(*added)(struct ctlw *w, size_t i, const char **why);
	void		*stream;
};

struct ctlw_opts {
	const char	*filename;	/* FILENAME: "ITLFile.tlv" or "CTLFile.tlv" */
	const char	*digest;	/* "sha1", "sha256" or "sha512" */
	int		 digest_code;	/* DIGESTALGORTITHM written */
	int		 modulus_code;	/* SIGNATUREMODULUS written; -1: from the key size */
	unsigned	 signer_version;	/* tag 0x1C (certutils layout): major << 8 | minor */
	uint32_t	 timestamp;
	size_t		 signer;	/* index of the signing SAST record */
	unsigned	 version;	/* header version: major << 8 | minor; 0: 1.2 */
	const uint8_t	*extra;		/* header TLVs after TIMESTAMP (an .enc.sgn's 16, 26, 27) */
	size_t		 nextra;
	EVP_PKEY	*encrypt_for;	/* sgnw_file: the payload encrypted for this phone (2.0) */
};

void ctlw_init(struct ctlw *w, int layout);
void ctlw_free(struct ctlw *w);
/*
 * Append a record for the DER certificate der[0..len) with the role function;
 * dns NULL writes no DNSNAME, ip NULL no IPADDRESS. 0, or -1 with *why a
 * static reason (not a certificate, a name or record too long for its 16-bit
 * length ...).
 */
int ctlw_add(struct ctlw *w, const uint8_t *der, size_t len, int function, const char *dns,
    const uint8_t ip[4], const char **why);
/* ctlw_add for a certificate the caller parsed already: dc holds der's fields (spans into der). */
int ctlw_add_parsed(struct ctlw *w, const uint8_t *der, size_t len, const struct der_cert *dc,
    int function, const char *dns, const uint8_t ip[4], const char **why);
/* Append record i of the parsed file c byte for byte. 0, or -1 with *why. */
int ctlw_add_raw(struct ctlw *w, const struct ctl *c, size_t i, const char **why);
struct ctlw_key {
	EVP_PKEY	*pkey;		/* borrowed */
	unsigned char	*spki;		/* its SubjectPublicKeyInfo, DER */
	size_t		 nspki;
	size_t		 sigbytes;	/* the signature's length */
	int		 bits;
};

/*
 * Prepare the signing key pkey (borrowed; RSA only: no signature algorithm
 * code is known for others) once for any number of files. 0, or -1 with *why.
 * ctlw_key_free() in either case.
 */
int ctlw_key_init(struct ctlw_key *k, EVP_PKEY *pkey, const char **why);
void ctlw_key_free(struct ctlw_key *k);
/*
 * Index of the first SAST record whose certificate holds k's public key (and,
 * when want is not NULL, is the DER certificate want[0..wantlen)); -1 if none.
 */
int ctlw_find_signer(const struct ctlw *w, const struct ctlw_key *k, const uint8_t *want,
    size_t wantlen);
/*
 * Write the whole file into out (emptied first): header in w's layout, the
 * records, and the RSA PKCS#1 v1.5 signature by k over the file with the
 * SIGNATURE TLV cut out. w's records' buffer becomes out (no copy of the
 * file): w holds no records afterwards, only ctlw_free. The signer's name, serial and issuer are copied from
 * its record. Then check the file as a phone would: it parses into c (which
 * borrows out; ctl_free it in any case), its header names record o->signer,
 * and the signature verifies. 0, or -1 with *why a static reason (no modulus
 * code for the key size, header too long, signing failed ...).
 */
int ctlw_sign(struct ctlw *w, const struct ctlw_opts *o, const struct ctlw_key *k,
    struct buf *out, struct ctl *c, const char **why);
/*
 * The file header + body[0..blen) into out (emptied first), signed by k:
 * header in layout with the signer's name, serial and issuer id[0..2] (TLV
 * values), FILENAME, TIMESTAMP, version, digest and modulus codes from o,
 * padded to a multiple of 4; the signature (RSA PKCS#1 v1.5 over the file
 * with the SIGNATURE TLV cut out) is checked after signing. What ctlw_sign
 * and the signed-file writer (lib/tl/sgnwrite.c) share. 0, or -1 with *why.
 */
int ctlw_sign_body(struct buf *out, int layout, const struct ctlw_opts *o,
    const struct tlv id[3], const struct ctlw_key *k, const uint8_t *body, size_t blen,
    const char **why);
/*
 * The pieces ctlw_sign is made of, for the streaming writer: the subject,
 * serial and issuer TLVs of record i (still in w->recs), NULL or why not;
 * the header (up to its padding, HEADERLENGTH set) into h, emptied first, its
 * SIGNATURE tag at *sigoff, 0 or -1 with *why; and the signature by k of the
 * digest md into sig[0..k->sigbytes), checked, NULL or why not.
 */
const char *ctlw_signer_id(const struct ctlw *w, size_t i, struct tlv id[3]);
int ctlw_header(struct buf *h, int layout, const struct ctlw_opts *o, const struct tlv id[3],
    const struct ctlw_key *k, size_t *sigoff, const char **why);
const char *ctlw_sign_md(uint8_t *sig, const struct ctlw_opts *o, const struct ctlw_key *k,
    const uint8_t *md, size_t mdlen);
/* 1 when the DER certificate der[0..len) holds k's public key. */
int ctlw_key_matches(const struct ctlw_key *k, const uint8_t *der, size_t len);
/* SIGNATUREMODULUS code for an RSA key of bits bits (512, 1024, 2048, 4096), -1 otherwise. */
int ctlw_modulus_code(int bits);

#endif
