/* afbatch.c: afile's steps per file, its directory read and fsync once per run (issue #28). */
#include <dirent.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/afbatch.h"
#include "core/afile.h"
#include "core/diag.h"

/* The leftover temp files of a directory read now: names only, usually none. */
static int
scan(struct afbatch_dir *d)
{
	struct dirent *e;
	size_t cap = 0;
	char **v;
	DIR *dp;

	if ((dp = opendir(d->dir)) == NULL)
		return 0;	/* as afile_clean: best effort; the write itself says why */
	while ((e = readdir(dp)) != NULL) {
		if (afile_tmpof(e->d_name) == 0)
			continue;
		if (d->nleft == cap) {
			cap = cap ? 2 * cap : 8;
			if ((v = realloc(d->left, cap * sizeof(*v))) == NULL)
				break;
			d->left = v;
		}
		if ((d->left[d->nleft] = strdup(e->d_name)) == NULL)
			break;
		d->nleft++;
	}
	closedir(dp);
	return e == NULL ? 0 : -1;
}

/* The entry of path's directory, added (and scanned) the first time. NULL: out of memory. */
static struct afbatch_dir *
dir_of(struct afbatch *b, const char *path)
{
	struct afbatch_dir *v;
	char *copy, *dir;

	if ((copy = strdup(path)) == NULL)
		return NULL;
	dir = dirname(copy);
	/* the last directory first: a run's files usually share one */
	if (b->n > 0 && strcmp(b->v[b->last].dir, dir) == 0)
		goto found;
	for (b->last = 0; b->last < b->n; b->last++)
		if (strcmp(b->v[b->last].dir, dir) == 0)
			goto found;
	if (b->n == b->cap) {
		if ((v = realloc(b->v, (b->cap ? 2 * b->cap : 4) * sizeof(*v))) == NULL)
			goto fail;
		b->v = v;
		b->cap = b->cap ? 2 * b->cap : 4;
	}
	memset(&b->v[b->n], 0, sizeof(b->v[b->n]));
	if ((b->v[b->n].dir = strdup(dir)) == NULL)
		goto fail;
	b->last = b->n++;
	if (scan(&b->v[b->last]) != 0)
		goto fail;
found:
	free(copy);
	return &b->v[b->last];
fail:
	free(copy);
	return NULL;
}

/* Reap the leftovers of path (BASE.tmp.XXXXXX beside it) found by the scan. */
static void
clean(struct afbatch_dir *d, const char *path)
{
	const char *base = strrchr(path, '/') != NULL ? strrchr(path, '/') + 1 : path;
	size_t i, n = strlen(base);
	int dfd = -1;

	for (i = 0; i < d->nleft; i++) {
		if (afile_tmpof(d->left[i]) != n || strncmp(d->left[i], base, n) != 0)
			continue;
		if (dfd < 0 && (dfd = open(d->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
			return;
		afile_reap(dfd, d->left[i]);
		free(d->left[i]);
		d->left[i--] = d->left[--d->nleft];	/* tried once, as afile_clean would */
	}
	if (dfd >= 0)
		close(dfd);
}

int
afbatch_write(struct afbatch *b, const char *path, const void *buf, size_t len,
    mode_t mode, int overwrite)
{
	struct afbatch_dir *d = NULL;
	struct afile af;

	if (strcmp(path, "-") != 0) {
		if ((d = dir_of(b, path)) == NULL) {
			warnf("%s: out of memory", path);
			return -1;
		}
		clean(d, path);
	}
	if (afile_start(&af, path, mode, 0) != 0)
		return -1;
	if (len > 0 && fwrite(buf, 1, len, af.fp) != len) {
		warnf("%s:", path);
		afile_abort(&af);
		return -1;
	}
	if (afile_finish(&af, overwrite, 0) != 0)
		return -1;
	if (d != NULL)
		d->dirty = 1;
	return 0;
}

void
afbatch_end(struct afbatch *b)
{
	size_t i, k;
	int fd;

	for (i = 0; i < b->n; i++) {
		if (b->v[i].dirty && (fd = open(b->v[i].dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
			(void)fsync(fd);	/* as afile_commit: the renames made durable */
			close(fd);
		}
		for (k = 0; k < b->v[i].nleft; k++)
			free(b->v[i].left[k]);
		free(b->v[i].left);
		free(b->v[i].dir);
	}
	free(b->v);
	memset(b, 0, sizeof(*b));
}
