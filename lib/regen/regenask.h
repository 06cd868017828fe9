/* regenask.h: the question the CUCM CLI asks before a change, and the CA-signed certificate it does not name. */
#ifndef CTK_REGENASK_H
#define CTK_REGENASK_H

#include "regen/regenjob.h"

/*
 * "WARNING: This operation will WARNING UNIT" per unit, then "Proceed with
 * WHAT (yes|no)? " on stderr, the answer a line of stdin; 0 when it is yes
 * (or without asking when yes is set), else -1 after a diagnostic naming dir.
 */
int regenask(int yes, const char *dir, const char *warning, const char *const *units, int n,
    const char *what);
/* A CA-signed certificate among the n jobs' old ones: said by name, whatever --yes. */
void regenask_ca_signed(const struct regenjob *r, int n);

#endif
