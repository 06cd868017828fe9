/* clview.c: a cluster's certificates as the phone rule needs them; the planner changes it in place. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/diag.h"
#include "core/hash.h"
#include "core/io.h"
#include "cucm/clview.h"
#include "cucm/cucm.h"
#include "core/path.h"
#include "load/itlcerts.h"

static const char *const units[CLV_N] = { "CallManager", "TVS", "CAPF", "ITLRecovery" };
/* The trust stores a TVS answers from (FORMAT.md section 4). */
static const char *const tvs_stores[] = { "CallManager-trust", "Phone-SAST-trust", NULL };

#define MASKW ((CLUSTER_MAX + 63) / 64)

/*
 * One distinct certificate (or token) and who holds it: a TVS asks "is this
 * one a current CallManager, CAPF or ITLRecovery, or in my trust stores?" in
 * one lookup, and CUCM's replicated CallManager-trust is held once, not once
 * per node.
 */
struct ent {
	uint8_t		*p;		/* owned */
	size_t		 len;
	uint32_t	 h;
	unsigned	 cur;		/* current CallManager, CAPF and ITLRecovery units it is */
	int		 rep;		/* a simulated CallManager or CAPF: in every node's trust */
	uint64_t	 trust[MASKW];	/* bit k: node k's trust stores hold it */
	uint64_t	 tvs[MASKW];	/* bit k: node k's current TVS */
};

struct clview_idx {
	struct ent	*e;
	size_t		 n, cap;
	uint32_t	*slot;		/* open addressing: 0 empty, else entry index + 1 */
	size_t		 nslot;		/* a power of two, at most half full */
};

/* What clview_undo puts back: the unit a regeneration replaced. */
struct clview_undo {
	struct {
		size_t			 node;
		int			 u;
		struct phone_cert	 old;
	}		*r;
	size_t		 n, cap;
	unsigned	 gen;		/* w->gen at the last keep */
};

/* A certificate's last 64 bytes are its signature: they tell certificates apart, cheaply. */
static uint32_t
idx_hash(const uint8_t *p, size_t len)
{
	size_t t = len < 64 ? len : 64;

	return hash_fnv1a(p + len - t, t) ^ (uint32_t)len * 2654435761u;
}

static long
idx_find(const struct clview_idx *x, const uint8_t *p, size_t len, uint32_t h)
{
	size_t m, k;
	const struct ent *e;

	if (x == NULL || x->nslot == 0)
		return -1;
	for (m = x->nslot - 1, k = h & m; x->slot[k] != 0; k = (k + 1) & m) {
		e = &x->e[x->slot[k] - 1];
		if (e->h == h && e->len == len && memcmp(e->p, p, len) == 0)
			return (long)x->slot[k] - 1;
	}
	return -1;
}

static int
idx_grow(struct clview_idx *x)
{
	size_t ns = x->nslot != 0 ? x->nslot * 2 : 1024, i, k;
	uint32_t *s;

	if ((s = calloc(ns, sizeof(*s))) == NULL)
		return -1;
	for (i = 0; i < x->n; i++) {
		for (k = x->e[i].h & (ns - 1); s[k] != 0; k = (k + 1) & (ns - 1))
			continue;
		s[k] = (uint32_t)i + 1;
	}
	free(x->slot);
	x->slot = s;
	x->nslot = ns;
	return 0;
}

/* The entry of p (added, bytes copied, when new), or NULL out of memory. */
static struct ent *
idx_add(struct clview_idx *x, const uint8_t *p, size_t len)
{
	uint32_t h = idx_hash(p, len);
	long i = idx_find(x, p, len, h);
	struct ent *e;
	size_t k;

	if (i >= 0)
		return &x->e[i];
	if ((x->n + 1) * 2 > x->nslot && (x->n >= UINT32_MAX - 1 || idx_grow(x) != 0))
		return NULL;
	if (x->n == x->cap) {
		if ((e = realloc(x->e, (x->cap = x->cap != 0 ? x->cap * 2 : 256) * sizeof(*e))) ==
		    NULL)
			return NULL;
		x->e = e;
	}
	e = &x->e[x->n];
	memset(e, 0, sizeof(*e));
	if ((e->p = malloc(len != 0 ? len : 1)) == NULL)
		return NULL;
	memcpy(e->p, p, len);
	e->len = len;
	e->h = h;
	for (k = h & (x->nslot - 1); x->slot[k] != 0; k = (k + 1) & (x->nslot - 1))
		continue;
	x->slot[k] = (uint32_t)++x->n;
	return e;
}

