/* afile.c: temp file in the target's directory (rename never crosses a filesystem), fsync, rename. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/afile.h"
#include "core/diag.h"

int
afile_syncdir(const char *path)
{
	char *copy, *dir;
	int fd, rc = -1;

	if ((copy = strdup(path)) == NULL)
		return -1;
	dir = dirname(copy);
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		rc = fsync(fd);
		close(fd);
	}
	free(copy);
	return rc;
}

/*
 * A writer holds an exclusive flock on its temp file until commit or abort,
 * and the kernel drops it when the writer dies: a temp file that can be
 * locked is a killed run's leftover, and goes.
 */
void
afile_reap(int dfd, const char *name)
{
	struct stat st;
	int fd;

	fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == geteuid() &&
	    flock(fd, LOCK_EX | LOCK_NB) == 0)
		(void)unlinkat(dfd, name, 0);
	close(fd);
}

size_t
afile_tmpof(const char *name)
{
	size_t n = strlen(name);

	/* BASE.tmp.XXXXXX, as afile_open's mkstemp names them */
	return n > 11 && strncmp(name + n - 11, ".tmp.", 5) == 0 ? n - 11 : 0;
}

void
afile_clean(const char *path)
{
	const char *base;
	char *copy, *dir;
	struct dirent *e;
	size_t n;
	DIR *d;

	if ((copy = strdup(path)) == NULL)
		return;
	base = strrchr(path, '/') != NULL ? strrchr(path, '/') + 1 : path;
	n = strlen(base);
	dir = dirname(copy);
	if ((d = opendir(dir)) == NULL) {
		free(copy);
		return;
	}
	while ((e = readdir(d)) != NULL)
		if (afile_tmpof(e->d_name) == n && strncmp(e->d_name, base, n) == 0)
			afile_reap(dirfd(d), e->d_name);
	closedir(d);
	free(copy);
}

mode_t
afile_mode(const char *path)
{
	struct stat st;

	return afile_mode_of(lstat(path, &st) == 0 ? &st : NULL);
}

mode_t
afile_mode_of(const struct stat *st)
{
	/* the umask never decides: a user running under 000 or 077 gets the same tree */
	if (st != NULL && S_ISREG(st->st_mode))
		return st->st_mode & 0777;
	return 0644;
}

int
afile_open(struct afile *af, const char *path, mode_t mode)
{
	return afile_start(af, path, mode, 1);
}

int
afile_start(struct afile *af, const char *path, mode_t mode, int clean)
{
	int fd;

	memset(af, 0, sizeof(*af));
	if (mode == AFILE_MODE_DEFAULT)
		mode = afile_mode(path);
	af->mode = mode;
	if (strcmp(path, "-") == 0) {
		af->fp = stdout;
		return 0;
	}
	if ((af->path = strdup(path)) == NULL ||
	    (af->tmp = malloc(strlen(path) + 16)) == NULL) {
		warnf("%s: out of memory", path);
		goto fail;
	}
	if (clean)
		afile_clean(path);
	snprintf(af->tmp, strlen(path) + 16, "%s.tmp.XXXXXX", path);
	/* mkstemp creates 0600: a key is never readable by others, not even briefly. */
	if ((fd = mkstemp(af->tmp)) < 0 || flock(fd, LOCK_EX | LOCK_NB) != 0) {
		if (fd >= 0) {
			(void)unlink(af->tmp);
			close(fd);
		}
		warnf("%s:", af->tmp);
		free(af->tmp);
		af->tmp = NULL;
		goto fail;
	}
	if ((af->fp = fdopen(fd, "w")) == NULL) {
		warnf("%s:", af->tmp);
		close(fd);
		goto fail;
	}
	return 0;
fail:
	afile_abort(af);
	return -1;
}

int
afile_commit(struct afile *af, int overwrite)
{
	return afile_finish(af, overwrite, 1);
}

int
afile_finish(struct afile *af, int overwrite, int syncdir)
{
	int rc, e = 0;

	if (af->tmp == NULL) {	/* stdout */
		rc = fflush(stdout) == 0 && !ferror(stdout) ? 0 : -1;
		if (rc != 0)
			warnf("stdout:");
		af->fp = NULL;
		return rc;
	}
	rc = (fflush(af->fp) == 0 && !ferror(af->fp) && fsync(fileno(af->fp)) == 0 &&
	    fchmod(fileno(af->fp), af->mode) == 0) ? 0 : -1;
	if (rc != 0)
		e = errno;
	if (fclose(af->fp) != 0 && rc == 0) {
		rc = -1;
		e = errno;
	}
	af->fp = NULL;
	if (rc == 0) {
		/* link(2) refuses to replace an existing file: no clobbering without -f. */
		rc = overwrite ? rename(af->tmp, af->path) : link(af->tmp, af->path);
		if (rc != 0)
			e = errno;
	}
	if (rc != 0) {
		errno = e;
		if (e == EEXIST)
			warnf("%s: exists (use --force to replace it)", af->path);
		else
			warnf("%s:", af->path);
	} else if (syncdir)
		(void)afile_syncdir(af->path);
	if (rc != 0 || !overwrite)
		(void)unlink(af->tmp);	/* gone unless it became path */
	free(af->tmp);
	free(af->path);
	af->tmp = af->path = NULL;
	return rc;
}

void
afile_abort(struct afile *af)
{
	if (af->fp != NULL && af->fp != stdout)
		fclose(af->fp);
	af->fp = NULL;
	if (af->tmp != NULL)
		(void)unlink(af->tmp);
	free(af->tmp);
	free(af->path);
	af->tmp = af->path = NULL;
}

int
afile_write(const char *path, const void *buf, size_t len, mode_t mode, int overwrite)
{
	struct afile af;

	if (afile_open(&af, path, mode) != 0)
		return -1;
	if (len > 0 && fwrite(buf, 1, len, af.fp) != len) {
		warnf("%s:", path);
		afile_abort(&af);
		return -1;
	}
	return afile_commit(&af, overwrite);
}
