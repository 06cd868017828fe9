/* when.c: proleptic Gregorian arithmetic in 64 bits, independent of TZ and locale. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/diag.h"
#include "core/when.h"

/* Howard Hinnant's days_from_civil. */
int64_t
when_timegm(int year, int mon, int day, int hour, int min, int sec)
{
	int64_t y = year - (mon <= 2), era, yoe, doy, doe;

	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (mon + (mon > 2 ? -3 : 9)) + 2) / 5 + day - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return ((era * 146097 + doe - 719468) * 24 + hour) * 3600 + min * 60 + sec;
}

void
when_gmtime(int64_t t, struct tm *tm)
{
	int64_t days = t / 86400, secs = t % 86400, z, era, doe, yoe, doy, mp, y;

	if (secs < 0) {
		secs += 86400;
		days--;
	}
	z = days + 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	memset(tm, 0, sizeof(*tm));
	tm->tm_mday = (int)(doy - (153 * mp + 2) / 5 + 1);
	tm->tm_mon = (int)(mp < 10 ? mp + 2 : mp - 10);
	tm->tm_year = (int)(y + (tm->tm_mon <= 1) - 1900);
	tm->tm_hour = (int)(secs / 3600);
	tm->tm_min = (int)(secs / 60 % 60);
	tm->tm_sec = (int)(secs % 60);
	tm->tm_wday = (int)(((days % 7) + 11) % 7);	/* 1970-01-01 was a Thursday */
}

char *
when_iso(int64_t t, char *out)
{
	struct tm tm;

	when_gmtime(t, &tm);
	/* The % 100u keep the compiler's truncation analysis happy; the fields are in range. */
	snprintf(out, 32, "%04d-%02u-%02uT%02u:%02u:%02uZ", tm.tm_year + 1900,
	    (unsigned)(tm.tm_mon + 1) % 100u, (unsigned)tm.tm_mday % 100u,
	    (unsigned)tm.tm_hour % 100u, (unsigned)tm.tm_min % 100u,
	    (unsigned)tm.tm_sec % 100u);
	return out;
}

static int
digits(const char *s, int n, int *v)
{
	int i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

static int
mdays(int year, int mon)
{
	static const int n[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);

	return n[mon - 1] + (mon == 2 && leap);
}

/* Unix seconds in decimal, within what X.509 encodes (so no later sum overflows). */
static int
seconds(const char *s, int64_t *t)
{
	long long v;
	char *end;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || v < WHEN_MIN || v > WHEN_MAX)
		return -1;
	*t = v;
	return 0;
}

int
when_parse(const char *s, int64_t *t)
{
	int Y, M, D, h, m, sec;

	if (s[0] == '@')
		return seconds(s + 1, t);
	if (strlen(s) != 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' ||
	    s[13] != ':' || s[16] != ':' || s[19] != 'Z' ||
	    digits(s, 4, &Y) || digits(s + 5, 2, &M) || digits(s + 8, 2, &D) ||
	    digits(s + 11, 2, &h) || digits(s + 14, 2, &m) || digits(s + 17, 2, &sec))
		return -1;
	/* POSIX time has no leap seconds: second 60 has no Unix time to become. */
	if (M < 1 || M > 12 || D < 1 || D > mdays(Y, M) || h > 23 || m > 59 || sec > 59)
		return -1;
	*t = when_timegm(Y, M, D, h, m, sec);
	return 0;
}

int
when_days(const char *s, int64_t *secs)
{
	char *end;
	double d;

	errno = 0;
	if (*s == '\0' || *s == '-' || *s == '+' || *s == ' ')
		return -1;
	d = strtod(s, &end);
	if (errno != 0 || *end != '\0' || !(d >= 0) || d > 1e6)
		return -1;
	*secs = (int64_t)(d * 86400 + 0.5);
	return 0;
}

int
when_now(const char *opt, int64_t *t)
{
	const char *sde;

	if (opt != NULL) {
		if (when_parse(opt, t) != 0) {
			warnf("bad time '%s': want a real UTC time YYYY-MM-DDTHH:MM:SSZ or "
			    "@SECONDS, years 0000 to 9999", opt);
			return -1;
		}
		return 0;
	}
	if ((sde = getenv("SOURCE_DATE_EPOCH")) != NULL && *sde != '\0') {
		if (seconds(sde, t) != 0) {
			warnf("bad SOURCE_DATE_EPOCH '%s': want Unix seconds from %lld to %lld "
			    "(years 0000 to 9999)", sde, WHEN_MIN, WHEN_MAX);
			return -1;
		}
		return 0;
	}
	*t = (int64_t)time(NULL);
	return 0;
}
