/* http.c: HTTP/1.x over reassembled TCP: requests queued in order, each response's body by Content-Length, chunks or close. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "cap/http.h"

#define HTTP_HDRMAX 16384	/* a head longer than this is not HTTP we follow */
#define HTTP_PIPE 64		/* requests sent ahead of their responses */

enum { HDR, LEN, CHSIZE, CHDATA, CHCRLF, TRAILER, CLOSE, REQBODY };

struct hreq {
	struct xfer	*x;	/* NULL: not a file we look for */
	int		 head;	/* HEAD: the response has no body */
};

struct hconn {
	int		 cdir;	/* the client's direction, -1 not known yet */
	struct buf	 hb[2];	/* the head (or chunk line) being read, per direction */
	int		 st[2];
	unsigned long long remain[2];
	struct hreq	 q[HTTP_PIPE];
	unsigned	 qh, qn;
	struct xfer	*cur;	/* the response body being kept */
	int		 status;
};

/* The value of header name in head h (lines), or NULL; *vl its length. */
static const char *
header(const struct buf *h, const char *name, size_t *vl)
{
	const char *p = (const char *)h->p, *end = p + h->len, *eol, *v;
	size_t nl = strlen(name);

	for (; p < end; p = eol + 1) {
		if ((eol = memchr(p, '\n', (size_t)(end - p))) == NULL)
			break;
		if ((size_t)(eol - p) > nl && p[nl] == ':' && strncasecmp(p, name, nl) == 0) {
			for (v = p + nl + 1; v < eol && (*v == ' ' || *v == '\t'); v++)
				;
			*vl = (size_t)(eol - v);
			while (*vl > 0 && (v[*vl - 1] == '\r' || v[*vl - 1] == ' '))
				(*vl)--;
			return v;
		}
	}
	return NULL;
}

/* A decimal (Content-Length) or hex (chunk size) number; -1 if none or too large. */
static int
number(const char *s, size_t n, int base, unsigned long long *v)
{
	size_t i;
	int d;

	*v = 0;
	for (i = 0; i < n; i++) {
		d = s[i] >= '0' && s[i] <= '9' ? s[i] - '0' : base == 16 && s[i] >= 'a' &&
		    s[i] <= 'f' ? s[i] - 'a' + 10 : base == 16 && s[i] >= 'A' && s[i] <= 'F' ?
		    s[i] - 'A' + 10 : -1;
		if (d < 0)
			break;
		if (*v > (1ULL << 48))
			return -1;
		*v = *v * (unsigned)base + (unsigned)d;
	}
	return i == 0 ? -1 : 0;
}

/* Add one byte of a head; 1 when the head (ended by an empty line) is whole, -1 too long. */
static int
headbyte(struct buf *b, uint8_t ch)
{
	if (b->len >= HTTP_HDRMAX || buf_addc(b, ch) != 0)
		return -1;
	if (ch != '\n')
		return 0;
	if (b->len == 1 || (b->len == 2 && b->p[0] == '\r')) {
		b->len = 0;	/* a blank line between messages */
		return 0;
	}
	return b->p[b->len - 2] == '\n' || (b->len >= 3 && b->p[b->len - 2] == '\r' &&
	    b->p[b->len - 3] == '\n');
}

/* A request head is whole: queue it (a transfer when it asks for a file we look for). */
static int
request(struct http *hp, struct hconn *h, const struct pkt *k)
{
	const char *p = (const char *)h->hb[h->cdir].p, *t, *sp;
	size_t n = h->hb[h->cdir].len, vl;
	unsigned long long cl = 0;
	const char *v;
	struct hreq *r;

	if (n < 4 || (sp = memchr(p, ' ', n)) == NULL)
		return -1;
	t = sp + 1;
	if ((sp = memchr(t, ' ', n - (size_t)(t - p))) == NULL || h->qn == HTTP_PIPE)
		return -1;
	r = &h->q[(h->qh + h->qn++) % HTTP_PIPE];
	r->x = NULL;
	r->head = strncmp(p, "HEAD ", 5) == 0;
	if (strncmp(p, "GET ", 4) == 0 && xfer_wanted(t, (size_t)(sp - t)) &&
	    memchr(t, '\0', (size_t)(sp - t)) == NULL &&
	    (r->x = xfer_new(hp->l, XFER_HTTP, k, 1, t, (size_t)(sp - t))) == NULL)
		hp->oom = 1;
	if ((v = header(&h->hb[h->cdir], "Content-Length", &vl)) != NULL &&
	    number(v, vl, 10, &cl) == 0 && cl > 0) {
		h->st[h->cdir] = REQBODY;
		h->remain[h->cdir] = cl;
	}
	h->hb[h->cdir].len = 0;
	return 0;
}

