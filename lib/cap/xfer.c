/* xfer.c: the transfers of a capture: bytes kept while open, spilled to an unlinked temporary file when over. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cap/xfer.h"

static int
ends(const char *s, size_t n, const char *suf)
{
	size_t sl = strlen(suf);

	return n >= sl && strncasecmp(s + n - sl, suf, sl) == 0;
}

int
xfer_wanted(const char *name, size_t n)
{
	const char *q = memchr(name, '?', n);

	if (q != NULL)
		n = (size_t)(q - name);
	return ends(name, n, ".tlv") || ends(name, n, ".sgn") || ends(name, n, ".cnf.xml");
}

struct xfer *
xfer_new(struct xfer_list *l, enum xfer_proto proto, const struct pkt *k, int from_client,
    const char *name, size_t nlen)
{
	struct xfer *x, **v;
	size_t al = k->v6 ? 16 : 4;

	if (l->n == l->size) {
		if ((v = realloc(l->v, (l->size ? l->size * 2 : 64) * sizeof(*v))) == NULL)
			return NULL;
		l->v = v;
		l->size = l->size ? l->size * 2 : 64;
	}
	if ((x = calloc(1, sizeof(*x))) == NULL)
		return NULL;
	if ((x->name = malloc(nlen + 1)) == NULL) {
		free(x);
		return NULL;
	}
	memcpy(x->name, name, nlen);
	x->name[nlen] = '\0';
	x->proto = proto;
	x->sec = k->sec;
	x->usec = k->usec;
	x->v6 = k->v6;
	memcpy(x->caddr, from_client ? k->src : k->dst, al);
	memcpy(x->saddr, from_client ? k->dst : k->src, al);
	x->cport = from_client ? k->sport : k->dport;
	x->sport = from_client ? k->dport : k->sport;
	x->idx = l->n + 1;
	l->v[l->n++] = x;
	return x;
}

int
xfer_add(struct xfer *x, const uint8_t *p, size_t n)
{
	size_t keep = n, sz;
	uint8_t *np;

	x->total += n;
	if (x->capped)
		return 0;
	if (x->len + n > XFER_MAX) {
		keep = XFER_MAX - x->len;
		x->capped = 1;
	}
	if (x->len + keep > x->size) {
		/* doubling: appending is linear overall */
		for (sz = x->size ? x->size : 4096; sz < x->len + keep; sz *= 2)
			;
		if (sz > XFER_MAX)
			sz = XFER_MAX;
		if ((np = realloc(x->p, sz)) == NULL)
			return -1;
		x->p = np;
		x->size = sz;
	}
	if (keep > 0)
		memcpy(x->p + x->len, p, keep);
	x->len += keep;
	return 0;
}

void
xfer_end(struct xfer_list *l, struct xfer *x, enum xfer_state st, const char *why)
{
	if (x->spilled)
		return;
	x->state = st;
	if (why != NULL)
		snprintf(x->why, sizeof(x->why), "%s", why);
	if (l->spill == NULL && l->err == 0 && (l->spill = tmpfile()) == NULL)
		l->err = errno ? errno : EIO;
	if (l->spill != NULL && x->len > 0) {
		if (fseek(l->spill, 0, SEEK_END) != 0 || (x->off = ftell(l->spill)) < 0 ||
		    fwrite(x->p, 1, x->len, l->spill) != x->len)
			l->err = errno ? errno : EIO;
	}
	free(x->p);
	x->p = NULL;
	x->size = 0;
	x->spilled = 1;
}

uint8_t *
xfer_read(struct xfer_list *l, const struct xfer *x, size_t *len)
{
	uint8_t *p;

	*len = x->len;
	if ((p = malloc(x->len ? x->len : 1)) == NULL)
		return NULL;
	if (x->len == 0)
		return p;
	if (l->err != 0 || l->spill == NULL || fseek(l->spill, x->off, SEEK_SET) != 0 ||
	    fread(p, 1, x->len, l->spill) != x->len) {
		if (l->err != 0)
			errno = l->err;
		else if (errno == 0)
			errno = EIO;
		free(p);
		return NULL;
	}
	return p;
}

const char *
xfer_state_text(const struct xfer *x, char *buf, size_t size)
{
	const char *cap = x->capped ? " (over 64 MiB: the rest not kept)" : "";

	if (x->state == XFER_DONE && !x->capped)
		snprintf(buf, size, "complete");
	else if (x->state == XFER_DONE)
		snprintf(buf, size, "incomplete%s", cap);
	else
		snprintf(buf, size, "incomplete: %s%s", x->why[0] ? x->why : "unfinished", cap);
	return buf;
}

void
xfer_free(struct xfer_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i]->p);
		free(l->v[i]->name);
		free(l->v[i]);
	}
	free(l->v);
	if (l->spill != NULL)
		fclose(l->spill);
	memset(l, 0, sizeof(*l));
}
