/* clplan.h: a safe order for a cluster-wide rollover, checked by simulating the phone rule. */
#ifndef CTK_CLPLAN_H
#define CTK_CLPLAN_H

#include <stdio.h>

#include "core/json.h"
#include "cucm/cluster.h"
#include "cucm/phone.h"

#define CLPLAN_UNITS 8

/* A step's verdict on one trust list, kept per step and node: small (256 nodes, 1,000 steps). */
struct clplan_itl {
	int		 changed;	/* the node's ITL changes at this step */
	int		 accepted;	/* when changed: a phone takes it */
	int		 notvs;		/* a CTL taken through TVS: devices without TVS reject it */
	const char	*path;		/* "direct", "tvs" (phone_verdict's), NULL */
	int		 via;		/* the node whose TVS vouches, -1 */
	int		 ctlrec;	/* direct: the record of the CTL phones hold naming the signer, -1 */
};

struct clplan_step {
	size_t			 node;
	struct clplan_itl	 ctl;		/* mixed mode: the cluster's CTL at this step */
	const char		*units[CLPLAN_UNITS];	/* CUCM's spelling, static */
	int			 n;
	int			 reset;		/* phones reset before the next step */
	struct clplan_itl	*itl;		/* one per node; TFTP nodes only */
};

struct clplan {
	const struct cluster	*c;
	struct clplan_step	*s;
	size_t			 n;
	int			 safe;
	char			 why[768];	/* not safe: the change that cannot be made */
	char			 stranded[512];	/* not safe: the groups it strands, ", "-separated */
	int			*served;	/* per node: 1 when tftp/ITLFile.tlv was read */
	int			 mixed;		/* a CTL is served: each step judges it too */
	struct phone_itl	 ctlprev;	/* mixed: the CTL devices hold (while planning) */
	char			 unseen[1024];	/* key-less: "NODE:UNIT, ..." asked for, not seen */
};

/* What devices without TVS do with a CTL only TVS vouches for, and the way back. */
extern const char clplan_notvs[];
/* The two ways around a change that breaks trust anyway (CUCM.md), NULL-terminated. */
extern const char *const clplan_ways_around[];
/*
 * Plan the regeneration of ops ("UNIT": on every node that has it, "NODE:UNIT";
 * none: every own unit of every node), starting from each TFTP node's served
 * tftp/ITLFile.tlv. 0 with p->safe set (1: a safe plan in p->s; 0: none, p->why
 * says which change), or -1 after a diagnostic. clplan_free in every case.
 */
int clplan_make(struct clplan *p, const struct cluster *c, int mixed, char **ops, int nops);
void clplan_free(struct clplan *p);
/*
 * The services to restart after step s at the cluster's release, one call of
 * fn(arg, service, nodes) each: nodes names every node it applies to (", "),
 * never "every node" for one (CUCM.md restart table, by node).
 */
void clplan_restarts(const struct clplan *p, const struct clplan_step *s,
    void (*fn)(void *, const char *, const char *), void *arg);
/*
 * The same restarts one node at a time: fn(arg, service, node, cond) for each
 * node a service applies to, services in clplan_restarts' order; cond is the
 * table's condition ("where SIP OAuth is on") or NULL.
 */
void clplan_restarts_each(const struct clplan *p, const struct clplan_step *s,
    void (*fn)(void *, const char *, size_t, const char *), void *arg);
/* 1 when step s changes the CallManager of TFTP node s->node: the signer of its signed files. */
int clplan_resigns(const struct clplan *p, const struct clplan_step *s);
/* "  reset phones of TFTP node N, M, ..." for the nodes changed[i] names, or "  reset phones: no". */
void clplan_resets(const struct clplan *p, const int *changed, FILE *fp);
/*
 * Key-less: "note: key-less nodes: not planned, ...: NODE:UNIT, ..." when a
 * unit asked for is in no store and no served file (--plan and --runbook).
 */
void clplan_unseen_text(const struct clplan *p, FILE *fp);
/* The plan as text on fp: one block per step, or the change that has no safe way and the ways around. */
void clplan_text(const struct clplan *p, FILE *fp);
/* The same as one JSON document. */
void clplan_json(const struct clplan *p, struct json *j);
/* the plan's keys before "steps"; one restart as an object (a clplan_restarts callback) */
void clplan_json_head(const struct clplan *p, struct json *j);
void clplan_json_restart(void *arg, const char *service, const char *nodes);
void clplan_text_restart(void *arg, const char *service, const char *nodes);

#endif
