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
	struct txn_op *o;
	char *p;
	int have;

	if (sha == NULL) {
		if (!safe(rel) || (p = path_join(t->store, rel, NULL)) == NULL)
			return add(t, TXN_REMOVE, rel, NULL, 0, 0) != NULL ? 0 : -1;
		have = linked(t->store, rel) ? -1 : txnio_isreg(p);
		free(p);
		if (have <= 0) {
			if (have == 0)
				warnf("%s/%s: no such file", t->store, rel);
			return -1;
		}
	}
	if ((o = add(t, TXN_REMOVE, rel, NULL, 0, 0)) == NULL)
		return -1;
	o->unread = sha == NULL;
	snprintf(o->old_sha, sizeof(o->old_sha), "%s", sha != NULL ? sha : "");
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

/*
 * Whose the file at path should be, and its mode when unsaid: the file it
 * replaces (st, its lstat, when have), else its directory, else the store.
 */
static void
owner(const struct txn *t, const char *path, const struct stat *old, uid_t *uid, gid_t *gid,
    mode_t *mode)
{
	char *copy = NULL;
	struct stat st;
	int have = old != NULL || lstat(path, &st) == 0;

	if (old != NULL)
		st = *old;
	*mode = afile_mode_of(have ? &st : NULL);
	if (!have && ((copy = strdup(path)) == NULL || stat(dirname(copy), &st) != 0) &&
	    stat(t->store, &st) != 0)
		txnio_ids(&st.st_uid, &st.st_gid);
	*uid = st.st_uid;
	*gid = st.st_gid;
	free(copy);
}

static void
forget_made(struct txn *t)
{
	size_t k;

	for (k = 0; k < t->nmade; k++)
		free(t->made[k]);
	free(t->made);
	t->made = NULL;
	t->nmade = 0;
}

/*
 * mkdir -p of rel's directory inside the backup, which this commit made: each
 * directory made once (0700) and remembered, none looked at again.
 */
static int
bdir(struct txn *t, const char *rel)
{
	static mode_t um = (mode_t)-1;
	struct stat st;
	const char *q;
	char *sub, *p, **v;
	size_t k;
	int rc;

	if (um == (mode_t)-1) {
		um = umask(0);
		(void)umask(um);
	}
	for (q = strchr(rel, '/'); q != NULL; q = strchr(q + 1, '/')) {
		for (k = 0; k < t->nmade; k++)
			if (strlen(t->made[k]) == (size_t)(q - rel) &&
			    strncmp(t->made[k], rel, (size_t)(q - rel)) == 0)
				break;
		if (k < t->nmade)
			continue;
		if ((sub = strndup(rel, (size_t)(q - rel))) == NULL ||
		    (v = realloc(t->made, (t->nmade + 1) * sizeof(*v))) == NULL) {
			free(sub);
			warnf("%s: out of memory", t->backup);
			return -1;
		}
		t->made = v;
		if ((p = path_join(t->backup, sub, NULL)) == NULL)
			rc = -1;
		else if (mkdir(p, 0700) == 0)	/* exactly 0700, whatever the umask */
			rc = (um & 0700) != 0 ? chmod(p, 0700) : 0;
		else
			rc = errno == EEXIST && lstat(p, &st) == 0 && S_ISDIR(st.st_mode) ? 0 : -1;
		if (rc != 0) {
			warnf("%s:", p != NULL ? p : t->backup);
			free(sub);
			free(p);
			return -1;
		}
		free(p);
		t->made[t->nmade++] = sub;
	}
	return 0;
}

/*
 * The kept copy still holds what was read when the change was planned; a
 * removal planned unread (txn_remove) takes its hash from it instead.
 */
static int
unchanged(const char *src, const char *old, struct txn_op *o)
{
	char sha[2 * HASH_MAX + 1];

	if (o->unread)
		return txnio_sha(old, o->old_sha) == 1;	/* diagnosed when not */
	if (o->old_sha[0] == '\0' || (txnio_sha(old, sha) == 1 && strcmp(sha, o->old_sha) == 0))
		return 1;
	warnf("%s: changed since it was read: nothing changed", src);
	return 0;
}

