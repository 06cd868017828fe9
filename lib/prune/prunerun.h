/* prunerun.h: trust-prune's runs: select and remove in one change under the store lock; restore. */
#ifndef CTK_PRUNERUN_H
#define CTK_PRUNERUN_H

#include <stdint.h>

#include "prune/prune.h"
#include "prune/pruneout.h"

/*
 * Select in the trust units of store (units: a NULL-ended list, empty for all) what
 * may go; with po->apply remove it in one transaction (backup and manifest first),
 * under the store lock (shared for a dry run), waiting up to wait seconds for it.
 * The result goes out through po. The exit status: 0 nothing to prune or done,
 * 1 a dry run selected some, 2 trouble (diagnosed).
 */
int prunerun(struct pruneout *po, const char *store, char *const *units,
    const struct prune_opts *o, int wait);
/*
 * Put back what a backup of either tool recorded (bdir, or "last": the newest
 * trust-prune backup of store, "." when NULL, not undone yet; store NULL: the one the
 * manifest names), or with !po->apply say what would be; force: over files changed
 * since, and on a node of a cluster (else refused: clmember.h). Exit status 0, or 2 (diagnosed).
 */
int prunerun_restore(struct pruneout *po, const char *bdir, const char *store, int force,
    int64_t now, int wait);

/* 1 when store is in mixed mode: a CTLFile.tlv in it or in its tftp/ (a cluster node's). */
int prunerun_mixed(const char *store);
/* --list-backups: the store's backups as text or JSON (po->json). Exit status 0, or 2. */
int prunerun_list(struct pruneout *po, const char *store);

#endif
