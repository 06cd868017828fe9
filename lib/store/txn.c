/* txn.c: old files kept, new files staged, a manifest, fsyncs; renames in the store last. */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "core/afile.h"
#include "core/diag.h"
#include "core/when.h"
#include "store/backup.h"
#include "core/path.h"
#include "store/storeid.h"
#include "store/txn.h"
#include "store/txnio.h"

#define STAGE ".new"

void
txn_init(struct txn *t, const char *store, const char *tool)
{
	memset(t, 0, sizeof(*t));
	t->store = strdup(store);
	t->tool = tool;
}

/* 1 (diagnosed) when a directory on rel's way down the store is a symlink: it would lead out. */
static int
linked(const char *store, const char *rel)
{
	struct stat st;
	const char *q;
	char *p;
	int bad = 0;

	for (q = strchr(rel, '/'); q != NULL && !bad; q = strchr(q + 1, '/')) {
		if ((p = malloc(strlen(store) + (size_t)(q - rel) + 2)) == NULL)
			return 1;
		sprintf(p, "%s/%.*s", store, (int)(q - rel), rel);
		if ((bad = lstat(p, &st) == 0 && S_ISLNK(st.st_mode)))
			warnf("%s: symbolic link in the store: not followed", p);
		free(p);
	}
	return bad;
}

/* 1 when rel is a plain relative path: no "", "." or ".." component, no tab or newline. */
static int
safe(const char *rel)
{
	const char *p = rel;
	size_t n;

	if (*rel == '\0' || *rel == '/' || strpbrk(rel, "\t\n") != NULL)
		return 0;
	for (;;) {
		n = strcspn(p, "/");
		if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
			return 0;
		if (p[n] == '\0')
			return 1;
		p += n + 1;
	}
}

static struct txn_op *
add(struct txn *t, enum txn_kind kind, const char *rel, const void *data, size_t len, mode_t mode)
{
	struct txn_op *o, *nv;

	if (!safe(rel)) {
		warnf("%s: unsafe path in the store", rel);
		return NULL;
	}
	if (linked(t->store, rel))
		return NULL;
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 8;
		if ((nv = realloc(t->ops, t->cap * sizeof(*nv))) == NULL)
			goto nomem;
		t->ops = nv;
	}
	o = &t->ops[t->n];
	memset(o, 0, sizeof(*o));
	o->kind = kind;
	o->mode = mode;
	o->len = len;
	if ((o->rel = strdup(rel)) == NULL || (len > 0 && (o->data = malloc(len)) == NULL)) {
		free(o->rel);
		goto nomem;
	}
	if (len > 0)
		memcpy(o->data, data, len);
	if (kind != TXN_REMOVE && hash_hex("sha256", data, len, 0, o->new_sha) == NULL) {
		free(o->rel);
		free(o->data);
		goto nomem;
	}
	t->n++;
	return o;
nomem:
	warnf("%s: out of memory", rel);
	return NULL;
}

int
txn_put(struct txn *t, const char *rel, const void *data, size_t len, mode_t mode)
{
	char *p = safe(rel) ? path_join(t->store, rel, NULL) : NULL, sha[2 * HASH_MAX + 1];
	char want[2 * HASH_MAX + 1];
	struct txn_op *o;
	struct stat st;
	int have;

	if (p == NULL)
		return add(t, TXN_PUT, rel, data, len, mode) != NULL ? 0 : -1;	/* diagnoses */
	if (linked(t->store, rel) || (have = txnio_sha(p, sha)) < 0) {
		free(p);
		return -1;
	}
	/* The same bytes (and mode, when one is asked for) already there: nothing to do. */
	if (have && hash_hex("sha256", data, len, 0, want) != NULL && strcmp(sha, want) == 0 &&
	    (mode == AFILE_MODE_DEFAULT || (stat(p, &st) == 0 && (st.st_mode & 0777) == mode))) {
		free(p);
		return 0;
	}
	free(p);
	if ((o = add(t, have ? TXN_REPLACE : TXN_PUT, rel, data, len, mode)) == NULL)
		return -1;
	if (have)
		memcpy(o->old_sha, sha, sizeof(sha));
	return 0;
}

