/* clplan.c: the seed's rollover rules, kept as hard constraints and checked by simulating phones. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "core/diag.h"
#include "cucm/clitl.h"
#include "cucm/clplan.h"
#include "cucm/clview.h"
#include "cucm/cucm.h"
#include "core/path.h"

#define NU 8	/* cucm_units */

const char *const clplan_ways_around[] = {
	"the enterprise parameter \"Prepare Cluster for Rollback to pre 8.0\": phones get an "
	    "empty ITL and trust any TFTP server (HTTPS services fail meanwhile; every phone "
	    "resets twice); make the change, then set it back",
	"the ITLRecovery path (from 10.0): the old ITLRecovery key signs a transition ITL "
	    "that phones still trust, then the change goes out through it",
	NULL
};

/* Rollover order (CUCM.md): services first, ITLRecovery alone, CAPF/TVS, CallManager/TFTP last. */
static int
uclass(const char *unit)
{
	if (strcmp(unit, "ITLRecovery") == 0)
		return 1;
	if (strcmp(unit, "CAPF") == 0 || strcmp(unit, "TVS") == 0)
		return 2;
	if (strncmp(unit, "CallManager", 11) == 0)
		return 3;
	return 0;
}

/* Mark "UNIT" or "NODE:UNIT" in want[node * NU + unit]. 0 or -1 (diagnosed). */
static int
want_op(const struct cluster *c, const char *op, char *want)
{
	const char *colon = strchr(op, ':'), *unit = colon != NULL ? colon + 1 : op;
	char node[CLUSTER_NAME];
	size_t i, any = 0;
	int u, k = -1;

	for (u = 0; cucm_units[u] != NULL && strcasecmp(cucm_units[u], unit) != 0; u++)
		continue;
	if (cucm_units[u] == NULL) {
		warnf("%s: unknown unit (CallManager, CallManager-ECDSA, CAPF, ipsec, "
		    "ITLRecovery, tomcat, tomcat-ECDSA, TVS)", op);
		return -1;
	}
	if (colon != NULL) {
		snprintf(node, sizeof(node), "%.*s", (int)(colon - op), op);
		if ((k = cluster_find(c, node)) < 0) {
			warnf("%s: no node %s in %s", op, node, c->nodesfile);
			return -1;
		}
	}
	for (i = 0; i < c->n; i++)
		if ((k < 0 || (size_t)k == i) && cluster_has(c, i, cucm_units[u])) {
			want[i * NU + (size_t)u] = 1;
			any++;
		}
	if (any == 0)
		warnf("%s: no node has %s/%s.pem", op, cucm_units[u], cucm_units[u]);
	return any > 0 ? 0 : -1;
}

/* What phones hold now: each TFTP node's served ITL, else the one its store yields. */
static int
served(struct clplan *p, const struct clview *w, struct phone_itl *prev)
{
	struct stat st;
	size_t bytes;
	const struct cluster *c = p->c;
	uint8_t *buf;
	struct ctl ct;
	size_t i;
	char *f;
	int rc;

	for (i = 0; i < c->n; i++) {
		if (!c->v[i].tftp)
			continue;
		if ((f = path_join(c->v[i].tftpdir, "ITLFile.tlv", NULL)) == NULL)
			return -1;
		if (path_isreg(f)) {
			p->served[i] = 1;
			bytes = stat(f, &st) == 0 ? (size_t)st.st_size : 0;
			buf = NULL;
			rc = ctl_load(f, &buf, &ct) == 0 ? phone_itl_from_ctl(&prev[i], &ct) : -1;
			prev[i].file = NULL;	/* judged on identities from here: ct goes */
			ctl_free(&ct);
			free(buf);
		} else {
			bytes = 0;
			rc = clview_itl(w, i, &prev[i]);
		}
		free(f);
		if (rc != 0)
			return -1;
		clitl_size_warn(c->v[i].name, prev[i].n, bytes);
	}
	return 0;
}

/* Mixed mode: the CTL devices hold: the first TFTP node's tftp/CTLFile.tlv, else the stores'. */
static int
served_ctl(struct clplan *p, const struct clview *w)
{
	const struct cluster *c = p->c;
	uint8_t *buf = NULL;
	struct ctl ct;
	size_t i;
	char *f;
	int rc = 1;

	for (i = 0; i < c->n && rc == 1; i++) {
		if (!c->v[i].tftp || (f = path_join(c->v[i].tftpdir, "CTLFile.tlv", NULL)) == NULL)
			continue;
		if (path_isreg(f)) {
			rc = ctl_load(f, &buf, &ct) == 0 ? phone_itl_from_ctl(&p->ctlprev, &ct) : -1;
			p->ctlprev.file = NULL;	/* judged on identities from here: ct goes */
			ctl_free(&ct);
			free(buf);
		}
		free(f);
	}
	return rc == 1 ? clview_ctl(w, &p->ctlprev) : rc;
}

