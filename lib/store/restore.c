/* restore.c: a backup is read as untrusted input: its store, its paths and its files are all checked. */
#define _GNU_SOURCE	/* memmem */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/crypto.h>

#include "core/afile.h"
#include "core/diag.h"
#include "core/hash.h"
#include "store/backup.h"
#include "store/restore.h"
#include "core/path.h"
#include "store/storeid.h"
#include "store/txnio.h"

/* 1 when name looks like a backup directory's (backup_parse). */
static int
backup_name(const char *name)
{
	char stamp[BACKUP_STAMP_LEN + 1];
	int seq;

	return backup_parse(name, stamp, &seq);
}

/* dirname(dirname(b)) as a new string: the store a backup STORE/.backup/NAME is in. */
static char *
store_of(const char *b)
{
	char *c1 = strdup(b), *c2 = NULL, *s = NULL;

	if (c1 != NULL && (c2 = strdup(dirname(c1))) != NULL)
		s = strdup(dirname(c2));
	free(c1);
	free(c2);
	return s;
}

/* Where the backup is: r->store, r->real. 0, or -1 after a diagnostic. */
static int
locate(struct restore *r)
{
	struct stat st;
	char *rb = NULL, *want = NULL;
	int rc = -1;

	if (lstat(r->backup, &st) != 0 || !S_ISDIR(st.st_mode)) {
		warnf("%s: not a backup directory", r->backup);
		return -1;
	}
	if ((r->store = store_of(r->backup)) == NULL || (rb = realpath(r->backup, NULL)) == NULL ||
	    (r->real = realpath(r->store, NULL)) == NULL) {
		warnf("%s:", r->backup);
		goto out;
	}
	/* The real path of the backup must be the store's .backup/NAME: no link leads elsewhere. */
	if ((want = path_join(r->real, ".backup", NULL)) == NULL ||
	    strncmp(rb, want, strlen(want)) != 0 || rb[strlen(want)] != '/' ||
	    strchr(rb + strlen(want) + 1, '/') != NULL) {
		warnf("%s: not a backup directory (a store's .backup/NAME, no symbolic link "
		    "on the way)", r->backup);
		goto out;
	}
	rc = 0;
out:
	free(rb);
	free(want);
	return rc;
}

/*
 * 1 when the manifest was made for the store the backup is in: the same store
 * id (a copy of the store shares it), or for a manifest of format 2, the same
 * absolute path; else 0 after a diagnostic.
 */
static int
same_store(const struct restore *r)
{
	char id[STOREID_LEN + 1];
	int rc;

	if (r->m.id == NULL) {
		if (r->m.store == NULL || strcmp(r->m.store, r->real) == 0)
			return 1;
		warnf("%s: made for the store %s, found in %s: nothing restored (restore it in "
		    "the store it was made for)", r->backup, r->m.store, r->real);
		return 0;
	}
	if ((rc = storeid_get(r->real, 0, id)) < 0)
		return 0;
	if (rc == 0 && strcmp(id, r->m.id) == 0)
		return 1;
	warnf("%s: made for the store with id %s, found in %s (id %s): nothing restored "
	    "(restore it in the store it was made for, or a copy of it)", r->backup, r->m.id,
	    r->real, rc == 0 ? id : "none");
	return 0;
}

int
restore_open(struct restore *r, const char *backup, const char *store_opt)
{
	char *base, *real_opt;
	size_t n;
	int rc;

	memset(r, 0, sizeof(*r));
	if ((r->backup = strdup(backup)) == NULL) {
		warnf("%s: out of memory", backup);
		return -1;
	}
	while ((n = strlen(r->backup)) > 1 && r->backup[n - 1] == '/')
		r->backup[n - 1] = '\0';
	if (locate(r) != 0)
		return -1;
	base = strrchr(r->backup, '/') != NULL ? strrchr(r->backup, '/') + 1 : r->backup;
	if ((rc = manifest_read(r->backup, &r->m)) < 0)
		return -1;
	if (rc == 1 && !backup_name(base)) {
		warnf("%s: not a backup directory (no MANIFEST)", r->backup);
		return -1;
	}
	r->none = rc == 1;
	if (!r->none && !same_store(r))
		return -1;
	if (store_opt != NULL) {
		real_opt = realpath(store_opt, NULL);
		rc = real_opt != NULL && strcmp(real_opt, r->real) == 0;
		free(real_opt);
		if (!rc) {
			warnf("%s: this backup belongs to the store %s, not to -s %s: nothing "
			    "restored (leave out -s)", r->backup, r->real, store_opt);
			return -1;
		}
		free(r->store);
		if ((r->store = strdup(store_opt)) == NULL) {
			warnf("out of memory");
			return -1;
		}
	}
	if ((r->st = calloc(r->m.n + 1, sizeof(*r->st))) == NULL) {
		warnf("out of memory");
		return -1;
	}
	return 0;
}

/* 1 (diagnosed) when rel could lead outside the store: not plain, or a link on its way down. */
static int
unsafe(const struct restore *r, const char *rel)
{
	struct stat st;
	const char *p = rel;
	char *path;
	size_t n;
	int bad = *rel == '\0' || *rel == '/';

	while (!bad) {
		n = strcspn(p, "/");
		bad = n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.');
		if (bad || (path = malloc(strlen(r->store) + (size_t)(p - rel) + n + 2)) == NULL)
			break;
		sprintf(path, "%s/%.*s", r->store, (int)(p - rel + n), rel);
		if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
			warnf("%s: symbolic link in the store: nothing restored", path);
			free(path);
			return 1;
		}
		free(path);
		if (p[n] == '\0')
			return 0;
		p += n + 1;
	}
	warnf("%s: unsafe path in the manifest (outside the store): nothing restored", rel);
	return 1;
}

