/*
 * clsgn.c: CUCM's TFTP service signs configuration, ring, dial-plan and
 * softkey files with the node's CallManager certificate; after that
 * certificate changes, phones holding the new ITL ignore every file still
 * signed by the old one until the service signs them again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/diag.h"
#include "core/io.h"
#include "cucm/cucm.h"
#include "cucm/phonesgn.h"
#include "load/itlcerts.h"
#include "regen/clsgn.h"
#include "core/path.h"
#include "tl/itlkey.h"
#include "tl/sgn.h"
#include "tl/sgnwrite.h"
#include "tl/signerid.h"

/* The node's CallManager as a signer, in both name forms (made on first use). */
struct signer {
	struct itlcerts		 x;
	struct ctlw_key		 key;
	EVP_PKEY		*pkey;
	struct sgnw_signer	 s[2];		/* CTLW_CUCM, CTLW_CERTUTILS */
	int			 ready[2];
};

static int
signer_get(struct signer *g, const char *dir, int layout, const struct sgnw_signer **out)
{
	char *kp, *cp;
	const uint8_t *der;
	const char *why = NULL;
	size_t len;
	int rc = -1;

	if (g->ready[layout]) {
		*out = &g->s[layout];
		return 0;
	}
	kp = path_join(dir, "CallManager", "CallManager.key", NULL);
	cp = path_join(dir, "CallManager", "CallManager.pem", NULL);
	if (kp == NULL || cp == NULL)
		warnf("%s: out of memory", dir);
	else if (g->pkey == NULL && (itlcerts_load(&g->x, cp) != 0 ||
	    (g->pkey = itlkey_load(kp, NULL)) == NULL || ctlw_key_init(&g->key, g->pkey, &why) != 0))
		;
	else if ((der = itlcerts_get(&g->x, 0, &len)) == NULL)
		warnf("%s: no certificate", cp);
	else if (sgnw_signer_init(&g->s[layout], der, len, layout, &g->key, &why) == 0) {
		g->ready[layout] = 1;
		*out = &g->s[layout];
		rc = 0;
	}
	if (why != NULL)
		warnf("%s: %s", kp, why);
	free(kp);
	free(cp);
	return rc;
}

static void
signer_free(struct signer *g)
{
	int k;

	for (k = 0; k < 2; k++)
		if (g->ready[k])
			sgnw_signer_free(&g->s[k]);
	ctlw_key_free(&g->key);
	EVP_PKEY_free(g->pkey);
	itlcerts_free(&g->x);
}

/* certutils' sgnfile joins RFC 4514 attributes with ',' where CUCM writes ';'. */
static int
layout_of(const struct ctl *f)
{
	const struct tlv *t = &f->hf[CTL_H_SIGNERNAME];

	return t->val != NULL && memchr(t->val, ';', t->len) == NULL &&
	    memchr(t->val, ',', t->len) != NULL ? CTLW_CERTUTILS : CTLW_CUCM;
}

/*
 * 1 when a TFTP or CCM+TFTP record of what phones held before the step (the
 * ITL, and in mixed mode the CTL) names f's signer and its key verifies f.
 */
static int
was_cluster(const struct clsgn_lists *l, const struct ctl *f)
{
	struct sgn_verdict v;

	memset(&v, 0, sizeof(v));
	if (sgn_accepts(l->old, f, &v))
		return 1;
	memset(&v, 0, sizeof(v));
	return l->octl != NULL && sgn_accepts(l->octl, f, &v);
}

/* 1 when some record of t (any role) names f's signer. */
static int
named_in(const struct ctl *t, const struct ctl *f)
{
	size_t k;

	for (k = 0; t != NULL && k < t->nrecs; k++)
		if (signerid_names(&t->recs[k], f))
			return 1;
	return 0;
}

/*
 * A firmware load Cisco signed (FORMAT.md section 7): named as a load, and its
 * signer neither named by a record of the trust lists around the step nor a
 * certificate of the cluster.
 */
static int
cisco_firmware(const char *name, const struct clsgn_lists *l, const struct clview *w,
    const struct ctl *f)
{
	char who[128];

	return cucm_firmware_name(name) && !named_in(l->old, f) && !named_in(l->nitl, f) &&
	    !named_in(l->ctl, f) && !named_in(l->octl, f) &&
	    (w == NULL || w->c == NULL || phonesgn_signer(w, f, who, sizeof(who)) == NULL);
}

