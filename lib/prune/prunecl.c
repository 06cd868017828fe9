/* prunecl.c: one trust change over a cluster's nodes: alike on replicated stores, one backup name, undone whole. */
#include <stdlib.h>
#include <string.h>

#include "core/diag.h"
#include "core/json.h"
#include "core/out.h"
#include "core/when.h"
#include "cucm/plan.h"
#include "prune/prune.h"
#include "prune/prunecl.h"
#include "prune/pruneout.h"
#include "store/backup.h"
#include "store/backuplist.h"
#include "store/issuer.h"
#include "store/lock.h"
#include "store/restore.h"
#include "core/path.h"
#include "store/store.h"
#include "store/trustset.h"
#include "store/txn.h"
#include "tl/ctlset.h"

struct pnode {
	const struct prunecl_node *nd;
	struct trust_set	 ts;
	struct issuer		 is;
	struct txn		 t;
	struct restore		 r;
	int			 has;		/* --delete: holds the file; restore: has the backup */
	unsigned		 keep;		/* --delete: the file's protections */
	long			 ngo;
};

struct run {
	struct pruneout			*po;
	const struct prunecl_opts	*co;
	struct pnode			*v;
	size_t				 n;
	struct lock			*lk;
	struct plan			 pl;
	struct ctlset			 served;
	char				**spaths;	/* the served files' paths (ctlset borrows them) */
	size_t				 nspaths;
	char				*bname;
};

/* Every node's served ITL and CTL into r->served. 0, or -1 (diagnosed: a damaged one: trouble). */
static int
served(struct run *r)
{
	static const char *const rel[] = { "tftp/ITLFile.tlv", "tftp/CTLFile.tlv", "ITLFile.tlv",
	    "CTLFile.tlv" };
	size_t i, k;
	char *p;

	if ((r->spaths = calloc(r->n * 4 + 1, sizeof(*r->spaths))) == NULL)
		return -1;
	for (i = 0; i < r->n; i++)
		for (k = 0; k < 4; k++) {
			if ((p = path_join(r->v[i].nd->store, rel[k], NULL)) == NULL)
				return -1;
			if (!path_isreg(p)) {
				free(p);
				continue;
			}
			r->spaths[r->nspaths++] = p;
			if (ctlset_add(&r->served, p) != 0)
				return -1;
		}
	return 0;
}

/* What a served ITL/CTL holds stays: marked, and its file goes no more. */
static void
protect_served(struct run *r, struct trust_set *ts)
{
	struct trust_cert *c;
	struct der_span ser;
	struct trust_file *f;
	const char *src;
	size_t i, j;

	for (i = 0; i < ts->ncerts; i++) {
		c = &ts->certs[i];
		ser = der_serial_unsigned(&c->dc);
		if (ts->files[c->file].inscope && (src = ctlset_holds(&r->served, c->der,
		    c->dc.len, ser.p, ser.len)) != NULL) {
			c->keep |= PRUNE_KEEP_KEEPIN;
			c->held_by = src;
		}
	}
	for (i = 0; i < ts->nfiles; i++) {
		f = &ts->files[i];
		for (j = f->first; f->go == 1 && j < f->first + f->ncerts; j++)
			if (ts->certs[j].keep != 0)
				f->go = 0;
	}
}

/* A replicated store's file goes on no node unless it goes on every node holding its bytes. */
static void
alike(struct run *r)
{
	struct trust_file *f, *g;
	size_t i, j, a, b, k;

	for (i = 0; i < r->n; i++)
		for (a = 0; a < r->v[i].ts.nfiles; a++) {
			f = &r->v[i].ts.files[a];
			if (f->go != 1 || !pruneout_replicated(f->unit))
				continue;
			for (j = 0; j < r->n && f->go == 1; j++)
				for (b = 0; b < r->v[j].ts.nfiles; b++) {
					g = &r->v[j].ts.files[b];
					if (g->go != 0 || g->sha256[0] == '\0' ||
					    strcmp(g->sha256, f->sha256) != 0 ||
					    strcmp(g->unit, f->unit) != 0)
						continue;
					f->go = 2;	/* 2: kept for another node, not yet counted */
					break;
				}
		}
	for (i = 0; i < r->n; i++)
		for (a = 0; a < r->v[i].ts.nfiles; a++) {
			f = &r->v[i].ts.files[a];
			if (f->go != 2)
				continue;
			f->go = 0;
			r->v[i].ngo--;
			for (k = f->first; k < f->first + f->ncerts; k++)
				r->v[i].ts.certs[k].keep |= PRUNE_KEEP_NODE;
		}
}

