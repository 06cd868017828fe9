/* when.h: the reference clock (--now, SOURCE_DATE_EPOCH) and UTC time text. */
#ifndef CTK_WHEN_H
#define CTK_WHEN_H

#include <stdint.h>
#include <time.h>

/*
 * The times X.509 can encode (GeneralizedTime's four-digit years):
 * 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z.
 */
#define WHEN_MIN	(-62167219200LL)
#define WHEN_MAX	253402300799LL

/*
 * "YYYY-MM-DDTHH:MM:SSZ" (a real calendar time: no February 30, no second 60)
 * or "@UNIXSECONDS" within WHEN_MIN..WHEN_MAX, to seconds; 0, or -1 if not.
 */
int when_parse(const char *s, int64_t *t);
/* "7", "0.5", "30.25" days into seconds (rounded); 0, or -1 when not a number >= 0. */
int when_days(const char *s, int64_t *secs);
/*
 * The reference time: opt (a --now value) when not NULL, else SOURCE_DATE_EPOCH
 * when set, else the clock. 0, or -1 after a diagnostic naming the bad value
 * (malformed, not a real calendar time, or outside WHEN_MIN..WHEN_MAX).
 */
int when_now(const char *opt, int64_t *t);
/* Seconds since the epoch of a broken-down UTC date, without the TZ games of mktime. */
int64_t when_timegm(int year, int mon, int day, int hour, int min, int sec);
/* "2027-01-01T00:00:00Z" into out (at least 32 bytes); returns out. */
char *when_iso(int64_t t, char *out);
/* A UTC broken-down time for t (years 0..9999 and beyond via 64 bits). */
void when_gmtime(int64_t t, struct tm *tm);

#endif
