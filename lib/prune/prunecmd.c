/* prunecmd.c: trust-prune's modes to their runs: prunerun for one store, prunecl for a cluster and --delete. */
#include <stdlib.h>
#include <string.h>

#include "core/diag.h"
#include "core/json.h"
#include "core/when.h"
#include "cucm/cluster.h"
#include "prune/prunecl.h"
#include "prune/prunecmd.h"
#include "prune/pruneout.h"
#include "prune/prunerun.h"
#include "tl/ctlset.h"

/* --cluster (prune, --delete, -r) and --delete: every node's store, or -s alone. */
static int
nodes_run(struct prunecmd *c, struct pruneout *po, char **units)
{
	struct prunecl_opts co = { .cluster = c->cluster, .del = c->del, .force = c->force,
	    .wait = c->wait };
	struct prunecl_node one = { NULL, c->store }, *v = &one;
	struct cluster cl;
	size_t i, n = 1;
	int rc = EXIT_TROUBLE;

	memset(&cl, 0, sizeof(cl));
	if (c->cluster != NULL) {
		if (cluster_load(&cl, c->cluster, c->version) != 0 ||
		    (v = calloc(cl.n + 1, sizeof(*v))) == NULL)
			goto out;
		for (i = 0; i < cl.n; i++)
			v[i] = (struct prunecl_node){ cl.v[i].name, cl.v[i].dir };
		n = cl.n;
		co.mixed = cluster_mixed(&cl);
	} else
		co.mixed = prunerun_mixed(c->store);
	po->apply = c->del != NULL || c->backup != NULL ? !c->dry : c->apply;
	if (c->backup != NULL)
		rc = prunecl_restore(po, v, n, c->backup, &co, c->o.now);
	else
		rc = prunecl_run(po, v, n, units, &c->o, &co);
out:
	if (v != &one)
		free(v);
	cluster_free(&cl);
	return rc;
}

/* The CTL/ITL files of --keep-in or --unused-by into s; 0 or -1 (diagnosed). */
static int
sets(struct ctlset *s, char **paths, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (ctlset_add(s, paths[i]) != 0)
			return -1;
	return 0;
}

int
prunecmd(struct prunecmd *c, char **units, FILE *out)
{
	struct ctlset keepin = CTLSET_ZERO, unusedby = CTLSET_ZERO;
	struct json js;
	struct pruneout po = { .out = out, .j = &js, .json = c->json, .quiet = c->quiet,
	    .verbose = c->verbose, .apply = c->apply, .version = c->version };
	int rc = EXIT_TROUBLE;

	json_init(&js, out);
	c->o.all = c->verbose || c->json;
	if (when_now(c->now, &c->o.now) != 0 || sets(&keepin, c->keepin, c->nk) != 0 ||
	    sets(&unusedby, c->unusedby, c->nu) != 0)
		goto out;
	c->o.keepin = c->nk > 0 ? &keepin : NULL;
	c->o.unusedby = c->nu > 0 ? &unusedby : NULL;
	if (c->cluster != NULL || c->del != NULL)
		rc = nodes_run(c, &po, units);
	else if (c->list)
		rc = prunerun_list(&po, c->store);
	else if (c->backup != NULL) {
		po.apply = !c->dry;
		rc = prunerun_restore(&po, c->backup, c->sflag ? c->store : NULL, c->force,
		    c->o.now, c->wait);
	} else
		rc = prunerun(&po, c->store, units, &c->o, c->wait);
out:
	c->o.keepin = c->o.unusedby = NULL;	/* freed here: c outlives them */
	ctlset_free(&keepin);
	ctlset_free(&unusedby);
	return rc;
}
