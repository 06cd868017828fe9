/* clview.c: a cluster's certificates as the phone rule needs them; the planner changes a copy. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/diag.h"
#include "core/io.h"
#include "cucm/clview.h"
#include "cucm/cucm.h"
#include "core/path.h"
#include "load/itlcerts.h"

static const char *const units[CLV_N] = { "CallManager", "TVS", "CAPF", "ITLRecovery" };
/* The trust stores a TVS answers from (FORMAT.md section 4). */
static const char *const tvs_stores[] = { "CallManager-trust", "Phone-SAST-trust", NULL };

int
clview_unit(const char *unit)
{
	int u;

	for (u = 0; u < CLV_N; u++)
		if (strcasecmp(units[u], unit) == 0)
			return u;
	return -1;
}

int
clview_trust_add(struct clview_node *nd, const uint8_t *p, size_t len)
{
	struct phone_cert *v;

	if ((v = realloc(nd->trust, (nd->ntrust + 1) * sizeof(*v))) == NULL)
		return -1;
	nd->trust = v;
	if (phone_cert_set(&nd->trust[nd->ntrust], p, len) != 0)
		return -1;
	nd->ntrust++;
	return 0;
}

/* Every certificate of the files of dir/ts (files that hold none are not this rule's business). */
static int
load_trust(struct clview_node *nd, const char *dir, const char *ts)
{
	struct itlcerts c = ITLCERTS_ZERO;
	char *tdir = path_join(dir, ts, NULL), *p, **names = NULL;
	const uint8_t *der;
	const char *why;
	uint8_t *buf;
	size_t i, k, n = 0, len, dl;
	int rc = -1;

	if (tdir == NULL || (path_isdir(tdir) && path_list(tdir, 0, &names, &n) != 0))
		goto out;
	for (i = 0; i < n; i++) {
		if ((p = path_join(tdir, names[i], NULL)) == NULL)
			goto out;
		buf = path_isreg(p) ? io_slurp(p, IO_MAX, &len) : NULL;
		if (buf != NULL && itlcerts_parse(&c, buf, len, &why) == 1)
			for (k = 0; k < c.n; k++) {
				der = itlcerts_get(&c, k, &dl);	/* dl set before it is passed */
				if (clview_trust_add(nd, der, dl) != 0)
					rc = -2;
			}
		free(buf);
		free(p);
		if (rc == -2)
			goto out;
	}
	rc = 0;
out:
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
	if ((w->v = calloc(c->n, sizeof(*w->v))) == NULL) {
		warnf("%s: out of memory", c->dir);
		return -1;
	}
	for (i = 0; i < c->n; i++) {
		for (u = 0; u < CLV_N; u++)
			if (load_unit(&w->v[i].unit[u], c, i, units[u]) != 0)
				return -1;
		for (k = 0; tvs_stores[k] != NULL; k++)
			if (load_trust(&w->v[i], c->v[i].dir, tvs_stores[k]) != 0) {
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

	for (i = 0; w->v != NULL && i < w->c->n; i++) {
		for (u = 0; u < CLV_N; u++)
			phone_cert_free(&w->v[i].unit[u]);
		for (k = 0; k < w->v[i].ntrust; k++)
			phone_cert_free(&w->v[i].trust[k]);
		free(w->v[i].trust);
	}
	free(w->v);
	memset(w, 0, sizeof(*w));
}

int
clview_regen(struct clview *w, size_t i, int u)
{
	struct phone_cert *x = &w->v[i].unit[u];
	char tok[128];
	size_t k;

	snprintf(tok, sizeof(tok), "the new %s of %s (simulated #%u)", units[u],
	    w->c->v[i].name, ++w->gen);
	phone_cert_free(x);
	if (phone_cert_set(x, tok, strlen(tok)) != 0)
		return -1;
	for (k = 0; (u == CLV_CM || u == CLV_CAPF) && k < w->c->n; k++)
		if (clview_trust_add(&w->v[k], x->p, x->len) != 0)
			return -1;
	return 0;
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
	int rc;

	memset(l, 0, sizeof(*l));
	rc = rec(l, w, c->pub, CLV_ITLREC, CTL_FN_SAST) | rec(l, w, i, CLV_CM, CTL_FN_SAST) |
	    rec(l, w, i, CLV_CM, w->mixed ? CTL_FN_CCM_TFTP : CTL_FN_TFTP) |
	    rec(l, w, c->pub, CLV_CAPF, CTL_FN_CAPF);
	for (k = 0; k < c->n; k++)
		rc |= rec(l, w, k, CLV_TVS, CTL_FN_TVS);
	s = &w->v[c->pub].unit[CLV_ITLREC];
	if (cluster_itlrec_signs(c) && s->len > 0)
		snprintf(l->signer_name, sizeof(l->signer_name), "ITLRecovery of %s",
		    c->v[c->pub].name);
	else {
		s = &w->v[i].unit[CLV_CM];
		snprintf(l->signer_name, sizeof(l->signer_name), "CallManager of %s",
		    c->v[i].name);
	}
	return rc != 0 || phone_cert_set(&l->signer, s->p, s->len) != 0 ? -1 : 0;
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
	size_t k;

	for (k = 0; k < w->c->n; k++)
		if (phone_cert_eq(&w->v[k].unit[CLV_CM], x) ||
		    phone_cert_eq(&w->v[k].unit[CLV_CAPF], x) ||
		    phone_cert_eq(&w->v[k].unit[CLV_ITLREC], x))
			return 1;
	for (k = 0; k < w->v[i].ntrust; k++)
		if (phone_cert_eq(&w->v[i].trust[k], x))
			return 1;
	return 0;
}

int
clview_tvs_node(const struct clview *w, const struct phone_cert *x)
{
	size_t k;

	for (k = 0; k < w->c->n; k++)
		if (phone_cert_eq(&w->v[k].unit[CLV_TVS], x))
			return (int)k;
	return -1;
}

int
clview_dup(struct clview *d, const struct clview *w)
{
	const struct clview_node *s;
	size_t i, k;
	int u;

	*d = *w;
	if ((d->v = calloc(w->c->n, sizeof(*d->v))) == NULL)
		return -1;
	for (i = 0; i < w->c->n; i++) {
		s = &w->v[i];
		for (u = 0; u < CLV_N; u++)
			if (s->unit[u].len > 0 && phone_cert_set(&d->v[i].unit[u], s->unit[u].p,
			    s->unit[u].len) != 0)
				return -1;
		if (s->ntrust > 0 && (d->v[i].trust = calloc(s->ntrust, sizeof(*s->trust))) ==
		    NULL)
			return -1;
		for (k = 0; k < s->ntrust; k++, d->v[i].ntrust++)
			if (phone_cert_set(&d->v[i].trust[k], s->trust[k].p, s->trust[k].len) != 0)
				return -1;
	}
	return 0;
}
