/*
 * clcheck.c: between two steps of a live rollover the cluster is known only
 * by what it serves: each TFTP node's fetched trust lists are judged against
 * the ones phones hold (history), as the plan expected and as a phone would;
 * only a step that checks out is adopted into the key-less stores.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/x509.h>

#include "core/afile.h"
#include "core/diag.h"
#include "core/io.h"
#include "cucm/clserved.h"
#include "cucm/cucm.h"
#include "cucm/phonesgn.h"
#include "regen/clcheck.h"
#include "regen/regen.h"
#include "core/path.h"
#include "store/txn.h"
#include "tl/sgn.h"

static const char *const kinds[2] = { "ITLFile.tlv", "CTLFile.tlv" };

/* The step's units: "NODE:UNIT" operands, all on one node. 0, or -1 (diagnosed). */
static int
parse_ops(struct clcheck *k, char **ops, int nops)
{
	char node[CLUSTER_NAME];
	const char *colon;
	int i, u, n;

	for (i = 0; i < nops; i++) {
		if ((colon = strchr(ops[i], ':')) == NULL || colon - ops[i] >= CLUSTER_NAME) {
			warnf("%s: want NODE:UNIT, the step's units as the plan lists them", ops[i]);
			return -1;
		}
		snprintf(node, sizeof(node), "%.*s", (int)(colon - ops[i]), ops[i]);
		if ((n = cluster_find(k->c, node)) < 0 || (i > 0 && (size_t)n != k->node)) {
			warnf("%s: %s", ops[i], n < 0 ? "no such node" : "a step changes one node");
			return -1;
		}
		for (u = 0; cucm_units[u] != NULL && strcasecmp(cucm_units[u], colon + 1) != 0; u++)
			continue;
		if (cucm_units[u] == NULL || k->nunits == CLCHECK_UNITS) {
			warnf("%s: unknown unit", ops[i]);
			return -1;
		}
		k->node = (size_t)n;
		k->units[k->nunits++] = cucm_units[u];
	}
	return nops > 0 ? 0 : (warnf("--check: the step's units (NODE:UNIT ...) are missing"), -1);
}

/* NNN of a history entry "NNN-name", or -1. */
static int
hist_step(const char *entry, const char *name)
{
	size_t nl = strlen(name);

	if (strlen(entry) != nl + 4 || strcmp(entry + 4, name) != 0 || entry[3] != '-' ||
	    strspn(entry, "0123456789") != 3)
		return -1;
	return atoi(entry);
}

/*
 * The history of f: what phones hold, the newest file kept before the step
 * (NNN < step: a step that changed nothing may have gone unchecked; one that
 * did shows as an unexpected change), and the step's own name. A later step
 * checked already is refused.
 */
static int
history(struct clcheck *k, struct clcheck_file *f, const char *tftpdir)
{
	char **names = NULL, *h = path_join(tftpdir, "history", NULL), want[300];
	size_t i, n = 0;
	int rc = -1, s, prev = -1, late = -1;

	if (h == NULL || (path_isdir(h) && path_list(h, 0, &names, &n) != 0))
		goto out;
	for (i = 0; i < n; i++)
		if ((s = hist_step(names[i], f->name)) > k->step && late < 0)
			late = (int)i;
		else if (s >= 0 && s < k->step && s > prev)
			prev = s;
	snprintf(want, sizeof(want), "%03d-%s", prev >= 0 ? prev : 0, f->name);
	if ((f->prevpath = path_join(h, want, NULL)) == NULL)
		goto out;
	snprintf(want, sizeof(want), "%03d-%s", k->step, f->name);
	if ((f->histpath = path_join(h, want, NULL)) == NULL)
		goto out;
	if (late >= 0)
		warnf("%s/%s: a later step was checked already", h, names[late]);
	else if (prev < 0 || !path_isreg(f->prevpath))
		warnf("%s: no such file: keep what is served before step 1 there first "
		    "(--runbook does)", f->prevpath);
	else
		rc = 0;
out:
	path_list_free(names, n);
	free(h);
	return rc;
}

