/*
 * regencmd.c: cert-regen's sequence over one store, as the CUCM CLI's: checked,
 * locked, confirmed, committed whole, then reported; nothing is changed before
 * the answer, and the CSR file is written only once the store holds its key.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/afile.h"
#include "core/diag.h"
#include "core/json.h"
#include "core/when.h"
#include "cucm/clmember.h"
#include "cucm/plan.h"
#include "regen/regen.h"
#include "regen/regenask.h"
#include "regen/regencl.h"
#include "regen/regencmd.h"
#include "regen/regenout.h"
#include "store/backuplist.h"
#include "store/lock.h"
#include "store/restore.h"
#include "store/txn.h"

/* What one store run holds until it ends. */
struct storerun {
	struct regenjob	 r[REGENCMD_MAXJOBS];
	struct restore	 rs;
	struct lock	 lk;
	struct plan	 pl;
	struct txn	 t;
	struct afile	 af;
	const char	*restored;	/* the backup a restore puts back, as named */
	char		*csr;		/* the CSR's PEM text */
	size_t		 len;
};

/* --list-backups: the store's backups, oldest first, as text or JSON. */
static int
list_backups(const struct regenopts *o, FILE *out)
{
	struct backuplist l;
	struct json j;
	int rc = EXIT_TROUBLE;

	if (backuplist_read(&l, o->run.store) == 0) {
		json_init(&j, out);
		if (o->json)
			backuplist_json(&l, &j);
		else
			backuplist_text(&l, out);
		rc = l.ndamaged > 0 ? EXIT_TROUBLE : EXIT_OK;
	}
	backuplist_free(&l);
	return diag_flush_stdout() == 0 ? rc : EXIT_TROUBLE;
}

/* --restore: the changes that put the backup's files back, into s->t. 0 or -1 (diagnosed). */
static int
restore_prepare(const struct regenopts *o, struct storerun *s)
{
	struct txn *t = &s->t;
	char *path;
	size_t k;
	int rc;

	/* -r last: the newest backup of cert-regen not undone yet */
	if ((path = backuplist_resolve(o->restore, o->run.store, "cert-regen")) == NULL)
		return -1;
	rc = restore_open(&s->rs, path, o->sflag ? o->run.store : NULL);
	free(path);
	s->restored = s->rs.backup;	/* what the prompt and the report name */
	if (rc != 0 || (!o->run.force && clmember_refuse(s->rs.store, "cert-regen") != 0) ||
	    !regenrun_store_ok(&o->run, s->rs.store, &s->pl) ||
	    lock_take(&s->lk, s->rs.store, !o->dry, o->wait, "cert-regen") != 0)
		return -1;
	txn_free(t);
	txn_init(t, s->rs.store, "cert-regen");
	if (restore_plan(&s->rs, t, o->run.force) != 0)
		return -1;
	for (k = 0; k < t->n; k++)
		plan_add_path(&s->pl, t->ops[k].rel, t->ops[k].kind == TXN_REMOVE);
	return 0;
}

/* The question the CUCM CLI asks before a restore, an import or a regeneration. */
static int
confirmed(const struct regenopts *o, const struct storerun *s, char **units, int n)
{
	int yes = o->yes || o->dry;

	if (o->restore != NULL)
		return regenask(yes, o->run.store, "put back the files saved in", &s->restored,
		    1, "restore");
	if (o->run.csr)	/* a CSR changes nothing the services use */
		return 0;
	return regenask(yes, o->run.store, "overwrite any CA signed certificate previously "
	    "imported for", (const char *const *)units, n,
	    o->run.import != NULL ? "import" : "regeneration");
}

/* -o FILE for the CSR: opened (not over an existing file without --force); 0 or -1. */
static int
open_output(const struct regenopts *o, struct afile *af)
{
	if (o->output == NULL || strcmp(o->output, "-") == 0 || o->dry)
		return 0;
	if (!o->run.force && access(o->output, F_OK) == 0) {
		warnf("%s: exists (use --force to replace it)", o->output);
		return -1;
	}
	return afile_open(af, o->output, AFILE_MODE_DEFAULT);
}

/* Up to the answer: the changes listed in s->t under the store's lock. 0 or -1 (diagnosed). */
static int
prepare(struct regenopts *o, struct storerun *s, char **units, int n)
{
	if (when_now(o->now, &o->run.job.now) != 0 || regenrun_refused(&o->run, units, n) != 0)
		return -1;
	if (o->restore != NULL)
		return restore_prepare(o, s);
	if (!regenrun_store_ok(&o->run, o->run.store, &s->pl) ||
	    lock_take(&s->lk, o->run.store, !o->dry, o->wait, "cert-regen") != 0 ||
	    regenrun_prepare(&o->run, units, n, s->r, &s->t, &s->pl) != 0)
		return -1;
	if (!o->run.csr && o->run.import == NULL)
		regenask_ca_signed(s->r, n);
	return 0;
}

/* After the answer: committed, the lock let go, the CSR file written. 0 or -1 (diagnosed). */
static int
commit(const struct regenopts *o, struct storerun *s)
{
	if (o->run.csr && (s->csr = regen_pem('r', s->r[0].csr, &s->len)) == NULL)
		return -1;
	if (open_output(o, &s->af) != 0)
		return -1;
	if (!o->dry && txn_commit(&s->t, o->run.job.now) != 0)
		return -1;
	lock_release(&s->lk);
	if (s->af.fp != NULL && (fwrite(s->csr, 1, s->len, s->af.fp) != s->len ||
	    afile_commit(&s->af, o->run.force)))
		return -1;
	return 0;
}

/* What was done (or would be), on out: the CSR itself when it has no file of its own. */
static void
report(const struct regenopts *o, const struct storerun *s, int n, FILE *out)
{
	struct regenout ro = { .out = out, .store = s->t.store, .restored = s->restored,
	    .csr = s->csr, .dry = o->dry };

	if (o->run.csr && !o->dry && (o->output == NULL || strcmp(o->output, "-") == 0) &&
	    !o->json)
		fputs(o->quiet ? "" : s->csr, out);
	else if (!o->quiet)
		(o->json ? regenout_json : regenout_text)(&ro, s->r, n, &s->t, &s->pl);
}

int
regencmd(struct regenopts *o, char **units, int n, FILE *out)
{
	struct storerun s;
	int i, rc = EXIT_TROUBLE;

	if (o->cluster != NULL)
		return regencl(o, units, n, out);
	if (o->list)
		return list_backups(o, out);
	if (n > REGENCMD_MAXJOBS) {	/* main's usage check: a caller in lib gets told */
		warnf("more than %d units in one run", REGENCMD_MAXJOBS);
		return EXIT_TROUBLE;
	}
	memset(&s, 0, sizeof(s));
	s.pl.version = o->run.job.version;	/* the restarts of the release given (0: the default) */
	s.lk = (struct lock)LOCK_ZERO;
	s.restored = o->restore;
	txn_init(&s.t, o->run.store, "cert-regen");
	if (prepare(o, &s, units, n) == 0 && confirmed(o, &s, units, n) == 0 &&
	    commit(o, &s) == 0) {
		report(o, &s, n, out);
		rc = diag_flush_stdout() == 0 ? EXIT_OK : EXIT_TROUBLE;
	}
	lock_release(&s.lk);
	afile_abort(&s.af);
	for (i = 0; i < n; i++)
		regenjob_free(&s.r[i]);
	txn_free(&s.t);
	restore_free(&s.rs);
	free(s.csr);
	return rc;
}
