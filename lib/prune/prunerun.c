/* prunerun.c: trust-prune's runs: select and remove in one change under the store lock; restore. */
#include <stdlib.h>
#include <string.h>

#include "core/diag.h"
#include "cucm/clmember.h"
#include "cucm/plan.h"
#include "prune/prune.h"
#include "prune/pruneout.h"
#include "prune/prunerun.h"
#include "store/backuplist.h"
#include "store/issuer.h"
#include "store/lock.h"
#include "store/restore.h"
#include "core/path.h"
#include "store/trustset.h"
#include "store/txn.h"

int
prunerun_mixed(const char *store)
{
	char *a = path_join(store, "CTLFile.tlv", NULL);
	char *b = path_join(store, "tftp", "CTLFile.tlv", NULL);
	int m = (a != NULL && path_isreg(a)) || (b != NULL && path_isreg(b));

	free(a);
	free(b);
	return m;
}

int
prunerun(struct pruneout *po, const char *store, char *const *units, const struct prune_opts *o,
    int wait)
{
	struct trust_set ts;
	struct issuer is = ISSUER_ZERO;
	struct lock lk = LOCK_ZERO;
	struct plan pl;
	struct txn t;
	long ngo = 0;
	size_t i;
	int trouble = 0;

	memset(&pl, 0, sizeof(pl));
	memset(&ts, 0, sizeof(ts));
	pl.mixed = prunerun_mixed(store);
	txn_init(&t, store, "trust-prune");
	/* a dry run reads under a shared lock: never a half-done change of another tool */
	if (lock_take(&lk, store, po->apply, wait, "trust-prune") != 0 ||
	    trustset_read(&ts, store, units, po->apply ? TRUSTSET_HASH : 0) != 0) {
		trouble = 1;
		goto out;
	}
	for (i = 0; i < ts.nfiles; i++) {
		trouble |= ts.files[i].inscope && ts.files[i].kind == TRUST_BAD;
		if (ts.files[i].inscope && ts.files[i].kind == TRUST_LINK && !po->quiet)
			warnf("%s: symbolic link: not followed, left in place", ts.files[i].path);
	}
	if ((ngo = prune_select(&ts, o, &is)) < 0) {
		trouble = 1;
		if (po->apply)
			warnf("%s: nothing moved: the issuers of the own certificates are unknown",
			    store);
	} else if (po->apply && ngo > 0) {
		if (pruneout_changes(&ts, &t) != 0 || txn_commit(&t, o->now) != 0) {
			trouble = 1;
			for (i = 0; i < ts.nfiles; i++)	/* nothing went: report nothing as gone */
				ts.files[i].go = ts.files[i].go == 1 ? 2 : ts.files[i].go;
		} else
			for (i = 0; i < t.n; i++)
				plan_add_path(&pl, t.ops[i].rel, 1);
	}
	lock_release(&lk);
	po->now = o->now;
	pruneout_report(po, &ts, &is, &pl, t.backup);
out:
	lock_release(&lk);
	trustset_free(&ts);
	issuer_free(&is);
	txn_free(&t);
	return trouble ? EXIT_TROUBLE : !po->apply && ngo > 0 ? EXIT_FINDINGS : EXIT_OK;
}

int
prunerun_restore(struct pruneout *po, const char *bdir, const char *store, int force,
    int64_t now, int wait)
{
	int dry = !po->apply;
	struct restore r;
	struct lock lk = LOCK_ZERO;
	struct plan pl;
	struct txn t;
	char *path = NULL;
	size_t i;
	int rc = EXIT_TROUBLE;

	memset(&pl, 0, sizeof(pl));
	memset(&r, 0, sizeof(r));
	txn_init(&t, ".", "trust-prune");
	if ((path = backuplist_resolve(bdir, store != NULL ? store : ".", "trust-prune")) == NULL ||
	    restore_open(&r, path, store) != 0 ||
	    (!force && clmember_refuse(r.store, "trust-prune") != 0) ||
	    lock_take(&lk, r.store, !dry, wait, "trust-prune") != 0)
		goto out;
	txn_free(&t);
	txn_init(&t, r.store, "trust-prune");
	pl.mixed = prunerun_mixed(r.store);
	if (restore_plan(&r, &t, force) != 0 || (!dry && txn_commit(&t, now) != 0))
		goto out;
	lock_release(&lk);
	for (i = 0; i < t.n; i++)
		plan_add_path(&pl, t.ops[i].rel, t.ops[i].kind == TXN_REMOVE);
	pruneout_restore(po, &r, &t, &pl);
	rc = EXIT_OK;
out:
	lock_release(&lk);
	restore_free(&r);
	txn_free(&t);
	free(path);
	return rc;
}

int
prunerun_list(struct pruneout *po, const char *store)
{
	struct backuplist l;
	int rc = EXIT_TROUBLE;

	memset(&l, 0, sizeof(l));
	if (!path_isdir(store))
		warnf("%s: not a directory", store);
	else if (backuplist_read(&l, store) == 0) {
		if (po->json)
			backuplist_json(&l, po->j);
		else
			backuplist_text(&l, po->out);
		rc = l.ndamaged > 0 ? EXIT_TROUBLE : EXIT_OK;
	}
	backuplist_free(&l);
	return rc;
}