int
txn_remove_read(struct txn *t, const char *rel, const char *sha, const char *note)
{
	char *p, cur[2 * HASH_MAX + 1];
	struct txn_op *o;
	int have;

	if (sha == NULL) {
		if (!safe(rel) || (p = path_join(t->store, rel, NULL)) == NULL)
			return add(t, TXN_REMOVE, rel, NULL, 0, 0) != NULL ? 0 : -1;
		have = linked(t->store, rel) ? -1 : txnio_sha(p, cur);
		free(p);
		if (have <= 0) {
			if (have == 0)
				warnf("%s/%s: no such file", t->store, rel);
			return -1;
		}
		sha = cur;
	}
	if ((o = add(t, TXN_REMOVE, rel, NULL, 0, 0)) == NULL)
		return -1;
	snprintf(o->old_sha, sizeof(o->old_sha), "%s", sha);
	if (note != NULL && (o->note = strdup(note)) == NULL) {
		warnf("%s: out of memory", rel);
		return -1;
	}
	return 0;
}

int
txn_remove(struct txn *t, const char *rel)
{
	return txn_remove_read(t, rel, NULL, NULL);
}

/* Whose the file at rel should be: the file it replaces, else its directory, else the store. */
static void
owner(const struct txn *t, const char *path, uid_t *uid, gid_t *gid)
{
	char *copy = strdup(path);
	struct stat st;

	if (lstat(path, &st) == 0 || (copy != NULL && stat(dirname(copy), &st) == 0) ||
	    stat(t->store, &st) == 0) {
		*uid = st.st_uid;
		*gid = st.st_gid;
	} else {
		*uid = geteuid();
		*gid = getegid();
	}
	free(copy);
}

/* The kept copy still holds what was read when the change was planned. */
static int
unchanged(const char *src, const char *old, const char *want)
{
	char sha[2 * HASH_MAX + 1];

	if (want[0] == '\0' || (txnio_sha(old, sha) == 1 && strcmp(sha, want) == 0))
		return 1;
	warnf("%s: changed since it was read: nothing changed", src);
	return 0;
}

/* Keep the old files and stage the new ones in the backup; nothing in the store changes. */
static int
prepare(struct txn *t)
{
	struct txn_op *o;
	char *src, *old, *new;
	uid_t uid;
	gid_t gid;
	size_t i;
	int rc = 0;

	for (i = 0; rc == 0 && i < t->n; i++) {
		o = &t->ops[i];
		src = path_join(t->store, o->rel, NULL);
		old = path_join(t->backup, o->rel, NULL);
		new = path_join(t->backup, STAGE, o->rel, NULL);
		if (src == NULL || old == NULL || new == NULL)
			rc = -1;
		else if (o->kind != TXN_PUT &&
		    (txnio_keep(src, old) != 0 || !unchanged(src, old, o->old_sha)))
			rc = -1;
		else if (o->kind != TXN_REMOVE) {
			owner(t, src, &uid, &gid);
			rc = txnio_stage(new, o->data, o->len, o->mode == AFILE_MODE_DEFAULT ?
			    afile_mode(src) : o->mode, uid, gid);
		}
		free(src);
		free(old);
		free(new);
	}
	return rc;
}

static int
manifest(const struct txn *t, int64_t now)
{
	struct manifest m = MANIFEST_ZERO;
	char *path = path_join(t->backup, MANIFEST_NAME, NULL);
	char *tmp = path_join(t->backup, MANIFEST_NAME ".tmp", NULL), *text = NULL, iso[32];
	char id[STOREID_LEN + 1];
	size_t i, len = 0;
	int rc = -1;

	m.tool = (char *)t->tool;
	m.time = when_iso(now, iso);
	m.id = id;
	m.undoes = t->undoes;
	/* the store by its id, not its path: a copied or moved store still restores */
	if (storeid_get(t->store, 1, id) != 0)
		goto out;
	for (i = 0; i < t->n; i++)
		if (manifest_add(&m, t->ops[i].kind, t->ops[i].rel, t->ops[i].old_sha,
		    t->ops[i].new_sha, t->ops[i].note) != 0)
			break;
	if (i < t->n || path == NULL || tmp == NULL || (text = manifest_text(&m, &len)) == NULL)
		warnf("%s: out of memory", t->store);
	else if (txnio_stage(tmp, text, len, 0600, geteuid(), getegid()) == 0) {
		/* whole or absent: a restore never reads half a list */
		if ((rc = rename(tmp, path)) != 0)
			warnf("%s:", path);
	}
out:
	m.tool = m.time = m.id = m.undoes = NULL;	/* borrowed */
	manifest_free(&m);
	free(text);
	free(path);
	free(tmp);
	return rc;
}

