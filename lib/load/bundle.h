/* bundle.h: a large PEM or DER bundle read a piece at a time, each piece ending on a boundary. */
#ifndef CTK_BUNDLE_H
#define CTK_BUNDLE_H

#include <stddef.h>
#include <stdint.h>

/* Regular files larger than this are read as a bundle when they start like one. */
#define BUNDLE_MIN	((size_t)4 << 20)
/* Bytes read at a time; a piece holds whole PEM blocks or DER certificates. */
#define BUNDLE_CHUNK	((size_t)1 << 20)

enum bundle_kind { BUNDLE_NONE, BUNDLE_PEM, BUNDLE_DER };

struct bundle {
	int		 fd;
	enum bundle_kind kind;
	/* private */
	uint8_t		*p;		/* the window: bytes read and not yet handed out */
	size_t		 len, cap;
	size_t		 cut;		/* p[0..cut) was handed out last */
	int		 eof;
};

/*
 * What the first bytes p[0..n) of a file say: BUNDLE_PEM (a BEGIN line),
 * BUNDLE_DER (a certificate's SEQUENCE header), BUNDLE_NONE (read it whole).
 */
enum bundle_kind bundle_sniff(const uint8_t *p, size_t n);
/* Start reading fd (at its current offset) as a bundle of kind; nothing read yet. */
void bundle_init(struct bundle *b, int fd, enum bundle_kind kind);
/*
 * The next piece: *p, *n (valid until the next call) holding whole
 * PEM blocks (up to the end of an END line, any text before them included) or
 * whole DER certificates, the last piece everything left. Memory: BUNDLE_CHUNK
 * plus the largest block, never more than max. 1: a piece; 0: the end; -1: *why.
 */
int bundle_next(struct bundle *b, const uint8_t **p, size_t *n, size_t max, const char **why);
/* Release the window (wiped: a bundle may hold keys). */
void bundle_free(struct bundle *b);

#endif
