/*
 * clundoview.c: an undo is judged before it is made (and with -n, never made),
 * so the phone rule needs the cluster as the step's restores would leave it:
 * the view of the stores now, with the restores' file changes applied.
 */
#include <stdlib.h>
#include <string.h>

#include "core/diag.h"
#include "core/io.h"
#include "load/itlcerts.h"
#include "regen/clundo.h"
#include "core/path.h"

/* The certificates of bytes p (a unit's PEM, a trust store's file) into x. 1 some, 0 none. */
static int
certs(struct itlcerts *x, const uint8_t *p, size_t len)
{
	const char *why;

	return p != NULL && itlcerts_parse(x, p, len, &why) == 1;
}

/* A trust store's file rel of store changes: what it holds now out, op's bytes in. */
static int
trust_op(struct clview *w, size_t i, const char *store, const struct txn_op *op)
{
	struct itlcerts x = ITLCERTS_ZERO;
	const uint8_t *d;
	uint8_t *now = NULL;
	char *path = path_join(store, op->rel, NULL);
	size_t k, len = 0, dl;
	int rc = -1;

	if (path == NULL)
		goto out;
	if (op->kind != TXN_PUT || path_isreg(path)) {
		if ((now = io_slurp(path, IO_MAX, &len)) == NULL)
			goto out;
		for (k = 0, rc = certs(&x, now, len); rc && k < x.n; k++) {
			d = itlcerts_get(&x, k, &dl);
			clview_trust_drop(w, i, d, dl);
		}
	}
	rc = 0;
	for (k = 0, len = op->kind != TXN_REMOVE && certs(&x, op->data, op->len) ? x.n : 0;
	    rc == 0 && k < len; k++) {
		d = itlcerts_get(&x, k, &dl);
		rc = clview_trust_add(w, i, d, dl);
	}
	if (rc != 0)
		warnf("%s: out of memory", store);
out:
	itlcerts_free(&x);
	free(now);
	free(path);
	return rc;
}

/* A unit's certificate file UNIT/UNIT.pem changes: node i's unit u now op's, or none. */
static int
unit_op(struct clview *w, size_t i, int u, const struct txn_op *op)
{
	struct itlcerts x = ITLCERTS_ZERO;
	const uint8_t *d = NULL;
	size_t dl = 0;
	int rc;

	if (op->kind != TXN_REMOVE && certs(&x, op->data, op->len))
		d = itlcerts_get(&x, 0, &dl);
	rc = clview_unit_set(w, i, u, d, d != NULL ? dl : 0);
	itlcerts_free(&x);
	return rc;
}

int
clundo_view(struct clview *w, size_t i, const struct txn *t)
{
	const struct txn_op *op;
	const char *slash;
	char unit[64];
	size_t k, ul;
	int u;

	for (k = 0; k < t->n; k++) {
		op = &t->ops[k];
		if ((slash = strchr(op->rel, '/')) == NULL || (ul = (size_t)(slash - op->rel)) >=
		    sizeof(unit) - 5)
			continue;
		memcpy(unit, op->rel, ul);
		unit[ul] = '\0';
		if (strcmp(unit, "CallManager-trust") == 0 || strcmp(unit, "Phone-SAST-trust") == 0) {
			if (strchr(slash + 1, '/') == NULL && trust_op(w, i, t->store, op) != 0)
				return -1;
			continue;
		}
		if ((u = clview_unit(unit)) < 0 || strncmp(slash + 1, unit, ul) != 0 ||
		    strcmp(slash + 1 + ul, ".pem") != 0)
			continue;
		if (unit_op(w, i, u, op) != 0) {
			warnf("%s: out of memory", t->store);
			return -1;
		}
	}
	return 0;
}
