/*
 * regenopts.h: cert-regen's options, what its main fills and lib/regen/regencmd
 * runs: the store run's own (struct regenrun, its units' overrides in run.job) and
 * the mode (one store, --list-backups, --cluster), the prompt and the report's.
 */
#ifndef CTK_REGENOPTS_H
#define CTK_REGENOPTS_H

#include "regen/regenrun.h"

struct regenopts {
	struct regenrun	 run;		/* -s, --import, --chain, --csr, -f, --mixed; run.job:
					   the unit overrides, --cucm-version (0: not given),
					   job.now set by regencmd from now */
	const char	*now;		/* --now (when_now), or NULL: the clock */
	const char	*restore;	/* -r BACKUP|last; with --cluster: -r STEP|last */
	const char	*output;	/* -o FILE: the CSR, or NULL: out */
	const char	*cluster;	/* --cluster DIR, or NULL: one store */
	int		 sflag;		/* -s given: a restore stays in run.store */
	int		 dry, json, quiet, yes;	/* -n, -j, -q, -y */
	int		 plan, runbook, list;	/* --plan, --runbook, --list-backups */
	int		 check;		/* --check STEP, or 0 */
	int		 wait;		/* --wait: seconds for a store's lock */
};

#endif
