/*
 * t_txn.c: the store transaction's lighter commit (lib/store/txn, issue 28): a run's commits
 * to one store read its id once, the backup's directories are made 0700 and fsync'd once
 * each with nothing left of the staging area, a file into a directory the store lacks makes
 * it; and the next backup name after a run's own (lib/store/backup).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/afile.h"
#include "core/path.h"
#include "store/backup.h"
#include "store/txn.h"
#include "store/txnio.h"
#include "test.h"

#define NOW	1798761600	/* 2027-01-01T00:00:00Z */

static char *
mkstore(void)
{
	char tmpl[] = "/tmp/ctk-txn.XXXXXX", *s, *d;
	FILE *f;

	if (mkdtemp(tmpl) == NULL || (s = strdup(tmpl)) == NULL)
		t_fail(__FILE__, __LINE__, "no temporary directory");
	d = path_join(s, "CallManager-trust", NULL);
	assert_int(mkdir(d, 0755), 0);
	free(d);
	d = path_join(s, "CallManager-trust", "old.pem", NULL);
	assert_true((f = fopen(d, "w")) != NULL);
	fputs("old\n", f);
	fclose(f);
	free(d);
	return s;
}

/* mode of store/rel (no link followed), -1 when missing */
static int
mode_of(const char *store, const char *rel)
{
	char *p = path_join(store, rel, NULL);
	struct stat st;
	int m = p != NULL && lstat(p, &st) == 0 ? (int)(st.st_mode & 07777) : -1;

	free(p);
	return m;
}

static char *
slurp(const char *store, const char *rel)
{
	char *p = path_join(store, rel, NULL);
	size_t len;
	char *s = (char *)t_read(p, &len);

	free(p);
	return s;
}

#define assert_file(store, rel, want) \
	do { char *f_ = slurp((store), (rel)); int ok_ = strcmp(f_, (want)) == 0; \
	    free(f_); if (!ok_) t_fail(__FILE__, __LINE__, "%s: not \"%s\"", (rel), (want)); } while (0)

static void
run_commits(void)
{
	struct txnrun run = TXNRUN_ZERO;
	struct txn t;
	char *s = mkstore(), *id, *m, *p, *e;
	int rc;
	FILE *f;

	txn_init(&t, s, "test");
	t.bname = "20270101T000000Z-000-test";
	t.run = &run;
	assert_int(txn_put(&t, "CallManager-trust/new.pem", "new\n", 4, AFILE_MODE_DEFAULT), 0);
	assert_int(txn_remove(&t, "CallManager-trust/old.pem"), 0);
	/* a unit directory the store lacks, two levels down: made 0755 by the commit */
	assert_int(txn_put(&t, "Unit/sub/Unit.key", "key\n", 4, 0600), 0);
	assert_int(txn_commit(&t, NOW), 0);
	assert_str(t.backup, (p = path_join(s, ".backup", "20270101T000000Z-000-test", NULL)));
	free(p);
	txn_free(&t);
	assert_file(s, "CallManager-trust/new.pem", "new\n");
	assert_int(mode_of(s, "CallManager-trust/new.pem"), 0644);
	assert_int(mode_of(s, "CallManager-trust/old.pem"), -1);
	assert_int(mode_of(s, "Unit"), 0755);
	assert_int(mode_of(s, "Unit/sub"), 0755);
	assert_int(mode_of(s, "Unit/sub/Unit.key"), 0600);
	/* the backup: the old file kept in a 0700 directory, the manifest, no staging area left */
	assert_int(mode_of(s, ".backup/20270101T000000Z-000-test"), 0700);
	assert_int(mode_of(s, ".backup/20270101T000000Z-000-test/CallManager-trust"), 0700);
	assert_file(s, ".backup/20270101T000000Z-000-test/CallManager-trust/old.pem", "old\n");
	assert_int(mode_of(s, ".backup/20270101T000000Z-000-test/.new"), -1);
	m = slurp(s, ".backup/20270101T000000Z-000-test/MANIFEST");
	id = slurp(s, ".backup/.id");
	id[STOREID_LEN] = '\0';
	assert_has(m, id);
	assert_int((long long)run.n, 1);
	assert_str(run.v[0].id, id);

	/* the id is the run's now: a damaged .id is not read again within the run */
	p = path_join(s, ".backup", ".id", NULL);
	assert_true((f = fopen(p, "w")) != NULL);
	fputs("damaged\n", f);
	fclose(f);
	txn_init(&t, s, "test");
	t.bname = "20270101T000000Z-001-test";
	t.run = &run;
	assert_int(txn_put(&t, "CallManager-trust/new.pem", "newer\n", 6, AFILE_MODE_DEFAULT), 0);
	assert_int(txn_commit(&t, NOW), 0);
	txn_free(&t);
	free(m);
	m = slurp(s, ".backup/20270101T000000Z-001-test/MANIFEST");
	assert_has(m, id);
	assert_file(s, ".backup/20270101T000000Z-001-test/CallManager-trust/new.pem", "new\n");
	assert_int((long long)run.n, 1);
	/* outside a run it is read, and found damaged: nothing changes */
	txn_init(&t, s, "test");
	assert_int(txn_put(&t, "CallManager-trust/new.pem", "newest\n", 7, AFILE_MODE_DEFAULT), 0);
	t_err_begin();
	rc = txn_commit(&t, NOW);
	e = t_err_end();
	assert_int(rc, -1);
	assert_has(e, "/.backup/.id: not a store id");
	free(e);
	txn_free(&t);
	assert_file(s, "CallManager-trust/new.pem", "newer\n");
	txnrun_free(&run);
	t_rmtree(s);
	free(p);
	free(m);
	free(id);
	free(s);
}

