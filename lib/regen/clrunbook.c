/*
 * clrunbook.c: the plan's steps turned into what the administrator types:
 * CLI lines per node, and host lines that fetch what the nodes serve and
 * check it before the next step. Every host line names the cluster
 * directory as given, quoted for the shell, and writes only under it.
 */
#include <stdlib.h>
#include <string.h>

#include "core/afile.h"
#include "core/diag.h"
#include "core/io.h"
#include "core/out.h"
#include "cucm/cluster.h"
#include "regen/clrunbook.h"
#include "core/path.h"

#define HTTP_PORT 6970	/* CUCM's TFTP service over HTTP */

/* A served file's name a fetch may write: CUCM's (SEP<MAC>.cnf.xml.sgn, ...), nothing a shell or URL reads otherwise. */
static int
safe_name(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && s[0] != '.' && s[0] != '-' && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789._-") == n;
}

static int
add_str(char ***v, size_t *n, char *s)
{
	char **t;

	if (s == NULL || (t = realloc(*v, (*n + 1) * sizeof(*t))) == NULL) {
		free(s);
		return -1;
	}
	*v = t;
	(*v)[(*n)++] = s;
	return 0;
}

/* The signed files node i serves (NODE/tftp/ NAME.sgn), for the check of a step that re-signs them. */
static int
list_sgn(struct clrunbook *rb, size_t i)
{
	const struct cluster *c = rb->p->c;
	char **names = NULL, *f;
	size_t k, n = 0, len;
	int rc = 0;

	if (!c->v[i].tftp || !path_isdir(c->v[i].tftpdir))
		return 0;
	if (path_list(c->v[i].tftpdir, 0, &names, &n) != 0)
		return -1;
	for (k = 0; k < n && rc == 0; k++) {
		len = strlen(names[k]);
		if (len < 5 || strcmp(names[k] + len - 4, ".sgn") != 0)
			continue;
		if ((f = path_join(c->v[i].tftpdir, names[k], NULL)) == NULL)
			rc = -1;
		else if (!safe_name(names[k]))
			warnf("%s: a name no fetch line takes as it is: not fetched by the "
			    "checks (fetch it by hand)", f);
		else if (path_isreg(f))
			rc = add_str(&rb->sgn[i], &rb->nsgn[i], strdup(names[k]));
		free(f);
	}
	path_list_free(names, n);
	return rc;
}

/* NODE/tftp/NAME kept as NODE/tftp/history/000-NAME, unless a 000- copy is there already. */
static int
keep(struct clrunbook *rb, size_t i, const char *name)
{
	const struct cluster *c = rb->p->c;
	char hname[64], *f = NULL, *h = NULL, *dst = NULL;
	uint8_t *buf = NULL;
	size_t len;
	int rc = -1;

	snprintf(hname, sizeof(hname), "000-%s", name);
	if ((f = path_join(c->v[i].tftpdir, name, NULL)) == NULL ||
	    (h = path_join(c->v[i].tftpdir, "history", NULL)) == NULL ||
	    (dst = path_join(h, hname, NULL)) == NULL)
		goto out;
	if (!path_isreg(f) || path_isreg(dst)) {
		rc = 0;
		goto out;
	}
	if ((buf = io_slurp(f, IO_MAX, &len)) == NULL)
		goto out;
	if (path_mkdirs(h, 0755) != 0 && !path_isdir(h)) {
		warnf("%s:", h);
		goto out;
	}
	if (afile_write(dst, buf, len, AFILE_MODE_DEFAULT, 0) == 0 &&
	    add_str(&rb->kept, &rb->nkept, dst) == 0) {
		dst = NULL;
		rc = 0;
	}
out:
	free(buf);
	free(f);
	free(h);
	free(dst);
	return rc;
}

static int
add_cmd(struct clrunbook_step *st, size_t node, const char *cli, const char *arg,
    const char *only)
{
	struct clrunbook_cmd *t;
	char *s = NULL;

	if ((t = realloc(st->cmd, (st->ncmd + 1) * sizeof(*t))) == NULL)
		return -1;
	st->cmd = t;
	if ((s = malloc(strlen(cli) + strlen(arg) + 2)) == NULL)
		return -1;
	sprintf(s, "%s%s%s", cli, *arg != '\0' ? " " : "", arg);
	st->cmd[st->ncmd++] = (struct clrunbook_cmd){ node, s, only };
	return 0;
}