static struct ent *
idx_get(const struct clview *w, const struct phone_cert *c)
{
	long i = c->len == 0 ? -1 : idx_find(w->idx, c->p, c->len, idx_hash(c->p, c->len));

	return i >= 0 ? &w->idx->e[i] : NULL;
}

/* Node i's unit u enters (on) or leaves the index. 0, or -1 out of memory. */
static int
idx_unit(struct clview *w, size_t i, int u, int on)
{
	const struct phone_cert *c = &w->v[i].unit[u];
	struct ent *e;

	if (c->len == 0)
		return 0;
	if ((e = on ? idx_add(w->idx, c->p, c->len) : idx_get(w, c)) == NULL)
		return on ? -1 : 0;
	if (u == CLV_TVS) {
		if (on)
			e->tvs[i / 64] |= (uint64_t)1 << (i % 64);
		else
			e->tvs[i / 64] &= ~((uint64_t)1 << (i % 64));
	} else
		e->cur = on ? e->cur + 1 : e->cur - 1;
	return 0;
}

int
clview_unit(const char *unit)
{
	int u;

	for (u = 0; u < CLV_N; u++)
		if (strcasecmp(units[u], unit) == 0)
			return u;
	return -1;
}

/* Node i's trust stores hold p: one entry per certificate in file order, its bytes shared. */
int
clview_trust_add(struct clview *w, size_t i, const uint8_t *p, size_t len)
{
	struct clview_node *nd = &w->v[i];
	struct phone_cert *v;
	struct ent *e;
	size_t cap;

	if ((e = idx_add(w->idx, p, len)) == NULL)
		return -1;
	if ((nd->ntrust & (nd->ntrust - 1)) == 0) {	/* 0, 1, 2, 4...: double */
		cap = nd->ntrust != 0 ? nd->ntrust * 2 : 1;
		if ((v = realloc(nd->trust, cap * sizeof(*v))) == NULL)
			return -1;
		nd->trust = v;
	}
	nd->trust[nd->ntrust].p = e->p;
	nd->trust[nd->ntrust++].len = len;
	e->trust[i / 64] |= (uint64_t)1 << (i % 64);
	return 0;
}

/*
 * Every certificate of the files of dir/ts (files that hold none are not this
 * rule's business; links and what is not a regular file are left unread).
 * Names are looked up in the directory's descriptor: a replicated 256-node
 * CallManager-trust is 65,000 files, and a whole path walked for each costs
 * more than reading it.
 */
