/* buf.h: a growable byte buffer for writers (TLV files, JSON, manifests). */
#ifndef CTK_BUF_H
#define CTK_BUF_H

#include <stddef.h>
#include <stdint.h>

struct buf {
	uint8_t	*p;
	size_t	 len, cap;
	int	 err;		/* sticky: an allocation failed, contents are incomplete */
};
#define BUF_ZERO { NULL, 0, 0, 0 }

/* Append; on failure set b->err and return -1 (later appends are no-ops). */
int buf_add(struct buf *b, const void *p, size_t n);
int buf_addc(struct buf *b, uint8_t c);
int buf_add16(struct buf *b, uint16_t v);	/* big-endian */
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Make room for n more bytes without appending (one allocation for a size known ahead). */
int buf_reserve(struct buf *b, size_t n);
/* Release memory (wiped first: buffers may hold key material); b is reusable. */
void buf_free(struct buf *b);
/* Release memory unwiped: only for public bytes (certificates, trust lists, signed files). */
void buf_drop(struct buf *b);

#endif
