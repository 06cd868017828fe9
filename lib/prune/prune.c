/* prune.c: the selection rules of trust-prune; every rule that keeps a certificate wins. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cucm/cucm.h"
#include "core/diag.h"
#include "prune/prune.h"

static const char *const sel_names[] = { "expired", "expiring", "superseded", "named" };
static const char *const keep_names[] = {
	"bundled-ca", "issuer", "keep-in", "in-use", "private-key", "shares-file", "newest",
	"other-node"
};
#define NSEL	(sizeof(sel_names) / sizeof(sel_names[0]))
#define NKEEP	(sizeof(keep_names) / sizeof(keep_names[0]))

struct grp {
	const char	*unit;
	const uint8_t	*p;
	size_t		 len, i;
};

static int
grpcmp(const void *va, const void *vb)
{
	const struct grp *a = va, *b = vb;
	int r = strcmp(a->unit, b->unit);

	if (r == 0 && a->len != b->len)
		r = a->len < b->len ? -1 : 1;
	if (r == 0)
		r = memcmp(a->p, b->p, a->len);
	return r != 0 ? r : (a->i > b->i) - (a->i < b->i);
}

/* 1 when certificate a is the one CUCM keeps over b: the later notBefore wins. */
static int
newer(const struct trust_cert *a, size_t ai, const struct trust_cert *b, size_t bi)
{
	if (a->dc.not_before != b->dc.not_before)
		return a->dc.not_before > b->dc.not_before;
	if (a->dc.not_after != b->dc.not_after)
		return a->dc.not_after > b->dc.not_after;
	return ai < bi;		/* a tie: the first in file order stays */
}

/* Same subject in one unit: all but the newest are superseded. 0 or -1 (out of memory). */
static int
superseded(struct trust_set *ts)
{
	struct grp *g;
	size_t n = 0, i, a, b, k;

	if ((g = calloc(ts->ncerts + 1, sizeof(*g))) == NULL)
		return -1;
	for (i = 0; i < ts->ncerts; i++)
		if (ts->files[ts->certs[i].file].inscope)
			g[n++] = (struct grp){ ts->files[ts->certs[i].file].unit,
			    ts->certs[i].dc.subject.p, ts->certs[i].dc.subject.len, i };
	qsort(g, n, sizeof(*g), grpcmp);
	for (a = 0; a < n; a = b) {
		for (b = a + 1; b < n && strcmp(g[a].unit, g[b].unit) == 0 &&
		    g[a].len == g[b].len && memcmp(g[a].p, g[b].p, g[a].len) == 0; b++)
			;
		for (k = a, i = a + 1; i < b; i++)
			if (newer(&ts->certs[g[i].i], g[i].i, &ts->certs[g[k].i], g[k].i))
				k = i;
		for (i = a; i < b; i++)
			if (i != k) {
				ts->certs[g[i].i].sel |= PRUNE_SUPERSEDED;
				ts->certs[g[i].i].by = g[k].i;
			}
	}
	free(g);
	return 0;
}

/* The protections that need no signature check. */
static void
protect(struct trust_set *ts, struct trust_cert *c, const struct prune_opts *o)
{
	const struct trust_file *f = &ts->files[c->file];
	struct der_span ser = der_serial_unsigned(&c->dc);
	const char *src;
	char cn[256];

	if (f->kind == TRUST_KEY)
		c->keep |= PRUNE_KEEP_KEY;
	/* CAPF enrols phones with the bundled CAs: never without them (CUCM.md). */
	if (cucm_is_bundled_ca(trustset_cn(c, cn, sizeof(cn))) &&
	    (strcasecmp(f->unit, "CAPF-trust") == 0 || !o->allow_mic_roots))
		c->keep |= PRUNE_KEEP_BUNDLED;
	if (o->keepin != NULL &&
	    (src = ctlset_holds(o->keepin, c->der, c->dc.len, ser.p, ser.len)) != NULL) {
		c->keep |= PRUNE_KEEP_KEEPIN;
		c->held_by = src;
	}
	if (o->unusedby != NULL &&
	    (src = ctlset_holds(o->unusedby, c->der, c->dc.len, ser.p, ser.len)) != NULL) {
		c->keep |= PRUNE_KEEP_INUSE;
		c->held_by = src;
	}
}

