/* phone.c: the one rule every seed rule follows from (CUCM.md, "Clusters"), judged on records. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cucm/clview.h"
#include "cucm/phone.h"

int
phone_cert_set(struct phone_cert *c, const void *p, size_t len)
{
	if ((c->p = malloc(len + 1)) == NULL)
		return -1;
	memcpy(c->p, p, len);
	c->p[len] = '\0';	/* tokens read as text */
	c->len = len;
	return 0;
}

void
phone_cert_free(struct phone_cert *c)
{
	free(c->p);
	c->p = NULL;
	c->len = 0;
}

int
phone_cert_eq(const struct phone_cert *a, const struct phone_cert *b)
{
	return a->len != 0 && a->len == b->len && memcmp(a->p, b->p, a->len) == 0;
}

int
phone_itl_add(struct phone_itl *l, int fn, const struct phone_cert *cert, const char *dns)
{
	struct phone_rec *r;

	if ((r = realloc(l->r, (l->n + 1) * sizeof(*r))) == NULL)
		return -1;
	l->r = r;
	r = &l->r[l->n];
	memset(r, 0, sizeof(*r));
	r->fn = fn;
	snprintf(r->dns, sizeof(r->dns), "%s", dns != NULL ? dns : "");
	if (phone_cert_set(&r->cert, cert->p, cert->len) != 0)
		return -1;
	l->n++;
	return 0;
}

int
phone_itl_from_ctl(struct phone_itl *l, const struct ctl *c)
{
	const struct tlv *t, *d;
	struct phone_cert x;
	char dns[64];
	size_t i;
	int s = ctl_find_signer(c);

	memset(l, 0, sizeof(*l));
	for (i = 0; i < c->nrecs; i++) {
		t = &c->recs[i].f[CTL_R_CERT];
		d = &c->recs[i].f[CTL_R_DNS];
		x.p = (uint8_t *)(t->val != NULL ? t->val : (const uint8_t *)"");
		x.len = t->val != NULL ? t->len : 0;
		snprintf(dns, sizeof(dns), "%.*s", d->val != NULL ? (int)ctl_strlen(d) : 0,
		    d->val != NULL ? (const char *)d->val : "");
		if (phone_itl_add(l, c->recs[i].function, &x, dns) != 0)
			return -1;
	}
	t = &c->hf[CTL_H_SIGNERNAME];
	snprintf(l->signer_name, sizeof(l->signer_name), "%.*s",
	    t->val != NULL ? (int)ctl_strlen(t) : 0, t->val != NULL ? (const char *)t->val : "");
	if (s >= 0 && l->r[s].cert.len > 0)
		return phone_cert_set(&l->signer, l->r[s].cert.p, l->r[s].cert.len);
	return 0;
}

void
phone_itl_free(struct phone_itl *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		phone_cert_free(&l->r[i].cert);
	free(l->r);
	phone_cert_free(&l->signer);
	memset(l, 0, sizeof(*l));
}

int
phone_itl_same(const struct phone_itl *a, const struct phone_itl *b)
{
	size_t i;

	if (a->n != b->n)
		return 0;
	for (i = 0; i < a->n; i++)
		if (a->r[i].fn != b->r[i].fn || a->r[i].cert.len != b->r[i].cert.len ||
		    memcmp(a->r[i].cert.p, b->r[i].cert.p, a->r[i].cert.len) != 0)
			return 0;
	return 1;
}

int
phone_direct(const struct phone_itl *old, const struct phone_itl *nw)
{
	size_t i;

	for (i = 0; i < old->n; i++)
		if (old->r[i].fn == CTL_FN_SAST && phone_cert_eq(&old->r[i].cert, &nw->signer))
			return 1;
	return 0;
}

/* 1 when x is a TVS record of l. */
static int
has_tvs(const struct phone_itl *l, const struct phone_cert *x)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->r[i].fn == CTL_FN_TVS && phone_cert_eq(&l->r[i].cert, x))
			return 1;
	return 0;
}

