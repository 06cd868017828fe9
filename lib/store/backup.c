/* backup.c: backups are made before anything is replaced, and are never overwritten. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "core/afile.h"
#include "store/backup.h"
#include "core/diag.h"
#include "core/io.h"
#include "store/store.h"
#include "core/when.h"

char *
backup_dir(const char *store, const char *tool, int64_t now)
{
	char stamp[32], name[96], *top, *path = NULL;
	struct stat st;
	struct tm tm;
	int i;

	when_gmtime(now, &tm);
	snprintf(stamp, sizeof(stamp), "%04d%02u%02uT%02u%02u%02uZ", tm.tm_year + 1900,
	    (unsigned)(tm.tm_mon + 1) % 100u, (unsigned)tm.tm_mday % 100u,
	    (unsigned)tm.tm_hour % 100u, (unsigned)tm.tm_min % 100u,
	    (unsigned)tm.tm_sec % 100u);
	if ((top = store_join(store, ".backup", NULL)) == NULL)
		goto nomem;
	if (mkdir(top, 0700) != 0 && errno != EEXIST) {
		warnf("%s:", top);
		free(top);
		return NULL;
	}
	/* A symbolic link planted here would take the backups (old keys) out of the store. */
	if (lstat(top, &st) != 0)
		st.st_mode = 0;
	if (!S_ISDIR(st.st_mode)) {
		warnf("%s: %s", top, S_ISLNK(st.st_mode) ? "symbolic link: not followed" :
		    "not a directory");
		free(top);
		return NULL;
	}
	for (i = 0; i < 1000; i++) {
		if (i == 0)
			snprintf(name, sizeof(name), "%s-%s", stamp, tool);
		else
			snprintf(name, sizeof(name), "%s-%s.%d", stamp, tool, i);
		free(path);
		if ((path = store_join(top, name, NULL)) == NULL)
			goto nomem;
		if (mkdir(path, 0700) == 0) {
			(void)afile_syncdir(path);
			free(top);
			return path;
		}
		if (errno != EEXIST) {
			warnf("%s:", path);
			break;
		}
	}
	if (i == 1000)
		warnf("%s: no free backup name: %s-%s and .1 to .999 are taken (move old backups "
		    "out of %s)", store, stamp, tool, top);
	free(top);
	free(path);
	return NULL;
nomem:
	warnf("%s: out of memory", store);
	free(top);
	return NULL;
}

static int
mkparent(const char *path)
{
	char *copy = strdup(path);
	int rc;

	if (copy == NULL)
		return -1;
	rc = store_mkdirs(dirname(copy), 0700);
	free(copy);
	return rc;
}

int
backup_copy(const char *src, const char *dst)
{
	struct stat st;
	uint8_t buf[65536];
	ssize_t r;
	int in = -1, out = -1, rc = -1;

	if ((in = open(src, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0 || fstat(in, &st) != 0) {
		warnf("%s:", src);
		goto done;
	}
	if (!S_ISREG(st.st_mode)) {
		warnf("%s: not a regular file", src);
		goto done;
	}
	if (mkparent(dst) != 0 ||
	    (out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, st.st_mode & 0777)) < 0) {
		warnf("%s:", dst);
		goto done;
	}
	while ((r = read(in, buf, sizeof(buf))) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 || io_writeall(out, buf, (size_t)r) != 0) {
			warnf("%s:", r < 0 ? src : dst);
			goto done;
		}
	}
	if (fchmod(out, st.st_mode & 0777) != 0 || fsync(out) != 0) {
		warnf("%s:", dst);
		goto done;
	}
	rc = afile_syncdir(dst) == 0 ? 0 : -1;
done:
	if (in >= 0)
		close(in);
	if (out >= 0 && close(out) != 0 && rc == 0) {
		warnf("%s:", dst);
		rc = -1;
	}
	if (rc != 0 && out >= 0)
		(void)unlink(dst);
	OPENSSL_cleanse(buf, sizeof(buf));	/* keys pass through; memset may be elided */
	return rc;
}

/* Open rel below the directory fd dir, one component at a time, never through a link. */
static int
walk(int dir, const char *rel)
{
	char part[256];
	const char *p = rel, *slash;
	size_t n;
	int fd = dup(dir), next;

	while (fd >= 0 && (slash = strchr(p, '/')) != NULL) {
		n = (size_t)(slash - p);
		if (n == 0 || n >= sizeof(part)) {
			close(fd);
			errno = EINVAL;
			return -1;
		}
		memcpy(part, p, n);
		part[n] = '\0';
		next = openat(fd, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		close(fd);
		fd = next;
		p = slash + 1;
	}
	if (fd < 0)
		return -1;
	next = openat(fd, p, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	close(fd);
	return next;
}

uint8_t *
backup_read(const char *bdir, const char *rel, size_t *len, struct stat *stp)
{
	struct stat st;
	uint8_t *buf = NULL;
	char *name = NULL;
	int dir, fd = -1, e;

	if ((dir = open(bdir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0 ||
	    (fd = walk(dir, rel)) < 0) {
		e = errno;
		if (e != ENOENT)
			warnf(e == ELOOP || e == ENOTDIR ? "%s/%s: a symbolic link or not a "
			    "directory on the way: not followed" : "%s/%s:", bdir, rel);
		goto out;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		warnf("%s/%s: not a regular file", bdir, rel);
		e = EINVAL;
		goto out;
	}
	if ((name = store_join(bdir, rel, NULL)) == NULL ||
	    (buf = io_slurp_fd(fd, name, IO_MAX, len)) == NULL) {
		e = EINVAL;
		goto out;
	}
	if (stp != NULL)
		*stp = st;
	e = 0;
out:
	if (dir >= 0)
		close(dir);
	if (fd >= 0)
		close(fd);
	free(name);
	errno = e;
	return buf;
}
