/* expiry.c: thresholds in whole seconds, so "exactly 7.0 days left" compares exactly. */
#include <stdlib.h>
#include <string.h>

#include "core/when.h"
#include "x509/expiry.h"

#define DAY 86400

void
expiry_init(struct expiry *e, int64_t now)
{
	memset(e, 0, sizeof(*e));
	e->now = now;
	e->warn = 30 * DAY;
	e->crit = 7 * DAY;
}

void
expiry_free(struct expiry *e)
{
	size_t i;

	for (i = 0; i < e->nrules; i++)
		free(e->rules[i].unit);
	free(e->rules);
	e->rules = NULL;
	e->nrules = 0;
}

int
expiry_rule_add(struct expiry *e, const char *spec)
{
	struct expiry_rule *r;
	const char *eq, *colon;
	char num[64];
	int64_t w, c;
	size_t n;

	if ((eq = strchr(spec, '=')) == NULL || eq == spec ||
	    (colon = strchr(eq, ':')) == NULL || (size_t)(colon - eq - 1) >= sizeof(num))
		return -1;
	n = (size_t)(colon - eq - 1);
	memcpy(num, eq + 1, n);
	num[n] = '\0';
	if (when_days(num, &w) != 0 || when_days(colon + 1, &c) != 0 || w < c)
		return -1;
	if ((r = realloc(e->rules, (e->nrules + 1) * sizeof(*r))) == NULL)
		return -1;
	e->rules = r;
	r = &e->rules[e->nrules];
	if ((r->unit = strndup(spec, (size_t)(eq - spec))) == NULL)
		return -1;
	r->warn = w;
	r->crit = c;
	e->nrules++;
	return 0;
}

void
expiry_limits(const struct expiry *e, const char *unit, int64_t *warn, int64_t *crit)
{
	size_t i;

	*warn = e->warn;
	*crit = e->crit;
	for (i = e->nrules; unit != NULL && i-- > 0;)
		if (strcmp(e->rules[i].unit, unit) == 0) {
			*warn = e->rules[i].warn;
			*crit = e->rules[i].crit;
			break;
		}
}

enum expiry_state
expiry_state(const struct expiry *e, const char *unit, int64_t nb, int64_t na)
{
	int64_t warn, crit, left = na - e->now;

	if (left < 0)
		return EXPIRY_EXPIRED;
	if (e->now < nb)
		return EXPIRY_NOTYET;
	expiry_limits(e, unit, &warn, &crit);
	if (left <= crit)
		return EXPIRY_CRITICAL;
	if (left <= warn)
		return EXPIRY_WARNING;
	return EXPIRY_OK;
}

double
expiry_days_left(const struct expiry *e, int64_t na)
{
	return (double)(na - e->now) / DAY;
}

int
expiry_not_after(int64_t nb, int64_t days, int64_t *na)
{
	/* Both bounded before multiplying: no overflow, whatever the caller passed. */
	if (nb < WHEN_MIN || nb > WHEN_MAX || days < 0 || days > (WHEN_MAX - WHEN_MIN) / DAY ||
	    nb + days * DAY - 1 > WHEN_MAX)
		return -1;
	*na = days > 0 ? nb + days * DAY - 1 : nb;
	return 0;
}

const char *
expiry_state_name(enum expiry_state st)
{
	static const char *const names[EXPIRY_NSTATES] = {
		[EXPIRY_OK] = "ok", [EXPIRY_WARNING] = "warning", [EXPIRY_CRITICAL] = "critical",
		[EXPIRY_EXPIRED] = "expired", [EXPIRY_NOTYET] = "not-yet-valid",
		[EXPIRY_KEPT] = "kept"
	};

	return names[st];
}