/* --delete refused: one line naming the node, the file and what keeps it. */
static void
refuse(const struct pnode *p, const char *del)
{
	const struct trust_file *f;
	const struct trust_cert *c = NULL;
	char why[256];
	unsigned bit;
	size_t i, k;

	for (i = 0; i < p->ts.nfiles; i++) {
		f = &p->ts.files[i];
		for (k = f->first; f->go == 1 && k < f->first + f->ncerts; k++)
			if (p->ts.certs[k].keep & PRUNE_KEEP_DELETE)
				c = &p->ts.certs[k];
	}
	why[0] = '\0';
	for (bit = 1; c != NULL && bit <= PRUNE_KEEP_DELETE; bit <<= 1)
		if (c->keep & PRUNE_KEEP_DELETE & bit)
			snprintf(why + strlen(why), sizeof(why) - strlen(why), "%s%s",
			    why[0] != '\0' ? ", " : "", prune_keep_name(bit));
	if (c != NULL && c->issuer_of != NULL)
		snprintf(why + strlen(why), sizeof(why) - strlen(why), " (issuer of %s)",
		    c->issuer_of);
	if (c != NULL && c->held_by != NULL)
		snprintf(why + strlen(why), sizeof(why) - strlen(why), " (held by %s)", c->held_by);
	warnf("%s%s%s: kept: %s: nothing deleted (-f deletes it anyway)",
	    p->nd->name != NULL ? p->nd->name : "", p->nd->name != NULL ? ": " : "", del, why);
}

/* Read and select on every node (with --delete: mark the named file). 0 or -1. */
static int
select_all(struct run *r, char *const *units, struct prune_opts *o)
{
	char unit[256], *one[2] = { unit, NULL };
	const char *name = NULL;
	struct pnode *p;
	size_t i, k, nhas = 0;
	unsigned keep = 0;

	if (r->co->del != NULL) {
		name = strchr(r->co->del, '/');
		if (name == NULL || name == r->co->del || (size_t)(name - r->co->del) >=
		    sizeof(unit) || strchr(name + 1, '/') != NULL || name[1] == '\0' ||
		    !store_is_trust((snprintf(unit, sizeof(unit), "%.*s",
		    (int)(name - r->co->del), r->co->del), unit))) {
			warnf("--delete %s: not UNIT-trust/FILE", r->co->del);
			return -1;
		}
		name++;
		units = one;
		o->all = 1;	/* the protections of a certificate nothing selects */
	}
	for (i = 0; i < r->n; i++) {
		p = &r->v[i];
		if (trustset_read(&p->ts, p->nd->store, units, TRUSTSET_HASH) != 0 ||
		    (p->ngo = prune_select(&p->ts, o, &p->is)) < 0)
			return -1;
		protect_served(r, &p->ts);
		if (name != NULL) {
			p->has = prune_named(&p->ts, unit, name, &p->keep);
			p->ngo = p->has;
			nhas += (size_t)p->has;
			keep |= p->keep;
		} else
			for (p->ngo = 0, k = 0; k < p->ts.nfiles; k++)
				p->ngo += p->ts.files[k].go == 1;
	}
	if (name == NULL) {
		alike(r);
		return 0;
	}
	if (nhas == 0) {
		warnf("%s: no such certificate file on %s", r->co->del, r->co->cluster != NULL ?
		    "any node" : r->v[0].nd->store);
		return -1;
	}
	if ((keep & PRUNE_KEEP_DELETE) && !r->co->force) {
		for (i = 0; i < r->n; i++)
			if (r->v[i].has && (r->v[i].keep & PRUNE_KEEP_DELETE))
				refuse(&r->v[i], r->co->del);
		return -1;
	}
	return 0;
}

/* Undo the commits of nodes [0, k): a later node failed. */
static void
unwind(struct run *r, size_t k, int64_t now)
{
	struct txn u;

	while (k-- > 0) {
		if (r->v[k].t.backup == NULL)
			continue;
		txn_init(&u, r->v[k].nd->store, "trust-prune");
		if (txn_undo(&u, r->v[k].t.backup) != 0 || txn_commit(&u, now) != 0)
			warnf("%s: could not be undone: run trust-prune -f -r %s", r->v[k].nd->store,
			    r->v[k].t.backup);
		txn_free(&u);
	}
}

