/* pem.c: RFC 7468 text encoding: a tolerant reader (CRLF, headers, stray text between blocks). */
#include <string.h>

#include "core/out.h"
#include "x509/pem.h"

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
	it->tstart = 0;
}

int
pem_sniff(const uint8_t *buf, size_t len)
{
	return find(buf, len, BEGIN) != NULL;
}

/* Base64 value of each byte; -1 for anything else. */
static signed char b64[256];

static void
b64_init(void)
{
	static const char a[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	int i;

	if (b64['/'] == 63)
		return;
	memset(b64, -1, sizeof(b64));
	for (i = 0; i < 64; i++)
		b64[(uint8_t)a[i]] = (signed char)i;
}

/*
 * Decode base64 text p[0..n), skipping white space and header lines (with ':').
 * Writes straight into out (room for n bytes is made first: the output is shorter).
 */
static int
decode(const uint8_t *p, size_t n, struct buf *out)
{
	uint32_t acc = 0;
	int bits = 0, pad = 0, v;
	size_t i, eol, base = out->len;
	uint8_t *o;

	/* room for n bytes (the output is shorter), and one more so that out->p is never NULL */
	if (buf_reserve(out, n + 1) != 0)
		return -1;
	o = out->p + base;
	b64_init();
	for (i = 0; i < n; i++) {
		/* the body of a line: four characters, three bytes, at a group boundary */
		while (bits == 0 && !pad && n - i >= 4) {
			int a = b64[p[i]], b = b64[p[i + 1]], c = b64[p[i + 2]], d = b64[p[i + 3]];

			if ((a | b | c | d) < 0)
				break;
			acc = (uint32_t)a << 18 | (uint32_t)b << 12 | (uint32_t)c << 6 | (uint32_t)d;
			o[0] = (uint8_t)(acc >> 16);
			o[1] = (uint8_t)(acc >> 8);
			o[2] = (uint8_t)acc;
			o += 3;
			i += 4;
		}
		if (i == n)
			break;
		if ((v = b64[p[i]]) >= 0) {
			if (pad)
				goto bad;
			acc = acc << 6 | (uint32_t)v;
			if ((bits += 6) >= 8) {
				bits -= 8;
				*o++ = (uint8_t)(acc >> bits);
			}
			continue;
		}
		if (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n')
			continue;
		if (p[i] == '=') {
			pad++;
			continue;
		}
		/* An RFC 1421 header line ("Proc-Type: ..."): skip to its end. */
		for (eol = i; eol < n && p[eol] != '\n'; eol++)
			if (p[eol] == ':')
				break;
		if (eol < n && p[eol] == ':') {
			while (i < n && p[i] != '\n')
				i++;
			continue;
		}
		goto bad;
	}
	if (pad > 2)
		goto bad;
	out->len = (size_t)(o - out->p);
	return 0;
bad:
	out->len = base;
	return -1;
}

/* The line right before the BEGIN line at beg, when it is a PEM_SOURCE line. */
static void
source(const struct pem_iter *it, const uint8_t *beg, struct pem_block *b)
{
	const uint8_t *from = it->base + it->pos, *ls, *le;
	size_t k = strlen(PEM_SOURCE);

	b->source = NULL;
	b->sourcelen = 0;
	if (beg == from || beg[-1] != '\n')
		return;
	le = beg - 1;
	for (ls = le; ls > from && ls[-1] != '\n'; ls--)
		;
	if (le > ls && le[-1] == '\r')
		le--;
	if ((size_t)(le - ls) < k || memcmp(ls, PEM_SOURCE, k) != 0)
		return;
	b->source = (const char *)ls + k;
	b->sourcelen = (size_t)(le - ls) - k;
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
	if (it->tstart > b->off)	/* a BEGIN on the END line itself: no text */
		it->tstart = b->off;
	b->text = base + it->tstart;
	b->textlen = b->off - it->tstart;
	source(it, beg, b);
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
	/* the next block's text starts on the line after this END line */
	it->tstart = it->pos;
	while (it->tstart < it->len && base[it->tstart] != '\n')
		it->tstart++;
	if (it->tstart < it->len)
		it->tstart++;
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
pem_write_source(FILE *fp, const char *text)
{
	fputs(PEM_SOURCE, fp);
	out_str(fp, text);
	fputc('\n', fp);
	return ferror(fp) ? -1 : 0;
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
