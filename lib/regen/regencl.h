/* regencl.h: cert-regen --cluster DIR: plan, runbook, check, run or undo a whole-cluster rollover. */
#ifndef CTK_REGENCL_H
#define CTK_REGENCL_H

#include <stdio.h>

#include "regen/regenopts.h"

/*
 * The cluster o->cluster loaded and the mode o asks for run on ops (n units
 * or node:unit): --plan or -n (the plan), --runbook, --check STEP, -r STEP
 * (the undo), else the run (-y, or confirmed). Reports on out (-q: none);
 * the exit status: 0, 1 (not safe, not undone, stop) or 2.
 */
int regencl(const struct regenopts *o, char **ops, int n, FILE *out);

#endif
