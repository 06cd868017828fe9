/* reportbase.h: what cert-expiry's format files share: the report, a certificate, its label. */
#ifndef CTK_REPORTBASE_H
#define CTK_REPORTBASE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/buf.h"
#include "core/json.h"
#include "x509/der.h"
#include "x509/expiry.h"

enum report_fmt {
	REPORT_TABLE, REPORT_JSON, REPORT_JSONL, REPORT_NAGIOS, REPORT_PROM,
	REPORT_ALARM, REPORT_SYSLOG, REPORT_QUIET
};

/* The plugin return codes (Nagios plugin guidelines). */
enum nagios_status { NAGIOS_OK, NAGIOS_WARNING, NAGIOS_CRITICAL, NAGIOS_UNKNOWN };

/* The Prometheus gauge families, one per certificate each; NAGIOS_PERF shares the buffers. */
enum report_family { FAM_NOT_AFTER, FAM_NOT_BEFORE, FAM_EXPIRED, FAM_EXPIRES_IN, NFAM };
#define NAGIOS_PERF FAM_NOT_AFTER	/* Nagios: perfdata in fam[0], long output in fam[1] */
#define NAGIOS_LONG FAM_NOT_BEFORE

/* One certificate as the reports see it; everything borrowed for the call. */
struct report_cert {
	const char		*file;		/* path as walked, or as a "Source:" line names it */
	const char		*base;		/* its last component */
	size_t			 index, count;	/* 1-based position in the file; certificates in it */
	int			 record;	/* CTL/ITL record number, 0 for other files */
	const char		*role;		/* CTL/ITL role ("CCM+TFTP"), NULL otherwise */
	const char		*unit;		/* store unit, NULL when none */
	const char		*node;		/* --cluster: the node it was found on, else NULL */
	const char		*type;		/* "own-cert", "trust-cert" or NULL */
	const char		*impact;	/* what breaks when it expires (cucm/impact), or NULL */
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
	int			 verbose;	/* table: the impact column */
	const char		*node, *cluster;	/* alarms; Prometheus labels */
	int			 nodes;		/* --cluster walk: a node column, "node" keys */
	int			 syslog_fd;	/* --syslog: the connected socket, -1 before */
	int			 syslog_failed;	/* a send failed (said once) */
	size_t			 n[EXPIRY_NSTATES];	/* certificates per expiry_state */
	size_t			 nerrors;	/* files that failed */
	size_t			 nskipped;	/* left out: --exclude, or a walk's symbolic links */
	size_t			 nstale;	/* signed files whose signer expired or is gone */
	/* private */
	struct json		 j;
	struct buf		 a, b, c;	/* scratch */
	struct buf		 errs;		/* JSON: "file\0why\0" pairs */
	struct buf		 skipped;	/* JSON: "file\0index\0serial\0reason\0match\0" */
	struct buf		 stale;		/* "node\0file\0serial\0why\0" per stale signed file */
	struct buf		 fam[NFAM];	/* Prometheus families; Nagios perfdata, long output */
	struct report_row	*rows;
	size_t			 nrows, cap;
	int			 oom;
};

/* "path", "path#2" when the file holds several, "path#3(TVS)" for a CTL/ITL record; in r->a. */
const char *reportbase_label(struct report *r, const struct report_cert *rc);
/*
 * The inverse for a "Source:" line: "path#3(TVS)" into file (in out, NUL-terminated),
 * record and role (pointing into out). 0, or -1 when the text is not of that form.
 */
int reportbase_parse_label(const char *s, size_t n, struct buf *out, int *record,
    const char **role);
/* RFC 4514 subject/issuer text in out (reset first): never NULL. */
const char *reportbase_name(struct buf *out, const struct der_span *name);
/* The serial in full, "-" first when negative (der_serial_text); malloc'd, NULL when out of memory. */
char *reportbase_serial(const struct report_cert *rc);

/* The next stale signed file at *off: node ("" none), file, serial, why. 1, or 0 at the end. */
int reportbase_stale(const struct report *r, size_t *off, const char *f[4]);

/* Each format file implements its part; report.c dispatches to them. */
void report_table_cert(struct report *r, const struct report_cert *rc);
int report_table_end(struct report *r);
void report_table_free(struct report *r);
void report_json_begin(struct report *r);
void report_json_cert(struct report *r, const struct report_cert *rc);
void report_json_skip_file(struct report *r, const char *file, const char *why);
void report_json_error(struct report *r, const char *file, const char *why);
void report_json_skip(struct report *r, const struct report_cert *rc, const char *reason,
    const char *match);
void report_json_end(struct report *r);
void report_nagios_cert(struct report *r, const struct report_cert *rc);
void report_nagios_end(struct report *r);
/* Nagios status for the counts. */
enum nagios_status report_nagios_status(const struct report *r);
void report_prom_cert(struct report *r, const struct report_cert *rc);
void report_prom_end(struct report *r);
/* --syslog: connect to the socket ($CERT_EXPIRY_SYSLOG, else /dev/log); 0 or -1 (said). */
int report_alarm_open(struct report *r);
void report_alarm_cert(struct report *r, const struct report_cert *rc);
void report_alarm_stale(struct report *r);
void report_alarm_close(struct report *r);

#endif