static void
response_end(struct http *hp, struct hconn *h, int sdir, enum xfer_state st, const char *why)
{
	if (h->cur != NULL)
		xfer_end(hp->l, h->cur, st, why);
	h->cur = NULL;
	h->st[sdir] = HDR;
	h->hb[sdir].len = 0;
}

/* A response head is whole: pair it with the oldest request and choose how its body ends. */
static int
response(struct http *hp, struct hconn *h, int sdir)
{
	const struct buf *b = &h->hb[sdir];
	unsigned long long code = 0, cl;
	const char *v;
	struct hreq r;
	char why[32];
	size_t vl;

	if (b->len < 12 || memcmp(b->p, "HTTP/", 5) != 0 ||
	    number((const char *)b->p + 9, 3, 10, &code) != 0)
		return -1;
	if (code >= 100 && code < 200) {	/* 100 Continue: the real answer follows */
		h->hb[sdir].len = 0;
		return 0;
	}
	if (h->qn == 0)
		return -1;
	r = h->q[h->qh];
	h->qh = (h->qh + 1) % HTTP_PIPE;
	h->qn--;
	h->cur = r.x;
	if (r.x != NULL && code != 200) {
		snprintf(why, sizeof(why), "HTTP status %llu", code);
		xfer_end(hp->l, r.x, XFER_FAILED, why);
		h->cur = NULL;
	}
	h->st[sdir] = CLOSE;
	if (r.head || code == 204 || code == 304)
		h->st[sdir] = HDR;
	else if ((v = header(b, "Transfer-Encoding", &vl)) != NULL && vl >= 7 &&
	    strncasecmp(v + vl - 7, "chunked", 7) == 0)
		h->st[sdir] = CHSIZE;
	else if ((v = header(b, "Content-Length", &vl)) != NULL) {
		if (number(v, vl, 10, &cl) != 0)
			return -1;
		h->st[sdir] = LEN;
		h->remain[sdir] = cl;
	}
	h->hb[sdir].len = 0;
	if (h->st[sdir] == HDR || (h->st[sdir] == LEN && h->remain[sdir] == 0))
		response_end(hp, h, sdir, XFER_DONE, NULL);
	return 0;
}

static size_t
body(struct http *hp, struct hconn *h, int sdir, const uint8_t *p, size_t n)
{
	if (h->st[sdir] != CLOSE && n > h->remain[sdir])
		n = (size_t)h->remain[sdir];
	if (h->cur != NULL && xfer_add(h->cur, p, n) != 0)
		hp->oom = 1;
	if (h->st[sdir] != CLOSE)
		h->remain[sdir] -= n;
	return n;
}

/* A chunk-size line or a trailer line is whole in hb: act on it. */
static int
chunkline(struct http *hp, struct hconn *h, int sdir)
{
	struct buf *b = &h->hb[sdir];
	int empty = b->len == 1 || (b->len == 2 && b->p[0] == '\r');

	if (h->st[sdir] == CHCRLF) {
		h->st[sdir] = CHSIZE;
		b->len = 0;
		return empty ? 0 : -1;
	}
	if (h->st[sdir] == TRAILER) {
		b->len = 0;
		if (empty)
			response_end(hp, h, sdir, XFER_DONE, NULL);
		return 0;
	}
	if (number((const char *)b->p, b->len, 16, &h->remain[sdir]) != 0)
		return -1;
	b->len = 0;
	h->st[sdir] = h->remain[sdir] == 0 ? TRAILER : CHDATA;
	return 0;
}

