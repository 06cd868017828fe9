/* txn.c: old files kept, new files staged, a manifest, one sync; renames in the store last. */
#define _GNU_SOURCE	/* syncfs */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "core/afile.h"
#include "store/backup.h"
#include "core/buf.h"
#include "core/diag.h"
#include "core/io.h"
#include "store/store.h"
#include "store/txn.h"

#define MANIFEST "MANIFEST"
#define STAGE ".new"

static const char *const kinds[] = { "put", "replace", "remove" };

static long fail_at = -1, kill_at, steps;

/*
 * Count one file operation. The CTK_FAIL_AFTER'th fails, and at the
 * CTK_KILL_AFTER'th the process kills itself, so tests can stop a change anywhere.
 */
static int
step(const char *what)
{
	const char *e;

	if (fail_at < 0) {
		fail_at = (e = getenv("CTK_FAIL_AFTER")) != NULL ? atol(e) : 0;
		kill_at = (e = getenv("CTK_KILL_AFTER")) != NULL ? atol(e) : 0;
	}
	steps++;
	if (kill_at > 0 && steps == kill_at)
		raise(SIGKILL);
	if (fail_at > 0 && steps == fail_at) {
		warnf("%s: simulated failure (CTK_FAIL_AFTER=%ld)", what, fail_at);
		return -1;
	}
	return 0;
}

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
			warnf("%s: symbolic link in the store", p);
		free(p);
	}
	return bad;
}

static int
add(struct txn *t, enum txn_kind kind, const char *rel, const void *data, size_t len, mode_t mode)
{
	struct txn_op *o, *nv;

	if (rel[0] == '/' || strstr(rel, "..") != NULL || strpbrk(rel, "\t\n") != NULL) {
		warnf("%s: unsafe path in the store", rel);
		return -1;
	}
	if (linked(t->store, rel))
		return -1;
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
	t->n++;
	return 0;
nomem:
	warnf("%s: out of memory", rel);
	return -1;
}

/* 1 when path holds exactly data[0..len). */
static int
same(const char *path, const uint8_t *data, size_t len)
{
	uint8_t *cur;
	size_t n;
	int eq;

	if (access(path, F_OK) != 0 || (cur = io_slurp(path, IO_MAX, &n)) == NULL)
		return 0;
	eq = n == len && memcmp(cur, data, len) == 0;
	OPENSSL_cleanse(cur, n);
	free(cur);
	return eq;
}

int
txn_put(struct txn *t, const char *rel, const void *data, size_t len, mode_t mode)
{
	char *p = store_join(t->store, rel, NULL);
	int exists = p != NULL && access(p, F_OK) == 0;
	struct stat st;

	/* The same bytes (and mode, when one is asked for) already there: nothing to do. */
	if (exists && same(p, data, len) && (mode == AFILE_MODE_DEFAULT ||
	    (stat(p, &st) == 0 && (st.st_mode & 0777) == mode))) {
		free(p);
		return 0;
	}
	free(p);
	return add(t, exists ? TXN_REPLACE : TXN_PUT, rel, data, len, mode);
}

int
txn_remove(struct txn *t, const char *rel)
{
	return add(t, TXN_REMOVE, rel, NULL, 0, 0);
}

/* rm -r of the backup directory after a failure that left the store untouched. */
static void
rmtree(const char *dir)
{
	char **names, *p;
	size_t i, n;

	if (!store_isdir(dir) || store_list(dir, 1, &names, &n) != 0)
		return;
	for (i = 0; i < n; i++) {
		if ((p = store_join(dir, names[i], NULL)) == NULL)
			continue;
		if (store_isdir(p))
			rmtree(p);
		else
			(void)unlink(p);
		free(p);
	}
	store_list_free(names, n);
	(void)rmdir(dir);
}

/* mkdir -p of path's directory (made durable by the next sync_all). */
static int
mkparent(const char *path, int mode)
{
	char *copy = strdup(path);
	int rc = copy != NULL ? store_mkdirs(dirname(copy), mode) : -1;

	free(copy);
	return rc;
}

/*
 * Make everything written so far durable, in one go: syncfs(2) on Linux is
 * one journal commit where an fsync per file and directory costs one each.
 */