/* Keep the old files and stage the new ones in the backup; nothing in the store changes. */
static int
prepare(struct txn *t)
{
	struct txn_op *o;
	struct stat st;
	char *src, *old, *new, *srel;
	mode_t mode;
	uid_t uid;
	gid_t gid;
	size_t i;
	int rc = 0;

	for (i = 0; rc == 0 && i < t->n; i++) {
		o = &t->ops[i];
		src = path_join(t->store, o->rel, NULL);
		old = path_join(t->backup, o->rel, NULL);
		new = path_join(t->backup, STAGE, o->rel, NULL);
		srel = path_join(STAGE, o->rel, NULL);
		if (src == NULL || old == NULL || new == NULL || srel == NULL)
			rc = -1;
		else if (o->kind != TXN_PUT && (bdir(t, o->rel) != 0 ||
		    txnio_keep(src, old, &st) != 0 || !unchanged(src, old, o)))
			rc = -1;
		else if (o->kind != TXN_REMOVE) {
			owner(t, src, o->kind == TXN_REPLACE ? &st : NULL, &uid, &gid, &mode);
			rc = bdir(t, srel) != 0 ? -1 : txnio_stage(new, o->data, o->len,
			    o->mode == AFILE_MODE_DEFAULT ? mode : o->mode, uid, gid);
		}
		free(src);
		free(old);
		free(new);
		free(srel);
	}
	return rc;
}

/* What t's run knows of its store, or NULL. */
static struct txnrun_store *
known(const struct txn *t)
{
	size_t i;

	for (i = 0; t->run != NULL && i < t->run->n; i++)
		if (strcmp(t->run->v[i].store, t->store) == 0)
			return &t->run->v[i];
	return NULL;
}

/* The store's id: the run's, else read (made if none) and, in a run, kept. 0 or -1 (diagnosed). */
static int
known_id(const struct txn *t, char id[STOREID_LEN + 1])
{
	struct txnrun_store *k = known(t), *v;
	struct txnrun *r = t->run;

	if (k != NULL) {
		memcpy(id, k->id, sizeof(k->id));
		return 0;
	}
	if (storeid_get(t->store, 1, id) != 0)
		return -1;
	if (r == NULL)
		return 0;
	if (r->n == r->cap) {
		if ((v = realloc(r->v, (r->cap ? 2 * r->cap : 8) * sizeof(*v))) == NULL)
			return 0;	/* not kept: read again next time */
		r->v = v;
		r->cap = r->cap ? 2 * r->cap : 8;
	}
	if ((r->v[r->n].store = strdup(t->store)) != NULL)
		memcpy(r->v[r->n++].id, id, STOREID_LEN + 1);
	return 0;
}

