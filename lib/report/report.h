/* report.h: cert-expiry's output formats: table, JSON, Nagios, Prometheus, CUCM alarms. */
#ifndef CTK_REPORT_H
#define CTK_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/buf.h"
#include "x509/der.h"
#include "x509/expiry.h"
#include "core/json.h"

enum report_fmt {
	REPORT_TABLE, REPORT_JSON, REPORT_JSONL, REPORT_NAGIOS, REPORT_PROM,
	REPORT_ALARM, REPORT_SYSLOG, REPORT_QUIET
};

/* One certificate as the reports see it; everything borrowed for the call. */
struct report_cert {
	const char		*file;		/* path as walked */
	const char		*base;		/* its last component */
	size_t			 index, count;	/* 1-based position in the file; certificates in it */
	int			 record;	/* CTL/ITL record number, 0 for other files */
	const char		*role;		/* CTL/ITL role ("CCM+TFTP"), NULL otherwise */
	const char		*unit;		/* NULL when none */
	const char		*type;		/* "own-cert", "trust-cert" or NULL */
	const uint8_t		*der;
	size_t			 len;
	const struct der_cert	*c;
	enum expiry_state	 st;
	double			 days;		/* days left, fractional */
	int64_t			 warn, crit;	/* thresholds that applied, seconds */
};

struct report_row;

struct report {
	enum report_fmt		 fmt;
	FILE			*fp;
	const struct expiry	*ex;
	int			 all;		/* table: certificates outside the window too */
	const char		*node, *cluster;	/* alarms */
	size_t			 n[5];		/* certificates per expiry_state */
	size_t			 nerrors;	/* files that failed */
	size_t			 nskipped;	/* entries a walk left out (symbolic links) */
	/* private */
	struct json		 j;
	struct buf		 a, b, c;	/* scratch */
	struct buf		 errs;		/* JSON: "file\0why\0" pairs */
	struct buf		 fam[4];	/* Nagios perfdata; Prometheus families */
	struct report_row	*rows;
	size_t			 nrows, cap;
	int			 oom;
};

void report_init(struct report *r, enum report_fmt fmt, FILE *fp, const struct expiry *ex);
void report_cert(struct report *r, const struct report_cert *rc);
void report_error(struct report *r, const char *file, const char *why);
/* An entry left out unread (a symbolic link): counted; JSON says how many ("skipped"). */
void report_skip(struct report *r, const char *file, const char *why);
/* Write what was held back (table, closing JSON, Nagios line, Prometheus); -1 if out of memory. */
int report_end(struct report *r);
void report_free(struct report *r);
/* Nagios status for the counts: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN. */
int report_nagios_status(const struct report *r);

/* Shared by the format files. */
/* "path", "path#2" when the file holds several, "path#3(TVS)" for a CTL/ITL record; in r->a. */
const char *report_label(struct report *r, const struct report_cert *rc);
/* RFC 4514 subject/issuer text in out (reset first): never NULL. */
const char *report_name(struct buf *out, const struct der_span *name);
/* The serial in full, "-" first when negative (der_serial_text); malloc'd, NULL when out of memory. */
char *report_serial(const struct report_cert *rc);

/* One file per format. */
void report_table_cert(struct report *r, const struct report_cert *rc);
int report_table_end(struct report *r);
void report_table_free(struct report *r);
void report_json_begin(struct report *r);
void report_json_cert(struct report *r, const struct report_cert *rc);
void report_json_error(struct report *r, const char *file, const char *why);
void report_json_end(struct report *r);
void report_nagios_cert(struct report *r, const struct report_cert *rc);
void report_nagios_end(struct report *r);
void report_prom_cert(struct report *r, const struct report_cert *rc);
void report_prom_end(struct report *r);
void report_alarm_cert(struct report *r, const struct report_cert *rc);

#endif
