/*
 * t_when.c: the reference clock's times (lib/core/when: real calendar times X.509 can encode)
 * and expiry thresholds to the second (lib/x509/expiry).
 */
#include <string.h>

#include "core/when.h"
#include "x509/expiry.h"
#include "test.h"

static void
times(void)
{
	static const char *const bad[] = { "2026-02-30T00:00:00Z", "2026-02-29T12:00:00Z",
	    "2026-04-31T00:00:00Z", "2026-01-01T00:00:60Z", "@-9223372036854775808",
	    "@9223372036854775807", "@253402300800", "@-62167219201", "10000-01-01T00:00:00Z",
	    "yesterday", "", "@", "2026-01-01T00:00:00", "2026-01-01 00:00:00Z", "@1e9", NULL };
	const char *const *s;
	int64_t t;
	char iso[32];

	for (s = bad; *s != NULL; s++)
		if (when_parse(*s, &t) != -1)
			t_fail(__FILE__, __LINE__, "\"%s\" parsed as %lld", *s, (long long)t);
	assert_int(when_parse("2024-02-29T23:59:59Z", &t), 0);	/* a leap day is real */
	assert_int(t, 1709251199);
	assert_int(when_parse("@-62167219200", &t), 0);
	assert_int(t, WHEN_MIN);
	assert_str(when_iso(t, iso), "0000-01-01T00:00:00Z");
	assert_int(when_parse("9999-12-31T23:59:59Z", &t), 0);
	assert_int(t, WHEN_MAX);
	assert_int(when_parse("@1798761600", &t), 0);
	assert_str(when_iso(t, iso), "2027-01-01T00:00:00Z");
}

static void
days(void)
{
	int64_t s;

	assert_int(when_days("7", &s), 0);
	assert_int(s, 7 * 86400);
	assert_int(when_days("0.5", &s), 0);
	assert_int(s, 43200);
	assert_int(when_days("6.99999", &s), 0);
	assert_int(s, 604799);
	assert_int(when_days("-1", &s), -1);
	assert_int(when_days("3d", &s), -1);
	assert_int(when_days("x", &s), -1);
}

/* 2027-01-01T00:00:00Z, and a certificate valid from a year before to na */
#define NOW 1798761600
#define NB (NOW - 365 * 86400)

static void
thresholds(void)
{
	struct expiry e;
	int64_t w, c;

	expiry_init(&e, NOW);
	/* exactly 7.0 days left is critical, 7 days and a second is warning */
	assert_int(expiry_state(&e, NULL, NB, NOW + 7 * 86400), EXPIRY_CRITICAL);
	assert_int(expiry_state(&e, NULL, NB, NOW + 7 * 86400 + 1), EXPIRY_WARNING);
	assert_true(expiry_days_left(&e, NOW + 7 * 86400) == 7.0);
	/* warning: 30 days exactly, not a second more */
	assert_int(expiry_state(&e, NULL, NB, NOW + 30 * 86400), EXPIRY_WARNING);
	assert_int(expiry_state(&e, NULL, NB, NOW + 30 * 86400 + 1), EXPIRY_OK);
	/* expired after notAfter, not yet valid before notBefore; both ends count as valid */
	assert_int(expiry_state(&e, NULL, NB, NOW), EXPIRY_CRITICAL);
	assert_int(expiry_state(&e, NULL, NB, NOW - 1), EXPIRY_EXPIRED);
	assert_int(expiry_state(&e, NULL, NOW, NOW + 365 * 86400), EXPIRY_OK);
	assert_int(expiry_state(&e, NULL, NOW + 1, NOW + 365 * 86400), EXPIRY_NOTYET);
	assert_true(expiry_days_left(&e, NOW - 31 * 86400) == -31.0);
	/* fractional thresholds: -c 7.5 takes 7 days and a second in; -w 6.99999 leaves 7.0 out */
	e.crit = 7 * 86400 + 43200;
	assert_int(expiry_state(&e, NULL, NB, NOW + 7 * 86400 + 1), EXPIRY_CRITICAL);
	e.warn = 604799;
	e.crit = 86400;
	assert_int(expiry_state(&e, NULL, NB, NOW + 7 * 86400), EXPIRY_OK);
	expiry_free(&e);
	/* per unit: a later rule for the same unit wins; warning below critical is refused */
	expiry_init(&e, NOW);
	assert_int(expiry_rule_add(&e, "CallManager=200:1"), 0);
	assert_int(expiry_rule_add(&e, "CallManager=100:2"), 0);
	assert_int(expiry_rule_add(&e, "tomcat=1:2"), -1);
	assert_int(expiry_rule_add(&e, "tomcat"), -1);
	expiry_limits(&e, "CallManager", &w, &c);
	assert_int(w, 100 * 86400);
	assert_int(c, 2 * 86400);
	expiry_limits(&e, "tomcat", &w, &c);
	assert_int(w, 30 * 86400);
	assert_int(c, 7 * 86400);
	assert_int(expiry_state(&e, "CallManager", NB, NOW + 99 * 86400), EXPIRY_WARNING);
	assert_int(expiry_state(&e, "tomcat", NB, NOW + 99 * 86400), EXPIRY_OK);
	assert_str(expiry_state_name(EXPIRY_NOTYET), "not-yet-valid");
	expiry_free(&e);
}

static void
not_after(void)
{
	int64_t na;

	assert_int(expiry_not_after(NOW, 1, &na), 0);
	assert_int(na, NOW + 86399);
	/* the certificate cert-regen would make must end by 9999-12-31T23:59:59Z */
	assert_int(expiry_not_after(WHEN_MAX, 1, &na), -1);
	assert_int(expiry_not_after(WHEN_MAX - 1825 * 86400 + 1, 1825, &na), 0);
	assert_int(na, WHEN_MAX);
	assert_int(expiry_not_after(WHEN_MAX - 1825 * 86400 + 2, 1825, &na), -1);
}

const struct t_case t_when[] = {
	{ "when: --now and SOURCE_DATE_EPOCH times: real calendar times X.509 can encode", times },
	{ "when: days, whole and fractional, never negative", days },
	{ "expiry: 7.0 days left is critical, 7 days and a second warning; 30 days; expired, not yet valid; per unit", thresholds },
	{ "expiry: a notAfter days from a time, never past 9999-12-31T23:59:59Z", not_after },
	{ NULL, NULL }
};
