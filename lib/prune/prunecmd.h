/* prunecmd.h: trust-prune's run as its main calls it: select (and --apply), --delete, -r, --list-backups, on a store or a cluster. */
#ifndef CTK_PRUNECMD_H
#define CTK_PRUNECMD_H

#include <stdio.h>

#include "prune/prune.h"

/* What trust-prune's command line asks for (its main fills it, checked). */
struct prunecmd {
	struct prune_opts o;		/* -e, --allow-mic-roots; now, all and the sets: prunecmd's */
	const char	*store;		/* -s (default ".") */
	const char	*cluster;	/* --cluster DIR, or NULL */
	const char	*backup;	/* -r BACKUP|last, or NULL */
	const char	*del;		/* --delete UNIT-trust/FILE, or NULL */
	const char	*now;		/* --now (when_now), or NULL: the clock */
	char		**keepin, **unusedby;	/* --keep-in, --unused-by files (nk, nu) */
	int		 nk, nu;
	int		 sflag, list, force, dry, apply;	/* -s given, --list-backups, -f, -n, --apply */
	int		 json, quiet, verbose;		/* -j, -q, -v */
	int		 version;	/* --cucm-version (cucm_version), 0: not given */
	int		 wait;		/* --wait: seconds for a store's lock */
};

/*
 * Run what c asks for on units (NULL-ended; empty: every trust unit), the
 * result on out as text or one JSON document. The exit status: 0 nothing to
 * prune or done, 1 a dry run selected some, 2 trouble (diagnosed).
 */
int prunecmd(struct prunecmd *c, char **units, FILE *out);

#endif