/* SAST records of a that b does not hold: how many of the CTL's signers a step replaces. */
static int
sast_gone(const struct phone_itl *a, const struct phone_itl *b)
{
	size_t i, k;
	int n = 0, found;

	for (i = 0; i < a->n; i++) {
		if (a->r[i].fn != CTL_FN_SAST)
			continue;
		for (k = 0, found = 0; k < b->n && !found; k++)
			found = b->r[k].fn == CTL_FN_SAST && phone_cert_eq(&a->r[i].cert, &b->r[k].cert);
		n += !found;
	}
	return n;
}

/*
 * Mixed mode: the CTL after step s into nc, as utils ctl update CTLFile makes
 * it, judged by the CTL rule against the one devices hold (s->ctl). 0, or -1.
 */
static int
next_ctl(struct clplan *p, struct clview *w, struct clplan_step *s, struct phone_itl *nc)
{
	if (clview_ctl(w, nc) != 0)
		return -1;
	if ((s->ctl.changed = !phone_itl_same(&p->ctlprev, nc)) != 0)
		phone_judge(&p->ctlprev, nc, w, &s->ctl.v);
	return 0;
}

/*
 * Is the step's CTL safe? A step that replaces both SAST certificates (the
 * publisher's CallManager and ITLRecovery) leaves no signer a device can
 * check: not safe, whatever TVS says. 1, 0.
 */
static int
ctl_ok(struct clplan *p, struct clplan_step *s, const struct phone_itl *nc)
{
	if (!s->ctl.changed)
		return 1;
	if (sast_gone(&p->ctlprev, nc) >= 2) {
		snprintf(p->why, sizeof(p->why), "%s:%s: changes both SAST certificates of "
		    "the CTL (the publisher's CallManager and ITLRecovery) in one step: no "
		    "device holding the CTL can check the next one", p->c->v[s->node].name,
		    s->units[0]);
		return 0;
	}
	if (!s->ctl.v.accepted) {
		snprintf(p->why, sizeof(p->why), "%s:%s: a device holding the CTL would "
		    "reject the new one: %s", p->c->v[s->node].name, s->units[0],
		    s->ctl.v.reason);
		memcpy(p->stranded, s->ctl.v.stranded, sizeof(p->stranded));
		return 0;
	}
	return 1;
}

/*
 * Judge every TFTP node's next ITL after units change on node; 1 all accepted,
 * 0 not, -1 trouble. In mixed mode phones fetch the CTL first: they judge the
 * ITL holding the new CTL when they take it, else the one they held.
 */
static int
try_step(struct clplan *p, struct clview *w, struct phone_itl *prev, struct clplan_step *s)
{
	const struct cluster *c = p->c;
	struct phone_itl nw, nc;
	const struct phone_itl *held = NULL;
	size_t i;
	int k, u, ok = 1;

	memset(&nc, 0, sizeof(nc));
	for (k = 0; k < s->n; k++)
		if ((u = clview_unit(s->units[k])) >= 0 && clview_regen(w, s->node, u) != 0)
			return -1;
	if (p->mixed) {
		if (next_ctl(p, w, s, &nc) != 0) {
			phone_itl_free(&nc);
			return -1;
		}
		held = s->ctl.changed && s->ctl.v.accepted ? &nc : &p->ctlprev;
	}
	for (i = 0; i < c->n && ok; i++) {
		if (!c->v[i].tftp)
			continue;
		if (clview_itl(w, i, &nw) != 0) {
			phone_itl_free(&nw);
			phone_itl_free(&nc);
			return -1;
		}
		if ((s->itl[i].changed = !phone_itl_same(&prev[i], &nw)) != 0) {
			prev[i].ctl = held;
			phone_judge(&prev[i], &nw, w, &s->itl[i].v);
			prev[i].ctl = NULL;
			ok = s->itl[i].v.accepted;
			s->reset = 1;
			if (!ok) {
				snprintf(p->why, sizeof(p->why), "%s:%s: a phone holding %s's ITL "
				    "would reject the new one: %s", c->v[s->node].name,
				    s->units[0], c->v[i].name, s->itl[i].v.reason);
				memcpy(p->stranded, s->itl[i].v.stranded, sizeof(p->stranded));
			}
		}
		phone_itl_free(&nw);
	}
	if (ok && p->mixed)
		ok = ctl_ok(p, s, &nc);
	phone_itl_free(&nc);
	return ok;
}

