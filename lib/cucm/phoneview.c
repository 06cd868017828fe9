/* phoneview.c: a trust list (or signed file) as a phone sees it: records, certificates, the signer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cucm/phoneview.h"

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
	l->kind = phone_kind(c);
	l->file = c;
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
phone_kind(const struct ctl *c)
{
	return ctl_is_itl(c, NULL) ? PHONE_ITL : PHONE_CTL;
}
