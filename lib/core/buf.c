/* buf.c: growable byte buffer with a sticky error flag, so callers check once. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "core/buf.h"

/*
 * Room for n more bytes. exact (a size known ahead): no more than twice the old capacity or
 * len + n, whichever is larger, so a large buffer reserved once holds no untouched tail (a wiped
 * buffer writes its whole capacity, faulting in pages nothing used).
 */
static int
grow(struct buf *b, size_t n, int exact)
{
	size_t cap;
	uint8_t *p;

	if (b->err)
		return -1;
	if (n <= b->cap - b->len)
		return 0;
	if (n > SIZE_MAX / 2 - b->len)
		goto fail;
	if (exact) {
		cap = b->cap <= SIZE_MAX / 4 ? b->cap * 2 : b->cap;
		if (cap < b->len + n)
			cap = b->len + n;
	} else {
		cap = b->cap ? b->cap : 256;
		while (cap - b->len < n)
			cap *= 2;
	}
	if ((p = realloc(b->p, cap)) == NULL)
		goto fail;
	b->p = p;
	b->cap = cap;
	return 0;
fail:
	b->err = 1;
	return -1;
}

int
buf_add(struct buf *b, const void *p, size_t n)
{
	if (grow(b, n, 0) != 0)
		return -1;
	if (n > 0)
		memcpy(b->p + b->len, p, n);
	b->len += n;
	return 0;
}

int
buf_reserve(struct buf *b, size_t n)
{
	return grow(b, n, 1);
}

int
buf_addc(struct buf *b, uint8_t c)
{
	return buf_add(b, &c, 1);
}

int
buf_add16(struct buf *b, uint16_t v)
{
	uint8_t x[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	return buf_add(b, x, 2);
}

int
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || grow(b, (size_t)n + 1, 0) != 0) {
		b->err = 1;
		return -1;
	}
	va_start(ap, fmt);
	vsnprintf((char *)b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

void
buf_free(struct buf *b)
{
	if (b->p != NULL)
		OPENSSL_clear_free(b->p, b->cap);
	b->p = NULL;
	b->len = b->cap = 0;
	b->err = 0;
}

void
buf_drop(struct buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
	b->err = 0;
}
