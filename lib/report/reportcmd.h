/* reportcmd.h: cert-expiry's run as its main calls it: the walk (files, a store or a cluster's nodes), the report in its format, -o FILE, the exit status. */
#ifndef CTK_REPORTCMD_H
#define CTK_REPORTCMD_H

#include <stdio.h>

#include "report/report.h"
#include "report/reportscan.h"
#include "x509/expiry.h"

/* What cert-expiry's command line asks for (its main fills it after reportcmd_init). */
struct reportcmd {
	struct expiry		 ex;	/* -w, -c, --threshold, --now */
	struct reportscan	 rs;	/* --check-bundled, --exclude, --exclude-serial */
	enum report_fmt		 fmt;
	const char		*store, *node, *cluster, *output;	/* -s, --node, --cluster, -o */
	const char		*pass;	/* the PKCS#12 password, or NULL */
	long			 depth;	/* --max-depth, -1: no limit */
	int			 all, verbose;	/* -a, -v */
	/* private */
	struct report		 rep;
};

void reportcmd_init(struct reportcmd *c);
/*
 * Walk files (NULL-ended), -s STORE or --cluster DIR's nodes (when DIR/nodes
 * is a file; else NAME is a label), the report on out or -o FILE (written
 * atomically). The exit status (reportscan_status); a cluster directory with -s
 * is a usage error (opt_usage's 2).
 */
int reportcmd(struct reportcmd *c, char **files, FILE *out);
void reportcmd_free(struct reportcmd *c);

#endif
