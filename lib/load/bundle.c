/* bundle.c: a sliding window over a bundle; memory is one chunk plus the largest block. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "load/bundle.h"
#include "x509/pem.h"

/* The length of the DER TLV at p (header included), or 0 when its header is not whole or sane. */
static size_t
tlv_len(const uint8_t *p, size_t n)
{
	size_t len = 0, k, i;

	if (n < 2 || p[0] != 0x30)
		return 0;
	if (p[1] < 0x80)
		return 2u + p[1];
	k = p[1] & 0x7F;
	if (k == 0 || k > 4 || n < 2 + k)
		return 0;
	for (i = 0; i < k; i++)
		len = len << 8 | p[2 + i];
	return 2 + k + len;
}

enum bundle_kind
bundle_sniff(const uint8_t *p, size_t n)
{
	if (pem_sniff(p, n))
		return BUNDLE_PEM;
	/* a certificate: SEQUENCE { SEQUENCE (tbsCertificate) ... } */
	if (tlv_len(p, n) > 0 && n > 6 && (p[1] < 0x80 ? p[2] : p[2 + (p[1] & 0x7F)]) == 0x30)
		return BUNDLE_DER;
	return BUNDLE_NONE;
}

void
bundle_init(struct bundle *b, int fd, enum bundle_kind kind)
{
	memset(b, 0, sizeof(*b));
	b->fd = fd;
	b->kind = kind;
}

/* Where the last whole unit of the window ends (0: none yet). */
static size_t
boundary(const struct bundle *b)
{
	static const char end[] = "-----END ";
	const uint8_t *p = b->p, *q = NULL, *s;
	size_t len = b->len, off = 0, t;

	if (b->kind == BUNDLE_DER) {
		while ((t = tlv_len(p + off, len - off)) > 0 && t <= len - off)
			off += t;
		return off;
	}
	/* after the newline ending the last END line that is whole */
	for (s = p; (s = memchr(s, '-', len - (size_t)(s - p))) != NULL; s++)
		if (len - (size_t)(s - p) >= sizeof(end) - 1 && memcmp(s, end, sizeof(end) - 1) == 0)
			q = s;
	if (q == NULL || (s = memchr(q, '\n', len - (size_t)(q - p))) == NULL)
		return 0;
	return (size_t)(s + 1 - p);
}

/* Append up to BUNDLE_CHUNK bytes to the window; sets eof. 0, or -1 (errno). */
static int
more(struct bundle *b, size_t max)
{
	uint8_t *np;
	size_t cap;
	ssize_t r;

	if (b->len > max) {
		errno = EFBIG;
		return -1;
	}
	if (b->cap - b->len < BUNDLE_CHUNK) {
		for (cap = b->cap ? b->cap : 2 * BUNDLE_CHUNK; cap - b->len < BUNDLE_CHUNK; cap *= 2)
			;
		if ((np = realloc(b->p, cap)) == NULL) {
			errno = ENOMEM;
			return -1;
		}
		b->p = np;
		b->cap = cap;
	}
	do
		r = read(b->fd, b->p + b->len, BUNDLE_CHUNK);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return -1;
	b->len += (size_t)r;
	b->eof = r == 0;
	return 0;
}

int
bundle_next(struct bundle *b, const uint8_t **p, size_t *n, size_t max, const char **why)
{
	size_t cut;

	/* drop what was handed out last time (wiped: keys share files with certificates) */
	if (b->cut > 0) {
		memmove(b->p, b->p + b->cut, b->len - b->cut);
		memset(b->p + b->len - b->cut, 0, b->cut);
		b->len -= b->cut;
		b->cut = 0;
	}
	for (;;) {
		if (b->eof) {
			if ((cut = b->len) == 0)
				return 0;
			break;
		}
		if (b->len >= BUNDLE_CHUNK && (cut = boundary(b)) > 0)
			break;
		if (more(b, max) != 0) {
			*why = errno == EFBIG ? "a single block larger than the input limit" :
			    strerror(errno);
			return -1;
		}
	}
	b->cut = cut;
	*p = b->p;
	*n = cut;
	return 1;
}

void
bundle_free(struct bundle *b)
{
	if (b->p != NULL)
		memset(b->p, 0, b->cap);
	free(b->p);
	b->p = NULL;
	b->len = b->cap = b->cut = 0;
}