/* Read and parse node i's fetched file f and the one before it; a damaged fetched file is said in f. */
static int
load_file(struct clcheck *k, size_t i, struct clcheck_file *f)
{
	struct ctl_verify cv;

	if ((f->path = path_join(k->c->v[i].tftpdir, f->name, NULL)) == NULL)
		return -1;
	if (!path_isreg(f->path)) {
		if (f->name == kinds[1])
			return 0;	/* this node serves no CTL */
		warnf("%s: no such file: fetch what %s serves first", f->path, k->c->v[i].name);
		return -1;
	}
	if (history(k, f, k->c->v[i].tftpdir) != 0 || ctl_load(f->prevpath, &f->pbuf, &f->pct) != 0 ||
	    (f->buf = io_slurp(f->path, IO_MAX, &f->len)) == NULL)
		return -1;
	if (ctl_parse(&f->ct, f->buf, f->len) != 0 || f->ct.damaged) {
		snprintf(f->problem, sizeof(f->problem), "%s at byte %zu", f->ct.err, f->ct.err_off);
		warnf("%s: %s", f->path, f->problem);
		return f->ct.oom ? -1 : 0;
	}
	f->parsed = 1;
	if (!(f->verified = ctl_verify(&f->ct, &cv)))
		snprintf(f->problem, sizeof(f->problem), "does not verify: %s", cv.error);
	if (path_isreg(f->histpath)) {
		uint8_t *h;
		size_t hl;

		if ((h = io_slurp(f->histpath, IO_MAX, &hl)) == NULL)
			return -1;
		f->kept = hl == f->len && memcmp(h, f->buf, hl) == 0;
		free(h);
		if (!f->kept) {
			warnf("%s: holds another file: step %d was checked already", f->histpath,
			    k->step);
			return -1;
		}
	}
	return 0;
}

/* The units a served trust list shows, by their clview index. */
static const char *const shown[CLV_N] = {
	[CLV_CM] = "CallManager", [CLV_TVS] = "TVS", [CLV_CAPF] = "CAPF", [CLV_ITLREC] = "ITLRecovery"
};

/*
 * The certificates s shows for key-less nodes over w's: the cluster as those
 * files show it (served files first: they are what the live nodes hold).
 * record: each one that differs from w's is a change of the step.
 */
static int
show(struct clcheck *k, struct clview *w, const struct clserved *s, int record)
{
	const struct clserved_cert *x;
	struct phone_cert *y, nc;
	size_t i;
	int u;

	for (i = 0; i < k->c->n; i++)
		for (u = 0; u < CLV_N && k->c->v[i].keyless; u++) {
			if ((x = clserved_get(s, i, clserved_unit(shown[u]))) == NULL)
				continue;
			y = &w->v[i].unit[u];
			nc.p = x->der, nc.len = x->len;
			if (y->len > 0 && phone_cert_eq(y, &nc))
				continue;
			if (record && k->nch < sizeof(k->ch) / sizeof(k->ch[0])) {
				memset(&k->ch[k->nch], 0, sizeof(k->ch[0]));
				k->ch[k->nch].node = i, k->ch[k->nch].u = u;
				k->ch[k->nch++].changed = 1;
			}
			if (clview_unit_set(w, i, u, x->der, x->len) != 0)	/* kept indexed */
				return -1;
		}
	return 0;
}

/* The trust lists before the step (fetched 0) or the fetched ones that verify (1), as a served set. */
static int
served_set(struct clcheck *k, struct clserved *s, int fetched)
{
	const struct cluster *c = k->c;
	char **p = calloc(2 * c->n, sizeof(char *));	/* node i: ITL at p[i], CTL at p[n + i] */
	struct clcheck_file *f;
	size_t i;
	int rc = -1;

	memset(s, 0, sizeof(*s));
	if (p != NULL) {
		for (i = 0; i < 2 * c->n; i++) {
			f = &k->f[i];
			if (f->path != NULL && f->prevpath != NULL)
				p[i % 2 * c->n + i / 2] = fetched ? (f->parsed && f->verified ?
				    f->path : NULL) : f->prevpath;
		}
		rc = cluster_served(c, s, p, p + c->n);
	}
	free(p);
	return rc;
}

/* 1 when node i's ITL (ctl 0) or the CTL (1) differs between the two views, 0, or -1. */
static int
differs(const struct clview *a, const struct clview *b, size_t i, int ctl)
{
	struct phone_itl x, y;
	int rc = -1;

	memset(&x, 0, sizeof(x));
	memset(&y, 0, sizeof(y));
	if ((ctl ? clview_ctl(a, &x) : clview_itl(a, i, &x)) == 0 &&
	    (ctl ? clview_ctl(b, &y) : clview_itl(b, i, &y)) == 0)
		rc = !phone_itl_same(&x, &y);
	phone_itl_free(&x);
	phone_itl_free(&y);
	return rc;
}