static int
sync_all(const struct txn *t)
{
	int rc = -1;
#ifdef __linux__
	int fd;

	if (step(t->store) == 0 && (fd = open(t->store, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		rc = syncfs(fd);
		close(fd);
	}
#else
	if (step(t->store) == 0) {
		sync();
		rc = 0;
	}
#endif
	if (rc != 0)
		warnf("%s: sync:", t->store);
	return rc;
}

/* A new file with mode 0600 from its creation, then mode; not synced (sync_all does). */
static int
stage(const char *path, const void *data, size_t len, mode_t mode)
{
	mode_t mask;
	int fd, rc = -1;

	if (mode == AFILE_MODE_DEFAULT) {
		mask = umask(0);
		umask(mask);
		mode = 0666 & ~mask;
	}
	if (step(path) == 0 && mkparent(path, 0700) == 0 &&
	    (fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600)) >= 0) {
		rc = io_writeall(fd, data, len) == 0 && fchmod(fd, mode) == 0 ? 0 : -1;
		if (close(fd) != 0 || rc != 0) {
			rc = -1;
			(void)unlink(path);
		}
	}
	if (rc != 0)
		warnf("%s:", path);
	return rc;
}

/* Keep src in the backup as dst: a hard link (no copy to make), else a copy. */
static int
keep(const char *src, const char *dst)
{
	struct stat st;

	if (step(src) != 0)
		return -1;
	if (lstat(src, &st) != 0 || !S_ISREG(st.st_mode)) {
		warnf(S_ISLNK(st.st_mode) ? "%s: symbolic link" : "%s: not a regular file", src);
		return -1;
	}
	if (mkparent(dst, 0700) == 0 && link(src, dst) == 0)
		return 0;
	return backup_copy(src, dst);	/* another filesystem, or no hard links */
}

static int
manifest(const struct txn *t)
{
	struct buf b = BUF_ZERO;
	char *path = store_join(t->backup, MANIFEST, NULL);
	char *tmp = store_join(t->backup, MANIFEST ".tmp", NULL);
	size_t i;
	int rc = -1;

	buf_printf(&b, "# ctlkit change by %s; undo: %s --restore <this directory>\n",
	    t->tool, t->tool);
	for (i = 0; i < t->n; i++)
		buf_printf(&b, "%s\t%s\n", kinds[t->ops[i].kind], t->ops[i].rel);
	if (path == NULL || tmp == NULL || b.err)
		warnf("%s: out of memory", t->store);
	else if (stage(tmp, b.p, b.len, AFILE_MODE_DEFAULT) == 0) {
		/* whole or absent: a restore never reads half a list */
		if ((rc = rename(tmp, path)) != 0)
			warnf("%s:", path);
	}
	buf_free(&b);
	free(path);
	free(tmp);
	return rc;
}

/* Keep the old files and stage the new ones in the backup; nothing in the store changes. */
static int
prepare(struct txn *t)
{
	struct txn_op *o;
	char *src, *old, *new;
	size_t i;
	int rc = 0;

	for (i = 0; rc == 0 && i < t->n; i++) {
		o = &t->ops[i];
		src = store_join(t->store, o->rel, NULL);
		old = store_join(t->backup, o->rel, NULL);
		new = store_join(t->backup, STAGE, o->rel, NULL);
		if (src == NULL || old == NULL || new == NULL ||
		    (o->kind != TXN_PUT && keep(src, old) != 0) ||
		    (o->kind != TXN_REMOVE && stage(new, o->data, o->len, o->mode) != 0))
			rc = -1;
		free(src);
		free(old);
		free(new);
	}
	return rc;
}

/* Put back the state before op i: used to undo renames after a failure. */
static int
undo_one(const struct txn *t, const struct txn_op *o)
{
	char *path = store_join(t->store, o->rel, NULL);
	char *old = store_join(t->backup, o->rel, NULL);
	char *tmp = store_join(t->backup, STAGE, "undo", NULL);
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
		path = store_join(t->store, o->rel, NULL);
		staged = store_join(t->backup, STAGE, o->rel, NULL);
		if (path == NULL || staged == NULL || step(path) != 0)
			rc = -1;
		else if (o->kind == TXN_REMOVE ? unlink(path) != 0 :
		    (mkparent(path, 0755) != 0 || rename(staged, path) != 0)) {
			warnf("%s:", path);
			rc = -1;
		}
		free(path);
		free(staged);
	}
	if (rc == 0 && sync_all(t) == 0)
		return 0;
	if (rc == 0)
		i = t->n + 1;	/* all renamed but not for sure: undo them all */
	/* op i-1 failed; undo 0..i-2 backwards. */
	for (rc = -1, k = i - 1; k-- > 0;)
		if (undo_one(t, &t->ops[k]) != 0)
			rc = -2;
	(void)sync_all(t);
	return rc;
}

