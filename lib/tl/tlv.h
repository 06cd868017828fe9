/* tlv.h: the CTL/ITL TLV codec: tag (1 byte), big-endian u16 length, value; never allocates. */
#ifndef CTK_TLV_H
#define CTK_TLV_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

#define TLV_PAD 0x0D	/* header padding: one bare byte, no length */

struct tlv {
	uint8_t		 tag;
	uint16_t	 len;
	const uint8_t	*val;	/* borrowed from the reader's buffer */
	size_t		 off;	/* offset of the tag byte from the buffer start */
};

struct tlv_reader {
	const uint8_t	*base;	/* start of the whole buffer, for offsets */
	size_t		 pos, end;
	int		 pad;	/* 1: a 0x0D byte is padding (header region) */
};

/* Read base[pos..end); pad as above. */
void tlv_init(struct tlv_reader *r, const uint8_t *base, size_t pos, size_t end, int pad);
/*
 * 1: *t filled (a padding byte comes back as tag 0x0D, len 0);
 * 0: clean end; -1: truncated, r->pos is the offset of the broken TLV.
 */
int tlv_next(struct tlv_reader *r, struct tlv *t);
/* Append tag, length and value to b; -1 if len > 0xFFFF or out of memory. */
int tlv_put(struct buf *b, uint8_t tag, const void *val, size_t len);
/* The same with a u16 / u32 / byte value, and a NUL-terminated string (NUL counted). */
int tlv_put16(struct buf *b, uint8_t tag, uint16_t v);
int tlv_put32(struct buf *b, uint8_t tag, uint32_t v);
int tlv_put8(struct buf *b, uint8_t tag, uint8_t v);
int tlv_putstr(struct buf *b, uint8_t tag, const char *s);
/* Big-endian readers for values already bounds-checked by the caller. */
uint16_t tlv_u16(const uint8_t *p);
uint32_t tlv_u32(const uint8_t *p);

#endif