/* Commit every node's change under one backup name; 0, or -1 with the others undone. */
static int
commit_all(struct run *r, int64_t now)
{
	const char **stores;
	size_t i, k = 0;
	int rc = -1;

	if ((stores = calloc(r->n + 1, sizeof(*stores))) == NULL)
		return -1;
	for (i = 0; i < r->n; i++)
		if (r->v[i].t.n > 0)
			stores[k++] = r->v[i].nd->store;
	if (k == 0 || (r->bname = backup_name_for(stores, k, "trust-prune", now)) != NULL)
		rc = 0;
	for (i = 0; rc == 0 && i < r->n; i++) {
		r->v[i].t.bname = r->bname;
		if (txn_commit(&r->v[i].t, now) != 0) {
			unwind(r, i, now);
			rc = -1;
		}
	}
	for (i = 0; i < r->n; i++)
		for (k = 0; rc == 0 && k < r->v[i].t.n; k++)
			plan_add_path(&r->pl, r->v[i].t.ops[k].rel,
			    r->v[i].t.ops[k].kind == TXN_REMOVE);
	free(stores);
	return rc;
}

static void
backups_text(const struct run *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (r->v[i].t.backup != NULL) {
			fputs("backup: ", r->po->out);
			out_str(r->po->out, r->v[i].t.backup);
			putc('\n', r->po->out);
		}
}

static void
report(struct run *r, int restore)
{
	struct json *j = r->po->j;
	char t[32];
	size_t i, k;

	if (r->po->quiet && !r->po->json)
		return;
	if (!r->po->json) {
		for (i = 0; i < r->n; i++) {
			if (!restore) {
				pruneout_certs_text(r->po->out, r->v[i].nd->name, &r->v[i].ts,
				    r->po->apply, r->po->verbose);
				continue;
			}
			for (k = 0; r->v[i].has && k < r->v[i].r.m.n; k++) {
				if (r->v[i].nd->name != NULL)
					fprintf(r->po->out, "%s\t", r->v[i].nd->name);
				fprintf(r->po->out, "%s%s\t", r->po->apply ? "" : "would be ",
				    restore_state_name(&r->v[i].r, k));
				out_str(r->po->out, r->v[i].r.m.e[k].path);
				putc('\n', r->po->out);
			}
		}
		backups_text(r);
		if (r->pl.n > 0)
			pruneout_notes_text(r->po->out, &r->pl, NULL);
		pruneout_ccn_text(r->po->out, r->po, &r->pl);
		return;
	}
	json_obj(j);
	json_head(j);
	json_kstr(j, r->co->cluster != NULL ? "cluster" : "store", r->co->cluster != NULL ?
	    r->co->cluster : r->v[0].nd->store);
	json_kstr(j, "now", when_iso(r->po->now, t));
	json_kstr(j, "mode", restore ? "restore" : r->co->del != NULL ? "delete" : "prune");
	json_kbool(j, "dry_run", !r->po->apply);
	json_kstr(j, "backup_name", r->bname);
	json_key(j, "nodes");
	json_arr(j);
	for (i = 0; i < r->n; i++) {
		json_obj(j);
		json_kstr(j, "node", r->v[i].nd->name);
		json_kstr(j, "store", r->v[i].nd->store);
		json_kstr(j, "backup", r->v[i].t.backup);
		if (restore) {
			json_kstr(j, "restored", r->v[i].has ? r->v[i].r.backup : NULL);
			json_key(j, "files");
			json_arr(j);
			for (k = 0; r->v[i].has && k < r->v[i].r.m.n; k++) {
				json_obj(j);
				json_kstr(j, "path", r->v[i].r.m.e[k].path);
				json_kstr(j, "state", restore_state_name(&r->v[i].r, k));
				json_end(j);
			}
			json_end(j);
		} else
			pruneout_certs_json(j, &r->v[i].ts, &r->v[i].is, r->po->apply);
		json_end(j);
	}
	json_end(j);
	pruneout_notes_json(j, &r->pl);
	pruneout_ccn_json(j, r->po, &r->pl);
	json_end(j);
}

static int
start(struct run *r, struct pruneout *po, const struct prunecl_node *nodes, size_t n,
    const struct prunecl_opts *co, int excl)
{
	const char **stores;
	size_t i;
	int rc;

	memset(r, 0, sizeof(*r));
	r->po = po, r->co = co, r->n = n;
	r->pl.mixed = co->mixed;
	if ((r->lk = calloc(n + 1, sizeof(*r->lk))) == NULL) {
		warnf("out of memory");
		return -1;
	}
	for (i = 0; i < n; i++)
		r->lk[i] = (struct lock)LOCK_ZERO;	/* fd -1: nothing to release */
	if ((r->v = calloc(n + 1, sizeof(*r->v))) == NULL ||
	    (stores = calloc(n + 1, sizeof(*stores))) == NULL) {
		warnf("out of memory");
		return -1;
	}
	for (i = 0; i < n; i++) {
		r->v[i].nd = &nodes[i];
		stores[i] = nodes[i].store;
		txn_init(&r->v[i].t, nodes[i].store, "trust-prune");
	}
	rc = lock_all(r->lk, stores, n, excl, co->wait, "trust-prune");
	free(stores);
	return rc;
}

