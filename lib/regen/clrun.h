/* clrun.h: a cluster rollover plan run on the offline stores, each new ITL checked as a phone would. */
#ifndef CTK_CLRUN_H
#define CTK_CLRUN_H

#include <stdint.h>
#include <stdio.h>

#include "core/json.h"
#include "cucm/clplan.h"
#include "cucm/cluster.h"
#include "store/txn.h"
#include "tl/ctlwrite.h"

struct clrun_opts {
	int			 mixed;		/* CTLFile.tlv rebuilt too */
	int64_t			 now;		/* notBefore of the new certificates */
	const struct ctlw_opts	*tl;		/* digest, timestamp and codes of the trust lists */
	FILE			*out;		/* the report, one block per step */
	struct json		*js;		/* -j: the report as one JSON document instead */
	int			 wait;		/* seconds to wait for the node stores' locks */
};

/*
 * Run the safe plan p step by step: regenerate the step's units in its node's
 * store as cert-regen -s does (backup, trust copies), copy new CallManager-trust
 * certificates into every other node's store, rebuild every TFTP node's ITL
 * and, where it changed, judge it against the one served before (phone rule);
 * keep the one served before as tftp/history/<NNN>-ITLFile.tlv and serve the
 * new one. A rejected ITL undoes its step's store changes and stops there.
 * With o->js the report is one JSON document (the plan's keys per step, and
 * what was done: regenerated, backups, sgn counts, result), closed whatever
 * happens. 0 done, 1 stopped at a rejected ITL or signed files left rejected
 * (diagnosed), -1 trouble (diagnosed).
 */
int clrun(const struct cluster *c, const struct clplan *p, const struct clrun_opts *o);

/*
 * Put back the stores a step committed (done[i]: t[i] committed), last node
 * first, each from its transaction's backup; one that cannot be is named
 * with the command that finishes it (the run's and the undo's way back).
 */
void clrun_stores_back(const struct cluster *c, const int *done, const struct txn *t, int64_t now);

#endif
