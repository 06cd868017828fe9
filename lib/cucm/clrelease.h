/* clrelease.h: a cluster's release: given (--cucm-version), or inferred from who signs its served ITLs. */
#ifndef CTK_CLRELEASE_H
#define CTK_CLRELEASE_H

#include "cucm/cluster.h"

/*
 * Settle c->version (tenths; given: --cucm-version's, 0: not given) and
 * c->vtext, c->vnote. Not given: the served ITLs say the family (CUCM.md,
 * "What changes by release"): signed by ITLRecovery, 12.0 or later (14's
 * rules); by CallManager, before 12.0 (11.5's rules); none served, the
 * default (14). c->vnote is the line saying so (NULL when nothing was
 * inferred). Given and contradicted by a served ITL's signer: a warning on
 * stderr naming both. Never fails: an unreadable ITL is diagnosed and skipped.
 */
void clrelease_settle(struct cluster *c, int given);

#endif