/* The change (node, u) in k->ch, added when new; NULL when full. */
static struct clcheck_unit *
change(struct clcheck *k, size_t node, int u)
{
	size_t i;

	for (i = 0; i < k->nch; i++)
		if (k->ch[i].node == node && k->ch[i].u == u)
			return &k->ch[i];
	if (k->nch == sizeof(k->ch) / sizeof(k->ch[0]))
		return NULL;
	memset(&k->ch[k->nch], 0, sizeof(k->ch[0]));
	k->ch[k->nch].node = node, k->ch[k->nch].u = u;
	return &k->ch[k->nch++];
}

/* What the step is expected to change: the plan's simulation of its units on the view before. */
static int
expect(struct clcheck *k, const struct clserved *now)
{
	struct clcheck_unit *x;
	struct clview e;
	size_t i;
	int j, u, d, rc = -1;

	if (clview_dup(&e, &k->before) != 0)
		goto out;
	for (j = 0; j < k->nunits; j++)
		if ((u = clview_unit(k->units[j])) >= 0) {
			if (clview_regen(&e, k->node, u) != 0 || (x = change(k, k->node, u)) == NULL)
				goto out;
			x->expect = 1;
		}
	for (i = 0; i < 2 * k->c->n; i++) {
		if (k->f[i].path == NULL || k->f[i].prevpath == NULL)
			continue;
		if ((d = differs(&k->before, &e, i / 2, (int)(i % 2))) < 0)
			goto out;
		k->f[i].expect = d;
	}
	for (i = 0; i < k->nch; i++)
		k->ch[i].seen = k->ch[i].changed || clserved_get(now, k->ch[i].node,
		    clserved_unit(shown[k->ch[i].u])) != NULL;
	rc = 0;
out:
	clview_free(&e);
	return rc;
}

/* The cluster before the step (its files then, the stores), after it (the fetched files), expected. */
static int
views(struct clcheck *k)
{
	struct clserved prev, now, keep = k->c->served;
	int rc = -1;

	memset(&prev, 0, sizeof(prev));
	memset(&now, 0, sizeof(now));
	if (served_set(k, &prev, 0) != 0 || served_set(k, &now, 1) != 0)
		goto out;
	k->c->served = prev;	/* gaps of the key-less stores: from the files phones hold */
	rc = clview_load(&k->before, k->c, k->mixed);
	k->c->served = keep;
	if (rc != 0 || show(k, &k->before, &prev, 0) != 0 || clview_dup(&k->after, &k->before) != 0 ||
	    show(k, &k->after, &now, 1) != 0 || expect(k, &now) != 0)
		rc = -1;
out:
	clserved_free(&prev);
	clserved_free(&now);
	if (rc != 0)
		warnf("%s: out of memory", k->c->dir);
	return rc;
}

/*
 * Mixed mode: the CTL phones of node i hold when they take its new ITL and
 * signed files (they fetch the CTL first): the fetched one, else the one
 * before; NULL outside mixed mode.
 */
static const struct ctl *
held(const struct clcheck *k, size_t i)
{
	const struct clcheck_file *f = &k->f[2 * i + 1];

	if (f->path == NULL || f->prevpath == NULL)
		return NULL;
	return f->parsed && f->verified ? &f->ct : f->pbuf != NULL ? &f->pct : NULL;
}

/* Each fetched trust list against the one before: changed, and how a phone takes it. */
static int
judge(struct clcheck *k)
{
	struct clcheck_file *f;
	struct phone_itl a, b;
	size_t i;
	int rc = 0;

	for (i = 0; i < 2 * k->c->n && rc == 0; i++) {
		f = &k->f[i];
		if (f->path == NULL || !f->parsed)
			continue;
		memset(&a, 0, sizeof(a));
		memset(&b, 0, sizeof(b));
		if (phone_itl_from_ctl(&a, &f->pct) != 0 || phone_itl_from_ctl(&b, &f->ct) != 0)
			rc = -1;
		else {
			f->changed = !phone_itl_same(&a, &b);
			snprintf(f->signer, sizeof(f->signer), "%s", b.signer_name);
			if (f->changed)
				rc = phone_judge_files(&f->pct, i % 2 == 0 ? held(k, i / 2) :
				    NULL, &f->ct, &k->after, &f->v);
		}
		phone_itl_free(&a);
		phone_itl_free(&b);
	}
	return rc;
}

