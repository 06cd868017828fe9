/* clplan.h: a safe order for a cluster-wide rollover, checked by simulating the phone rule. */
#ifndef CTK_CLPLAN_H
#define CTK_CLPLAN_H

#include <stdio.h>

#include "core/json.h"
#include "cucm/cluster.h"
#include "cucm/phone.h"

#define CLPLAN_UNITS 8

struct clplan_itl {
	int			 changed;	/* the node's ITL changes at this step */
	struct phone_verdict	 v;		/* when changed: how a phone takes it */
};

struct clplan_step {
	size_t			 node;
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
	int			*served;	/* per node: 1 when tftp/ITLFile.tlv was read */
};

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
/* The services to restart for step s, one "SERVICE (WHERE)" per call of fn, deduplicated. */
void clplan_restarts(const struct clplan_step *s, void (*fn)(void *, const char *,
    const char *), void *arg);
/* The plan as text on fp: one block per step, or the change that has no safe way and the ways around. */
void clplan_text(const struct clplan *p, FILE *fp);
/* The same as one JSON document. */
void clplan_json(const struct clplan *p, struct json *j);

#endif
