/* reportcmd.c: cert-expiry's run: an unreachable syslog leaves the table of what would have gone, and trouble. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/afile.h"
#include "core/diag.h"
#include "core/opt.h"
#include "core/path.h"
#include "cucm/cluster.h"
#include "report/reportcmd.h"

void
reportcmd_init(struct reportcmd *c)
{
	memset(c, 0, sizeof(*c));
	c->fmt = REPORT_TABLE;
	c->depth = -1;
	expiry_init(&c->ex, 0);
	reportscan_init(&c->rs, &c->rep, &c->ex);
}

/*
 * --cluster NAME: a label, or when NAME/nodes is a file, the cluster to walk
 * (its release matters not here). 0 (cl->n 0: none), 1 (with -s: diagnosed,
 * a usage error), or -1 (diagnosed).
 */
static int
clusterdir(const struct reportcmd *c, struct cluster *cl)
{
	char *nodes;
	int is;

	if (c->cluster == NULL)
		return 0;
	if ((nodes = path_join(c->cluster, "nodes", NULL)) == NULL)
		return -1;
	is = path_isreg(nodes);
	free(nodes);
	if (!is)
		return 0;
	if (c->store != NULL) {
		warnf("--cluster %s: a cluster directory: its nodes' stores, no -s", c->cluster);
		return 1;
	}
	return cluster_load(cl, c->cluster, 0);
}

/* Walk, report, and write -o FILE; the exit status. */
static int
run(struct reportcmd *c, char **files, const struct cluster *cl, FILE *out)
{
	enum report_fmt fmt = c->fmt;
	struct report *rep = &c->rep;
	struct afile af;
	int rc, trouble, nosyslog = 0;

	if (c->output != NULL && afile_open(&af, c->output, AFILE_MODE_DEFAULT) != 0)
		return fmt == REPORT_NAGIOS ? NAGIOS_UNKNOWN : EXIT_TROUBLE;
	if (report_init(rep, fmt, c->output != NULL ? af.fp : out, &c->ex) != 0) {
		/* no syslog: say so, and print the table of what would have gone */
		nosyslog = 1;
		report_free(rep);
		report_init(rep, fmt = REPORT_TABLE, c->output != NULL ? af.fp : out, &c->ex);
	}
	rep->all = c->all;
	rep->verbose = c->verbose || (c->output == NULL && isatty(fileno(out)));
	rep->node = c->node;
	rep->cluster = c->cluster;
	if (cl->n > 0) {	/* --cluster DIR: every node, each finding with its node */
		rep->nodes = 1;
		reportscan_cluster(&c->rs, c->pass, cl);
		if (*files != NULL)
			reportscan_walk(&c->rs, c->pass, NULL, c->depth, files);
	} else
		reportscan_walk(&c->rs, c->pass, c->store, c->depth, files);
	trouble = report_end(rep) != 0;
	if (trouble)
		warnf("out of memory");
	if (c->output != NULL && (trouble ? (afile_abort(&af), -1) : afile_commit(&af, 1)) != 0)
		trouble = 1;
	if (diag_flush_stdout() != 0 || rep->syslog_failed || nosyslog)
		trouble = 1;
	rc = reportscan_status(rep, fmt, trouble);
	report_free(rep);
	return rc;
}

int
reportcmd(struct reportcmd *c, char **files, FILE *out)
{
	struct cluster cl;
	int rc = EXIT_TROUBLE, r;

	memset(&cl, 0, sizeof(cl));
	if ((r = clusterdir(c, &cl)) == 1)
		rc = opt_usage();
	else if (r == 0)
		rc = run(c, files, &cl, out);
	cluster_free(&cl);
	return rc;
}

void
reportcmd_free(struct reportcmd *c)
{
	expiry_free(&c->ex);
	reportscan_free(&c->rs);
}
