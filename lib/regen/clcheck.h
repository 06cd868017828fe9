/* clcheck.h: cert-regen --cluster --check STEP: what the live cluster serves after a step, judged. */
#ifndef CTK_CLCHECK_H
#define CTK_CLCHECK_H

#include <stdint.h>
#include <stdio.h>

#include "core/json.h"
#include "cucm/cluster.h"
#include "cucm/clview.h"
#include "cucm/phone.h"
#include "store/lock.h"
#include "tl/ctl.h"

#define CLCHECK_UNITS 8

/* One trust list one TFTP node serves (ITLFile.tlv, CTLFile.tlv): before the step and fetched. */
struct clcheck_file {
	const char		*name;		/* static */
	char			*path, *prevpath, *histpath;	/* tftp/NAME, the one before, the step's */
	uint8_t			*buf, *pbuf;
	size_t			 len, plen;
	struct ctl		 ct, pct;
	int			 expect;	/* the step changes it (simulated) */
	int			 changed;	/* the fetched records differ from the ones before */
	int			 parsed, verified, kept;	/* kept: history holds it already */
	struct phone_verdict	 v;		/* changed: how a phone holding the one before takes it */
	char			 signer[128];	/* the fetched file's SIGNERNAME */
	char			 problem[256];	/* does not parse, does not verify: what, at which byte */
};

/* A signed file (tftp/NAME.sgn) judged against its node's new ITL. */
struct clcheck_sgn {
	size_t		 node;
	char		*name;
	int		 accepted;
	const char	*path;			/* "direct", "tvs", or NULL */
	char		 via[64];
	char		 why[512];
};

/* A unit whose certificate a served file shows: expected to change, and whether it did. */
struct clcheck_unit {
	size_t	 node;
	int	 u;				/* CLV_CM ... */
	int	 expect, changed, seen;
};

struct clcheck {
	struct cluster		*c;		/* borrowed */
	int			 step;
	size_t			 node;		/* the step's node */
	const char		*units[CLCHECK_UNITS];	/* the step's units, CUCM's spelling */
	int			 nunits;
	struct clcheck_file	*f;		/* 2 per node: ITL, CTL (TFTP nodes; CTL when served) */
	struct clcheck_sgn	*sg;
	size_t			 nsg;
	struct clcheck_unit	 ch[CLUSTER_MAX * 2];
	size_t			 nch;
	struct clview		 before, after;	/* the cluster as the files before and fetched show it */
	char			 adopted[1024];	/* "NODE/UNIT/UNIT.pem, ..." */
	char			 kept[1024];	/* the history files written */
	int			 verdict;	/* 0 go on, 1 stop, 2 trouble */
	int			 mixed;
	struct lock		*lk;		/* every node store, while the check runs */
};

/*
 * Check step `step` (its units ops, "NODE:UNIT" on one node, as the plan
 * lists them) against what each TFTP node of c serves now (just fetched into
 * NODE/tftp/), judged against the newest file of NODE/tftp/history/ (what
 * phones hold: the newest NNN-NAME with NNN < step). All well: the new certificates
 * are adopted into the key-less stores (one backed-up change per node), and
 * the fetched files kept as history/<step>-NAME. 0 done (k->verdict says
 * what), or -1 after a diagnostic (trouble before anything was judged).
 * clcheck_free in every case.
 */
int clcheck_run(struct clcheck *k, struct cluster *c, int step, char **ops, int nops,
    int64_t now, int wait);
void clcheck_free(struct clcheck *k);
/* The report as text: one line per file, unit and signed file, then go on / stop and the way back. */
void clcheck_text(const struct clcheck *k, FILE *fp);
/* The same as one JSON document. */
void clcheck_json(const struct clcheck *k, struct json *j);

#endif