/* One signed file of node i judged against the node's new ITL it. */
static int
sgn_one(struct clcheck *k, size_t i, const struct ctl *it, const char *name)
{
	struct clcheck_sgn *g;
	struct sgn_verdict v;
	struct ctl s;
	uint8_t *buf = NULL;
	char *p;
	size_t len;
	int kind, rc = -1;

	memset(&s, 0, sizeof(s));
	memset(&v, 0, sizeof(v));
	if ((g = realloc(k->sg, (k->nsg + 1) * sizeof(*g))) == NULL)
		return -1;
	k->sg = g;
	g = &k->sg[k->nsg];
	memset(g, 0, sizeof(*g));
	if ((g->name = strdup(name)) == NULL)
		return -1;
	g->node = i;
	k->nsg++;
	if ((p = path_join(k->c->v[i].tftpdir, name, NULL)) == NULL ||
	    (buf = io_slurp(p, IO_MAX, &len)) == NULL)
		goto out;
	kind = sgn_parse_any(&s, buf, len);
	if ((kind != SGN_SIGNED && kind != SGN_ENCRYPTED) || s.damaged)
		snprintf(g->why, sizeof(g->why), "not a signed file: %s at byte %zu",
		    s.damaged ? s.err : "a trust list", s.err_off);
	else if (phonesgn_judge(it, held(k, i), &s, &k->after, &v) != 0)
		goto out;
	else if (!(g->accepted = v.verified))
		snprintf(g->why, sizeof(g->why), "%s", v.why[0] != '\0' ? v.why :
		    v.error != NULL ? v.error : "rejected");
	else {
		g->path = v.path;
		snprintf(g->via, sizeof(g->via), "%s", v.via);
	}
	rc = 0;
out:
	ctl_free(&s);
	free(buf);
	free(p);
	return rc;
}

/* Every tftp/NAME.sgn each TFTP node serves, judged against its fetched ITL (when it parsed). */
static int
sgns(struct clcheck *k)
{
	char **names = NULL, *p;
	size_t i, m, n, l;
	int rc = 0;

	for (i = 0; i < k->c->n && rc == 0; i++) {
		if (k->f[2 * i].path == NULL || !k->f[2 * i].parsed)
			continue;
		n = 0;
		if (path_list(k->c->v[i].tftpdir, 0, &names, &n) != 0)
			return -1;
		for (m = 0; m < n && rc == 0; m++) {
			l = strlen(names[m]);
			if (l < 5 || strcmp(names[m] + l - 4, ".sgn") != 0 ||
			    (p = path_join(k->c->v[i].tftpdir, names[m], NULL)) == NULL)
				continue;
			if (path_isreg(p))
				rc = sgn_one(k, i, &k->f[2 * i].ct, names[m]);
			free(p);
		}
		path_list_free(names, n);
		names = NULL;
	}
	return rc;
}

/* 0 go on, 1 stop (something phones would not take, or not as the plan expects), 2 trouble. */
static void
decide(struct clcheck *k)
{
	const struct clcheck_file *f;
	size_t i;

	k->verdict = 0;
	for (i = 0; i < 2 * k->c->n; i++) {
		f = &k->f[i];
		if (f->path == NULL || f->prevpath == NULL)
			continue;
		if (!f->parsed)
			k->verdict = 2;
		else if (k->verdict == 0 && (!f->verified || f->changed != f->expect ||
		    (f->changed && !f->v.accepted)))
			k->verdict = 1;
	}
	for (i = 0; i < k->nch && k->verdict == 0; i++)
		if (k->ch[i].changed != k->ch[i].expect && k->ch[i].seen)
			k->verdict = 1;
	for (i = 0; i < k->nsg && k->verdict == 0; i++)
		if (!k->sg[i].accepted)
			k->verdict = 1;
}

/* s += ", item" (or "item"), bounded. */
static void
list_add(char *s, size_t n, const char *a, const char *b)
{
	size_t len = strlen(s);

	snprintf(s + len, n - len, "%s%s%s", len > 0 ? ", " : "", a, b);
}

