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
 * The planner's state: the view, changed in place by each step tried and put
 * back when the step is not kept; what phones hold; and whether that is what
 * the view yields (fresh: after the first step kept, or when the served files
 * are the stores' own). Fresh, a list none of a step's units is in is known
 * unchanged, and one whose signer the step leaves is known taken directly,
 * without building either: it is built again (stale) only when a later step
 * changes its signer. Each step then costs its node's lists, not every node's.
 */
struct walk {
	struct clplan		*p;
	struct clview		 w;
	struct phone_itl	*prev;		/* per TFTP node: the ITL phones hold, unless stale */
	struct phone_itl	*next;		/* per TFTP node: the step's ITL, when built */
	struct phone_itl	 ctlnext;	/* mixed: the step's CTL, when built */
	char			*stale;		/* per TFTP node: prev not built (it is the view's) */
	char			*quick;		/* per TFTP node: this step's verdict known without lists */
	int			 fresh;
	char			 ctlwhy[512];	/* mixed: why devices reject the step's CTL */
	char			 ctlstranded[512];
};

/* 1 when step s regenerates node k's unit u. */
static int
regenerates(const struct clplan_step *s, size_t k, int u)
{
	int j;

	for (j = 0; j < s->n && s->node == k; j++)
		if (clview_unit(s->units[j]) == u)
			return 1;
	return 0;
}

/* 1 when a record of TFTP node i's ITL is a unit step s regenerates. */
static int
in_itl(const struct walk *w, const struct clplan_step *s, size_t i)
{
	int k, u;

	for (k = 0; k < s->n; k++)
		if ((u = clview_unit(s->units[k])) >= 0 && clview_itl_has(&w->w, i, s->node, u))
			return 1;
	return 0;
}

/* The same for the cluster's CTL. */
static int
in_ctl(const struct walk *w, const struct clplan_step *s)
{
	int k, u;

	for (k = 0; k < s->n; k++)
		if ((u = clview_unit(s->units[k])) >= 0 && clview_ctl_has(&w->w, s->node, u))
			return 1;
	return 0;
}

/*
 * Fresh, after step s's regenerations: does the signer of node i's new ITL
 * stay what it was, a SAST record of the one phones hold (ITLRecovery and the
 * node's CallManager both are)? Then phones take it directly (phone_direct).
 */
static int
signer_kept(const struct walk *w, const struct clplan_step *s, size_t i)
{
	size_t k;
	int u = clview_itl_signer(&w->w, i, &k);

	return !regenerates(s, k, u) && w->w.v[k].unit[u].len > 0;
}

/* A verdict as the plan keeps it. */
static void
verdict(const struct clplan *p, struct clplan_itl *t, const struct phone_verdict *v)
{
	t->accepted = v->accepted;
	t->notvs = v->notvs;
	t->path = v->path;
	t->via = v->via[0] != '\0' ? cluster_find(p->c, v->via) : -1;
	t->ctlrec = v->ctlrec;
}

/*
 * Mixed mode: the CTL after step s (k->ctlnext), as utils ctl update CTLFile
 * makes it, judged by the CTL rule against the one devices hold (s->ctl); and
 * the CTL phones hold when they judge the ITLs (*held): the new one when they
 * take it, else the old. 0, or -1.
 */
static int
next_ctl(struct walk *k, struct clplan_step *s, const struct phone_itl **held)
{
	struct clplan *p = k->p;
	struct phone_verdict v;

	*held = &p->ctlprev;
	if (k->fresh && !in_ctl(k, s))
		return 0;
	if (clview_ctl(&k->w, &k->ctlnext) != 0)
		return -1;
	if ((s->ctl.changed = !phone_itl_same(&p->ctlprev, &k->ctlnext)) != 0) {
		phone_judge(&p->ctlprev, &k->ctlnext, &k->w, &v);
		verdict(p, &s->ctl, &v);
		if (v.accepted)
			*held = &k->ctlnext;
		else
			snprintf(k->ctlwhy, sizeof(k->ctlwhy), "%s", v.reason);
		memcpy(k->ctlstranded, v.stranded, sizeof(k->ctlstranded));
	}
	return 0;
}

/*
 * Is the step's CTL safe? A step that replaces both SAST certificates (the
 * publisher's CallManager and ITLRecovery) leaves no signer a device can
 * check: not safe, whatever TVS says. 1, 0 (p->why says why).
 */
static int
ctl_ok(struct walk *k, struct clplan_step *s)
{
	struct clplan *p = k->p;

	if (!s->ctl.changed)
		return 1;
	if (sast_gone(&p->ctlprev, &k->ctlnext) >= 2) {
		snprintf(p->why, sizeof(p->why), "%s:%s: changes both SAST certificates of "
		    "the CTL (the publisher's CallManager and ITLRecovery) in one step: no "
		    "device holding the CTL can check the next one", p->c->v[s->node].name,
		    s->units[0]);
		return 0;
	}
	if (!s->ctl.accepted) {
		snprintf(p->why, sizeof(p->why), "%s:%s: a device holding the CTL would "
		    "reject the new one: %s", p->c->v[s->node].name, s->units[0], k->ctlwhy);
		memcpy(p->stranded, k->ctlstranded, sizeof(p->stranded));
		return 0;
	}
	return 1;
}

/* Apply step s's regenerations to the view. 0, -1. */
static int
regen(struct walk *w, const struct clplan_step *s)
{
	int k, u;

	for (k = 0; k < s->n; k++)
		if ((u = clview_unit(s->units[k])) >= 0 && clview_regen(&w->w, s->node, u) != 0)
			return -1;
	return 0;
}

/* Judge every TFTP node's next ITL after units change on node; 1 all accepted, 0 not, -1 trouble. */
static int
try_step(struct walk *w, struct clplan_step *s)
{
	struct clplan *p = w->p;
	const struct cluster *c = p->c;
	const struct phone_itl *held = NULL;
	struct phone_verdict v;
	size_t i;
	int ok = 1, build = 0;

	if (regen(w, s) != 0)
		return -1;
	for (i = 0; i < c->n; i++) {
		w->quick[i] = c->v[i].tftp && w->fresh && in_itl(w, s, i) && signer_kept(w, s, i);
		build |= c->v[i].tftp && w->stale[i] && in_itl(w, s, i) && !w->quick[i];
	}
	if (build) {	/* what phones hold, from the view before the step: undone, built, redone */
		clview_undo(&w->w);
		for (i = 0; i < c->n; i++)
			if (c->v[i].tftp && w->stale[i] && in_itl(w, s, i) && !w->quick[i]) {
				if (clview_itl(&w->w, i, &w->prev[i]) != 0)
					return -1;
				w->stale[i] = 0;
			}
		if (regen(w, s) != 0)	/* the same tokens: clview_undo put the count back */
			return -1;
	}
	/* mixed mode: phones fetch the CTL first, and judge the ITL holding the one they took */
	if (p->mixed && next_ctl(w, s, &held) != 0)
		return -1;
	for (i = 0; i < c->n && ok; i++) {
		if (!c->v[i].tftp || (w->fresh && !in_itl(w, s, i)))
			continue;
		if (w->quick[i]) {
			s->itl[i].changed = s->itl[i].accepted = 1;
			s->itl[i].path = "direct";
			s->itl[i].via = s->itl[i].ctlrec = -1;
			s->reset = 1;
			continue;
		}
		if (clview_itl(&w->w, i, &w->next[i]) != 0)
			return -1;
		if ((s->itl[i].changed = !phone_itl_same(&w->prev[i], &w->next[i])) != 0) {
			w->prev[i].ctl = held;
			phone_judge(&w->prev[i], &w->next[i], &w->w, &v);
			w->prev[i].ctl = NULL;
			verdict(p, &s->itl[i], &v);
			ok = v.accepted;
			s->reset = 1;
			if (!ok) {
				snprintf(p->why, sizeof(p->why), "%s:%s: a phone holding %s's ITL "
				    "would reject the new one: %s", c->v[s->node].name,
				    s->units[0], c->v[i].name, v.reason);
				memcpy(p->stranded, v.stranded, sizeof(p->stranded));
			}
		}
	}
	return ok && p->mixed ? ctl_ok(w, s) : ok;
}

/* The step's trust lists go, and the view is put back (a step not kept). */
static void
drop(struct walk *w)
{
	size_t i;

	for (i = 0; i < w->p->c->n; i++)
		phone_itl_free(&w->next[i]);
	phone_itl_free(&w->ctlnext);
	clview_undo(&w->w);
}

/* Keep step s: what phones fetch after it is the step's lists, and the view stays. */
static int
keep(struct walk *w, struct clplan_step *s)
{
	struct clplan *p = w->p;
	struct clplan_step *v;
	size_t i;

	if ((v = realloc(p->s, (p->n + 1) * sizeof(*v))) == NULL)
		return -1;
	p->s = v;
	for (i = 0; i < p->c->n; i++)
		if (s->itl[i].changed) {
			phone_itl_free(&w->prev[i]);
			w->prev[i] = w->next[i];	/* none when quick: built again when needed */
			w->stale[i] = w->quick[i];
			memset(&w->next[i], 0, sizeof(w->next[i]));
		}
	if (p->mixed && s->ctl.changed) {
		phone_itl_free(&p->ctlprev);
		p->ctlprev = w->ctlnext;
		memset(&w->ctlnext, 0, sizeof(w->ctlnext));
	}
	clview_keep(&w->w);
	drop(w);	/* the lists that did not change; the view has nothing left to undo */
	w->fresh = 1;
	p->s[p->n++] = *s;
	s->itl = NULL;
	return 0;
}

/* One group (units of one class on one node): whole if safe, else one unit a step. */
static int
group(struct walk *w, struct clplan_step *g)
{
	struct clplan *p = w->p;
	struct clplan_step s;
	int k, r, whole = 1;

	for (k = 0; k < g->n && p->safe; k += whole ? g->n : 1) {
		s = *g;
		if (!whole || g->n == 1)
			s.units[0] = g->units[k], s.n = 1;
		if ((s.itl = calloc(p->c->n, sizeof(*s.itl))) == NULL ||
		    (r = try_step(w, &s)) < 0 || (r == 1 && keep(w, &s) != 0)) {
			free(s.itl);
			return -1;
		}
		if (r != 1) {
			drop(w);
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
walk(struct walk *w, const char *want)
{
	struct clplan *p = w->p;
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
				if (g.n > 0 && group(w, &g) != 0)
					return -1;
			}
	return 0;
}

/* Are the lists phones hold what the view yields? (Not when a served file differs from the stores.) */
static int
fresh(struct walk *w)
{
	const struct cluster *c = w->p->c;
	struct phone_itl l;
	size_t i;
	int same = 1;

	for (i = 0; i < c->n && same; i++) {
		if (!c->v[i].tftp)
			continue;
		if (clview_itl(&w->w, i, &l) != 0)
			same = -1;
		else
			same = phone_itl_same(&w->prev[i], &l);
		phone_itl_free(&l);
	}
	if (same == 1 && w->p->mixed) {
		if (clview_ctl(&w->w, &l) != 0)
			same = -1;
		else
			same = phone_itl_same(&w->p->ctlprev, &l);
		phone_itl_free(&l);
	}
	return same;
}

int
clplan_make(struct clplan *p, const struct cluster *c, int mixed, char **ops, int nops)
{
	struct walk w;
	char *want = NULL;
	size_t i;
	int k, u, rc = -1;

	memset(p, 0, sizeof(*p));
	memset(&w, 0, sizeof(w));
	p->c = c;
	p->safe = 1;
	w.p = p;
	if ((want = calloc(c->n, NU)) == NULL || (w.prev = calloc(c->n, sizeof(*w.prev))) == NULL ||
	    (w.next = calloc(c->n, sizeof(*w.next))) == NULL ||
	    (w.stale = calloc(c->n, 1)) == NULL || (w.quick = calloc(c->n, 1)) == NULL ||
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
	if (clview_load(&w.w, c, mixed) != 0 || served(p, &w.w, w.prev) != 0 ||
	    (mixed && served_ctl(p, &w.w) != 0))
		goto out;
	if ((w.fresh = fresh(&w)) < 0 || (rc = walk(&w, want)) != 0)
		warnf("%s: out of memory", c->dir);
out:
	for (i = 0; w.prev != NULL && i < c->n; i++)
		phone_itl_free(&w.prev[i]);
	for (i = 0; w.next != NULL && i < c->n; i++)
		phone_itl_free(&w.next[i]);
	phone_itl_free(&w.ctlnext);
	phone_itl_free(&p->ctlprev);
	free(w.prev);
	free(w.next);
	free(w.stale);
	free(w.quick);
	free(want);
	if (w.w.c != NULL)
		clview_free(&w.w);
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
