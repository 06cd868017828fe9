/* corpus.c: malformed variants of a valid CTL/ITL file (corpus.h). */
#include <stdlib.h>
#include <string.h>

#include "tl/ctl.h"
#include "corpus.h"

struct ctx {
	corpus_emit	*emit;
	void		*arg;
	int		 count;
};

static void
put(struct ctx *x, const char *kind, size_t at, const uint8_t *p, size_t n)
{
	x->emit(x->arg, kind, at, p, n);
	x->count++;
}

/* A copy of seed with the u16 at off set to v. */
static void
patch16(struct ctx *x, const char *kind, const uint8_t *seed, size_t len, size_t off, uint16_t v)
{
	uint8_t *m = malloc(len);

	if (m == NULL)
		abort();
	memcpy(m, seed, len);
	m[off] = (uint8_t)(v >> 8);
	m[off + 1] = (uint8_t)v;
	put(x, kind, off, m, len);
	free(m);
}

static int
boundary(const struct ctl *c, size_t k)
{
	size_t i;

	if (k == c->hdrlen)
		return 1;
	for (i = 0; i < c->nrecs; i++)
		if (k == c->recs[i].off)
			return 1;
	return 0;
}

static void
header(struct ctx *x, const struct ctl *c, const uint8_t *seed, size_t len)
{
	size_t i;

	/* Header lengths: zero, odd, inside a tag, past the end. */
	for (i = 0; i < c->nhtags; i++) {
		const struct tlv *t = &c->htags[i].t;

		patch16(x, "hlen-ffff", seed, len, t->off + 1, 0xFFFF);
		if (t->tag == CTL_H_HDRLEN) {
			patch16(x, "hdrlen-0", seed, len, t->off + 3, 0);
			patch16(x, "hdrlen-past", seed, len, t->off + 3, (uint16_t)(len + 1));
			patch16(x, "hdrlen-inside", seed, len, t->off + 3, (uint16_t)(t->off + 4));
			patch16(x, "hdrlen-minus1", seed, len, t->off + 3, (uint16_t)(c->hdrlen - 1));
		}
	}
}

static void
records(struct ctx *x, const struct ctl *c, const uint8_t *seed, size_t len)
{
	size_t i, j;

	/* Records: lengths too small, past the end, fields past the record, wrong first tag. */
	for (i = 0; i < c->nrecs; i++) {
		const struct ctl_rec *r = &c->recs[i];
		uint8_t *m;

		for (j = 0; j < 5; j++)
			patch16(x, "reclen-small", seed, len, r->off + 3, (uint16_t)j);
		patch16(x, "reclen-ffff", seed, len, r->off + 3, 0xFFFF);
		patch16(x, "reclen-minus1", seed, len, r->off + 3, (uint16_t)(r->len - 1));
		patch16(x, "reclen-plus1", seed, len, r->off + 3, (uint16_t)(r->len + 1));
		for (j = 1; j < r->ntags; j++)
			patch16(x, "field-ffff", seed, len, r->tags[j].off + 1, 0xFFFF);
		if ((m = malloc(len)) == NULL)
			abort();
		memcpy(m, seed, len);
		m[r->off] = 0x02;
		put(x, "rec-tag", r->off, m, len);
		free(m);
	}
}

int
corpus_make(const uint8_t *seed, size_t len, corpus_emit *emit, void *arg)
{
	struct ctx x = { emit, arg, 0 };
	struct ctl c;
	uint8_t rnd[512];
	size_t k, i, j, step;
	unsigned int r = 12345;

	if (ctl_parse(&c, seed, len) != 0) {
		ctl_free(&c);
		return -1;
	}
	put(&x, "empty", 0, seed, 0);
	/* Truncations: every byte of the header, then a stride through the records. */
	step = len / 150 + 1;
	for (k = 1; k < len; k += k < c.hdrlen ? 1 : step)
		if (!boundary(&c, k))
			put(&x, "trunc", k, seed, k);
	header(&x, &c, seed, len);
	records(&x, &c, seed, len);
	/* Random files that cannot start a header (first byte never 0x01, 0x02, 0x0D or 0x1C). */
	for (i = 0; i < 20; i++) {
		size_t n = 1 + i * 25;

		for (j = 0; j < n; j++) {
			r = r * 1103515245u + 12345u;
			rnd[j] = (uint8_t)(r >> 16);
		}
		if (rnd[0] <= 0x02 || rnd[0] == 0x0D || rnd[0] == 0x1C)
			rnd[0] = 0x41;
		put(&x, "random", n, rnd, n);
	}
	ctl_free(&c);
	return x.count;
}
