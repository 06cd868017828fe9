/* reportscan.h: cert-expiry's walk: each certificate found, named, left out or judged, into a report. */
#ifndef CTK_REPORTSCAN_H
#define CTK_REPORTSCAN_H

#include <stddef.h>

#include "core/buf.h"
#include "report/report.h"
#include "x509/expiry.h"

struct reportscan {
	struct report		*rep;
	const struct expiry	*ex;
	int			 check_bundled;	/* Cisco's bundled CAs alert too */
	char			**globs, **serials;	/* --exclude, --exclude-serial (reportscan_serial) */
	size_t			 nglobs, nserials;
	/* private */
	const char		*operand;	/* the operand being walked */
	int			 in_store;	/* walking -s STORE: the directory names are units */
	struct buf		 src;		/* a "Source:" line, parsed */
	const char		*node;		/* --cluster: the node being walked */
	int			 no_tftp;	/* --cluster: served files wait for every node's units */
	struct buf		 seen;		/* SHA-256 of own certificates and served records */
	struct buf		 owns;		/* serial and notAfter of each own certificate */
};

void reportscan_init(struct reportscan *rs, struct report *rep, const struct expiry *ex);
/* Append a copy of s to a list (globs, serials); 0, or -1 out of memory. */
int reportscan_add(char ***v, size_t *n, const char *s);
/*
 * A serial as the user wrote it (hex, ":" between bytes, "0x") into buf as
 * upper case without leading zeros, the form excluded serials are compared in;
 * 0, or -1 when it is not hex or does not fit.
 */
int reportscan_serial(const char *s, char *buf, size_t size);
/*
 * Every certificate of STORE (store NULL: none; its directory names are units), then
 * of each operand of the NULL-ended argv ("-" is stdin; none and no store: stdin),
 * into rs->rep. pass: the PKCS#12 password, or NULL.
 */
void reportscan_walk(struct reportscan *rs, const char *pass, const char *store, long depth,
    char **argv);
struct cluster;
/*
 * --cluster: every node's store (as -s), then every node's served files
 * (NODE/tftp/, one level), each finding carrying its node. In a store's
 * tftp/, a served ITL's or CTL's record is reported once per certificate (not
 * when an own certificate or another copy was) and with no unit; signed files
 * (.sgn) hold no certificate.
 */
void reportscan_cluster(struct reportscan *rs, const char *pass, const struct cluster *c);
/* The exit status: Nagios' codes with --nagios; kept and left-out certificates never count. */
int reportscan_status(const struct report *rep, enum report_fmt fmt, int trouble);
void reportscan_free(struct reportscan *rs);

#endif
