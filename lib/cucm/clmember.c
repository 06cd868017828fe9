/* clmember.c: a node's store restored alone leaves the other nodes' copies: the tools ask first. */
#include <libgen.h>
#include <stdlib.h>
#include <string.h>

#include "core/diag.h"
#include "cucm/clmember.h"
#include "cucm/cluster.h"
#include "core/path.h"

/* The parent directory of path, as path spells it ("a/b" -> "a", "b" -> ".", "." -> ".."). */
static char *
parent(const char *path)
{
	char *c = strdup(path), *p = NULL;
	size_t n;

	if (c == NULL)
		return NULL;
	while ((n = strlen(c)) > 1 && c[n - 1] == '/')
		c[n - 1] = '\0';
	if (strcmp(c, ".") == 0)
		p = strdup("..");
	else if (strcmp(c, "..") == 0)
		p = strdup("../..");
	else
		p = strdup(dirname(c));
	free(c);
	return p;
}

int
clmember_of(const char *store, char **cluster)
{
	struct cluster c;
	char *real = NULL, *nodes = NULL, *dir = NULL, *name;
	int rc = -1;

	*cluster = NULL;
	if ((real = realpath(store, NULL)) == NULL) {
		warnf("%s:", store);
		return -1;
	}
	name = strrchr(real, '/') + 1;
	if ((dir = parent(store)) == NULL || (nodes = path_join(dir, "nodes", NULL)) == NULL) {
		warnf("%s: out of memory", store);
		goto out;
	}
	rc = 0;
	if (*name == '\0' || !path_isreg(nodes))
		goto out;
	/* the release matters not here: only the names are read */
	if (cluster_load(&c, dir, 0) != 0)
		rc = -1;
	else if (cluster_find(&c, name) >= 0) {
		rc = 1;
		*cluster = dir;
		dir = NULL;
	}
	cluster_free(&c);
out:
	free(real);
	free(nodes);
	free(dir);
	return rc;
}

int
clmember_refuse(const char *store, const char *tool)
{
	char *cl;
	int rc = clmember_of(store, &cl);

	if (rc < 0)
		warnf("%s: a node of a cluster whose nodes file is unreadable? nothing restored "
		    "(-f restores this store alone)", store);
	else if (rc > 0)
		warnf("%s: a node of the cluster %s: its other nodes keep what the change copied "
		    "to them; undo the change cluster-wide with %s --cluster %s -r, or give -f to "
		    "restore this store alone: nothing restored", store, cl, tool, cl);
	free(cl);
	return rc != 0 ? -1 : 0;
}