static void
names_after(void)
{
	char *n;

	assert_str((n = backup_name_after("20270101T000000Z-004-cert-regen", "cert-regen", NOW)),
	    "20270101T000000Z-005-cert-regen");
	free(n);
	/* a later second starts at 000; a clock behind keeps prev's second */
	assert_str((n = backup_name_after("20270101T000000Z-004-cert-regen", "cert-regen", NOW + 1)),
	    "20270101T000001Z-000-cert-regen");
	free(n);
	assert_str((n = backup_name_after("20270101T000009Z-004-cert-regen", "cert-regen", NOW)),
	    "20270101T000009Z-005-cert-regen");
	free(n);
	assert_true(backup_name_after("20270101T000000Z-999-cert-regen", "cert-regen", NOW) == NULL);
	assert_true(backup_name_after("not-a-backup", "cert-regen", NOW) == NULL);
}

/* A file planned for removal that is gone by the commit: said by errno, the store left as it was. */
static void
gone_before_commit(void)
{
	struct txn t;
	char *s = mkstore(), *p = path_join(s, "CallManager-trust", "old.pem", NULL), *e, *b;
	int rc;

	txn_init(&t, s, "test");
	assert_int(txn_remove(&t, "CallManager-trust/old.pem"), 0);
	assert_int(txn_put(&t, "CallManager-trust/new.pem", "new\n", 4, AFILE_MODE_DEFAULT), 0);
	assert_int(unlink(p), 0);
	t_err_begin();
	rc = txn_commit(&t, NOW);
	e = t_err_end();
	assert_int(rc, -1);
	/* not "not a regular file" from a stat never made */
	assert_has(e, "CallManager-trust/old.pem: No such file or directory");
	free(e);
	txn_free(&t);
	b = path_join(s, "CallManager-trust", "new.pem", NULL);
	assert_true(access(b, F_OK) != 0);
	free(b);
	t_rmtree(s);
	free(p);
	free(s);
}

const struct t_case t_txn[] = {
	{ "txn: a run's commits: the backup's directories 0700, nothing staged left, the store's id read once", run_commits },
	{ "txn: a removal whose file is gone by the commit: errno said, nothing changed", gone_before_commit },
	{ "txn: the backup name after a run's own: the next rank, or a later second's first", names_after },
	{ NULL, NULL }
};
