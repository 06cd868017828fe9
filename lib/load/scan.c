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
#include "load/bundle.h"
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
	buf_free(&s->hold);
	certfile_free(&s->cf);
}

/*
 * Hand certs[0..n) (and the error) to the callback; count: the file's certificates
 * as far as known (a streamed bundle's pieces each hold part of them).
 */
static void
emit_some(struct scan *s, const char *path, const char *e, const struct certfile_cert *certs,
    size_t ncerts, size_t count)
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
	f.certs = certs;
	f.ncerts = ncerts;
	f.count = count;
	f.error = e;
	f.skipped = NULL;
	if (e != NULL || f.ncerts > 0)
		s->fn(s->arg, &f);
}

/* Hand the file's certificates (and error) to the callback. */
static void
emit(struct scan *s, const char *path, const char *e)
{
	emit_some(s, path, e, s->cf.certs, s->cf.ncerts, s->cf.ncerts);
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

/* Keep a copy of certificate c (DER and explanatory text) in s->hold, as *h. -1: out of memory. */
static int
hold(struct scan *s, const struct certfile_cert *c, struct certfile_cert *h)
{
	s->hold.len = 0;
	if (buf_add(&s->hold, c->der, c->len) != 0 ||
	    (c->textlen > 0 && buf_add(&s->hold, c->text, c->textlen) != 0))
		return -1;
	*h = *c;
	h->der = s->hold.p;
	h->text = c->textlen > 0 ? (const char *)s->hold.p + c->len : NULL;
	return der_cert_parse(h->der, h->len, &h->c) == NULL ? 0 : -1;
}

/*
 * A bundle larger than BUNDLE_MIN, a piece at a time. A file's first certificate
 * waits (held) until a second one or the end shows whether the file holds several.
 */
static void
stream(struct scan *s, int fd, const char *path, int named, enum bundle_kind kind)
{
	struct certfile_cert held;
	struct bundle b;
	const uint8_t *p;
	const char *e = NULL;
	size_t n, i, total = 0;
	int k = 0, waiting = 0;

	bundle_init(&b, fd, kind);
	while (e == NULL && (k = bundle_next(&b, &p, &n, IO_MAX, &e)) > 0) {
		e = certfile_read(&s->cf, p, n, 0);
		for (i = 0; i < s->cf.ncerts; i++)
			s->cf.certs[i].index += total;
		total += s->cf.ncerts;
		if (waiting && (s->cf.ncerts > 0 || e != NULL)) {
			emit_some(s, path, NULL, &held, 1, total);
			waiting = 0;
		}
		if (total == 1 && s->cf.ncerts == 1 && e == NULL) {
			if (hold(s, &s->cf.certs[0], &held) != 0)
				e = "out of memory";
			waiting = e == NULL;
		}
		if (!waiting)	/* a piece's error goes out with its certificates */
			emit_some(s, path, e, s->cf.certs, s->cf.ncerts, total);
	}
	if (waiting)
		emit_some(s, path, NULL, &held, 1, total);
	if (k < 0)
		emit_some(s, path, e, NULL, 0, total);
	else if (e == NULL && total == 0 && named)
		emit_some(s, path, kind == BUNDLE_PEM ? "no certificate in PEM" : "no certificate",
		    NULL, 0, 0);
	bundle_free(&b);
	if (s->hold.len > 0)
		OPENSSL_cleanse(s->hold.p, s->hold.len);
}

/* The kind of bundle fd holds when it is a regular file over BUNDLE_MIN, else BUNDLE_NONE. */
static enum bundle_kind
is_bundle(int fd)
{
	struct stat st;
	uint8_t head[4096];
	ssize_t r;

	if (fd == STDIN_FILENO || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    (uintmax_t)st.st_size <= BUNDLE_MIN || (r = pread(fd, head, sizeof(head), 0)) <= 0)
		return BUNDLE_NONE;
	return bundle_sniff(head, (size_t)r);
}

/* One file, already open. named: an operand (a file without certificates is an error). */
static void
file(struct scan *s, int fd, const char *path, int named)
{
	enum bundle_kind kind;
	const char *e;

	s->cf.ncerts = 0;
	if ((kind = is_bundle(fd)) != BUNDLE_NONE) {
		stream(s, fd, path, named, kind);
		return;
	}
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
