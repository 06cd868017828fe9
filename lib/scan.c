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

#include "cert.h"
#include "ctl.h"
#include "io.h"
#include "pem.h"
#include "scan.h"

/* Where a certificate's bytes live until the file is handed over. */
struct loc {
	int	 in_ders;	/* 1: s->ders at off; 0: s->data at off */
	size_t	 off, cap;	/* cap: s->ders.cap when parsed (the spans stay valid while equal) */
};

struct ent {
	char		*name;
	unsigned char	 type;	/* d_type */
};

#define BATCH 4096	/* directory entries held at a time, per directory level */

static char why[192];

static void walk(struct scan *, int, int);

void
scan_init(struct scan *s, scan_fn fn, void *arg)
{
	memset(s, 0, sizeof(*s));
	s->max_depth = -1;
	s->fn = fn;
	s->arg = arg;
}

void
scan_free(struct scan *s)
{
	buf_free(&s->data);
	buf_free(&s->scratch);
	buf_free(&s->ders);
	buf_free(&s->path);
	free(s->certs);
	free(s->locs);
	s->certs = NULL;
	s->locs = NULL;
}

static const char *
reason(const char *what, const char *detail)
{
	snprintf(why, sizeof(why), "%s: %s", what, detail);
	return why;
}

/* Room for one more certificate; -1 when out of memory. */
static int
grow(struct scan *s)
{
	struct scan_cert *c;
	struct loc *l;
	size_t cap;

	if (s->ncerts < s->ncap)
		return 0;
	cap = s->ncap ? s->ncap * 2 : 16;
	if ((c = realloc(s->certs, cap * sizeof(*c))) == NULL)
		return -1;
	s->certs = c;
	if ((l = realloc(s->locs, cap * sizeof(*l))) == NULL)
		return -1;
	s->locs = l;
	s->ncap = cap;
	return 0;
}

/* Record a parsed certificate at der (in s->data, or just appended to s->ders). */
static const char *
add(struct scan *s, const uint8_t *der, size_t len, int in_ders, int record, int function)
{
	struct scan_cert *c;
	struct loc *l;
	const char *e;

	if (grow(s) != 0)
		return "out of memory";
	c = &s->certs[s->ncerts];
	l = &s->locs[s->ncerts];
	if ((e = der_cert_parse(der, len, &c->c)) != NULL)
		return e;
	c->len = c->c.len;
	c->index = s->ncerts + 1;
	c->record = record;
	c->function = function;
	l->in_ders = in_ders;
	l->off = (size_t)(der - (in_ders ? s->ders.p : s->data.p));
	l->cap = s->ders.cap;
	s->ncerts++;
	return NULL;
}

/* Copy der into s->ders, then add it. */
static const char *
add_copy(struct scan *s, const uint8_t *der, size_t len, int record, int function)
{
	size_t off = s->ders.len;

	if (buf_add(&s->ders, der, len) != 0)
		return "out of memory";
	return add(s, s->ders.p + off, len, 1, record, function);
}

/* PKCS#7, PKCS#12 and odd encodings: OpenSSL's loader, re-encoded to DER. */
static const char *
from_openssl(struct scan *s, const uint8_t *p, size_t n, int *found)
{
	STACK_OF(X509) *sk = NULL;
	unsigned char *der = NULL;
	const char *e = NULL;
	int i, k, r;

	*found = 0;
	/* A PKCS#12 that does not take the password given may still take the empty one. */
	if ((r = cert_load(p, n, s->pass, &sk, &e)) < 0 && s->pass != NULL)
		r = cert_load(p, n, NULL, &sk, &e);
	if (r <= 0)
		return r < 0 ? e : NULL;
	*found = 1;
	e = NULL;
	for (i = 0; i < sk_X509_num(sk) && e == NULL; i++) {
		if ((k = i2d_X509(sk_X509_value(sk, i), &der)) <= 0)
			e = "cannot re-encode a certificate";
		else
			e = add_copy(s, der, (size_t)k, 0, -1);
		OPENSSL_free(der);
		der = NULL;
	}
	cert_free_all(sk);
	return e;
}

static const char *
from_pem(struct scan *s, const uint8_t *p, size_t n)
{
	struct pem_iter it;
	struct pem_block b;
	struct der_cert c;
	const char *e = NULL;
	int k, found;

	pem_init(&it, p, n);
	while (e == NULL && (k = pem_next(&it, &b, &s->scratch, &e)) != 0) {
		if (k < 0)
			break;
		if (b.labellen == 5 && memcmp(b.label, "PKCS7", 5) == 0) {
			e = from_openssl(s, b.der, b.len, &found);
			if (e != NULL)
				e = reason("bad PKCS#7 block", e);
			continue;
		}
		if (!pem_is_cert(&b))
			continue;	/* keys, CSRs, parameters */
		if ((e = der_cert_parse(b.der, b.len, &c)) != NULL)
			e = reason("bad certificate in PEM block", e);
		else if (c.len != b.len && b.labellen != 19)	/* TRUSTED CERTIFICATE: aux follows */
			e = "bad certificate in PEM block: trailing bytes";
		else
			e = add_copy(s, b.der, c.len, 0, -1);
	}
	if (e == NULL && s->ncerts == 0)
		return "no certificate in PEM";
	return e;
}

