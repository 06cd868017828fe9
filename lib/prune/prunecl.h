/* prunecl.h: trust-prune over several node stores at once (--cluster) and --delete, undone as a whole. */
#ifndef CTK_PRUNECL_H
#define CTK_PRUNECL_H

#include <stddef.h>
#include <stdint.h>

#include "prune/prune.h"
#include "prune/pruneout.h"

struct prunecl_node {
	const char	*name;		/* the node, or NULL for a store of its own (no node column) */
	const char	*store;
};

struct prunecl_opts {
	const char	*cluster;	/* --cluster DIR (for the output), or NULL */
	const char	*del;		/* --delete UNIT-trust/NAME, or NULL: prune */
	int		 mixed;		/* the store or cluster is in mixed mode */
	int		 force, wait;
};

/*
 * Select (or, with co->del, the one named file) in every node's trust units
 * (units: NULL-ended, empty for all), protecting what the nodes' served ITL
 * and CTL (STORE/tftp/, STORE/) hold; a replicated store's copy goes on no
 * node unless it goes on every node holding it. With po->apply (always for
 * --delete unless a dry run), remove in one change per node under every
 * node's lock, every node's backup under one name; a failure on one node
 * undoes the others. --delete refuses a protected file unless co->force.
 * Exit status: 0 done or nothing to do, 1 a dry run that would remove some, 2
 * trouble (diagnosed; nothing changed).
 */
int prunecl_run(struct pruneout *po, const struct prunecl_node *nodes, size_t n,
    char *const *units, struct prune_opts *o, const struct prunecl_opts *co);
/*
 * Undo as a whole: STORE/.backup/NAME on every node that has it (arg: NAME or
 * a path ending in it, or "last": the newest trust-prune change of any node
 * not undone), each restored (co->force: over changed files), every node's
 * restore backup under one name. With !po->apply, say what would be. 0 or 2.
 */
int prunecl_restore(struct pruneout *po, const struct prunecl_node *nodes, size_t n,
    const char *arg, const struct prunecl_opts *co, int64_t now);

#endif
