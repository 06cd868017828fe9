/* regencmd.h: cert-regen's run as its main calls it: one store (a regeneration, --csr, --import, --restore), --list-backups, or --cluster. */
#ifndef CTK_REGENCMD_H
#define CTK_REGENCMD_H

#include <stdio.h>

#include "regen/regenopts.h"

#define REGENCMD_MAXJOBS 16	/* units in one store run */

/*
 * Run what o asks for on units (n of them, at most REGENCMD_MAXJOBS for a store
 * run; node:unit with --cluster): --cluster to lib/regen/regencl, else the
 * store's backups listed, or its change made under its lock once confirmed
 * (the CLI's prompt on stderr, its answer on stdin), the CSR to o->output, the
 * report (or the CSR) on out. Sets o->run.job.now. The exit status: 0, 1 or 2.
 */
int regencmd(struct regenopts *o, char **units, int n, FILE *out);

#endif
