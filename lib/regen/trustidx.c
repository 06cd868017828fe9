/* trustidx.c: each file parsed once (certfile, no OpenSSL object); a commit's puts and removes applied. */
#include <stdlib.h>
#include <string.h>

#include "core/diag.h"
#include "core/io.h"
#include "load/certfile.h"
#include "regen/trustidx.h"
#include "core/path.h"
#include "x509/dnkey.h"

static void
ent_free(struct trustidx_ent *e)
{
	free(e->name);
	free(e->subject);
	buf_drop(&e->key);
	memset(e, 0, sizeof(*e));
}

/* e (name set) from the file's bytes: its one certificate's subject and key. 0, or -1 out of memory. */
static int
ent_read(struct trustidx_ent *e, const uint8_t *p, size_t len)
{
	struct certfile cf;
	const struct der_span *d;
	int rc = 0;

	certfile_init(&cf, NULL, CERTFILE_AUX);
	if (certfile_read(&cf, p, len, 1) == NULL && cf.ncerts == 1) {
		d = &cf.certs[0].c.subject;
		if ((e->subject = malloc(d->len > 0 ? d->len : 1)) == NULL)
			rc = -1;
		else {
			memcpy(e->subject, d->p, d->len);
			e->slen = d->len;
			if (dnkey_make(d->p, d->len, &e->key) != 0)
				e->key.err = 1;
		}
	}
	certfile_free(&cf);
	return rc;
}

/* A new entry for name (bytes p) at the end of ix. 0, or -1. */
static int
add(struct trustidx *ix, const char *name, const uint8_t *p, size_t len)
{
	struct trustidx_ent *v;

	if ((v = realloc(ix->e, (ix->n + 1) * sizeof(*v))) == NULL)
		return -1;
	ix->e = v;
	v = &ix->e[ix->n];
	memset(v, 0, sizeof(*v));
	if ((v->name = strdup(name)) == NULL || ent_read(v, p, len) != 0) {
		ent_free(v);
		return -1;
	}
	ix->n++;
	return 0;
}

/* Drop name's entry, if any. */
static void
drop(struct trustidx *ix, const char *name)
{
	size_t i;

	for (i = 0; i < ix->n; i++)
		if (strcmp(ix->e[i].name, name) == 0) {
			ent_free(&ix->e[i]);
			ix->e[i] = ix->e[--ix->n];
			return;
		}
}

int
trustidx_load(struct trustidx *ix, const char *store, const char *ts)
{
	char **names = NULL, *path = NULL;
	uint8_t *buf;
	size_t i, n = 0, len;
	int rc = -1;

	trustidx_free(ix);
	ix->ts = ts;
	if ((ix->dir = path_join(store, ts, NULL)) == NULL)
		goto out;
	if (path_isdir(ix->dir) && path_list(ix->dir, 0, &names, &n) != 0)
		goto out;
	for (i = 0; i < n; i++) {
		free(path);
		/* as trust_copy reads a directory: regular files, no writer's temporaries */
		if (strstr(names[i], ".tmp.") != NULL ||
		    (path = path_join(ix->dir, names[i], NULL)) == NULL || !path_isreg(path))
			continue;
		if ((buf = io_slurp(path, IO_MAX, &len)) == NULL)
			continue;
		rc = add(ix, names[i], buf, len);
		free(buf);
		if (rc != 0)
			goto out;
	}
	rc = 0;
out:
	free(path);
	path_list_free(names, n);
	if (rc != 0) {
		warnf("%s: out of memory", store);
		trustidx_free(ix);
	}
	return rc;
}

int
trustidx_apply(struct trustidx *ix, const struct txn *t)
{
	const struct txn_op *op;
	const char *name;
	size_t i, tl;

	if (ix->dir == NULL)
		return 0;
	tl = strlen(ix->ts);
	for (i = 0; i < t->n; i++) {
		op = &t->ops[i];
		if (strncmp(op->rel, ix->ts, tl) != 0 || op->rel[tl] != '/' ||
		    strchr(name = op->rel + tl + 1, '/') != NULL || strstr(name, ".tmp.") != NULL)
			continue;
		drop(ix, name);
		if (op->kind != TXN_REMOVE && add(ix, name, op->data, op->len) != 0) {
			trustidx_free(ix);	/* read again at the next use */
			return -1;
		}
	}
	return 0;
}

void
trustidx_free(struct trustidx *ix)
{
	size_t i;

	for (i = 0; i < ix->n; i++)
		ent_free(&ix->e[i]);
	free(ix->e);
	free(ix->dir);
	memset(ix, 0, sizeof(*ix));
}