/* Keep step s (prev becomes what the phones fetch after it). */
static int
keep(struct clplan *p, const struct clview *w, struct phone_itl *prev, struct clplan_step *s)
{
	struct clplan_step *v;
	size_t i;

	for (i = 0; i < p->c->n; i++)
		if (p->c->v[i].tftp && s->itl[i].changed) {
			phone_itl_free(&prev[i]);
			if (clview_itl(w, i, &prev[i]) != 0)
				return -1;
		}
	if (p->mixed && s->ctl.changed) {
		phone_itl_free(&p->ctlprev);
		if (clview_ctl(w, &p->ctlprev) != 0)
			return -1;
	}
	if ((v = realloc(p->s, (p->n + 1) * sizeof(*v))) == NULL)
		return -1;
	p->s = v;
	p->s[p->n++] = *s;
	s->itl = NULL;
	return 0;
}

/* One group (units of one class on one node): whole if safe, else one unit a step. */
static int
group(struct clplan *p, struct clview *w, struct phone_itl *prev, struct clplan_step *g)
{
	struct clplan_step s;
	struct clview t;
	int k, r, whole = 1;

	for (k = 0; k < g->n && p->safe; k += whole ? g->n : 1) {
		s = *g;
		if (!whole || g->n == 1)
			s.units[0] = g->units[k], s.n = 1;
		if ((s.itl = calloc(p->c->n, sizeof(*s.itl))) == NULL || clview_dup(&t, w) != 0 ||
		    (r = try_step(p, &t, prev, &s)) < 0 || (r == 1 && keep(p, &t, prev, &s) != 0)) {
			clview_free(&t);
			free(s.itl);
			return -1;
		}
		if (r == 1) {
			clview_free(w);
			*w = t;
		} else {
			clview_free(&t);
			if (s.n == 1)
				p->safe = 0;
			else
				whole = 0, k = -1;	/* split: one unit a step */
		}
		free(s.itl);
	}
	return 0;
}

/* Walk the classes in order, nodes in file order (CallManager: non-TFTP nodes first). */
static int
walk(struct clplan *p, struct clview *w, struct phone_itl *prev, const char *want)
{
	const struct cluster *c = p->c;
	struct clplan_step g;
	size_t i, pass;
	int cl, u;

	for (cl = 0; cl < 4; cl++)
		for (pass = 0; pass < 2; pass++)
			for (i = 0; i < c->n && p->safe; i++) {
				if (cl == 3 ? (int)pass != c->v[i].tftp : pass == 1)
					continue;
				memset(&g, 0, sizeof(g));
				g.node = i;
				for (u = 0; cucm_units[u] != NULL; u++)
					if (want[i * NU + (size_t)u] && uclass(cucm_units[u]) == cl &&
					    g.n < CLPLAN_UNITS)
						g.units[g.n++] = cucm_units[u];
				if (g.n > 0 && group(p, w, prev, &g) != 0)
					return -1;
			}
	return 0;
}

int
clplan_make(struct clplan *p, const struct cluster *c, int mixed, char **ops, int nops)
{
	struct phone_itl *prev = NULL;
	struct clview w;
	char *want = NULL;
	size_t i;
	int k, u, rc = -1;

	memset(p, 0, sizeof(*p));
	memset(&w, 0, sizeof(w));
	p->c = c;
	p->safe = 1;
	if ((want = calloc(c->n, NU)) == NULL || (prev = calloc(c->n, sizeof(*prev))) == NULL ||
	    (p->served = calloc(c->n, sizeof(int))) == NULL) {
		warnf("%s: out of memory", c->dir);
		goto out;
	}
	for (k = 0; k < nops; k++)
		if (want_op(c, ops[k], want) != 0)
			goto out;
	for (i = 0; nops == 0 && i < c->n; i++)
		for (u = 0; cucm_units[u] != NULL; u++)
			want[i * NU + (size_t)u] = (char)cluster_has(c, i, cucm_units[u]);
	p->mixed = mixed;
	cluster_unseen(c, ops, nops, p->unseen, sizeof(p->unseen));
	if (clview_load(&w, c, mixed) != 0 || served(p, &w, prev) != 0 ||
	    (mixed && served_ctl(p, &w) != 0))
		goto out;
	if ((rc = walk(p, &w, prev, want)) != 0)
		warnf("%s: out of memory", c->dir);
out:
	for (i = 0; prev != NULL && i < c->n; i++)
		phone_itl_free(&prev[i]);
	phone_itl_free(&p->ctlprev);
	free(prev);
	free(want);
	if (w.c != NULL)
		clview_free(&w);
	return rc;
}

void
clplan_free(struct clplan *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		free(p->s[i].itl);
	free(p->s);
	free(p->served);
	memset(p, 0, sizeof(*p));
}