static void
finish(struct run *r)
{
	size_t i;

	for (i = 0; r->lk != NULL && i < r->n; i++)
		lock_release(&r->lk[i]);
	for (i = 0; r->v != NULL && i < r->n; i++) {
		trustset_free(&r->v[i].ts);
		issuer_free(&r->v[i].is);
		txn_free(&r->v[i].t);
		restore_free(&r->v[i].r);
	}
	for (i = 0; i < r->nspaths; i++)
		free(r->spaths[i]);
	free(r->spaths);
	ctlset_free(&r->served);
	free(r->v);
	free(r->lk);
	free(r->bname);
}

int
prunecl_run(struct pruneout *po, const struct prunecl_node *nodes, size_t n,
    char *const *units, struct prune_opts *o, const struct prunecl_opts *co)
{
	struct run r;
	size_t i;
	long ngo = 0;
	int rc = EXIT_TROUBLE;

	if (start(&r, po, nodes, n, co, po->apply) != 0 || served(&r) != 0 ||
	    select_all(&r, units, o) != 0)
		goto out;
	for (i = 0; i < n; i++) {
		ngo += r.v[i].ngo;
		if (po->apply && r.v[i].ngo > 0 && pruneout_changes(&r.v[i].ts, &r.v[i].t) != 0)
			goto out;
	}
	if (po->apply && commit_all(&r, o->now) != 0)
		goto out;
	po->now = o->now;
	report(&r, 0);
	rc = !po->apply && ngo > 0 ? EXIT_FINDINGS : EXIT_OK;
out:
	finish(&r);
	return rc;
}

/* The backup name arg means: "last", the newest of every node's; else its last component. */
static char *
restore_name(struct run *r, const char *arg)
{
	const struct backuplist_ent *e, *best = NULL;
	struct backuplist l[1];
	char *name = NULL;
	const char *p;
	size_t i, n;

	if (strcmp(arg, "last") != 0) {
		for (n = strlen(arg); n > 1 && arg[n - 1] == '/'; n--)
			;
		for (p = arg + n; p > arg && p[-1] != '/'; p--)
			;
		if ((name = strndup(p, (size_t)(arg + n - p))) == NULL)
			warnf("out of memory");
		return name;
	}
	for (i = 0; i < r->n; i++) {
		if (backuplist_read(l, r->v[i].nd->store) != 0 ||
		    (l->ndamaged > 0 && backuplist_last(l, "trust-prune") == NULL)) {
			backuplist_free(l);
			free(name);
			return NULL;
		}
		if ((e = backuplist_newest(l, "trust-prune")) != NULL &&
		    (best == NULL || backup_cmp(e->name, name) > 0)) {
			free(name);
			name = strdup(e->name);
			best = e;
		}
		backuplist_free(l);
	}
	if (best == NULL)
		warnf("%s: no backup of trust-prune left to restore on any node", r->co->cluster);
	return name;
}

int
prunecl_restore(struct pruneout *po, const struct prunecl_node *nodes, size_t n,
    const char *arg, const struct prunecl_opts *co, int64_t now)
{
	struct run r;
	char *name = NULL, *path;
	size_t i, nhas = 0;
	int rc = EXIT_TROUBLE;

	if (start(&r, po, nodes, n, co, po->apply) != 0 || (name = restore_name(&r, arg)) == NULL)
		goto out;
	for (i = 0; i < n; i++) {
		if ((path = path_join(nodes[i].store, ".backup", name, NULL)) == NULL)
			goto out;
		r.v[i].has = path_isdir(path);
		if (r.v[i].has && (restore_open(&r.v[i].r, path, nodes[i].store) != 0 ||
		    restore_plan(&r.v[i].r, &r.v[i].t, co->force) != 0)) {
			free(path);
			goto out;
		}
		free(path);
		nhas += (size_t)r.v[i].has;
	}
	if (nhas == 0) {
		warnf("%s: no node has the backup %s", co->cluster, name);
		goto out;
	}
	if (po->apply && commit_all(&r, now) != 0)
		goto out;
	for (i = 0; !po->apply && i < n; i++)
		for (nhas = 0; nhas < r.v[i].t.n; nhas++)
			plan_add_path(&r.pl, r.v[i].t.ops[nhas].rel,
			    r.v[i].t.ops[nhas].kind == TXN_REMOVE);
	po->now = now;
	report(&r, 1);
	rc = EXIT_OK;
out:
	finish(&r);
	free(name);
	return rc;
}