/* A key is 0600 whatever the backup says; other files get the tool's default mode. */
static mode_t
mode_for(const char *rel, const uint8_t *data, size_t len)
{
	size_t n = strlen(rel);

	if ((n > 4 && strcmp(rel + n - 4, ".key") == 0) ||
	    memmem(data, len, "PRIVATE KEY", 11) != NULL)
		return 0600;
	return AFILE_MODE_DEFAULT;
}

/* Entry e: its state in *st, its change added to t. 0, or -1 after a diagnostic. */
static int
plan_one(struct restore *r, const struct manifest_ent *e, struct txn *t, int force,
    enum restore_state *st)
{
	char cur[2 * HASH_MAX + 1], sha[2 * HASH_MAX + 1], *path;
	uint8_t *data = NULL;
	size_t len = 0;
	int have, rc = -1;

	if (unsafe(r, e->path) || (path = path_join(r->store, e->path, NULL)) == NULL)
		return -1;
	if ((have = txnio_sha(path, cur)) < 0)
		goto out;
	if (e->kind != TXN_PUT && (data = backup_read(r->backup, e->path, &len, NULL)) == NULL &&
	    errno != ENOENT)
		goto out;
	/* the file as it was before the change: the manifest's hash, else the backup copy's */
	snprintf(sha, sizeof(sha), "%s", e->old_sha);
	if (data != NULL && (hash_hex("sha256", data, len, 0, sha) == NULL ||
	    (e->old_sha[0] != '\0' && strcmp(sha, e->old_sha) != 0))) {
		warnf("%s/%s: the backup copy differs from the manifest: nothing restored",
		    r->backup, e->path);
		goto out;
	}
	if (e->kind == TXN_PUT)
		*st = !have ? RESTORE_IN_PLACE : e->new_sha[0] == '\0' ||
		    strcmp(cur, e->new_sha) == 0 ? RESTORE_DO : RESTORE_REFUSED;
	else if (have && sha[0] != '\0' && strcmp(cur, sha) == 0)
		*st = RESTORE_IN_PLACE;
	else
		*st = !have || e->kind == TXN_REMOVE ? (have ? RESTORE_REFUSED : RESTORE_DO) :
		    e->new_sha[0] == '\0' || strcmp(cur, e->new_sha) == 0 ? RESTORE_DO :
		    RESTORE_REFUSED;
	if (*st == RESTORE_REFUSED) {
		r->nrefused++;
		warnf("%s: a different file is at this path%s", path, force ? ": replaced "
		    "(kept in the restore's backup)" : " (--force puts the backup's copy back; "
		    "the other is kept in the restore's own backup)");
		if (!force) {
			rc = 0;
			goto out;
		}
		*st = RESTORE_DO;
	}
	if (*st == RESTORE_DO && e->kind != TXN_PUT && data == NULL) {
		warnf("%s: neither in the backup nor in the store: nothing restored", path);
		goto out;
	}
	if (*st != RESTORE_DO)
		rc = 0;
	else if (e->kind == TXN_PUT)
		rc = txn_remove_read(t, e->path, cur, NULL);
	else
		rc = txn_put(t, e->path, data, len, mode_for(e->path, data, len));
out:
	if (data != NULL)
		OPENSSL_cleanse(data, len);
	free(data);
	free(path);
	return rc;
}

int
restore_plan(struct restore *r, struct txn *t, int force)
{
	const char *base = strrchr(r->backup, '/');
	size_t i;

	free(t->undoes);	/* the restore's own backup names the one it puts back */
	if ((t->undoes = strdup(base != NULL ? base + 1 : r->backup)) == NULL) {
		warnf("out of memory");
		return -1;
	}
	/* Backwards: the last change is undone first. */
	for (i = r->m.n; i-- > 0;)
		if (plan_one(r, &r->m.e[i], t, force, &r->st[i]) != 0)
			return -1;
	if (r->nrefused > 0 && !force) {
		warnf("%s: %zu file%s changed since the backup: nothing restored", r->store,
		    r->nrefused, r->nrefused == 1 ? "" : "s");
		return -1;
	}
	return 0;
}

const char *
restore_state_name(const struct restore *r, size_t i)
{
	switch (r->st[i]) {
	case RESTORE_DO:
		return r->m.e[i].kind == TXN_PUT ? "removed" : "restored";
	case RESTORE_IN_PLACE:
		return "in-place";
	default:
		return "refused";
	}
}

void
restore_free(struct restore *r)
{
	manifest_free(&r->m);
	free(r->backup);
	free(r->store);
	free(r->real);
	free(r->st);
	memset(r, 0, sizeof(*r));
}

int
txn_undo(struct txn *t, const char *backup)
{
	struct restore r;
	int rc;

	rc = restore_open(&r, backup, t->store) == 0 && restore_plan(&r, t, 0) == 0 ? 0 : -1;
	restore_free(&r);
	return rc;
}