/* f (bytes p) signed again into b with the node's CallManager, as it was written. */
static int
resign(const struct ctl *f, const char *dir, uint32_t ts, struct signer *g, struct buf *b)
{
	const struct sgnw_signer *s;
	const struct tlv *fn = &f->hf[CTL_H_FILENAME], *dg = &f->hf[CTL_H_DIGEST];
	struct ctlw_opts o;
	struct ctl c;
	const char *why = NULL;
	char name[256];
	size_t off, len;
	int rc;

	memset(&o, 0, sizeof(o));
	snprintf(name, sizeof(name), "%.*s", fn->val != NULL ? (int)ctl_strlen(fn) : 0,
	    fn->val != NULL ? (const char *)fn->val : "");
	o.filename = name;
	o.digest_code = dg->val != NULL && dg->len == 1 ? dg->val[0] : 1;
	o.digest = ctl_digest_name(o.digest_code);
	o.modulus_code = -1;
	o.timestamp = ts;
	if (o.digest == NULL || signer_get(g, dir, layout_of(f), &s) != 0)
		return -1;
	off = sgn_payload(f, &len);
	rc = sgnw_sign(s, &o, &g->key, f->buf + off, len, b, &c, &why);
	if (rc != 0)
		warnf("%s: %s", dir, why);
	ctl_free(&c);
	return rc;
}

/* Keep the re-signed bytes b of file name (served bytes old) until published. */
static int
keep(struct clsgn *s, const char *name, struct buf *b, uint8_t *old)
{
	void *p;

	if ((p = realloc(s->b, (s->n + 1) * sizeof(*s->b))) == NULL)
		return -1;
	s->b = p;
	if ((p = realloc(s->old, (s->n + 1) * sizeof(*s->old))) == NULL)
		return -1;
	s->old = p;
	if ((p = realloc(s->names, (s->n + 1) * sizeof(*s->names))) == NULL)
		return -1;
	s->names = p;
	if ((s->names[s->n] = strdup(name)) == NULL)
		return -1;
	s->b[s->n] = *b;
	s->old[s->n] = old;
	s->n++;
	return 0;
}

static void
seen_free(struct clsgn_seen *v, size_t n)
{
	size_t k;

	for (k = 0; k < n; k++)
		free(v[k].name);
	free(v);
}

void
clsgn_memo_free(struct clsgn_memo *m)
{
	buf_free(&m->rec);
	seen_free(m->v, m->n);
	seen_free(m->nv, m->nn);
	memset(m, 0, sizeof(*m));
}

/* The TFTP and CCM+TFTP records' certificates of t, concatenated into b. */
static int
tftp_recs(const struct ctl *t, struct buf *b)
{
	const struct tlv *x;
	size_t k;

	for (k = 0; k < t->nrecs; k++) {
		x = &t->recs[k].f[CTL_R_CERT];
		if ((t->recs[k].function == CTL_FN_TFTP || t->recs[k].function == CTL_FN_CCM_TFTP) &&
		    x->val != NULL && buf_add(b, x->val, x->len) != 0)
			return -1;
	}
	return 0;
}

/*
 * The file st (name) as the memo says, unchanged since: 1 phones accepted it
 * directly, 2 a firmware load left alone, 0 not in the memo (or changed).
 */
static int
memo_hit(struct clsgn_memo *m, size_t *j, const char *name, const struct stat *st)
{
	int cmp = 1;

	while (*j < m->n && (cmp = strcmp(m->v[*j].name, name)) < 0)
		(*j)++;
	if (*j < m->n && cmp == 0 && m->v[*j].ino == (unsigned long)st->st_ino &&
	    m->v[*j].size == (long long)st->st_size && m->v[*j].mtime == (long long)st->st_mtime &&
	    m->v[*j].mtime_ns == (long long)st->st_mtim.tv_nsec)
		return m->v[*j].firmware ? 2 : 1;
	return 0;
}

/* Note name (st) as accepted directly (or a firmware load left alone) at this step. 0, or -1. */
static int
memo_add(struct clsgn_memo *m, const char *name, const struct stat *st, int firmware)
{
	struct clsgn_seen *v;

	if ((v = realloc(m->nv, (m->nn + 1) * sizeof(*v))) == NULL)
		return -1;
	m->nv = v;
	v = &m->nv[m->nn];
	if ((v->name = strdup(name)) == NULL)
		return -1;
	v->ino = (unsigned long)st->st_ino;
	v->size = (long long)st->st_size;
	v->mtime = (long long)st->st_mtime;
	v->mtime_ns = (long long)st->st_mtim.tv_nsec;
	v->firmware = firmware;
	m->nn++;
	return 0;
}