static int
server(struct http *hp, struct hconn *h, int sdir, const uint8_t *p, size_t n)
{
	size_t used;
	int r;

	while (n > 0) {
		switch (h->st[sdir]) {
		case HDR:
			if ((r = headbyte(&h->hb[sdir], *p)) < 0 ||
			    (r == 1 && response(hp, h, sdir) != 0))
				return -1;
			used = 1;
			break;
		case LEN:
		case CLOSE:
		case CHDATA:
			used = body(hp, h, sdir, p, n);
			if (h->st[sdir] == LEN && h->remain[sdir] == 0)
				response_end(hp, h, sdir, XFER_DONE, NULL);
			else if (h->st[sdir] == CHDATA && h->remain[sdir] == 0)
				h->st[sdir] = CHCRLF;
			break;
		default:		/* chunk-size, CRLF after the data, trailer: lines */
			if (h->hb[sdir].len >= 1024 || buf_addc(&h->hb[sdir], *p) != 0)
				return -1;
			if (*p == '\n' && chunkline(hp, h, sdir) != 0)
				return -1;
			used = 1;
		}
		p += used;
		n -= used;
	}
	return 0;
}

static int
client(struct http *hp, struct hconn *h, const struct pkt *k, const uint8_t *p, size_t n)
{
	int c = h->cdir, r;
	size_t used;

	while (n > 0) {
		if (h->st[c] == REQBODY) {
			used = n < h->remain[c] ? n : (size_t)h->remain[c];
			if ((h->remain[c] -= used) == 0)
				h->st[c] = HDR;
		} else {
			if ((r = headbyte(&h->hb[c], *p)) < 0 || (r == 1 && request(hp, h, k) != 0))
				return -1;
			used = 1;
		}
		p += used;
		n -= used;
	}
	return 0;
}

/* The first bytes of a direction say who is who: a response, a request, or not HTTP. */
static int
sides(struct hconn *h, int dir, const uint8_t *p, size_t n)
{
	size_t i;

	if (n >= 5 && memcmp(p, "HTTP/", 5) == 0) {
		h->cdir = !dir;
		return 0;
	}
	for (i = 0; i < n && i < 8 && p[i] >= 'A' && p[i] <= 'Z'; i++)
		;
	if (i == 0 || i == n || p[i] != ' ')
		return -1;
	h->cdir = dir;
	return 0;
}

static int
data(struct tcp_conn *c, int dir, const struct pkt *k, const uint8_t *p, size_t n, void *arg)
{
	struct http *hp = arg;
	struct hconn *h = c->app;

	if (h == NULL) {
		if (n == 0)
			return 0;
		if ((h = calloc(1, sizeof(*h))) == NULL) {
			hp->oom = 1;
			return -1;
		}
		c->app = h;
		if (sides(h, dir, p, n) != 0)
			return -1;
	}
	if (n == 0) {			/* this direction ended */
		if (dir != h->cdir && h->st[dir] == CLOSE)
			response_end(hp, h, dir, XFER_DONE, NULL);
		return 0;
	}
	return dir == h->cdir ? client(hp, h, k, p, n) : server(hp, h, dir, p, n);
}

static void
gone(struct tcp_conn *c, void *arg)
{
	struct http *hp = arg;
	struct hconn *h = c->app;

	if (h == NULL)
		return;
	if (h->cur != NULL)
		xfer_end(hp->l, h->cur, XFER_FAILED, "the connection ended inside the body");
	for (; h->qn > 0; h->qn--, h->qh = (h->qh + 1) % HTTP_PIPE)
		if (h->q[h->qh].x != NULL)
			xfer_end(hp->l, h->q[h->qh].x, XFER_FAILED, "no response");
	buf_free(&h->hb[0]);
	buf_free(&h->hb[1]);
	free(h);
	c->app = NULL;
}

const struct tcp_ops http_ops = { data, gone, NULL };
