/* scan.c: openat-relative walks in sorted batches, one reused read buffer, certfile per file. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "core/io.h"
#include "load/scan.h"

struct ent {
	uint32_t	 off;	/* of the name in the arena */
	unsigned char	 type;	/* d_type */
};

/* A directory's entries, sorted a batch at a time so that memory stays bounded. */
struct batch {
	struct ent	*h;
	size_t		 k, hcap;
	char		*arena;
	size_t		 used, cap;
};

#define BATCH 32768	/* entries per batch: about 1 MB at most per directory level */

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

#define NAME(b, i) ((b)->arena + (b)->h[i].off)

static const char *sort_arena;

static int
entcmp(const void *a, const void *b)
{
	return strcmp(sort_arena + ((const struct ent *)a)->off,
	    sort_arena + ((const struct ent *)b)->off);
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
sift_up(struct batch *b, size_t i)
{
	size_t p;

	for (; i > 0 && strcmp(NAME(b, p = (i - 1) / 2), NAME(b, i)) < 0; i = p)
		swap(b->h, i, p);
}

static void
sift_down(struct batch *b, size_t n, size_t i)
{
	size_t l, m;

	for (;;) {
		m = i;
		l = 2 * i + 1;
		if (l < n && strcmp(NAME(b, l), NAME(b, m)) > 0)
			m = l;
		if (l + 1 < n && strcmp(NAME(b, l + 1), NAME(b, m)) > 0)
			m = l + 1;
		if (m == i)
			return;
		swap(b->h, i, m);
		i = m;
	}
}

/* Room for one more entry and len bytes of name. -1: out of memory. */
static int
batch_room(struct batch *b, size_t len)
{
	struct ent *nh;
	char *na;
	size_t cap, i, live = 0, n;

	if (b->k == b->hcap) {
		cap = b->hcap ? b->hcap * 2 : 64;
		if ((nh = realloc(b->h, cap * sizeof(*nh))) == NULL)
			return -1;
		b->h = nh;
		b->hcap = cap;
	}
	if (b->cap - b->used >= len)
		return 0;
	/* Names pushed out of the heap leave holes: copy the live ones to a new arena. */
	for (i = 0; i < b->k; i++)
		live += strlen(NAME(b, i)) + 1;
	for (cap = b->cap ? b->cap : 4096; cap < 2 * (live + len); cap *= 2)
		;
	if ((na = malloc(cap)) == NULL)
		return -1;
	for (i = 0, live = 0; i < b->k; i++) {
		n = strlen(NAME(b, i)) + 1;
		memcpy(na + live, NAME(b, i), n);
		b->h[i].off = (uint32_t)live;
		live += n;
	}
	free(b->arena);
	b->arena = na;
	b->cap = cap;
	b->used = live;
	return 0;
}

/*
 * The next batch of d's entries (hidden ones left out): the BATCH smallest names
 * that sort after "after" (all when NULL), sorted, in b. *more: some were left
 * for a later batch. Memory stays bounded however large the directory is; each
 * further batch costs one more readdir pass.
 */
static int
batch(DIR *d, const char *after, struct batch *b, int *more)
{
	struct dirent *e;
	size_t len, i;

	b->k = 0;
	b->used = 0;
	*more = 0;
	rewinddir(d);
	for (;;) {
		errno = 0;
		if ((e = readdir(d)) == NULL)
			break;
		if (e->d_name[0] == '.' || (after != NULL && strcmp(e->d_name, after) <= 0))
			continue;
		if (b->k == BATCH) {
			if (!*more)	/* full: from now on keep the smallest in a heap */
				for (i = BATCH / 2; i-- > 0;)
					sift_down(b, BATCH, i);
			*more = 1;
			if (strcmp(e->d_name, NAME(b, 0)) >= 0)
				continue;
			/* the largest goes; the new name takes its place */
			swap(b->h, 0, --b->k);
			sift_down(b, b->k, 0);
		}
		len = strlen(e->d_name) + 1;
		if (len > UINT32_MAX / 4 || batch_room(b, len) != 0)
			return -1;
		memcpy(b->arena + b->used, e->d_name, len);
		b->h[b->k] = (struct ent){ (uint32_t)b->used, e->d_type };
		b->used += len;
		if (*more)
			sift_up(b, b->k);
		b->k++;
	}
	if (errno != 0)
		return -1;
	sort_arena = b->arena;	/* qsort has no context argument; nothing recurses meanwhile */
	if (b->k > 0)		/* an empty directory has no array yet: qsort(NULL) is undefined */
		qsort(b->h, b->k, sizeof(*b->h), entcmp);
	return 0;
}

/* One entry of the directory d, at depth; s->path names it. */
static void
entry(struct scan *s, DIR *d, const char *name, unsigned char type, int depth)
{
	struct stat st;
	int fd;

	if (type == DT_UNKNOWN && fstatat(dirfd(d), name, &st, AT_SYMLINK_NOFOLLOW) == 0)
		type = S_ISDIR(st.st_mode) ? DT_DIR : S_ISREG(st.st_mode) ? DT_REG : DT_LNK;
	if (type == DT_DIR && (s->max_depth < 0 || depth < s->max_depth)) {
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

/* Walk the directory open at dfd (consumed) in name order; its entries are at depth. */
static void
walk(struct scan *s, int dfd, int depth)
{
	struct batch b = { NULL, 0, 0, NULL, 0, 0 };
	char *last = NULL;
	size_t i, old;
	int more = 1;
	DIR *d;

	if ((d = fdopendir(dfd)) == NULL) {
		fail(s, (const char *)s->path.p, strerror(errno));
		close(dfd);
		return;
	}
	while (more) {
		if (batch(d, last, &b, &more) != 0) {
			fail(s, (const char *)s->path.p, errno ? strerror(errno) : "out of memory");
			break;
		}
		for (i = 0; i < b.k; i++) {
			old = path_push(s, NAME(&b, i));
			entry(s, d, NAME(&b, i), b.h[i].type, depth);
			path_pop(s, old);
		}
		free(last);
		if (b.k == 0 || (last = strdup(NAME(&b, b.k - 1))) == NULL)
			break;
	}
	free(last);
	free(b.h);
	free(b.arena);
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