/* One file: counted, re-signed into s and pb, or left. 0, or -1. */
static int
one(const struct cluster *c, size_t i, const char *name, const struct clsgn_lists *l,
    const struct clview *w, uint32_t ts, struct clpub *pb, struct clsgn *s, struct signer *g,
    struct clsgn_memo *m, const struct stat *st)
{
	struct sgn_verdict v;
	struct buf b = BUF_ZERO;
	struct ctl f;
	uint8_t *p;
	char *path = path_join(c->v[i].tftpdir, name, NULL);
	size_t len;
	int rc = -1;

	if (path == NULL || (p = io_slurp(path, IO_MAX, &len)) == NULL) {
		free(path);
		return -1;
	}
	memset(&v, 0, sizeof(v));
	if (sgn_parse_any(&f, p, len) != SGN_SIGNED || f.damaged) {
		warnf("%s: not a signed file (version 1.0) that can be re-signed: left as it is",
		    path);
		s->left++;
		rc = 0;
	} else if (phonesgn_judge(l->nitl, l->ctl, &f, w, &v) != 0)
		warnf("%s: out of memory", path);
	else if (v.verified) {
		s->accepted++;
		rc = 0;
		if (v.path != NULL && strcmp(v.path, "direct") == 0 && m != NULL &&
		    memo_add(m, name, st, 0) != 0)
			rc = -1;
	} else if (cisco_firmware(name, l, w, &f)) {
		s->firmware++;
		rc = m != NULL ? memo_add(m, name, st, 1) : 0;
	} else if (!was_cluster(l, &f)) {
		warnf("%s: a phone holding %s's new ITL rejects it and no certificate of the "
		    "cluster signed it: left as it is (%s)", path, c->v[i].name, v.error);
		s->left++;
		rc = 0;
	} else if (resign(&f, c->v[i].dir, ts, g, &b) == 0 && keep(s, name, &b, p) == 0 &&
	    clpub_add(pb, c->v[i].tftpdir, s->names[s->n - 1], s->b[s->n - 1].p,
	    s->b[s->n - 1].len, p, len, 0) == 0) {
		s->resigned++;
		p = NULL;	/* s->old owns it */
		rc = 0;
	}
	if (rc != 0)
		buf_free(&b);
	ctl_free(&f);
	free(p);
	free(path);
	return rc;
}

int
clsgn_node(const struct cluster *c, size_t i, const struct clsgn_lists *ls,
    const struct clview *w, uint32_t ts, struct clpub *pb, struct clsgn *s,
    struct clsgn_memo *m)
{
	struct buf rec = BUF_ZERO;
	struct signer g;
	struct stat st;
	char **names = NULL, *path;
	size_t k, n = 0, l, j = 0;
	int rc = 0, same, hit;

	memset(&g, 0, sizeof(g));
	if (!path_isdir(c->v[i].tftpdir))
		return 0;
	if (tftp_recs(ls->nitl, &rec) != 0 || (ls->ctl != NULL && tftp_recs(ls->ctl, &rec) != 0) ||
	    path_list(c->v[i].tftpdir, 0, &names, &n) != 0) {
		buf_free(&rec);
		return -1;
	}
	same = rec.len == m->rec.len && memcmp(rec.p, m->rec.p, rec.len) == 0;
	for (k = 0; rc == 0 && k < n; k++) {
		l = strlen(names[k]);
		if (l < 4 || strcmp(names[k] + l - 4, ".sgn") != 0 ||
		    (l >= 8 && strcmp(names[k] + l - 8, ".enc.sgn") == 0))
			continue;
		if ((path = path_join(c->v[i].tftpdir, names[k], NULL)) == NULL ||
		    lstat(path, &st) != 0) {
			warnf("%s:", path != NULL ? path : c->v[i].tftpdir);
			rc = -1;
		} else if ((hit = memo_hit(m, &j, names[k], &st)) == 2 || (hit == 1 && same)) {
			*(hit == 2 ? &s->firmware : &s->accepted) += 1;
			rc = memo_add(m, names[k], &st, hit == 2);
		} else
			rc = one(c, i, names[k], ls, w, ts, pb, s, &g, m, &st);
		free(path);
	}
	if (rc == 0) {	/* this step's verdicts are the next step's memo */
		seen_free(m->v, m->n);
		m->v = m->nv, m->n = m->nn;
		m->nv = NULL, m->nn = 0;
		buf_free(&m->rec);
		m->rec = rec;
		rec = (struct buf)BUF_ZERO;
	}
	buf_free(&rec);
	path_list_free(names, n);
	signer_free(&g);
	return rc;
}

void
clsgn_free(struct clsgn *s)
{
	size_t k;

	for (k = 0; k < s->n; k++) {
		buf_free(&s->b[k]);
		free(s->old[k]);
		free(s->names[k]);
	}
	free(s->b);
	free(s->old);
	free(s->names);
	memset(s, 0, sizeof(*s));
}