/* Node i's changed units written into its key-less store: one change, the old files backed up. */
static int
adopt_node(struct clcheck *k, size_t i, int64_t now)
{
	const struct phone_cert *x;
	const unsigned char *d;
	struct txn t;
	char rel[64], *pem = NULL, *dir;
	X509 *cert;
	size_t m, len;
	int rc = 0;

	txn_init(&t, k->c->v[i].dir, "cert-regen");
	for (m = 0; m < k->nch && rc == 0; m++) {
		if (k->ch[m].node != i || !k->ch[m].changed)
			continue;
		x = &k->after.v[i].unit[k->ch[m].u];
		d = x->p;
		cert = d2i_X509(NULL, &d, (long)x->len);
		snprintf(rel, sizeof(rel), "%s/%s.pem", shown[k->ch[m].u], shown[k->ch[m].u]);
		dir = path_join(k->c->v[i].dir, shown[k->ch[m].u], NULL);
		rc = cert == NULL || (pem = regen_pem('c', cert, &len)) == NULL || dir == NULL ||
		    (path_mkdirs(dir, 0755) != 0 && !path_isdir(dir)) ||
		    txn_put(&t, rel, pem, len, 0644) != 0 ? -1 : 0;
		if (rc == 0) {
			list_add(k->adopted, sizeof(k->adopted), k->c->v[i].name, "/");
			snprintf(k->adopted + strlen(k->adopted), sizeof(k->adopted) -
			    strlen(k->adopted), "%s", rel);
		} else
			warnf("%s: %s: cannot adopt the served certificate", k->c->v[i].dir, rel);
		X509_free(cert);
		free(pem);
		free(dir);
		pem = NULL;
	}
	if (rc == 0 && txn_commit(&t, now) != 0)
		rc = -1;
	txn_free(&t);
	return rc;
}

/* The step checked out: the new certificates adopted, then the fetched files kept as the step's. */
static int
adopt_keep(struct clcheck *k, int64_t now)
{
	const struct clcheck_file *f;
	size_t i;

	for (i = 0; i < k->c->n; i++)
		if (k->c->v[i].keyless && adopt_node(k, i, now) != 0)
			return -1;
	for (i = 0; i < 2 * k->c->n; i++) {
		f = &k->f[i];
		if (f->path == NULL || f->prevpath == NULL || f->kept)
			continue;
		if (afile_write(f->histpath, f->buf, f->len, AFILE_MODE_DEFAULT, 0) != 0)
			return -1;
		list_add(k->kept, sizeof(k->kept), f->histpath + strlen(k->c->dir) +
		    (k->c->dir[strlen(k->c->dir) - 1] == '/' ? 0 : 1), "");
	}
	return 0;
}

int
clcheck_run(struct clcheck *k, struct cluster *c, int step, char **ops, int nops, int64_t now,
    int wait)
{
	const char **dirs = NULL;
	size_t i;
	int rc = -1;

	memset(k, 0, sizeof(*k));
	k->c = c, k->step = step, k->verdict = 2, k->mixed = cluster_mixed(c);
	if (parse_ops(k, ops, nops) != 0)
		return -1;
	if ((k->f = calloc(2 * c->n, sizeof(*k->f))) == NULL ||
	    (k->lk = calloc(c->n, sizeof(*k->lk))) == NULL ||
	    (dirs = calloc(c->n, sizeof(*dirs))) == NULL) {
		warnf("%s: out of memory", c->dir);
		goto out;
	}
	for (i = 0; i < c->n; i++)
		dirs[i] = c->v[i].dir, k->lk[i].fd = -1;
	if (lock_all(k->lk, dirs, c->n, 1, wait, "cert-regen") != 0 || cluster_tftp_safe(c) != 0)
		goto out;
	for (i = 0; i < 2 * c->n; i++) {
		k->f[i].name = kinds[i % 2];
		if (c->v[i / 2].tftp && load_file(k, i / 2, &k->f[i]) != 0)
			goto out;
	}
	if (views(k) != 0 || judge(k) != 0 || sgns(k) != 0)
		goto out;
	decide(k);
	rc = k->verdict == 0 ? adopt_keep(k, now) : 0;
out:
	free(dirs);
	return rc;
}

void
clcheck_free(struct clcheck *k)
{
	struct clcheck_file *f;
	size_t i;

	for (i = 0; k->f != NULL && i < 2 * k->c->n; i++) {
		f = &k->f[i];
		free(f->path);
		free(f->prevpath);
		free(f->histpath);
		ctl_free(&f->ct);
		ctl_free(&f->pct);
		free(f->buf);
		free(f->pbuf);
	}
	for (i = 0; k->lk != NULL && i < k->c->n; i++)
		lock_release(&k->lk[i]);
	for (i = 0; i < k->nsg; i++)
		free(k->sg[i].name);
	free(k->sg);
	free(k->lk);
	free(k->f);
	if (k->before.c != NULL)
		clview_free(&k->before);
	if (k->after.c != NULL)
		clview_free(&k->after);
	memset(k, 0, sizeof(*k));
}
