/*
 * ctltextlines.c: a terminal capture's text put back into the lines CUCM printed:
 * CRs dropped, and a line as wide as the widest (the terminal's width) joined to
 * the next unless that one opens a line of a listing. Each input line copied is a
 * segment, so that a diagnostic names the input's byte and line.
 */
#include <stdlib.h>
#include <string.h>

#include "core/out.h"
#include "tl/ctl.h"
#include "tl/ctlshow.h"
#include "tl/ctltextlines.h"

struct ctltext_seg {
	size_t		 to, from, line;	/* text[to ..] came from input[from ..], on line */
};

static int
blank(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* Display width of a line as a terminal lays it out (tabs to 8, UTF-8 one column). */
static size_t
width(const uint8_t *p, size_t n)
{
	size_t i, col = 0;

	for (i = 0; i < n; i++)
		if (p[i] == '\t')
			col = (col / 8 + 1) * 8;
		else if ((p[i] & 0xC0) != 0x80)
			col++;
	return col;
}

static int
prefix(const uint8_t *p, size_t n, const char *s)
{
	size_t k = strlen(s);

	return n >= k && memcmp(p, s, k) == 0;
}

/* Does p open with a TAG column's word (of a header or a record), or UNKNOWN? */
static int
tag_word(const uint8_t *p, size_t n)
{
	const char *name;
	size_t k, w;
	int tag, rec;

	for (w = 0; w < n && !blank(p[w]); w++)
		;
	if (w == 7 && memcmp(p, "UNKNOWN", 7) == 0)
		return 1;
	for (rec = 0; rec < 2; rec++)
		for (tag = 0; tag < (rec ? CTL_R_MAX : CTL_H_MAX); tag++)
			if ((name = ctlshow_tagname(tag, rec)) != NULL &&
			    (k = strcspn(name, "\t")) == w && memcmp(name, p, w) == 0)
				return 1;
	return 0;
}

/* Does a line open as a listing's lines do? Then it is no terminal's wrapped tail. */
static int
line_known(const uint8_t *p, size_t n)
{
	static const char *const starts[] = {
		"The ", "Length of ", "Parse ", "-", "Version:", "HeaderLength:", "BYTEPOS",
		"CTL Record", "ITL Record", "This etoken", "admin:", "[..", "Error parsing",
		"CTL File not", "ITL File not",
	};
	size_t i, k;

	while (n > 0 && blank(*p))
		p++, n--;
	if (n == 0)
		return 1;
	for (i = 0; i < sizeof(starts) / sizeof(starts[0]); i++)
		if (prefix(p, n, starts[i]))
			return 1;
	for (k = 0; k < n && out_hexval(p[k]) >= 0; k++)
		;
	if ((k == 32 && prefix(p + k, n - k, "(MD5)")) || (k == 40 && prefix(p + k, n - k, "(SHA1)")))
		return 1;
	for (k = 0; k < n && p[k] >= '0' && p[k] <= '9'; k++)
		;
	if (k == 0 || k == n || !blank(p[k]))
		return 0;
	while (k < n && blank(p[k]))
		k++;
	return tag_word(p + k, n - k);	/* "NUMBER TAG": a row; "67 8C": a hash's tail */
}

static size_t
line_end(const uint8_t *buf, size_t len, size_t i)
{
	const uint8_t *nl = memchr(buf + i, '\n', len - i);

	return nl != NULL ? (size_t)(nl - buf) : len;
}

/* Input line [s, e) without its trailing CRs (a terminal log may hold two). */
static size_t
trim_cr(const uint8_t *buf, size_t s, size_t e)
{
	while (e > s && buf[e - 1] == '\r')
		e--;
	return e;
}

int
ctltextlines_join(const uint8_t *buf, size_t len, char **text, size_t *tlen,
    struct ctltext_seg **segs, size_t *nsegs)
{
	size_t i, e, ce, w, maxw = 0, nlines = 1, ns, ne, line = 1;

	*text = NULL, *segs = NULL, *tlen = *nsegs = 0;
	for (i = 0; i < len; i = e + 1) {
		e = line_end(buf, len, i);
		if ((w = width(buf + i, trim_cr(buf, i, e) - i)) > maxw)
			maxw = w;
		nlines++;
	}
	if ((*text = malloc(len + 1)) == NULL ||
	    (*segs = calloc(nlines, sizeof(**segs))) == NULL)
		return -1;
	for (i = 0; i < len; i = e + 1, line++) {
		e = line_end(buf, len, i);
		ce = trim_cr(buf, i, e);
		(*segs)[(*nsegs)++] = (struct ctltext_seg){ *tlen, i, line };
		memcpy(*text + *tlen, buf + i, ce - i);
		*tlen += ce - i;
		if (e >= len)
			break;
		ns = e + 1;
		ne = trim_cr(buf, ns, line_end(buf, len, ns));
		if (!(maxw >= 40 && width(buf + i, ce - i) == maxw && ns < len &&
		    !line_known(buf + ns, ne - ns)))
			(*text)[(*tlen)++] = '\n';
	}
	(*text)[*tlen] = '\0';
	return 0;
}

void
ctltextlines_locate(const struct ctltext_seg *segs, size_t nsegs, size_t off, size_t *inoff,
    size_t *line)
{
	size_t lo = 0, hi = nsegs, mid;

	if (nsegs == 0) {
		*inoff = off;
		*line = 1;
		return;
	}
	while (hi - lo > 1) {
		mid = (lo + hi) / 2;
		if (segs[mid].to <= off)
			lo = mid;
		else
			hi = mid;
	}
	*line = segs[lo].line;
	*inoff = segs[lo].from + (off - segs[lo].to);
}
