/* plan.c: the restart table and follow-ups of ../shared/CUCM.md, worded once for every tool. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cucm/cucm.h"
#include "cucm/plan.h"

void
plan_add(struct plan *p, const char *unit, int removed)
{
	int i;

	for (i = 0; i < p->n; i++) {
		if (strcasecmp(p->units[i], unit) == 0) {
			p->removed[i] |= removed;
			return;
		}
	}
	if (p->n < PLAN_MAX) {
		p->units[p->n] = unit;
		p->removed[p->n++] = removed;
	}
}

void
plan_add_path(struct plan *p, const char *rel, int removed)
{
	size_t len = strcspn(rel, "/");
	int i;

	if (len >= sizeof(p->own[0]))
		len = sizeof(p->own[0]) - 1;
	for (i = 0; i < p->n; i++)
		if (strncasecmp(p->units[i], rel, len) == 0 && p->units[i][len] == '\0') {
			p->removed[i] |= removed;
			return;
		}
	if (p->n < PLAN_MAX) {
		snprintf(p->own[p->n], sizeof(p->own[0]), "%.*s", (int)len, rel);
		plan_add(p, p->own[p->n], removed);
	}
}

static int
has(const struct plan *p, const char *unit)
{
	int i;

	for (i = 0; i < p->n; i++)
		if (strcasecmp(p->units[i], unit) == 0)
			return 1;
	return 0;
}

/* Call f for every distinct (service, where) with the units asking for it. */
static void
each_restart(const struct plan *p, void (*f)(void *, const struct cucm_restart *,
    const char **, int), void *arg)
{
	const struct cucm_restart *r, *ri;
	const char *who[PLAN_MAX];
	int i, k, m, n, ni, nwho, seen;

	for (i = 0; i < p->n; i++) {
		if ((r = cucm_restarts(p->units[i], &n)) == NULL)
			continue;
		for (k = 0; k < n; k++) {
			if (!cucm_restart_at(&r[k], p->version))
				continue;
			seen = 0;	/* printed already for an earlier unit? */
			for (m = 0; m < i && !seen; m++)
				for (ri = cucm_restarts(p->units[m], &ni); ri != NULL && ni-- > 0; ri++)
					if (strcmp(ri->service, r[k].service) == 0 &&
					    strcmp(ri->where, r[k].where) == 0)
						seen = 1;
			if (seen)
				continue;
			nwho = 0;
			for (m = i; m < p->n; m++)
				for (ri = cucm_restarts(p->units[m], &ni); ri != NULL && ni-- > 0; ri++)
					if (strcmp(ri->service, r[k].service) == 0 &&
					    strcmp(ri->where, r[k].where) == 0)
						who[nwho++] = p->units[m];
			f(arg, &r[k], who, nwho);
		}
	}
}

/* The follow-up sentences that apply, NULL-terminated into v (room for 8). */
static int
followups(const struct plan *p, const char *v[8])
{
	int i, n = 0, itl = 0, csc = 0;

	for (i = 0; i < p->n; i++) {
		itl |= cucm_touches_itl(p->units[i]);
		csc |= p->removed[i] && (strcasecmp(p->units[i], "CAPF-trust") == 0 ||
		    strcasecmp(p->units[i], "CallManager-trust") == 0 ||
		    strcasecmp(p->units[i], "TVS-trust") == 0);
	}
	if (csc)
		v[n++] = "CSCut58407: do not restart devices until the services above were restarted";
	if (itl) {
		v[n++] = "the ITL is rebuilt: reset the phones so that they fetch it";
		v[n++] = "never change the certificates of two TFTP servers at once; do CallManager/TFTP last";
	}
	if (has(p, "CallManager") && has(p, "TVS"))
		v[n++] = "CallManager and TVS changed together: phones may distrust the new ITL (8.x-11.5)";
	if (p->mixed)
		v[n++] = "mixed mode: run utils ctl update CTLFile";
	if (has(p, "CAPF"))
		v[n++] = "CAPF changed: phones with LSCs need new LSCs signed by the new CAPF";
	if (p->n > 0)
		v[n++] = "take a DRS backup (an older backup restored makes phones distrust the ITL)";
	v[n] = NULL;
	return n;
}

static void
text_restart(void *arg, const struct cucm_restart *r, const char **who, int n)
{
	(void)who;
	(void)n;
	fprintf(arg, "restart: %s (%s)\n", r->service, r->where);
}

void
plan_text(const struct plan *p, FILE *fp)
{
	const char *v[8];
	int i;

	each_restart(p, text_restart, fp);
	followups(p, v);
	for (i = 0; v[i] != NULL; i++)
		fprintf(fp, "next: %s\n", v[i]);
}

static void
json_restart(void *arg, const struct cucm_restart *r, const char **who, int n)
{
	struct json *j = arg;
	int i;

	json_obj(j);
	json_kstr(j, "service", r->service);
	json_kstr(j, "where", r->where);
	json_key(j, "units");
	json_arr(j);
	for (i = 0; i < n; i++)
		json_str(j, who[i]);
	json_end(j);
	json_end(j);
}

void
plan_json(const struct plan *p, struct json *j)
{
	const char *v[8];
	int i;

	json_key(j, "restarts");
	json_arr(j);
	each_restart(p, json_restart, j);
	json_end(j);
	json_key(j, "followups");
	json_arr(j);
	followups(p, v);
	for (i = 0; v[i] != NULL; i++)
		json_str(j, v[i]);
	json_end(j);
}
