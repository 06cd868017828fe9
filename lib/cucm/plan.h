/* plan.h: what the administrator must do after certificates changed: restarts and follow-ups (CUCM.md). */
#ifndef CTK_PLAN_H
#define CTK_PLAN_H

#include <stdio.h>

#include "core/json.h"

#define PLAN_MAX 32

struct plan {
	const char	*units[PLAN_MAX];	/* own units or trust stores changed, borrowed */
	int		 removed[PLAN_MAX];	/* 1: certificates were removed from this trust store */
	int		 n;
	int		 mixed;			/* cluster in mixed mode: the CTL needs an update */
	int		 version;		/* CUCM release (tenths), 0: the default */
	char		 own[PLAN_MAX][64];	/* plan_add_path's unit names */
};

/* Note a changed unit or trust store (removed: certificates were taken out of it). */
void plan_add(struct plan *p, const char *unit, int removed);
/* Note the unit of a store path ("CAPF-trust/x.pem" -> "CAPF-trust"), copied. */
void plan_add_path(struct plan *p, const char *rel, int removed);
/*
 * The restarts, one "restart: SERVICE (WHERE)" line each, deduplicated, then
 * "next: ..." lines for the follow-ups (ITL, TFTP, mixed mode, LSCs, CSCut58407, DRS).
 */
void plan_text(const struct plan *p, FILE *fp);
/* The same as "restarts": [{service, where, units}], "followups": [text] members of the open object. */
void plan_json(const struct plan *p, struct json *j);

#endif
