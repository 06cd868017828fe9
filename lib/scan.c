/* scan.c: one reused read buffer, openat-relative walks, and a fast path that never builds an X509. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "io.h"
#include "scan.h"

struct ent {
	char		*name;
	unsigned char	 type;	/* d_type */
};

#define BATCH 4096	/* directory entries held at a time, per directory level */

static void walk(struct scan *, int, int);

void
scan_init(struct scan *s, scan_fn fn, void *arg)
{
	memset(s, 0, sizeof(*s));
	s->max_depth = -1;
	s->fn = fn;
	s->arg = arg;
	certfile_init(&s->cf, NULL);
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
	if (e != NULL || f.ncerts > 0)
		s->fn(s->arg, &f);
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

static int
entcmp(const void *a, const void *b)
{
	return strcmp(((const struct ent *)a)->name, ((const struct ent *)b)->name);
}

static void
swap(struct ent *h, size_t i, size_t j)
{
	struct ent t = h[i];

	h[i] = h[j];
	h[j] = t;
}

/* A max-heap on the name: h[0] is the largest name of the batch. */
static void
sift_up(struct ent *h, size_t i)
{
	size_t p;

	for (; i > 0 && strcmp(h[p = (i - 1) / 2].name, h[i].name) < 0; i = p)
		swap(h, i, p);
}

static void
sift_down(struct ent *h, size_t n, size_t i)
{
	size_t l, m;

	for (;;) {
		m = i;
		l = 2 * i + 1;
		if (l < n && strcmp(h[l].name, h[m].name) > 0)
			m = l;
		if (l + 1 < n && strcmp(h[l + 1].name, h[m].name) > 0)
			m = l + 1;
		if (m == i)
			return;
		swap(h, i, m);
		i = m;
	}
}

/*
 * The next batch of d's entries (hidden ones left out): the BATCH smallest names
 * that sort after "after" (all when NULL), sorted, in h[0..*k). *more: some were
 * left for a later batch. Memory stays flat however large the directory; each
 * batch costs one more readdir pass. h[0..*k) is allocated even on failure (-1).
 */
static int
batch(DIR *d, const char *after, struct ent *h, size_t *k, int *more)
{
	struct dirent *e;
	char *name;

	*k = 0;
	*more = 0;
	rewinddir(d);
	for (;;) {
		errno = 0;
		if ((e = readdir(d)) == NULL)
			break;
		if (e->d_name[0] == '.' || (after != NULL && strcmp(e->d_name, after) <= 0))
			continue;
		if (*k == BATCH) {
			*more = 1;
			if (strcmp(e->d_name, h[0].name) >= 0)
				continue;
		}
		if ((name = strdup(e->d_name)) == NULL)
			return -1;
		if (*k == BATCH) {
			free(h[0].name);
			h[0] = (struct ent){ name, e->d_type };
			sift_down(h, *k, 0);
		} else {
			h[*k] = (struct ent){ name, e->d_type };
			sift_up(h, (*k)++);
		}
	}
	if (errno != 0)
		return -1;
	qsort(h, *k, sizeof(*h), entcmp);
	return 0;
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
entry(struct scan *s, DIR *d, const struct ent *ent, int depth)
{
	unsigned char type = ent->type;
	struct stat st;
	int fd;

	if (type == DT_UNKNOWN && fstatat(dirfd(d), ent->name, &st, AT_SYMLINK_NOFOLLOW) == 0)
		type = S_ISDIR(st.st_mode) ? DT_DIR : S_ISREG(st.st_mode) ? DT_REG : DT_LNK;
	if (type == DT_DIR && (s->max_depth < 0 || depth < s->max_depth)) {
		fd = openat(dirfd(d), ent->name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			fail(s, (const char *)s->path.p, strerror(errno));
		else
			walk(s, fd, depth + 1);
	} else if (type == DT_REG) {
		fd = openat(dirfd(d), ent->name,
		    O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
		if (fd < 0)
			fail(s, (const char *)s->path.p, strerror(errno));
		else {
			file(s, fd, (const char *)s->path.p, 0);
			close(fd);
		}
	}
}

/* Walk the directory open at dfd (consumed) in name order; its entries are at depth. */
static void
walk(struct scan *s, int dfd, int depth)
{
	struct ent *h = NULL;
	char *last = NULL;
	size_t k = 0, i, old;
	int more = 1, r;
	DIR *d;

	if ((d = fdopendir(dfd)) == NULL) {
		fail(s, (const char *)s->path.p, strerror(errno));
		close(dfd);
		return;
	}
	if ((h = malloc(BATCH * sizeof(*h))) == NULL) {
		fail(s, (const char *)s->path.p, "out of memory");
		goto out;
	}
	while (more) {
		if ((r = batch(d, last, h, &k, &more)) != 0)
			fail(s, (const char *)s->path.p, errno ? strerror(errno) : "out of memory");
		for (i = 0; r == 0 && i < k; i++) {
			old = path_push(s, h[i].name);
			entry(s, d, &h[i], depth);
			path_pop(s, old);
		}
		free(last);
		last = k > 0 ? h[k - 1].name : NULL;
		for (i = 0; i + 1 < k; i++)
			free(h[i].name);
		if (r != 0 || k == 0)
			break;
	}
out:
	free(last);
	free(h);
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
	/* O_NONBLOCK: a FIFO must not hang the scan; reads go back to blocking below. */
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
	(void)fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	file(s, fd, path, 1);
	close(fd);
}