static int
load_trust(struct clview *w, size_t ni, const char *dir, const char *ts)
{
	struct itlcerts c = ITLCERTS_ZERO;
	char *tdir = path_join(dir, ts, NULL), *p, **names = NULL;
	const uint8_t *der;
	const char *why;
	struct stat st;
	uint8_t *buf;
	size_t i, k, n = 0, len, dl;
	int rc = -1, dfd = -1, fd;

	if (tdir == NULL || (path_isdir(tdir) && path_list(tdir, 0, &names, &n) != 0))
		goto out;
	if (n > 0 && (dfd = open(tdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		warnf("%s:", tdir);
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (fstatat(dfd, names[i], &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode))
			continue;
		if ((p = path_join(tdir, names[i], NULL)) == NULL)
			goto out;
		buf = NULL;
		if ((fd = openat(dfd, names[i], O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK |
		    O_NOFOLLOW)) < 0)
			warnf("%s: %s", p, strerror(errno));	/* as io_slurp says it */
		else {
			buf = io_slurp_fd(fd, p, IO_MAX, &len);
			close(fd);
		}
		if (buf != NULL && itlcerts_parse(&c, buf, len, &why) == 1)
			for (k = 0; k < c.n; k++)
				if ((der = itlcerts_get(&c, k, &dl)) == NULL ||	/* dl set first */
				    clview_trust_add(w, ni, der, dl) != 0)
					rc = -2;
		free(buf);
		free(p);
		if (rc == -2)
			goto out;
	}
	rc = 0;
out:
	if (dfd >= 0)
		close(dfd);
	itlcerts_free(&c);
	path_list_free(names, n);
	free(tdir);
	return rc;
}

/* The first certificate of node i's unit file when present; key-less: else what its node serves. */
static int
load_unit(struct phone_cert *x, const struct cluster *c, size_t i, const char *unit)
{
	struct itlcerts ic = ITLCERTS_ZERO;
	const struct clserved_cert *sv;
	const uint8_t *der;
	char *p;
	size_t len;
	int rc = 0;

	if ((p = cluster_unit_file(c, i, unit)) != NULL) {
		if ((rc = itlcerts_load(&ic, p)) == 0) {
			der = itlcerts_get(&ic, 0, &len);
			rc = phone_cert_set(x, der, len);
		}
	} else if (c->v[i].keyless && (sv = clserved_get(&c->served, i, clserved_unit(unit))) != NULL)
		rc = phone_cert_set(x, sv->der, sv->len);
	itlcerts_free(&ic);
	free(p);
	return rc;
}

int
clview_load(struct clview *w, const struct cluster *c, int mixed)
{
	size_t i;
	int u, k;

	memset(w, 0, sizeof(*w));
	w->c = c;
	w->mixed = mixed;
	if ((w->v = calloc(c->n, sizeof(*w->v))) == NULL ||
	    (w->idx = calloc(1, sizeof(*w->idx))) == NULL ||
	    (w->undo = calloc(1, sizeof(*w->undo))) == NULL) {
		warnf("%s: out of memory", c->dir);
		return -1;
	}
	for (i = 0; i < c->n; i++) {
		for (u = 0; u < CLV_N; u++)
			if (load_unit(&w->v[i].unit[u], c, i, units[u]) != 0)
				return -1;
			else if (idx_unit(w, i, u, 1) != 0) {
				warnf("%s: out of memory", c->dir);
				return -1;
			}
		for (k = 0; tvs_stores[k] != NULL; k++)
			if (load_trust(w, i, c->v[i].dir, tvs_stores[k]) != 0) {
				warnf("%s: cannot read %s", c->v[i].dir, tvs_stores[k]);
				return -1;
			}
	}
	return 0;
}

void
clview_free(struct clview *w)
{
	size_t i, k;
	int u;

	clview_keep(w);
	for (i = 0; w->v != NULL && i < w->c->n; i++) {
		for (u = 0; u < CLV_N; u++)
			phone_cert_free(&w->v[i].unit[u]);
		free(w->v[i].trust);
	}
	for (k = 0; w->idx != NULL && k < w->idx->n; k++)
		free(w->idx->e[k].p);
	if (w->idx != NULL) {
		free(w->idx->e);
		free(w->idx->slot);
	}
	if (w->undo != NULL)
		free(w->undo->r);
	free(w->idx);
	free(w->undo);
	free(w->v);
	memset(w, 0, sizeof(*w));
}

void
clview_trust_drop(struct clview *w, size_t i, const uint8_t *p, size_t len)
{
	struct clview_node *nd = &w->v[i];
	struct phone_cert x = { (uint8_t *)p, len };
	struct ent *e = idx_get(w, &x);
	size_t k;

	for (k = 0; e != NULL && k < nd->ntrust && nd->trust[k].p != e->p; k++)
		continue;
	if (e == NULL || k == nd->ntrust)
		return;
	nd->trust[k] = nd->trust[--nd->ntrust];
	for (k = 0; k < nd->ntrust && nd->trust[k].p != e->p; k++)
		continue;
	if (k == nd->ntrust)	/* the last copy: the node's trust no longer holds it */
		e->trust[i / 64] &= ~((uint64_t)1 << (i % 64));
}

int
clview_unit_set(struct clview *w, size_t i, int u, const uint8_t *p, size_t len)
{
	struct phone_cert *x = &w->v[i].unit[u];

	idx_unit(w, i, u, 0);
	phone_cert_free(x);
	if (len > 0 && (phone_cert_set(x, p, len) != 0 || idx_unit(w, i, u, 1) != 0))
		return -1;
	return 0;
}

int
clview_dup(struct clview *d, const struct clview *w)
{
	struct ent *e;
	size_t i, k;
	int u;

	memset(d, 0, sizeof(*d));
	d->c = w->c;
	d->mixed = w->mixed;
	d->gen = w->gen;
	if ((d->v = calloc(w->c->n, sizeof(*d->v))) == NULL ||
	    (d->idx = calloc(1, sizeof(*d->idx))) == NULL ||
	    (d->undo = calloc(1, sizeof(*d->undo))) == NULL)
		return -1;
	d->undo->gen = d->gen;
	for (i = 0; i < w->c->n; i++) {
		for (u = 0; u < CLV_N; u++)
			if (clview_unit_set(d, i, u, w->v[i].unit[u].p, w->v[i].unit[u].len) != 0)
				return -1;
		for (k = 0; k < w->v[i].ntrust; k++)
			if (clview_trust_add(d, i, w->v[i].trust[k].p, w->v[i].trust[k].len) != 0)
				return -1;
	}
	for (k = 0; w->idx != NULL && k < w->idx->n; k++)	/* simulated: in every trust */
		if (w->idx->e[k].rep) {
			if ((e = idx_add(d->idx, w->idx->e[k].p, w->idx->e[k].len)) == NULL)
				return -1;
			e->rep = 1;
		}
	return 0;
}

int
clview_regen(struct clview *w, size_t i, int u)
{
	struct phone_cert *x = &w->v[i].unit[u];
	struct clview_undo *d = w->undo;
	struct ent *e;
	char tok[128];
	void *r;

	if (d->n == d->cap) {
		if ((r = realloc(d->r, (d->cap = d->cap != 0 ? d->cap * 2 : 8) * sizeof(*d->r))) ==
		    NULL)
			return -1;
		d->r = r;
	}
	snprintf(tok, sizeof(tok), "the new %s of %s (simulated #%u)", units[u],
	    w->c->v[i].name, ++w->gen);
	idx_unit(w, i, u, 0);
	d->r[d->n].node = i;
	d->r[d->n].u = u;
	d->r[d->n++].old = *x;
	if (phone_cert_set(x, tok, strlen(tok)) != 0 || idx_unit(w, i, u, 1) != 0 ||
	    (e = idx_get(w, x)) == NULL)
		return -1;
	e->rep |= u == CLV_CM || u == CLV_CAPF;
	return 0;
}

void
clview_keep(struct clview *w)
{
	size_t k;

	if (w->undo == NULL)
		return;
	for (k = 0; k < w->undo->n; k++)
		phone_cert_free(&w->undo->r[k].old);
	w->undo->n = 0;
	w->undo->gen = w->gen;
}

void
clview_undo(struct clview *w)
{
	struct clview_undo *d = w->undo;
	struct phone_cert *x;
	struct ent *e;

	while (d != NULL && d->n > 0) {
		d->n--;
		x = &w->v[d->r[d->n].node].unit[d->r[d->n].u];
		if ((e = idx_get(w, x)) != NULL)	/* a token: never held by anything else */
			e->rep = 0;
		idx_unit(w, d->r[d->n].node, d->r[d->n].u, 0);
		phone_cert_free(x);
		*x = d->r[d->n].old;
		idx_unit(w, d->r[d->n].node, d->r[d->n].u, 1);	/* indexed before: no allocation */
	}
	if (d != NULL)
		w->gen = d->gen;
}

/* Append node k's unit u as a record of role fn, when the node has it. */
static int
rec(struct phone_itl *l, const struct clview *w, size_t k, int u, int fn)
{
	const struct phone_cert *x = &w->v[k].unit[u];

	return x->len == 0 ? 0 : phone_itl_add(l, fn, x, w->c->v[k].name);
}

int
clview_itl(const struct clview *w, size_t i, struct phone_itl *l)
{
	const struct cluster *c = w->c;
	const struct phone_cert *s;
	size_t k;
	int rc, u;

	memset(l, 0, sizeof(*l));
	rc = rec(l, w, c->pub, CLV_ITLREC, CTL_FN_SAST) | rec(l, w, i, CLV_CM, CTL_FN_SAST) |
	    rec(l, w, i, CLV_CM, w->mixed ? CTL_FN_CCM_TFTP : CTL_FN_TFTP) |
	    rec(l, w, c->pub, CLV_CAPF, CTL_FN_CAPF);
	for (k = 0; k < c->n; k++)
		rc |= rec(l, w, k, CLV_TVS, CTL_FN_TVS);
	u = clview_itl_signer(w, i, &k);
	s = &w->v[k].unit[u];
	snprintf(l->signer_name, sizeof(l->signer_name), "%s of %s", units[u], c->v[k].name);
	return rc != 0 || phone_cert_set(&l->signer, s->p, s->len) != 0 ? -1 : 0;
}

int
clview_itl_signer(const struct clview *w, size_t i, size_t *node)
{
	const struct cluster *c = w->c;

	if (cluster_itlrec_signs(c) && w->v[c->pub].unit[CLV_ITLREC].len > 0) {
		*node = c->pub;
		return CLV_ITLREC;
	}
	*node = i;
	return CLV_CM;
}

int
clview_itl_has(const struct clview *w, size_t i, size_t k, int u)
{
	return u == CLV_TVS || (u == CLV_CM && k == i) ||
	    ((u == CLV_CAPF || u == CLV_ITLREC) && k == w->c->pub);
}

int
clview_ctl_has(const struct clview *w, size_t k, int u)
{
	return u == CLV_CM || ((u == CLV_CAPF || u == CLV_ITLREC) && k == w->c->pub);
}

int
clview_ctl(const struct clview *w, struct phone_itl *l)
{
	const struct cluster *c = w->c;
	const struct phone_cert *s = &w->v[c->pub].unit[CLV_CM];
	size_t k;
	int rc;

	memset(l, 0, sizeof(*l));
	l->kind = PHONE_CTL;
	rc = rec(l, w, c->pub, CLV_CM, CTL_FN_SAST) | rec(l, w, c->pub, CLV_ITLREC, CTL_FN_SAST);
	for (k = 0; k < c->n; k++)
		rc |= rec(l, w, k, CLV_CM, CTL_FN_CCM_TFTP);
	rc |= rec(l, w, c->pub, CLV_CAPF, CTL_FN_CAPF);
	/* the one signer the table knows (cucm_ctl_signer): the publisher's CallManager */
	snprintf(l->signer_name, sizeof(l->signer_name), "%s of %s",
	    cucm_ctl_signer(c->version), c->v[c->pub].name);
	return rc != 0 || phone_cert_set(&l->signer, s->p, s->len) != 0 ? -1 : 0;
}

int
clview_tvs_trusts(const struct clview *w, size_t i, const struct phone_cert *x)
{
	const struct ent *e = idx_get(w, x);

	return e != NULL && (e->cur > 0 || e->rep || (e->trust[i / 64] >> (i % 64) & 1));
}

int
clview_tvs_node(const struct clview *w, const struct phone_cert *x)
{
	const struct ent *e = idx_get(w, x);
	size_t k;

	for (k = 0; e != NULL && k < w->c->n; k += 64)
		if (e->tvs[k / 64] != 0)
			return (int)k + __builtin_ctzll(e->tvs[k / 64]);
	return -1;
}
