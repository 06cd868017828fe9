/* pem.c: RFC 7468 text encoding: a tolerant reader (CRLF, headers, stray text between blocks). */
#include <string.h>

#include "pem.h"

static const char BEGIN[] = "-----BEGIN ";
static const char END[] = "-----END ";

static const uint8_t *
find(const uint8_t *p, size_t n, const char *s)
{
	size_t k = strlen(s);
	const uint8_t *q;

	while (n >= k && (q = memchr(p, s[0], n - k + 1)) != NULL) {
		if (memcmp(q, s, k) == 0)
			return q;
		n -= (size_t)(q - p) + 1;
		p = q + 1;
	}
	return NULL;
}

void
pem_init(struct pem_iter *it, const uint8_t *buf, size_t len)
{
	it->base = buf;
	it->pos = 0;
	it->len = len;
}

int
pem_sniff(const uint8_t *buf, size_t len)
{
	return find(buf, len, BEGIN) != NULL;
}

static int
b64(uint8_t c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* Decode base64 text p[0..n), skipping white space and header lines (with ':'). */
static int
decode(const uint8_t *p, size_t n, struct buf *out)
{
	uint32_t acc = 0;
	int bits = 0, pad = 0, v;
	size_t i, eol;

	for (i = 0; i < n; i++) {
		if (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n')
			continue;
		if (p[i] == '=') {
			pad++;
			continue;
		}
		if ((v = b64(p[i])) < 0) {
			/* An RFC 1421 header line ("Proc-Type: ..."): skip to its end. */
			for (eol = i; eol < n && p[eol] != '\n'; eol++)
				if (p[eol] == ':')
					break;
			if (eol < n && p[eol] == ':') {
				while (i < n && p[i] != '\n')
					i++;
				continue;
			}
			return -1;
		}
		if (pad)
			return -1;
		acc = acc << 6 | (uint32_t)v;
		if ((bits += 6) >= 8) {
			bits -= 8;
			if (buf_addc(out, (uint8_t)(acc >> bits)) != 0)
				return -1;
		}
	}
	return pad > 2 ? -1 : 0;
}

int
pem_next(struct pem_iter *it, struct pem_block *b, struct buf *scratch, const char **why)
{
	const uint8_t *base = it->base, *beg, *lab, *labend, *body, *end;
	size_t left = it->len - it->pos;

	if ((beg = find(base + it->pos, left, BEGIN)) == NULL) {
		it->pos = it->len;
		return 0;
	}
	b->off = (size_t)(beg - base);
	lab = beg + strlen(BEGIN);
	left = it->len - (size_t)(lab - base);
	if ((labend = find(lab, left, "-----")) == NULL ||
	    memchr(lab, '\n', (size_t)(labend - lab)) != NULL) {
		*why = "malformed BEGIN line";
		it->pos = it->len;
		return -1;
	}
	b->label = (const char *)lab;
	b->labellen = (size_t)(labend - lab);
	body = labend + 5;
	if ((end = find(body, it->len - (size_t)(body - base), END)) == NULL) {
		*why = "no END line";
		it->pos = it->len;
		return -1;
	}
	it->pos = (size_t)(end - base) + strlen(END);
	scratch->len = 0;
	scratch->err = 0;
	if (decode(body, (size_t)(end - body), scratch) != 0) {
		*why = "bad base64";
		return -1;
	}
	b->der = scratch->p;
	b->len = scratch->len;
	return 1;
}

int
pem_is_cert(const struct pem_block *b)
{
	static const char *labels[] = { "CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE" };
	size_t i;

	for (i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		if (b->labellen == strlen(labels[i]) &&
		    memcmp(b->label, labels[i], b->labellen) == 0)
			return 1;
	return 0;
}

int
pem_write(FILE *fp, const char *label, const uint8_t *der, size_t len)
{
	static const char enc[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t i, col = 0;
	uint32_t v;

	fprintf(fp, "-----BEGIN %s-----\n", label);
	for (i = 0; i < len; i += 3) {
		v = (uint32_t)der[i] << 16;
		if (i + 1 < len)
			v |= (uint32_t)der[i + 1] << 8;
		if (i + 2 < len)
			v |= der[i + 2];
		fputc(enc[v >> 18 & 63], fp);
		fputc(enc[v >> 12 & 63], fp);
		fputc(i + 1 < len ? enc[v >> 6 & 63] : '=', fp);
		fputc(i + 2 < len ? enc[v & 63] : '=', fp);
		if ((col += 4) == 64) {
			fputc('\n', fp);
			col = 0;
		}
	}
	if (col > 0)
		fputc('\n', fp);
	fprintf(fp, "-----END %s-----\n", label);
	return ferror(fp) ? -1 : 0;
}