/* The restarts of a step, gathered node by node (the step's node first). */
struct restart {
	const char	*service, *only;
	size_t		 node;
};

struct restarts {
	struct restart	*v;
	size_t		 n;
	int		 err;
};

static void
restart_one(void *arg, const char *service, size_t node, const char *cond)
{
	struct restarts *r = arg;
	struct restart *t;

	if (r->err || (t = realloc(r->v, (r->n + 1) * sizeof(*t))) == NULL) {
		r->err = 1;
		return;
	}
	r->v = t;
	r->v[r->n++] = (struct restart){ service, cond, node };
}

/* The step's CLI lines: set cert regen, the CTL update (mixed), then the restarts per node. */
static int
commands(struct clrunbook *rb, const struct clplan_step *s, struct clrunbook_step *st)
{
	const struct clplan *p = rb->p;
	struct restarts r = { NULL, 0, 0 };
	size_t i, k, node;
	int rc = 0;

	for (k = 0; k < (size_t)s->n && rc == 0; k++)
		rc = add_cmd(st, s->node, "set cert regen", s->units[k], NULL);
	if (rc == 0 && p->mixed && s->ctl.changed)
		rc = add_cmd(st, p->c->pub, "utils ctl update CTLFile", "", NULL);
	clplan_restarts_each(p, s, restart_one, &r);
	for (i = 0; i <= p->c->n && rc == 0 && !r.err; i++) {
		node = i == 0 ? s->node : i - 1;	/* the step's node, then the rest in order */
		if (i > 0 && node == s->node)
			continue;
		for (k = 0; k < r.n && rc == 0; k++)
			if (r.v[k].node == node)
				rc = add_cmd(st, node, "utils service restart", r.v[k].service,
				    r.v[k].only);
	}
	free(r.v);
	return rc == 0 && !r.err ? 0 : -1;
}

/* "curl -fsS -o DIR/NODE/tftp/NAME http://ADDR:6970/NAME": IPv6 bracketed (and curl's globbing off). */
static char *
fetch_line(const struct clrunbook *rb, size_t i, const char *name)
{
	const struct cluster_node *nd = &rb->p->c->v[i];
	char url[CLUSTER_ADDR + 128], *path, *s = NULL;
	size_t len = 0;
	FILE *fp;

	snprintf(url, sizeof(url), nd->family == 6 ? "http://[%s]:%d/%s" : "http://%s:%d/%s",
	    nd->addr, HTTP_PORT, name);
	if ((path = path_join(nd->tftpdir, name, NULL)) == NULL ||
	    (fp = open_memstream(&s, &len)) == NULL) {
		free(path);
		return NULL;
	}
	fputs(nd->family == 6 ? "curl -fsS -g -o " : "curl -fsS -o ", fp);
	out_sh(fp, path);
	fputc(' ', fp);
	out_sh(fp, url);
	free(path);
	if (fclose(fp) != 0) {
		free(s);
		return NULL;
	}
	return s;
}

/*
 * "cert-regen --cluster DIR [--cucm-version V] --check N NODE:UNIT...": the
 * check simulates the step's own units (it neither recomputes nor stores the
 * window's plan), so the line names them.
 */
static char *
check_line(const struct clrunbook *rb, const struct clplan_step *s, size_t n)
{
	const struct cluster *c = rb->p->c;
	char *str = NULL;
	size_t len = 0;
	FILE *fp;
	int k;

	if ((fp = open_memstream(&str, &len)) == NULL)
		return NULL;
	fputs("cert-regen --cluster ", fp);
	out_sh(fp, rb->dir);
	if (c->vnote == NULL)	/* given to --runbook: the check must judge at the same release */
		fprintf(fp, " --cucm-version %s", c->vtext);
	fprintf(fp, " --check %zu", n);
	for (k = 0; k < s->n; k++)
		fprintf(fp, " %s:%s", c->v[s->node].name, s->units[k]);
	if (fclose(fp) != 0) {
		free(str);
		return NULL;
	}
	return str;
}

