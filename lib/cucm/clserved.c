/*
 * clserved.c: private keys never leave a CUCM node, but every TFTP node hands
 * out trust lists: with the node stores holding certificates only, what a
 * store lacks is read from what the cluster serves (CUCM.md "Clusters").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/io.h"
#include "core/path.h"
#include "cucm/clserved.h"

static const char *const names[CLS_N] = { "CallManager", "TVS", "CAPF", "ITLRecovery" };

int
clserved_unit(const char *unit)
{
	int u;

	for (u = 0; u < CLS_N; u++)
		if (strcasecmp(names[u], unit) == 0)
			return u;
	return -1;
}

int
clserved_init(struct clserved *s, const struct clserved_node *nd, size_t n, size_t pub)
{
	s->nd = nd, s->n = n, s->pub = pub;
	return (s->v = calloc(n > 0 ? n : 1, sizeof(*s->v))) == NULL ? -1 : 0;
}

void
clserved_free(struct clserved *s)
{
	size_t i;
	int u;

	for (i = 0; s->v != NULL && i < s->n; i++)
		for (u = 0; u < CLS_N; u++)
			free(s->v[i][u].der);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

const struct clserved_cert *
clserved_get(const struct clserved *s, size_t i, int u)
{
	if (s == NULL || s->v == NULL || i >= s->n || u < 0 || u >= CLS_N)
		return NULL;
	return s->v[i][u].der != NULL ? &s->v[i][u] : NULL;
}

/* The node a record names: its IPADDRESS, else its DNSNAME (the node's name, or its first label). */
static int
rec_node(const struct clserved *s, const struct ctl_rec *r)
{
	const struct tlv *ip = &r->f[CTL_R_IP], *d = &r->f[CTL_R_DNS];
	size_t k, len = d->val != NULL ? ctl_strlen(d) : 0, nl;

	for (k = 0; ip->val != NULL && ip->len == 4 && k < s->n; k++)
		if (s->nd[k].ip != NULL && memcmp(ip->val, s->nd[k].ip, 4) == 0)
			return (int)k;
	for (k = 0; len > 0 && k < s->n; k++) {
		nl = strlen(s->nd[k].name);
		if ((len == nl || (len > nl && d->val[nl] == '.')) &&
		    strncasecmp((const char *)d->val, s->nd[k].name, nl) == 0)
			return (int)k;
		if (len == strlen(s->nd[k].addr) && memcmp(d->val, s->nd[k].addr, len) == 0)
			return (int)k;
	}
	return -1;
}

/* Node k's unit u from a record's certificate, unless s holds one already. */
static int
put(struct clserved *s, int k, int u, const struct tlv *cert)
{
	struct clserved_cert *x;

	if (k < 0 || cert->val == NULL || cert->len == 0)
		return 0;
	x = &s->v[k][u];
	if (x->der != NULL)
		return 0;
	if ((x->der = malloc(cert->len)) == NULL)
		return -1;
	memcpy(x->der, cert->val, cert->len);
	x->len = cert->len;
	return 0;
}

/* 1 when record r's certificate is that of a TFTP or CCM+TFTP record of ct. */
static int
is_tftp_cert(const struct ctl *ct, const struct ctl_rec *r)
{
	const struct tlv *a = &r->f[CTL_R_CERT], *b;
	size_t k;

	for (k = 0; a->val != NULL && k < ct->nrecs; k++) {
		b = &ct->recs[k].f[CTL_R_CERT];
		if ((ct->recs[k].function == CTL_FN_TFTP || ct->recs[k].function == CTL_FN_CCM_TFTP) &&
		    b->val != NULL && b->len == a->len && memcmp(a->val, b->val, a->len) == 0)
			return 1;
	}
	return 0;
}

int
clserved_take(struct clserved *s, size_t i, const struct ctl *ct)
{
	const struct ctl_rec *r;
	const struct tlv *cert;
	int itl = ctl_is_itl(ct, "ITLFile.tlv"), rc = 0;
	size_t k;

	for (k = 0; k < ct->nrecs && rc == 0; k++) {
		r = &ct->recs[k];
		cert = &r->f[CTL_R_CERT];
		switch (r->function) {
		case CTL_FN_TVS:
			rc = put(s, rec_node(s, r), CLS_TVS, cert);
			break;
		case CTL_FN_CAPF:
			rc = put(s, (int)s->pub, CLS_CAPF, cert);
			break;
		case CTL_FN_SAST:	/* ITLRecovery, or the signing CallManager listed again */
			if (!is_tftp_cert(ct, r))
				rc = put(s, (int)s->pub, CLS_ITLREC, cert);
			break;
		case CTL_FN_TFTP:
		case CTL_FN_CCM_TFTP:
			rc = put(s, itl ? (int)i : rec_node(s, r), CLS_CM, cert);
			break;
		default:
			break;
		}
	}
	return rc;
}

/* One served file of node i into s; *bad counted when it does not parse. */
static int
read_one(struct clserved *s, size_t i, const char *path, int *bad)
{
	uint8_t *buf;
	struct ctl ct;
	size_t len;
	int rc = 0;

	if (path == NULL || !path_isreg(path))
		return 0;
	memset(&ct, 0, sizeof(ct));
	if ((buf = io_slurp(path, IO_MAX, &len)) == NULL) {
		(*bad)++;
		return 0;
	}
	if (ctl_parse(&ct, buf, len) != 0 || ct.damaged) {
		rc = ct.oom ? -1 : 0;
		(*bad)++;
	} else
		rc = clserved_take(s, i, &ct);
	ctl_free(&ct);
	free(buf);
	return rc;
}

int
clserved_read(struct clserved *s, char *const *itl, char *const *ctl, int *bad)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (read_one(s, i, itl[i], bad) != 0)
			return -1;
	for (i = 0; i < s->n; i++)
		if (read_one(s, i, ctl[i], bad) != 0)
			return -1;
	return 0;
}
