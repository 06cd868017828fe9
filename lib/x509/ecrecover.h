/* ecrecover.h: the keys an ECDSA certificate signature can verify under, from the signature alone. */
#ifndef CTK_ECRECOVER_H
#define CTK_ECRECOVER_H

#include <stddef.h>
#include <stdint.h>

#include "x509/der.h"

#define ECRECOVER_MAX	4	/* R's x is r or r + n, each with two y */
#define ECRECOVER_PT	133	/* an uncompressed P-521 point */

struct ecrecover {
	const uint8_t	*curve;		/* the curve OID (contents) these keys are on */
	size_t		 ncurve;
	size_t		 n;		/* keys found */
	uint8_t		 pt[ECRECOVER_MAX][ECRECOVER_PT];	/* uncompressed points */
	size_t		 len[ECRECOVER_MAX];
};

/*
 * The curve OID contents and the point of an EC SubjectPublicKeyInfo on a named
 * curve (P-256, P-384, P-521); 0, or -1 for any other key.
 */
int ecrecover_spki(const struct der_span *spki, struct der_span *curve, struct der_span *point);
/*
 * Every public key on the curve (OID contents curve[0..ncurve)) under which the
 * ECDSA signature of the certificate der[0..len) (parsed: c) could verify:
 * a key not among them surely does not verify it (ECDSA public key recovery:
 * Q = r^-1 (sR - eG)). 0 with out filled, or -1 when the certificate is not
 * ECDSA-signed with a known digest, the curve is not one named above, or the
 * signature does not decode: then nothing is known, verify each key.
 */
int ecrecover_keys(const uint8_t *der, size_t len, const struct der_cert *c,
    const uint8_t *curve, size_t ncurve, struct ecrecover *out);

#endif