/*
 * The step's check: every TFTP node's ITL fetched (an ITL the step should
 * not change is fetched too: --check says so when it did), the CTL from each
 * in mixed mode, the signed files of a node whose CallManager changed, then
 * --check N.
 */
static int
checks(struct clrunbook *rb, const struct clplan_step *s, size_t n, struct clrunbook_step *st)
{
	const struct cluster *c = rb->p->c;
	size_t i, k;
	int rc = 0;

	for (i = 0; i < c->n && rc == 0; i++) {
		if (!c->v[i].tftp)
			continue;
		rc = add_str(&st->check, &st->ncheck, fetch_line(rb, i, "ITLFile.tlv"));
		if (rc == 0 && rb->p->mixed)
			rc = add_str(&st->check, &st->ncheck, fetch_line(rb, i, "CTLFile.tlv"));
		for (k = 0; rc == 0 && i == s->node && clplan_resigns(rb->p, s) && k < rb->nsgn[i];
		    k++)
			rc = add_str(&st->check, &st->ncheck, fetch_line(rb, i, rb->sgn[i][k]));
	}
	return rc == 0 ? add_str(&st->check, &st->ncheck, check_line(rb, s, n)) : -1;
}

/* The directory goes into every host line: refused when no one shell line can hold it. */
static int
printable(const char *dir)
{
	size_t n = strlen(dir), k, i;

	for (i = 0; i < n; i += k)
		if ((k = out_utf8len((const uint8_t *)dir + i, n - i)) == 0)
			return 0;
	return 1;
}

int
clrunbook_make(struct clrunbook *rb, const struct clplan *p, const char *dir)
{
	const struct cluster *c = p->c;
	size_t i;

	memset(rb, 0, sizeof(*rb));
	rb->p = p, rb->dir = dir;
	if (!printable(dir)) {
		warnf("%s: a control byte or bad UTF-8 in the cluster directory's name: no "
		    "shell line can name it (rename it)", dir);
		return -1;
	}
	if (!p->safe)
		return 0;
	if ((rb->s = calloc(p->n + 1, sizeof(*rb->s))) == NULL ||
	    (rb->sgn = calloc(c->n, sizeof(*rb->sgn))) == NULL ||
	    (rb->nsgn = calloc(c->n, sizeof(*rb->nsgn))) == NULL)
		goto oom;
	if (cluster_tftp_safe(c) != 0)
		return -1;
	for (i = 0; i < c->n; i++)
		if (list_sgn(rb, i) != 0)
			goto oom;
	for (i = 0; i < p->n; i++)
		if (commands(rb, &p->s[i], &rb->s[i]) != 0 ||
		    checks(rb, &p->s[i], i + 1, &rb->s[i]) != 0)
			goto oom;
	for (i = 0; i < c->n; i++)	/* last: nothing is written for a runbook not printed */
		if (c->v[i].tftp && (keep(rb, i, "ITLFile.tlv") != 0 ||
		    (p->mixed && keep(rb, i, "CTLFile.tlv") != 0)))
			return -1;
	return 0;
oom:
	warnf("%s: out of memory", dir);
	return -1;
}

void
clrunbook_free(struct clrunbook *rb)
{
	size_t i, k;

	for (i = 0; rb->s != NULL && i < rb->p->n; i++) {
		for (k = 0; k < rb->s[i].ncmd; k++)
			free(rb->s[i].cmd[k].cli);
		for (k = 0; k < rb->s[i].ncheck; k++)
			free(rb->s[i].check[k]);
		free(rb->s[i].cmd);
		free(rb->s[i].check);
	}
	for (i = 0; rb->sgn != NULL && rb->nsgn != NULL && i < rb->p->c->n; i++) {
		for (k = 0; k < rb->nsgn[i]; k++)
			free(rb->sgn[i][k]);
		free(rb->sgn[i]);
	}
	for (k = 0; k < rb->nkept; k++)
		free(rb->kept[k]);
	free(rb->kept);
	free(rb->s);
	free(rb->sgn);
	free(rb->nsgn);
	memset(rb, 0, sizeof(*rb));
}