/* fsync the store directories whose entries the renames changed, and the store itself. */
static int
sync_store(const struct txn *t)
{
	char *p, *dir, *done = NULL;
	size_t i;
	int rc = txnio_step(t->store);

	for (i = 0; rc == 0 && i < t->n; i++) {
		if ((p = path_join(t->store, t->ops[i].rel, NULL)) == NULL)
			return -1;
		dir = dirname(p);
		/* ops come unit by unit: skip the directory just done */
		if (done == NULL || strcmp(done, dir) != 0) {
			rc = txnio_syncdir(dir);
			free(done);
			done = strdup(dir);
		}
		free(p);
	}
	free(done);
	return rc == 0 ? txnio_syncdir(t->store) : -1;
}

/* Put back the state before op o: used to undo renames after a failure. */
static int
undo_one(const struct txn *t, const struct txn_op *o)
{
	char *path = path_join(t->store, o->rel, NULL);
	char *old = path_join(t->backup, o->rel, NULL);
	char *tmp = path_join(t->backup, STAGE, "undo", NULL);
	int rc = -1;

	if (path == NULL || old == NULL || tmp == NULL)
		goto out;
	if (o->kind == TXN_PUT)
		rc = unlink(path);
	else {
		(void)unlink(tmp);
		rc = backup_copy(old, tmp) == 0 && rename(tmp, path) == 0 ? 0 : -1;
	}
out:
	if (rc != 0)
		warnf("%s: could not undo:", path != NULL ? path : o->rel);
	free(path);
	free(old);
	free(tmp);
	return rc;
}

static int
apply(struct txn *t)
{
	struct txn_op *o;
	char *path, *staged;
	size_t i, k;
	int rc = 0;

	for (i = 0; rc == 0 && i < t->n; i++) {
		o = &t->ops[i];
		path = path_join(t->store, o->rel, NULL);
		staged = path_join(t->backup, STAGE, o->rel, NULL);
		if (path == NULL || staged == NULL || txnio_step(path) != 0)
			rc = -1;
		else if (o->kind == TXN_REMOVE ? unlink(path) != 0 :
		    (txnio_mkparent(path, 0755) != 0 || rename(staged, path) != 0)) {
			warnf("%s:", path);
			rc = -1;
		}
		free(path);
		free(staged);
	}
	if (rc == 0 && sync_store(t) == 0)
		return 0;
	if (rc == 0)
		i = t->n + 1;	/* all renamed but not for sure: undo them all */
	/* op i-1 failed; undo 0..i-2 backwards. */
	for (rc = -1, k = i - 1; k-- > 0;)
		if (undo_one(t, &t->ops[k]) != 0)
			rc = -2;
	(void)sync_store(t);
	return rc;
}

int
txn_commit(struct txn *t, int64_t now)
{
	char *stage = NULL, *top = NULL;
	int rc = -1;

	if (t->store == NULL) {
		warnf("out of memory");
		return -1;
	}
	if (t->n == 0)
		return 0;	/* nothing to change: no backup either */
	if ((t->backup = t->bname != NULL ? backup_dir_named(t->store, t->bname) :
	    backup_dir(t->store, t->tool, now)) == NULL)
		return -1;
	if ((stage = path_join(t->backup, STAGE, NULL)) == NULL ||
	    (top = path_join(t->store, ".backup", NULL)) == NULL)
		goto fail;
	if (prepare(t) != 0 || manifest(t, now) != 0 || txnio_step(t->backup) != 0 ||
	    txnio_synctree(t->backup) != 0 || txnio_syncdir(top) != 0)
		goto fail;
	if ((rc = apply(t)) == -2) {
		warnf("%s: the store is half changed: run %s --restore %s", t->store, t->tool,
		    t->backup);
		goto out;
	}
	if (rc == 0) {
		txnio_rmtree(stage);
		goto out;
	}
fail:
	txnio_rmtree(t->backup);	/* the store is as it was: the backup holds nothing of value */
	free(t->backup);
	t->backup = NULL;
	rc = -1;
out:
	free(stage);
	free(top);
	return rc;
}

void
txn_free(struct txn *t)
{
	size_t i;

	for (i = 0; i < t->n; i++) {
		free(t->ops[i].rel);
		free(t->ops[i].note);
		if (t->ops[i].data != NULL)
			OPENSSL_cleanse(t->ops[i].data, t->ops[i].len);
		free(t->ops[i].data);
	}
	free(t->ops);
	free(t->store);
	free(t->backup);
	free(t->undoes);
	memset(t, 0, sizeof(*t));
}
