/* tlv.c: bounds-checked TLV reading over a caller's buffer, and TLV appending. */
#include <string.h>

#include "tl/tlv.h"

void
tlv_init(struct tlv_reader *r, const uint8_t *base, size_t pos, size_t end, int pad)
{
	r->base = base;
	r->pos = pos;
	r->end = end;
	r->pad = pad;
}

int
tlv_next(struct tlv_reader *r, struct tlv *t)
{
	size_t left;

	if (r->pos >= r->end)
		return 0;
	left = r->end - r->pos;
	t->off = r->pos;
	t->tag = r->base[r->pos];
	if (r->pad && t->tag == TLV_PAD) {
		t->len = 0;
		t->val = r->base + r->pos + 1;
		r->pos++;
		return 1;
	}
	if (left < 3)
		return -1;
	t->len = tlv_u16(r->base + r->pos + 1);
	if (left - 3 < t->len)
		return -1;
	t->val = r->base + r->pos + 3;
	r->pos += 3 + (size_t)t->len;
	return 1;
}

int
tlv_put(struct buf *b, uint8_t tag, const void *val, size_t len)
{
	if (len > 0xFFFF) {
		b->err = 1;
		return -1;
	}
	buf_addc(b, tag);
	buf_add16(b, (uint16_t)len);
	return buf_add(b, val, len);
}

int
tlv_put8(struct buf *b, uint8_t tag, uint8_t v)
{
	return tlv_put(b, tag, &v, 1);
}

int
tlv_put16(struct buf *b, uint8_t tag, uint16_t v)
{
	uint8_t x[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	return tlv_put(b, tag, x, 2);
}

int
tlv_put32(struct buf *b, uint8_t tag, uint32_t v)
{
	uint8_t x[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16),
	    (uint8_t)(v >> 8), (uint8_t)v };

	return tlv_put(b, tag, x, 4);
}

int
tlv_putstr(struct buf *b, uint8_t tag, const char *s)
{
	return tlv_put(b, tag, s, strlen(s) + 1);
}

uint16_t
tlv_u16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

uint32_t
tlv_u32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}
