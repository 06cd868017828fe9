/* txnio.c: durability by fsync of what a change wrote and of the directories it changed, never syncfs. */
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
#include "core/diag.h"
#include "core/hash.h"
#include "core/io.h"
#include "store/backup.h"
#include "core/path.h"
#include "store/txnio.h"

static long fail_at = -1, kill_at, steps;
static uid_t euid;
static gid_t egid;
static int ids;

void
txnio_ids(uid_t *uid, gid_t *gid)
{
	/* asked at every staged file: the process's ids do not change */
	if (!ids) {
		euid = geteuid();
		egid = getegid();
		ids = 1;
	}
	*uid = euid;
	*gid = egid;
}

int
txnio_step(const char *what)
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

int
txnio_mkparent(const char *path, int mode)
{
	char *copy = strdup(path);
	int rc = copy != NULL ? path_mkdirs(dirname(copy), mode) : -1;

	free(copy);
	return rc;
}

int
txnio_stage(const char *path, const void *data, size_t len, mode_t mode, uid_t uid, gid_t gid)
{
	uid_t me;
	gid_t my;
	int fd, rc = -1;

	if (mode == AFILE_MODE_DEFAULT)
		mode = 0644;	/* as afile_mode for a new file: never the umask */
	txnio_ids(&me, &my);
	if (txnio_step(path) == 0 &&
	    (fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600)) >= 0) {
		rc = io_writeall(fd, data, len) == 0 ? 0 : -1;
		/* The owner first: the mode (a key's 0600) is then the last word. */
		if (rc == 0 && (uid != me || gid != my) && fchown(fd, uid, gid) != 0 &&
		    errno != EPERM)
			rc = -1;
		if (rc == 0 && (fchmod(fd, mode) != 0 || fsync(fd) != 0))
			rc = -1;
		if (close(fd) != 0 || rc != 0) {
			rc = -1;
			(void)unlink(path);
		}
	}
	if (rc != 0)
		warnf("%s:", path);
	return rc;
}

int
txnio_keep(const char *src, const char *dst, struct stat *st)
{
	if (txnio_step(src) != 0)
		return -1;
	if (lstat(src, st) != 0) {
		warnf("%s:", src);	/* st says nothing: errno does */
		return -1;
	}
	if (!S_ISREG(st->st_mode)) {
		warnf(S_ISLNK(st->st_mode) ? "%s: symbolic link" : "%s: not a regular file", src);
		return -1;
	}
	if (link(src, dst) == 0)
		return 0;
	return backup_copy(src, dst);	/* another filesystem, or no hard links */
}

int
txnio_syncdir(const char *dir)
{
	int fd, rc = -1;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) >= 0) {
		rc = fsync(fd);
		close(fd);
	}
	if (rc != 0)
		warnf("%s: fsync:", dir);
	return rc;
}

void
txnio_rmtree(const char *dir)
{
	char **names, *p;
	size_t i, n;

	if (!path_isdir(dir) || path_list(dir, 1, &names, &n) != 0)
		return;
	for (i = 0; i < n; i++) {
		if ((p = path_join(dir, names[i], NULL)) == NULL)
			continue;
		if (path_isdir(p))
			txnio_rmtree(p);
		else
			(void)unlink(p);
		free(p);
	}
	path_list_free(names, n);
	(void)rmdir(dir);
}

int
txnio_isreg(const char *path)
{
	struct stat st;

	if (lstat(path, &st) != 0) {
		if (errno == ENOENT)
			return 0;
		warnf("%s:", path);
	} else if (S_ISLNK(st.st_mode))
		warnf("%s: symbolic link: not followed", path);
	else if (!S_ISREG(st.st_mode))
		warnf("%s: not a regular file", path);
	else
		return 1;
	return -1;
}

int
txnio_sha(const char *path, char *out)
{
	struct stat st;
	uint8_t *buf;
	size_t len;
	int fd, rc = -1;

	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)) < 0) {
		if (errno == ENOENT)
			return 0;
		warnf(errno == ELOOP ? "%s: symbolic link: not followed" : "%s:", path);
		return -1;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
		warnf("%s: not a regular file", path);
	else if ((buf = io_slurp_fd(fd, path, IO_MAX, &len)) != NULL) {
		rc = hash_hex("sha256", buf, len, 0, out) != NULL ? 1 : -1;
		OPENSSL_cleanse(buf, len);
		free(buf);
		if (rc < 0)
			warnf("%s: cannot hash", path);
	}
	close(fd);
	return rc;
}
