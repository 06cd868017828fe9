/* expiry.h: days left, warning/critical thresholds (per unit too) and a certificate's state. */
#ifndef CTK_EXPIRY_H
#define CTK_EXPIRY_H

#include <stddef.h>
#include <stdint.h>

enum expiry_state {
	EXPIRY_OK, EXPIRY_WARNING, EXPIRY_CRITICAL, EXPIRY_EXPIRED, EXPIRY_NOTYET,
	EXPIRY_KEPT,		/* past the warning date but kept on purpose (a bundled CA) */
	EXPIRY_NSTATES
};

struct expiry_rule {
	char	*unit;
	int64_t	 warn, crit;		/* seconds */
};

struct expiry {
	int64_t			 now;
	int64_t			 warn, crit;	/* seconds; defaults 30 and 7 days */
	struct expiry_rule	*rules;
	size_t			 nrules;
};

/* Defaults: warning 30 days, critical 7, no rules. */
void expiry_init(struct expiry *e, int64_t now);
void expiry_free(struct expiry *e);
/*
 * Add "UNIT=WARN:CRIT" (a later rule for the same unit wins); 0, or -1 when
 * malformed or WARN < CRIT.
 */
int expiry_rule_add(struct expiry *e, const char *spec);
/* The thresholds that apply to unit (NULL: the defaults). */
void expiry_limits(const struct expiry *e, const char *unit, int64_t *warn, int64_t *crit);
/*
 * The state at e->now: expired after notAfter, not yet valid before notBefore,
 * critical when at most crit seconds are left, warning when at most warn.
 */
enum expiry_state expiry_state(const struct expiry *e, const char *unit, int64_t nb, int64_t na);
/* Days from now to na (negative once expired). */
double expiry_days_left(const struct expiry *e, int64_t na);
/*
 * *na = the notAfter of a certificate valid days from nb (nb + days * 86400 - 1);
 * 0, or -1 when either end falls outside what X.509 encodes (WHEN_MIN..WHEN_MAX).
 */
int expiry_not_after(int64_t nb, int64_t days, int64_t *na);
/* "ok", "warning", "critical", "expired", "not-yet-valid", "kept". */
const char *expiry_state_name(enum expiry_state st);

#endif
