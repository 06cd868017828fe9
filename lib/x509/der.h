/* der.h: certificate fields read straight from DER with libtasn1, no OpenSSL X509 built. */
#ifndef CTK_DER_H
#define CTK_DER_H

#include <stddef.h>
#include <stdint.h>

struct der_span {
	const uint8_t	*p;	/* borrowed from the caller's buffer; NULL when absent */
	size_t		 len;
};

struct der_cert {
	struct der_span	 tbs;		/* TBSCertificate, whole TLV */
	struct der_span	 serial;	/* INTEGER contents (may start with a 0x00 sign byte) */
	struct der_span	 issuer;	/* Name, whole TLV */
	struct der_span	 subject;	/* Name, whole TLV */
	struct der_span	 spki;		/* SubjectPublicKeyInfo, whole TLV */
	struct der_span	 sigval;	/* signatureValue BIT STRING contents after the unused-bits byte */
	int64_t		 not_before, not_after;	/* seconds since the epoch, UTC */
	size_t		 len;		/* the certificate's own length (der may run on) */
};

/*
 * Walk one DER certificate at der[0..len). Returns NULL, or a static reason
 * ("bad length in tbsCertificate", ...) when it is not a well-formed certificate.
 * No allocation: fast enough for hundreds of thousands of certificates a second.
 */
const char *der_cert_parse(const uint8_t *der, size_t len, struct der_cert *c);
/*
 * Read one TLV at *p (*left bytes): *id gets its identifier octet (class,
 * constructed bit, tag number below 31), *content its value; *p and *left
 * advance past it. 0, or -1 when it is malformed or runs past *left.
 */
int der_next(const uint8_t **p, size_t *left, uint8_t *id, struct der_span *content);
/*
 * A SubjectPublicKeyInfo's parts: the AlgorithmIdentifier's contents (OID, then
 * parameters) and the subjectPublicKey BIT STRING's bits (after its unused-bits
 * byte, which must be 0). 0, or -1 when it does not decode so.
 */
int der_spki(const struct der_span *spki, struct der_span *alg, struct der_span *key);
/* Serial contents without DER's leading 0x00 sign byte. */
struct der_span der_serial_unsigned(const struct der_cert *c);
/*
 * Describe a SubjectPublicKeyInfo as "RSA-2048", "EC-P256", "EC-P384", "EC-P521",
 * "Ed25519", or "unknown"; decoded with the compiled ctk.asn module. Returns out.
 */
char *der_key_desc(const uint8_t *spki, size_t len, char *out, size_t outlen);
/* Bits of an RSA modulus from a DER PKCS#1 RSAPublicKey; 0 if it does not decode. */
int der_rsa_bits(const uint8_t *pkcs1, size_t len);
/*
 * The one serial printer (every tool, every output): a serial as text, in full, from
 * its INTEGER contents p[0..n): hex of its value without sign byte or leading zeros,
 * upper case when upper (show itl's case) else lower, "-" first when it is negative
 * (the magnitude, not the two's complement; RFC 5280 forbids it, so it is flagged,
 * never hidden). The case is the caller's: a file name wants lower, most output upper.
 * malloc'd; NULL when out of memory.
 */
char *der_serial_text(const uint8_t *p, size_t n, int upper);
/* Release the parsed ASN.1 definitions (for leak checkers; optional). */
void der_cleanup(void);

#endif
