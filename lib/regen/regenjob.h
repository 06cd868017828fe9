/* regenjob.h: one unit of an offline store regenerated: read it, build the new pair, list the file changes. */
#ifndef CTK_REGENJOB_H
#define CTK_REGENJOB_H

#include <stdint.h>

#include <openssl/x509.h>

#include "cucm/profile.h"
#include "regen/regen.h"
#include "store/txn.h"

#define REGENJOB_TRUST 4

struct trustidx;

/* Overrides from the command line; NULL or 0 keeps what CUCM does. */
struct regenjob_opts {
	const char	*subject, *san, *host, *keytype, *curve, *bc, *ku, *eku;
	char		*trust[REGENJOB_TRUST];	/* with ntrust >= 0: these stores instead (opt_list's) */
	int		 ntrust;		/* -1: the profile's trust stores */
	long		 bits, days, years;
	int		 version;		/* CUCM release (cucm_version), 0: the default */
	int		 keep;			/* CAPF: keep the old CN */
	int64_t		 now;
};

struct regenjob {
	const struct profile	*p;
	X509			*old;		/* the unit's certificate now, or NULL */
	X509_NAME		*subject;
	struct regen_key	 k;
	struct regen_req	 r;
	const char		*trust[REGENJOB_TRUST + 1];	/* NULL-terminated */
	EVP_PKEY		*key;		/* after regenjob_build */
	X509			*cert;
	X509_REQ		*csr;
	X509			*leaf;		/* --import: the CA-signed certificate */
	STACK_OF(X509)		*chain;		/* --import: the rest of its file */
	int			 pending;	/* --import: the key is UNIT.csr.key */
	const char		*days_from;	/* what set r.days: "--days", "--years", "default", "release ..." */
	struct trustidx		*cmtrust;	/* set after load: the store's CallManager-trust index
						   (a cluster run's, kept current), borrowed; NULL: read it */
};

/*
 * Read unit of store (its certificate, and its key checked against it) and
 * settle subject, SAN, key type, validity, extensions and trust copies.
 * 0, or -1 after a diagnostic; regenjob_free in both cases.
 */
int regenjob_load(struct regenjob *j, const char *store, const char *unit,
    const struct regenjob_opts *op);
/* Generate the key, then the self-signed certificate (csr 0) or the CSR (csr 1). 0 or -1 (diagnosed). */
int regenjob_build(struct regenjob *j, int csr);
/*
 * Add to t the file changes of a regeneration: trust copies, key (0600),
 * certificate, then older same-subject trust copies removed (not for CAPF);
 * for a CSR, only UNIT/UNIT.csr.key. 0 or -1 (diagnosed).
 */
int regenjob_changes(struct regenjob *j, struct txn *t, int csr);
/*
 * The trust copy of the new certificate into store ts of another store's t
 * (CallManager-trust is replicated to every node): older same-subject copies
 * leave, except for CAPF. ix: that directory's index (lib/regen/trustidx,
 * loaded on first use; the caller applies each commit to it), or NULL to read
 * the directory. 0 or -1 (diagnosed).
 */
int regenjob_copy(const struct regenjob *j, struct txn *t, const char *ts, struct trustidx *ix);
/*
 * --import: find in certfile the certificate for the pending key (UNIT.csr.key,
 * else UNIT.key), check it (regenimport_check: valid at now, its issuer chain in
 * the unit's trust store or in the chain given: the rest of certfile and
 * chainfile, when not NULL) and add its changes to t: certificate, key, chain
 * into the unit's trust store. 0 or -1 (diagnosed).
 */
int regenjob_import(struct regenjob *j, const char *store, const char *certfile,
    const char *chainfile, int64_t now, struct txn *t);
/* Trust-store file name: "<CN, spaces as _>_<serial hex>.pem", or "<CN>.pem" for CAPF; NULL when out of memory. */
char *regenjob_trustname(const X509 *x, int capf, char *out, size_t outlen);
void regenjob_free(struct regenjob *j);

#endif