/* The node of old's TVS record r: by its current TVS, by r's DNSNAME, by nw's same record. */
static int
tvs_node(const struct clview *w, const struct phone_rec *r, const struct phone_itl *nw)
{
	size_t i;
	int k;

	if ((k = clview_tvs_node(w, &r->cert)) >= 0 || (k = cluster_find(w->c, r->dns)) >= 0)
		return k;
	for (i = 0; i < nw->n; i++)
		if (nw->r[i].fn == CTL_FN_TVS && phone_cert_eq(&nw->r[i].cert, &r->cert))
			return cluster_find(w->c, nw->r[i].dns);
	return -1;
}

/* Append to v->reason what TVS record r cannot do. */
static void
why_not(struct phone_verdict *v, const char *node, int presented)
{
	size_t n = strlen(v->reason);

	snprintf(v->reason + n, sizeof(v->reason) - n, "%sTVS %s %s", n > 0 ? "; " : "",
	    node[0] != '\0' ? node : "(unknown node)", presented ?
	    "does not trust the signer" : "was regenerated since");
}

void
phone_judge(const struct phone_itl *old, const struct phone_itl *nw, int direct,
    const char *direct_why, const struct clview *w, int home, struct phone_verdict *v)
{
	char notes[384] = "";
	const char *name;
	size_t i, pass;
	int k, pres;

	memset(v, 0, sizeof(*v));
	v->record = -1;
	if (direct) {
		v->accepted = 1;
		v->path = "direct";
		snprintf(v->reason, sizeof(v->reason), "signed by a SAST certificate of the old file");
		return;
	}
	for (pass = 0; pass < 2; pass++)	/* the phone's own TFTP node's TVS first */
		for (i = 0; i < old->n; i++) {
			if (old->r[i].fn != CTL_FN_TVS)
				continue;
			k = tvs_node(w, &old->r[i], nw);
			if ((pass == 0) != (k == home && home >= 0))
				continue;
			name = k >= 0 ? w->c->v[k].name : old->r[i].dns;
			pres = has_tvs(nw, &old->r[i].cert) ||
			    (k >= 0 && phone_cert_eq(&w->v[k].unit[CLV_TVS], &old->r[i].cert));
			if (pres && k >= 0 && clview_tvs_trusts(w, (size_t)k, &nw->signer)) {
				v->accepted = 1;
				v->path = "tvs";
				snprintf(v->via, sizeof(v->via), "%s", name);
				snprintf(v->reason, sizeof(v->reason), "signer %s is not a SAST "
				    "record of the old file; TVS %s, whose certificate the old "
				    "file holds, trusts it", nw->signer_name, name);
				return;
			}
			snprintf(v->reason, sizeof(v->reason), "%s", notes);
			why_not(v, name, pres);
			snprintf(notes, sizeof(notes), "%s", v->reason);
		}
	snprintf(v->reason, sizeof(v->reason), "%s (signer %s); %s", direct_why,
	    nw->signer_name[0] != '\0' ? nw->signer_name : "unknown",
	    notes[0] != '\0' ? notes : "the old file holds no TVS certificate");
}

int
phone_home(const struct phone_itl *l, const struct clview *w)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->r[i].fn == CTL_FN_TFTP || l->r[i].fn == CTL_FN_CCM_TFTP)
			return cluster_find(w->c, l->r[i].dns);
	return -1;
}

int
phone_judge_files(const struct ctl *old, const struct ctl *nw, const struct clview *w,
    struct phone_verdict *v)
{
	struct phone_itl o, n;
	struct ctl_verify cv;
	const char *why = NULL;
	int rec, direct, rc = -1;

	memset(&o, 0, sizeof(o));
	memset(&n, 0, sizeof(n));
	memset(v, 0, sizeof(*v));
	v->record = -1;
	if (phone_itl_from_ctl(&o, old) != 0 || phone_itl_from_ctl(&n, nw) != 0)
		goto out;
	rc = 0;
	if (!ctl_verify(nw, &cv)) {
		snprintf(v->reason, sizeof(v->reason), "the signature does not verify: %s",
		    cv.error);
		goto out;
	}
	direct = ctl_trusts(old, nw, &rec, &why);
	phone_judge(&o, &n, direct, why, w, phone_home(&o, w), v);
	v->record = direct ? rec : -1;
out:
	phone_itl_free(&o);
	phone_itl_free(&n);
	return rc;
}