long
prune_select(struct trust_set *ts, const struct prune_opts *o, struct issuer *is)
{
	struct trust_cert *c;
	struct trust_file *f;
	size_t i, j;
	long ngo = 0;
	int rc = 0;

	if (superseded(ts) != 0) {
		warnf("%s: out of memory", ts->store);
		return -1;
	}
	for (i = 0; i < ts->ncerts; i++) {
		c = &ts->certs[i];
		if (!ts->files[c->file].inscope)
			continue;
		if (c->dc.not_after < o->now)
			c->sel |= PRUNE_EXPIRED;
		else if (o->window > 0 && c->dc.not_after < o->now + o->window)
			c->sel |= PRUNE_EXPIRING;
		if (c->sel != 0 || o->all)
			protect(ts, c, o);
	}
	if (issuer_mark(is, ts, PRUNE_KEEP_ISSUER) != 0)
		rc = -1;
	for (i = 0; i < ts->nfiles; i++) {
		f = &ts->files[i];
		if (!f->inscope || f->ncerts == 0)
			continue;
		f->go = 1;
		for (j = f->first; j < f->first + f->ncerts; j++)
			if (ts->certs[j].sel == 0 || ts->certs[j].keep != 0)
				f->go = 0;
		for (j = f->first; j < f->first + f->ncerts && !f->go; j++)
			if (ts->certs[j].sel != 0 && ts->certs[j].keep == 0)
				ts->certs[j].keep |= PRUNE_KEEP_FILE;
		ngo += f->go;
	}
	return rc != 0 ? -1 : ngo;
}

int
prune_named(struct trust_set *ts, const char *unit, const char *name, unsigned *keep)
{
	struct trust_file *f;
	size_t i, j, hit = (size_t)-1;

	*keep = 0;
	for (i = 0; i < ts->nfiles; i++) {
		f = &ts->files[i];
		f->go = 0;
		if (strcmp(f->unit, unit) == 0 && strcmp(f->name, name) == 0 && f->ncerts > 0)
			hit = i;
	}
	if (hit == (size_t)-1)
		return 0;
	f = &ts->files[hit];
	for (j = f->first; j < f->first + f->ncerts; j++)
		ts->certs[j].sel |= PRUNE_NAMED;
	/* the newest of a name: what CUCM keeps of several certificates of one subject */
	for (i = 0; i < ts->ncerts; i++)
		if ((ts->certs[i].sel & PRUNE_SUPERSEDED) && ts->certs[i].by >= f->first &&
		    ts->certs[i].by < f->first + f->ncerts)
			ts->certs[ts->certs[i].by].keep |= PRUNE_KEEP_NEWEST;
	for (j = f->first; j < f->first + f->ncerts; j++)
		*keep |= ts->certs[j].keep;
	f->go = 1;
	return 1;
}

static void
join(char *out, size_t outlen, unsigned mask, const char *const *names, size_t n)
{
	size_t i, len;

	for (i = 0; i < n; i++) {
		if (!(mask & (1u << i)))
			continue;
		len = strlen(out);
		snprintf(out + len, outlen - len, "%s%s", len > 0 && out[len - 1] != ':' &&
		    out[len - 1] != '(' ? "," : "", names[i]);
	}
}

char *
prune_why(const struct trust_cert *c, char *out, size_t outlen)
{
	out[0] = '\0';
	if (c->sel != 0 && c->keep == 0) {
		join(out, outlen, c->sel, sel_names, NSEL);
		return out;
	}
	snprintf(out, outlen, c->keep == 0 ? "keep:valid" : "keep:");
	join(out, outlen, c->keep, keep_names, NKEEP);
	if (c->sel != 0) {	/* what it was kept from */
		strncat(out, "(", outlen - strlen(out) - 1);
		join(out, outlen, c->sel, sel_names, NSEL);
		strncat(out, ")", outlen - strlen(out) - 1);
	}
	return out;
}

static const char *
bitname(unsigned bit, const char *const *names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (bit == 1u << i)
			return names[i];
	return NULL;
}

const char *
prune_sel_name(unsigned bit)
{
	return bitname(bit, sel_names, NSEL);
}

const char *
prune_keep_name(unsigned bit)
{
	return bitname(bit, keep_names, NKEEP);
}
