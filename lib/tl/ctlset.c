/* ctlset.c: CTL/ITL records reduced to what identifies a certificate: its DER, else its serial. */
#include <stdlib.h>
#include <string.h>

#include "tl/ctl.h"
#include "tl/ctlset.h"
#include "core/diag.h"
#include "core/io.h"

static int
add_rec(struct ctlset *s, const struct ctl_rec *r, const char *path)
{
	struct ctlset_ent *e, *ne;
	const struct tlv *cert = &r->f[CTL_R_CERT], *ser = &r->f[CTL_R_SERIAL];
	size_t skip = 0;

	if (cert->val == NULL && ser->val == NULL)
		return 0;	/* a stub record names no certificate */
	if ((ne = realloc(s->e, (s->n + 1) * sizeof(*ne))) == NULL)
		return -1;
	s->e = ne;
	e = &s->e[s->n];
	memset(e, 0, sizeof(*e));
	e->src = path;
	if (cert->val != NULL) {
		if ((e->der = malloc(cert->len ? cert->len : 1)) == NULL)
			return -1;
		memcpy(e->der, cert->val, cert->len);
		e->len = cert->len;
	}
	if (ser->val != NULL) {
		while (skip + 1 < ser->len && ser->val[skip] == 0)
			skip++;
		if (ser->len - skip <= sizeof(e->serial)) {
			e->slen = ser->len - skip;
			memcpy(e->serial, ser->val + skip, e->slen);
		}
	}
	s->n++;
	return 0;
}

int
ctlset_add(struct ctlset *s, const char *path)
{
	struct ctl c;
	uint8_t *buf = NULL;
	size_t i;
	int rc = -1;

	if (ctl_load(path, &buf, &c) != 0)
		goto out;
	for (i = 0; i < c.nrecs; i++)
		if (add_rec(s, &c.recs[i], path) != 0) {
			warnf("%s: out of memory", io_name(path));
			goto out;
		}
	rc = 0;
out:
	ctl_free(&c);
	free(buf);
	return rc;
}

const char *
ctlset_holds(const struct ctlset *s, const uint8_t *der, size_t len, const uint8_t *serial,
    size_t slen)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		const struct ctlset_ent *e = &s->e[i];

		if (e->der != NULL ? e->len == len && memcmp(e->der, der, len) == 0 :
		    e->slen == slen && memcmp(e->serial, serial, slen) == 0)
			return e->src;
	}
	return NULL;
}

void
ctlset_free(struct ctlset *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->e[i].der);
	free(s->e);
	s->e = NULL;
	s->n = 0;
}
