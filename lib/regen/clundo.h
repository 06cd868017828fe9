/* clundo.h: cert-regen --cluster C -r STEP: a cluster run's steps undone, last first, each as a whole. */
#ifndef CTK_CLUNDO_H
#define CTK_CLUNDO_H

#include <stdint.h>
#include <stdio.h>

#include "cucm/clview.h"
#include "cucm/cluster.h"
#include "store/txn.h"
#include "tl/ctlwrite.h"

struct clundo_opts {
	int		 mixed;		/* a CTL is served too */
	int		 dry;		/* -n: judged and shown, nothing changed */
	int		 force;		/* -f: a file changed since the step is replaced too (kept) */
	int64_t		 now;		/* the undo's backups; TIMESTAMP of re-signed files */
	FILE		*out;		/* the report, one block per step */
	int		 wait;		/* seconds to wait for the node stores' locks */
};

/*
 * Undo the steps of the run CLUSTER/.journal records, from its last live step
 * back to step (a number, or "last": the last live one alone), each as a whole:
 * every node's backup of the step put back (the node whose units changed, the
 * nodes that got CallManager-trust copies), every TFTP node's ITL (and the
 * CTL) put back as served before the step (tftp/history, byte for byte), each
 * judged first with the phone rule against what phones hold now, with the
 * cluster as the step's restores leave it; the signed files re-signed as the
 * run does (lib/regen/clsgn), everything published at once (lib/regen/clpub).
 * A step refused (a phone would reject, an earlier step put back out of order)
 * stops there, nothing of it changed. 0 done, 1 refused, -1 trouble; diagnosed.
 */
int clundo(const struct cluster *c, const char *step, const struct clundo_opts *o);

/*
 * w as the changes t (on node i's store, uncommitted) leave it: certificates
 * of the units a trust list holds set or cleared, trust-store certificates
 * (CallManager-trust, Phone-SAST-trust) added or taken out (a file to be
 * replaced or removed read as it is now). 0, or -1 after a diagnostic.
 */
int clundo_view(struct clview *w, size_t i, const struct txn *t);

#endif
