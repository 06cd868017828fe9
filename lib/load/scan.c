/* scan.c: openat-relative walks, each directory read once, one reused read buffer, certfile per file. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "core/dirsort.h"
#include "core/io.h"
#include "load/scan.h"

static void walk(struct scan *, int, int);

void
scan_init(struct scan *s, scan_fn fn, void *arg)
{
	memset(s, 0, sizeof(*s));
	s->max_depth = -1;
	s->fn = fn;
	s->arg = arg;
	certfile_init(&s->cf, NULL, CERTFILE_TL);
}

void
scan_free(struct scan *s)
{
	buf_free(&s->data);
	buf_free(&s->path);
	certfile_free(&s->cf);
}

/* Hand the file's certificates (and error) to the callback. */
static void
emit(struct scan *s, const char *path, const char *e)
{
	struct scan_file f;
	const char *slash, *prev;
	char unit[256];
	size_t n;

	f.path = path;
	f.unit = NULL;
	f.base = path;
	if ((slash = strrchr(path, '/')) != NULL) {
		f.base = slash + 1;
		for (prev = slash; prev > path && prev[-1] != '/'; prev--)
			;
		n = (size_t)(slash - prev);
		if (n > 0 && n < sizeof(unit) && !(n == 1 && *prev == '.') &&
		    !(n == 2 && prev[0] == '.' && prev[1] == '.')) {
			memcpy(unit, prev, n);
			unit[n] = '\0';
			f.unit = unit;
		}
	}
	f.certs = s->cf.certs;
	f.ncerts = s->cf.ncerts;
	f.error = e;
	f.skipped = NULL;
	if (e != NULL || f.ncerts > 0)
		s->fn(s->arg, &f);
}

/* An entry a walk leaves out for a reason the caller should see. */
static void
skip(struct scan *s, const char *path, const char *why)
{
	struct scan_file f;
	const char *slash = strrchr(path, '/');

	memset(&f, 0, sizeof(f));
	f.path = path;
	f.base = slash != NULL ? slash + 1 : path;
	f.skipped = why;
	s->fn(s->arg, &f);
}

/* A private key by its name: never opened (a service account may not read it, rightly). */
static int
is_keyname(const char *name)
{
	size_t n = strlen(name);

	return n > 4 && strcmp(name + n - 4, ".key") == 0;
}

/* Room for need more bytes in b; -1 when out of memory. */
static int
reserve(struct buf *b, size_t need)
{
	uint8_t *np;
	size_t cap;

	if (b->cap - b->len >= need)
		return 0;
	cap = b->cap ? b->cap : 4096;
	while (cap - b->len < need)
		cap *= 2;
	if ((np = realloc(b->p, cap)) == NULL)
		return -1;
	b->p = np;
	b->cap = cap;
	return 0;
}

/* Read fd into s->data (reused; NUL after the end); NULL or why not. */
static const char *
slurp(struct scan *s, int fd)
{
	struct stat st;
	size_t want;
	ssize_t r;

	s->data.len = 0;
	if (fstat(fd, &st) != 0)
		return strerror(errno);
	/* stdin may be a pipe; anything opened by name must be a regular file (no FIFO read). */
	if (fd != STDIN_FILENO && io_notreg(&st) != NULL)
		return io_notreg(&st);
	if (S_ISDIR(st.st_mode))
		return "is a directory";
	if (S_ISREG(st.st_mode) && (uintmax_t)st.st_size > IO_MAX)
		return "larger than the input limit";
	want = S_ISREG(st.st_mode) ? (size_t)st.st_size + 2 : 65536;
	for (;;) {
		if (reserve(&s->data, want) != 0)
			return "out of memory";
		r = read(fd, s->data.p + s->data.len, s->data.cap - s->data.len - 1);
		if (r == 0)
			break;
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return strerror(errno);
		}
		s->data.len += (size_t)r;
		if (s->data.len > IO_MAX)
			return "larger than the input limit";
		want = 2;
	}
	s->data.p[s->data.len] = '\0';
	return NULL;
}