static const char *
from_ctl(struct scan *s, const uint8_t *p, size_t n)
{
	struct ctl ctl;
	const struct tlv *t;
	const char *e = NULL;
	size_t i;

	if (ctl_parse(&ctl, p, n) != 0) {
		snprintf(why, sizeof(why), "damaged CTL/ITL at offset %zu: %s", ctl.err_off,
		    ctl.err);
		e = why;
		goto out;
	}
	for (i = 0; i < ctl.nrecs && e == NULL; i++) {
		t = &ctl.recs[i].f[CTL_R_CERT];
		if (t->val != NULL && (e = add(s, t->val, t->len, 0, (int)i + 1,
		    ctl.recs[i].function)) != NULL) {
			snprintf(why, sizeof(why), "record %zu: bad certificate: %s", i + 1, e);
			e = why;
		}
	}
	if (e == NULL && s->ncerts == 0)
		e = "no certificate in CTL/ITL";
out:
	ctl_free(&ctl);
	return e;
}

/* Skip a DER tag and length, even when the length runs past the end. */
static const uint8_t *
skip_head(const uint8_t *p, size_t n)
{
	size_t k;

	if (n < 2)
		return NULL;
	if (p[1] < 0x80)
		k = 2;
	else if (p[1] >= 0x81 && p[1] <= 0x84)
		k = 2u + (p[1] & 0x7F);
	else
		return NULL;
	return k < n ? p + k : NULL;
}

/*
 * A SEQUENCE that starts like a certificate (2), a PKCS#7 or a PFX (1): damage,
 * not a key (0).
 */
static int
looks_certish(const uint8_t *p, size_t n)
{
	static const uint8_t p7[] = { 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x02 };
	const uint8_t *q, *r, *end = p + n;

	if ((q = skip_head(p, n)) == NULL)
		return 0;
	if (*q == 0x30)		/* tbsCertificate then version [0] or serial */
		return (r = skip_head(q, (size_t)(end - q))) != NULL &&
		    (*r == 0xA0 || *r == 0x02) ? 2 : 0;
	if ((size_t)(end - q) >= sizeof(p7) && memcmp(q, p7, sizeof(p7)) == 0)
		return 1;
	return end - q >= 4 && q[0] == 0x02 && q[1] == 0x01 && q[2] == 0x03 && q[3] == 0x30;
}

/*
 * Fill s->certs from p[0..n). NULL when done (s->ncerts may be 0 for a file
 * met in a walk that holds no certificate), else why it failed.
 */
static const char *
extract(struct scan *s, const uint8_t *p, size_t n, int named)
{
	struct der_cert c;
	const char *e, *fe;
	int found;

	if (n == 0)
		return named ? "empty file" : NULL;
	if (pem_sniff(p, n)) {
		e = from_pem(s, p, n);
		if (e != NULL && !named && s->ncerts == 0 &&
		    strcmp(e, "no certificate in PEM") == 0)
			return NULL;
		return e;
	}
	if (p[0] == 0x30) {
		if ((fe = der_cert_parse(p, n, &c)) == NULL && c.len == n)
			return add(s, p, n, 0, 0, -1);
		if ((e = from_openssl(s, p, n, &found)) != NULL) {
			if (looks_certish(p, n) == 2)
				return reason("damaged DER certificate", fe != NULL ? fe :
				    "trailing bytes");
			if (named || looks_certish(p, n))
				return e;
			s->ncerts = 0;
			return NULL;
		}
		return !found && named ? "no certificate" : NULL;
	}
	if (n >= 5 && p[0] == 0x01 && p[1] == 0x00 && p[2] == 0x02)
		return from_ctl(s, p, n);
	return named ? "not a PEM, DER, PKCS#7, PKCS#12 or CTL/ITL file" : NULL;
}

/* Hand the file's certificates (and error) to the callback. */
static void
emit(struct scan *s, const char *path, const char *e)
{
	struct scan_file f;
	const char *slash, *prev;
	char unit[256];
	size_t i, n;

	for (i = 0; i < s->ncerts; i++) {
		struct scan_cert *c = &s->certs[i];
		struct loc *l = &s->locs[i];
		const uint8_t *der = (l->in_ders ? s->ders.p : s->data.p) + l->off;

		c->der = der;
		if (l->in_ders && l->cap != s->ders.cap)
			(void)der_cert_parse(der, c->len, &c->c);	/* the buffer moved */
	}
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
	f.certs = s->certs;
	f.ncerts = s->ncerts;
	f.error = e;
	if (e != NULL || s->ncerts > 0)
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

	s->ncerts = 0;
	s->ders.len = 0;
	s->ders.err = 0;
	s->scratch.len = 0;
	if ((e = slurp(s, fd)) != NULL) {
		emit(s, path, e);
		return;
	}
	e = extract(s, s->data.p, s->data.len, named);
	emit(s, path, e);
	/* Keys share files with certificates: leave none behind in the reused buffers. */
	OPENSSL_cleanse(s->data.p, s->data.len);
	if (s->scratch.len > 0)
		OPENSSL_cleanse(s->scratch.p, s->scratch.len);
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
	s->ncerts = 0;
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
