/* regenrun.h: a cert-regen run over one store: CUCM's refusals, the jobs loaded, built and listed as changes. */
#ifndef CTK_REGENRUN_H
#define CTK_REGENRUN_H

#include <stdint.h>

#include "cucm/plan.h"
#include "regen/regenjob.h"
#include "store/txn.h"

struct regenrun {
	const char		*store;
	const char		*import, *chain;	/* --import CERT [--chain FILE] */
	struct regenjob_opts	 job;		/* job.now: the reference time; job.version */
	int			 csr, force, mixed;
};

/*
 * Load, check and build the job of every unit (r has n slots), and add its file
 * changes to t and the services it touches to pl. 0 or -1 (diagnosed).
 */
int regenrun_prepare(const struct regenrun *o, char **units, int n, struct regenjob *r,
    struct txn *t, struct plan *pl);
/* 1 when store is a directory (else diagnosed); pl->mixed from o->mixed or a CTLFile.tlv in it. */
int regenrun_store_ok(const struct regenrun *o, const char *store, struct plan *pl);
/* 1 when unit is among the n units (case as CUCM's CLI: ignored). */
int regenrun_named(char **units, int n, const char *unit);
/*
 * The pairs CUCM's rules forbid in one run (both ITL signers; CallManager and TVS
 * before 12.0) where the store has both certificates already (a new store's
 * units are made in one run: no phone trusts any yet) unless o->force: 0, or -1 (diagnosed, saying what to do instead).
 */
int regenrun_refused(const struct regenrun *o, char **units, int n);

#endif
