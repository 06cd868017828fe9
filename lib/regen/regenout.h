/* regenout.h: what cert-regen reports: the certificates, the file changes, the backup and the plan. */
#ifndef CTK_REGENOUT_H
#define CTK_REGENOUT_H

#include <stdio.h>

#include "cucm/plan.h"
#include "regen/regenjob.h"
#include "store/txn.h"

struct regenout {
	FILE		*out;		/* the report: stdout */
	const char	*store;
	const char	*restored;	/* --restore's backup, or NULL */
	const char	*csr;		/* the CSR's PEM text, or NULL */
	int		 dry;		/* nothing was changed */
};

/*
 * Text on ro->out: one "regenerated: UNIT serial=... sha256=... notBefore=... notAfter=..."
 * line per certificate ("would regenerate", "imported"), "unconfirmed: UNIT: ..." lines
 * when dry, "put|replace|remove: PATH" per file change, "backup: DIR", then the plan.
 */
void regenout_text(const struct regenout *ro, const struct regenjob *r, int n,
    const struct txn *t, const struct plan *pl);
/* The same as one JSON document on ro->out. */
void regenout_json(const struct regenout *ro, const struct regenjob *r, int n,
    const struct txn *t, const struct plan *pl);

#endif
