/* report.h: cert-expiry's output formats: table, JSON, Nagios, Prometheus, CUCM alarms. */
#ifndef CTK_REPORT_H
#define CTK_REPORT_H

#include <stdio.h>

#include "report/reportbase.h"
#include "x509/expiry.h"

/* Start a report; --syslog connects to the socket here: -1 (said on stderr) when it cannot. */
int report_init(struct report *r, enum report_fmt fmt, FILE *fp, const struct expiry *ex);
void report_cert(struct report *r, const struct report_cert *rc);
/* A certificate left out on purpose: reason "exclude" (match: the GLOB) or "exclude-serial". */
void report_skip(struct report *r, const struct report_cert *rc, const char *reason,
    const char *match);
void report_error(struct report *r, const char *file, const char *why);
/* An entry a walk left out unread (a symbolic link): counted, and listed in JSON's "skipped". */
void report_skip_file(struct report *r, const char *file, const char *why);
/*
 * A signed file (.sgn) whose signer certificate (serial, hex) has expired or is
 * no certificate of the store or cluster any more (why): a finding of its own.
 */
void report_stale(struct report *r, const char *node, const char *file, const char *serial,
    const char *why);
/* Write what was held back (table, closing JSON, Nagios line, Prometheus); -1 if out of memory. */
int report_end(struct report *r);
void report_free(struct report *r);

#endif
