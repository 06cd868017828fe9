/*
 * mkcorpus: write malformed variants of a valid CTL/ITL file into a directory.
 * Every variant breaks the structure (not just the signature), so ctl-dump
 * must exit 2 on each. Positions come from lib's own parser of the seed.
 * usage: mkcorpus SEED DIR   (prints the number of files written)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tl/ctl.h"
#include "core/io.h"

static const char *dir;
static int count;

static void
emit(const char *kind, size_t at, const uint8_t *p, size_t n)
{
	char path[4096];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%03d-%s-%zu.tlv", dir, count++, kind, at);
	if ((fp = fopen(path, "wb")) == NULL || fwrite(p, 1, n, fp) != n || fclose(fp) != 0) {
		perror(path);
		exit(2);
	}
}

/* Copy of seed with the u16 at off set to v. */
static void
patch16(const char *kind, const uint8_t *seed, size_t len, size_t off, uint16_t v)
{
	uint8_t *m = malloc(len);

	memcpy(m, seed, len);
	m[off] = (uint8_t)(v >> 8);
	m[off + 1] = (uint8_t)v;
	emit(kind, off, m, len);
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

int
main(int argc, char *argv[])
{
	struct ctl c;
	uint8_t *seed, rnd[512];
	size_t len, k, i, j, step;
	unsigned int x = 12345;

	if (argc != 3 || (seed = io_slurp(argv[1], IO_MAX, &len)) == NULL) {
		fprintf(stderr, "usage: mkcorpus SEED DIR\n");
		return 2;
	}
	dir = argv[2];
	if (ctl_parse(&c, seed, len) != 0) {
		fprintf(stderr, "mkcorpus: %s: seed does not parse: %s\n", argv[1], c.err);
		return 2;
	}
	emit("empty", 0, seed, 0);
	/* Truncations: every byte of the header, then a stride through the records. */
	step = len / 150 + 1;
	for (k = 1; k < len; k += k < c.hdrlen ? 1 : step)
		if (!boundary(&c, k))
			emit("trunc", k, seed, k);
	/* Header lengths: zero, odd, inside a tag, past the end. */
	for (i = 0; i < c.nhtags; i++) {
		const struct tlv *t = &c.htags[i].t;

		patch16("hlen-ffff", seed, len, t->off + 1, 0xFFFF);
		if (t->tag == CTL_H_HDRLEN) {
			patch16("hdrlen-0", seed, len, t->off + 3, 0);
			patch16("hdrlen-past", seed, len, t->off + 3, (uint16_t)(len + 1));
			patch16("hdrlen-inside", seed, len, t->off + 3, (uint16_t)(t->off + 4));
			patch16("hdrlen-minus1", seed, len, t->off + 3, (uint16_t)(c.hdrlen - 1));
		}
	}
	/* Records: lengths too small, past the end, fields past the record, wrong first tag. */
	for (i = 0; i < c.nrecs; i++) {
		const struct ctl_rec *r = &c.recs[i];
		uint8_t *m;

		for (j = 0; j < 5; j++)
			patch16("reclen-small", seed, len, r->off + 3, (uint16_t)j);
		patch16("reclen-ffff", seed, len, r->off + 3, 0xFFFF);
		patch16("reclen-minus1", seed, len, r->off + 3, (uint16_t)(r->len - 1));
		patch16("reclen-plus1", seed, len, r->off + 3, (uint16_t)(r->len + 1));
		for (j = 1; j < r->ntags; j++)
			patch16("field-ffff", seed, len, r->tags[j].off + 1, 0xFFFF);
		m = malloc(len);
		memcpy(m, seed, len);
		m[r->off] = 0x02;
		emit("rec-tag", r->off, m, len);
		free(m);
	}
	/* Random files that cannot start a header (first byte never 0x01, 0x02, 0x0D or 0x1C). */
	for (i = 0; i < 20; i++) {
		size_t n = 1 + i * 25;

		for (j = 0; j < n; j++) {
			x = x * 1103515245u + 12345u;
			rnd[j] = (uint8_t)(x >> 16);
		}
		if (rnd[0] <= 0x02 || rnd[0] == 0x0D || rnd[0] == 0x1C)
			rnd[0] = 0x41;
		emit("random", n, rnd, n);
	}
	ctl_free(&c);
	free(seed);
	printf("%d\n", count);
	return 0;
}