/* One file, already open. named: an operand (a file without certificates is an error). */
static void
file(struct scan *s, int fd, const char *path, int named)
{
	const char *e;

	s->cf.ncerts = 0;
	if ((e = slurp(s, fd)) != NULL) {
		emit(s, path, e);
		return;
	}
	e = certfile_read(&s->cf, s->data.p, s->data.len, named);
	emit(s, path, e);
	/* Keys share files with certificates: leave none behind in the reused buffers. */
	OPENSSL_cleanse(s->data.p, s->data.len);
}

/* Append "/name" to s->path; returns the old length to pop back to. */
static size_t
path_push(struct scan *s, const char *name)
{
	size_t old = s->path.len, n = strlen(name);

	if (reserve(&s->path, n + 2) == 0) {
		if (old > 0 && s->path.p[old - 1] != '/')
			s->path.p[s->path.len++] = '/';
		memcpy(s->path.p + s->path.len, name, n + 1);
		s->path.len += n;
	}
	return old;
}

static void
path_pop(struct scan *s, size_t old)
{
	s->path.len = old;
	s->path.p[old] = '\0';
}

static void
fail(struct scan *s, const char *path, const char *e)
{
	s->cf.ncerts = 0;
	emit(s, path, e);
}

/* One entry of the directory d, at depth; s->path names it. */
static void
entry(struct scan *s, DIR *d, const char *name, unsigned char type, int depth)
{
	struct stat st;
	int fd;

	if (type == DT_UNKNOWN && fstatat(dirfd(d), name, &st, AT_SYMLINK_NOFOLLOW) == 0)
		type = S_ISDIR(st.st_mode) ? DT_DIR : S_ISREG(st.st_mode) ? DT_REG :
		    S_ISLNK(st.st_mode) ? DT_LNK : DT_FIFO;
	if (type == DT_LNK)
		skip(s, (const char *)s->path.p, "symbolic link: not followed");
	else if (type == DT_REG && is_keyname(name))
		;	/* a private key: nothing to check, whoever may read it */
	else if (type == DT_DIR && (s->max_depth < 0 || depth < s->max_depth)) {
		fd = openat(dirfd(d), name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			fail(s, (const char *)s->path.p, strerror(errno));
		else
			walk(s, fd, depth + 1);
	} else if (type == DT_REG) {
		fd = openat(dirfd(d), name,
		    O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
		if (fd < 0)
			fail(s, (const char *)s->path.p, strerror(errno));
		else {
			file(s, fd, (const char *)s->path.p, 0);
			close(fd);
		}
	}
}

/*
 * Walk the directory open at dfd (consumed) in name order; its entries are at depth.
 * The directory is read once (lib/core/dirsort), however many entries it holds.
 */
static void
walk(struct scan *s, int dfd, int depth)
{
	struct dirsort ds;
	const char *name;
	unsigned char type;
	size_t old;
	int k;
	DIR *d;

	if ((d = fdopendir(dfd)) == NULL) {
		fail(s, (const char *)s->path.p, strerror(errno));
		close(dfd);
		return;
	}
	if (dirsort_read(&ds, d) != 0)
		fail(s, (const char *)s->path.p, strerror(errno));
	else {
		while ((k = dirsort_next(&ds, &name, &type)) > 0) {
			old = path_push(s, name);
			entry(s, d, name, type, depth);
			path_pop(s, old);
		}
		if (k < 0)
			fail(s, (const char *)s->path.p, strerror(errno));
	}
	dirsort_close(&ds);
	closedir(d);
}

void
scan_path(struct scan *s, const char *path)
{
	struct stat st;
	int fd;

	if (strcmp(path, "-") == 0) {
		file(s, STDIN_FILENO, io_name(path), 1);
		return;
	}
	/* O_NONBLOCK: opening a FIFO must not hang the scan; file() refuses it unread. */
	if ((fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)) < 0) {
		fail(s, path, strerror(errno));
		return;
	}
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		s->path.len = 0;
		(void)path_push(s, path);
		if (s->max_depth != 0)
			walk(s, fd, 1);
		else
			close(fd);
		return;
	}
	file(s, fd, path, 1);	/* refused there unless a regular file */
	close(fd);
}