int
txn_commit(struct txn *t, int64_t now)
{
	char *stage = NULL;
	int rc = -1;

	if (t->store == NULL) {
		warnf("out of memory");
		return -1;
	}
	if (t->n == 0)
		return 0;	/* nothing to change: no backup either */
	if ((t->backup = backup_dir(t->store, t->tool, now)) == NULL)
		return -1;
	if ((stage = store_join(t->backup, STAGE, NULL)) == NULL)
		goto fail;
	if (prepare(t) != 0 || manifest(t) != 0 || sync_all(t) != 0)
		goto fail;
	if ((rc = apply(t)) == -2) {
		warnf("%s: the store is half changed: run %s --restore %s", t->store, t->tool,
		    t->backup);
		goto out;
	}
	if (rc == 0) {
		rmtree(stage);
		goto out;
	}
fail:
	rmtree(t->backup);	/* the store is as it was: the backup holds nothing of value */
	free(t->backup);
	t->backup = NULL;
	rc = -1;
out:
	free(stage);
	return rc;
}

int
txn_undo(struct txn *t, const char *backup)
{
	char *path = store_join(backup, MANIFEST, NULL), *line, *save, *tab, *old, *cur;
	uint8_t *text = NULL, *data;
	char *lines[4096];
	struct stat st;
	size_t len, n = 0, dlen;
	int rc = -1;

	if (path == NULL)
		goto out;
	if (!store_isdir(backup)) {
		warnf("%s: not a backup directory", backup);
		goto out;
	}
	if (access(path, F_OK) != 0 && errno == ENOENT) {
		rc = 0;		/* stopped before its manifest: the store was never touched */
		goto out;
	}
	if ((text = io_slurp(path, IO_MAX, &len)) == NULL)
		goto out;
	for (line = strtok_r((char *)text, "\n", &save); line != NULL && n < 4096;
	    line = strtok_r(NULL, "\n", &save))
		if (line[0] != '#')
			lines[n++] = line;
	rc = 0;
	while (rc == 0 && n-- > 0) {
		if ((tab = strchr(lines[n], '\t')) == NULL) {
			warnf("%s: bad line \"%s\"", path, lines[n]);
			rc = -1;
			break;
		}
		*tab++ = '\0';
		old = store_join(backup, tab, NULL);
		cur = store_join(t->store, tab, NULL);
		if (old == NULL || cur == NULL)
			rc = -1;
		else if (strcmp(lines[n], "put") == 0) {
			/* absent: the change was killed before it put the file */
			if (access(cur, F_OK) == 0)
				rc = txn_remove(t, tab);
		} else if (strcmp(lines[n], "replace") == 0 || strcmp(lines[n], "remove") == 0) {
			if ((data = io_slurp(old, IO_MAX, &dlen)) == NULL || stat(old, &st) != 0)
				rc = -1;
			else	/* a file already back is left alone */
				rc = txn_put(t, tab, data, dlen, st.st_mode & 0777);
			if (data != NULL)
				OPENSSL_cleanse(data, dlen);
			free(data);
		} else {
			warnf("%s: unknown change \"%s\"", path, lines[n]);
			rc = -1;
		}
		free(old);
		free(cur);
	}
out:
	free(path);
	free(text);
	return rc;
}

void
txn_free(struct txn *t)
{
	size_t i;

	for (i = 0; i < t->n; i++) {
		free(t->ops[i].rel);
		if (t->ops[i].data != NULL)
			OPENSSL_cleanse(t->ops[i].data, t->ops[i].len);
		free(t->ops[i].data);
	}
	free(t->ops);
	free(t->store);
	free(t->backup);
	memset(t, 0, sizeof(*t));
}