static int
manifest(const struct txn *t, int64_t now)
{
	struct manifest m = MANIFEST_ZERO;
	char *path = path_join(t->backup, MANIFEST_NAME, NULL);
	char *tmp = path_join(t->backup, MANIFEST_NAME ".tmp", NULL), *text = NULL, iso[32];
	char id[STOREID_LEN + 1];
	size_t i, len = 0;
	uid_t uid;
	gid_t gid;
	int rc = -1;

	m.tool = (char *)t->tool;
	m.time = when_iso(now, iso);
	m.id = id;
	m.undoes = t->undoes;
	/* the store by its id, not its path: a copied or moved store still restores */
	if (known_id(t, id) != 0)
		goto out;
	for (i = 0; i < t->n; i++)
		if (manifest_add(&m, t->ops[i].kind, t->ops[i].rel, t->ops[i].old_sha,
		    t->ops[i].new_sha, t->ops[i].note) != 0)
			break;
	if (i < t->n || path == NULL || tmp == NULL || (text = manifest_text(&m, &len)) == NULL)
		warnf("%s: out of memory", t->store);
	else if (txnio_ids(&uid, &gid), txnio_stage(tmp, text, len, 0600, uid, gid) == 0) {
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

/*
 * fsync the store directories whose entries the renames changed: each op's
 * directory, and the store itself when an op is at its top or the renames
 * made directories (then every directory on the way too).
 */
static int
sync_store(const struct txn *t)
{
	char *p, *dir, *done = NULL;
	size_t i;
	int rc = txnio_step(t->store), top = t->grew;

	for (i = 0; rc == 0 && i < t->n; i++) {
		if (strchr(t->ops[i].rel, '/') == NULL) {
			top = 1;
			continue;
		}
		if ((p = path_join(t->store, t->ops[i].rel, NULL)) == NULL) {
			free(done);
			return -1;
		}
		dir = dirname(p);
		/* ops come unit by unit: skip the directory just done */
		if (done == NULL || strcmp(done, dir) != 0) {
			rc = txnio_syncdir(dir);
			free(done);
			done = strdup(dir);
			/* directories made on the way: each one's entry is in the one above */
			for (dir = dirname(dir); t->grew && rc == 0 && strlen(dir) > strlen(t->store);
			    dir = dirname(dir))
				rc = txnio_syncdir(dir);
		}
		free(p);
	}
	free(done);
	return rc != 0 ? -1 : top ? txnio_syncdir(t->store) : 0;
}

/* rename staged to path, making path's directories (0755) when it has none. */
static int
into(struct txn *t, const char *staged, const char *path)
{
	if (rename(staged, path) == 0)
		return 0;
	if (errno != ENOENT || txnio_mkparent(path, 0755) != 0)
		return -1;
	t->grew = 1;
	return rename(staged, path);
}

/* 1 when rel, a directory of the backup, is the stage or below it. */
static int
staging(const char *rel)
{
	size_t n = sizeof(STAGE) - 1;

	return strncmp(rel, STAGE, n) == 0 && (rel[n] == '\0' || rel[n] == '/');
}

/* The backup's directories, made by this commit, fsync'd deepest first (.new's never: its files leave by rename). */
static int
sync_backup(const struct txn *t)
{
	char *p;
	size_t k;
	int rc = 0;

	for (k = t->nmade; rc == 0 && k-- > 0;) {
		if (staging(t->made[k]))
			continue;
		if ((p = path_join(t->backup, t->made[k], NULL)) == NULL)
			return -1;
		rc = txnio_syncdir(p);
		free(p);
	}
	return rc == 0 ? txnio_syncdir(t->backup) : -1;
}

/* Remove the emptied stage, its directories known: deepest first; anything left, rm -r. */
static void
unstage(const struct txn *t, const char *stage)
{
	char *p;
	size_t k;
	int rc = 0;

	for (k = t->nmade; rc == 0 && k-- > 0;) {
		if (!staging(t->made[k]))
			continue;
		if ((p = path_join(t->backup, t->made[k], NULL)) == NULL || rmdir(p) != 0)
			rc = -1;
		free(p);
	}
	if (rc != 0)
		txnio_rmtree(stage);
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
		else if (o->kind == TXN_REMOVE ? unlink(path) != 0 : into(t, staged, path) != 0) {
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
	t->grew = 0;
	forget_made(t);
	if ((t->backup = t->bname != NULL ? backup_dir_at(t->store, t->bname, known(t) != NULL) :
	    backup_dir(t->store, t->tool, now)) == NULL)
		return -1;
	if ((stage = path_join(t->backup, STAGE, NULL)) == NULL ||
	    (top = path_join(t->store, ".backup", NULL)) == NULL)
		goto fail;
	if (prepare(t) != 0 || manifest(t, now) != 0 || txnio_step(t->backup) != 0 ||
	    sync_backup(t) != 0 || txnio_syncdir(top) != 0)
		goto fail;
	if ((rc = apply(t)) == -2) {
		warnf("%s: the store is half changed: run %s --restore %s", t->store, t->tool,
		    t->backup);
		goto out;
	}
	if (rc == 0) {
		unstage(t, stage);
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
	forget_made(t);
	free(t->store);
	free(t->backup);
	free(t->undoes);
	memset(t, 0, sizeof(*t));
}

void
txnrun_free(struct txnrun *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		free(r->v[i].store);
	free(r->v);
	memset(r, 0, sizeof(*r));
}
