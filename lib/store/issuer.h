/* issuer.h: which trust certificates an own certificate of the store chains to, by signature. */
#ifndef CTK_ISSUER_H
#define CTK_ISSUER_H

#include <stddef.h>

#include "store/trustset.h"

struct issuer_bad {
	char		*path;		/* STORE/UNIT/UNIT.pem */
	const char	*why;		/* static */
};

struct issuer {
	char			**own;	/* "CallManager/CallManager.pem": the own certificates read */
	size_t			  nown;
	struct issuer_bad	 *bad;	/* the own certificates that could not be read */
	size_t			  nbad;
};

#define ISSUER_ZERO { NULL, 0, NULL, 0 }

/*
 * Read UNIT/UNIT.pem of every non-trust unit of ts->store, then set flag in the
 * keep mask (and issuer_of to the own file's name, owned by is) of every certificate of
 * ts whose public key verifies the signature of an own certificate, or of a
 * certificate already so marked (the whole chain). Names only guide the search:
 * a certificate is marked when its key verifies, never for a matching name.
 * Returns 0, or -1 after a diagnostic when an own certificate could not be read
 * (listed in is->bad; the marks are then incomplete). issuer_free() in either case.
 */
int issuer_mark(struct issuer *is, struct trust_set *ts, unsigned flag);
void issuer_free(struct issuer *is);

#endif
