/*
 * ctltext.c: `show itl` / `show ctl` listings read back from text. Captures come
 * with prompts, CRLF, terminal wrapping, elisions ("[...]") and whole listings
 * collapsed onto one line by web pages, so the reader goes by tokens and
 * phrases, never by columns; a row's value ends at the line's end or where the
 * next row, record or sentence starts.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/out.h"
#include "tl/ctl.h"
#include "tl/ctlshow.h"
#include "tl/ctltext.h"
#include "tl/ctltextlines.h"

/* A cursor's token: text[s .. e), bol when it opens a line. */
struct tok {
	size_t		 s, e;
	int		 bol;
};

static int
blank(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

static int
fail(struct ctltext *t, size_t off, const char *fmt, ...)
{
	va_list ap;

	if (t->err[0] != '\0')
		return -1;
	va_start(ap, fmt);
	vsnprintf(t->err, sizeof(t->err), fmt, ap);
	va_end(ap);
	t->err_off = off;
	return -1;
}

/* The token at or after i (0 at the end); bol when a newline or the start came before it. */
static int
tok_at(const struct ctltext *t, size_t i, struct tok *k)
{
	int bol = i == 0;

	while (i < t->len && (blank(t->text[i]) || t->text[i] == '\n'))
		bol |= t->text[i++] == '\n';
	if (i >= t->len)
		return 0;
	k->s = i;
	while (i < t->len && !blank(t->text[i]) && t->text[i] != '\n')
		i++;
	k->e = i;
	if (i - k->s > 6 && memcmp(t->text + k->s, "admin:", 6) == 0)
		k->e = k->s + 6;	/* the prompt, then what was typed or printed after it */
	k->bol = bol || k->s == 0 || t->text[k->s - 1] == '\n';
	return 1;
}

static int
tok_is(const struct ctltext *t, const struct tok *k, const char *s)
{
	return k->e - k->s == strlen(s) && memcmp(t->text + k->s, s, k->e - k->s) == 0;
}

/* A decimal number of at most 9 digits, else -1. */
static long
tok_num(const struct ctltext *t, const struct tok *k)
{
	long v = 0;
	size_t i;

	if (k->e == k->s || k->e - k->s > 9)
		return -1;
	for (i = k->s; i < k->e; i++) {
		if (t->text[i] < '0' || t->text[i] > '9')
			return -1;
		v = v * 10 + (t->text[i] - '0');
	}
	return v;
}

/*
 * Do the tokens at i spell pat (words separated by one space; "%K" is CTL or
 * ITL, stored in *kind)? 1 with *end after the last word, else 0.
 */
static int
match(const struct ctltext *t, size_t i, const char *pat, int *kind, size_t *end)
{
	struct tok k;
	const char *w = pat, *sp;
	size_t n;

	while (*w != '\0') {
		sp = strchr(w, ' ');
		n = sp != NULL ? (size_t)(sp - w) : strlen(w);
		if (!tok_at(t, i, &k) || (w != pat && k.bol))
			return 0;	/* a phrase is never broken over lines */
		if (n == 2 && memcmp(w, "%K", 2) == 0) {
			if (tok_is(t, &k, "ITL"))
				*kind = 1;
			else if (tok_is(t, &k, "CTL"))
				*kind = 0;
			else
				return 0;
		} else if (k.e - k.s != n || memcmp(t->text + k.s, w, n) != 0)
			return 0;
		i = k.e;
		w += n;
		if (*w == ' ')
			w++;
	}
	*end = i;
	return 1;
}

/* The tag a TAG column names in a header (rec 0) or record: -1 none, -2 UNKNOWN. */
static int
tag_of(const struct ctltext *t, const struct tok *k, int rec)
{
	const char *name;
	int tag;

	if (tok_is(t, k, "UNKNOWN"))
		return -2;
	for (tag = 0; tag < (rec ? CTL_R_MAX : CTL_H_MAX); tag++)
		if ((name = ctlshow_tagname(tag, rec)) != NULL &&
		    strcspn(name, "\t") == k->e - k->s && memcmp(name, t->text + k->s, k->e - k->s) == 0)
			return tag;
	return -1;
}

/* Is there a row (NUMBER TAG LENGTH) at i, in a header or a record? */
static int
row_at(const struct ctltext *t, size_t i)
{
	struct tok a, b, c;

	return tok_at(t, i, &a) && tok_num(t, &a) >= 0 && tok_at(t, a.e, &b) && !b.bol &&
	    (tag_of(t, &b, 0) != -1 || tag_of(t, &b, 1) != -1) && tok_at(t, b.e, &c) &&
	    !c.bol && tok_num(t, &c) >= 0;
}

static int
elision(const struct ctltext *t, const struct tok *k)
{
	return k->e - k->s >= 3 && memcmp(t->text + k->s, "[..", 3) == 0 && t->text[k->e - 1] == ']';
}

static int
list_start(const struct ctltext *t, size_t i, int *kind, size_t *e)
{
	return match(t, i, "The checksum value of the %K file:", kind, e) ||
	    match(t, i, "Length of %K file:", kind, e);
}

/* The CLI's prompt, "admin:", with the command glued to it or not. */
static int
admin(const struct ctltext *t, const struct tok *k)
{
	return k->e - k->s >= 6 && memcmp(t->text + k->s, "admin:", 6) == 0;
}

/* Does something other than a row's value start at i? */
static int
boundary(const struct ctltext *t, size_t i)
{
	struct tok k;
	size_t e;
	int kind;

	if (!tok_at(t, i, &k))
		return 1;
	return row_at(t, i) || elision(t, &k) || match(t, i, "%K Record", &kind, &e) ||
	    match(t, i, "This etoken", &kind, &e) || match(t, i, "The %K file", &kind, &e) ||
	    match(t, i, "The %K File", &kind, &e) || match(t, i, "Error parsing", &kind, &e) ||
	    admin(t, &k);
}

/* A row's value: from i to the line's end or the next boundary on the line. */
static struct ctltext_span
value(const struct ctltext *t, size_t *i)
{
	struct ctltext_span v = { NULL, 0 };
	struct tok k;
	size_t p = *i;

	while (p < t->len && blank(t->text[p]))
		p++;
	while (tok_at(t, p, &k) && !k.bol && !boundary(t, p)) {
		if (v.p == NULL)
			v.p = t->text + k.s;
		v.n = (size_t)(t->text + k.e - v.p);
		p = k.e;
	}
	if (v.p != NULL)
		*i = (size_t)(v.p + v.n - t->text);
	return v;
}

/* grow *p (n used, of size sz) for one more, up to max. */
static int
grow(struct ctltext *t, void **p, size_t n, size_t sz, size_t max, size_t off, const char *what)
{
	void *np;

	if (n >= max)
		return fail(t, off, "more than %zu %s", max, what);
	if ((n & (n - 1)) != 0 && n >= 16)
		return 0;	/* capacity is n rounded up to a power of two, at least 16 */
	if (n >= 16 || n == 0) {
		if ((np = realloc(*p, (n < 16 ? 16 : 2 * n) * sz)) == NULL)
			return fail(t, off, "out of memory");
		*p = np;
	}
	return 0;
}

/* "AA:BB:.." into r; 0, or -1 reported. */
static int
colonhex(struct ctltext *t, struct ctltext_span v, uint8_t *out, size_t max, size_t *n)
{
	size_t i = 0, off = (size_t)(v.p - t->text);
	int hi, lo;

	*n = 0;
	while (i < v.n) {
		if (i + 2 > v.n || (hi = out_hexval(v.p[i])) < 0 || (lo = out_hexval(v.p[i + 1])) < 0 ||
		    (i + 2 < v.n && v.p[i + 2] != ':'))
			return fail(t, off + i, "not a serial number (AA:BB:...)");
		if (*n >= max)
			return fail(t, off, "serial number longer than %zu bytes", max);
		out[(*n)++] = (uint8_t)(hi << 4 | lo);
		i += 3;
	}
	return 0;
}

/* "XX XX .. (SHA1 Hash HEX)": 20 bytes. */
static int
sha1hex(struct ctltext *t, struct ctltext_span v, uint8_t *out)
{
	static const char tail[] = " (SHA1 Hash HEX)";
	size_t i, off = (size_t)(v.p - t->text);
	int hi, lo;

	if (v.n != 20 * 3 - 1 + sizeof(tail) - 1 || memcmp(v.p + 59, tail, sizeof(tail) - 1) != 0)
		return fail(t, off, "not a certificate hash (20 hex bytes, \"(SHA1 Hash HEX)\")");
	for (i = 0; i < 20; i++) {
		if ((hi = out_hexval(v.p[3 * i])) < 0 || (lo = out_hexval(v.p[3 * i + 1])) < 0 ||
		    (i < 19 && v.p[3 * i + 2] != ' '))
			return fail(t, off + 3 * i, "not a certificate hash (20 hex bytes)");
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

static int
function_code(struct ctltext *t, struct ctltext_span v)
{
	static const int codes[] = {
		CTL_FN_SAST, CTL_FN_CCM, CTL_FN_CCM_TFTP, CTL_FN_TFTP, CTL_FN_CAPF, CTL_FN_SRST,
		CTL_FN_APP, CTL_FN_TVS,
	};
	const char *s;
	size_t i;
	long n = 0;

	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		if ((s = ctl_function_text(codes[i])) != NULL && strlen(s) == v.n &&
		    memcmp(s, v.p, v.n) == 0)
			return codes[i];
	for (i = 0; i < v.n && i < 6 && v.p[i] >= '0' && v.p[i] <= '9'; i++)
		n = n * 10 + (v.p[i] - '0');
	if (i == v.n && i > 0 && n <= 65535)
		return (int)n;	/* CUCM prints codes it has no name for as numbers */
	return fail(t, (size_t)(v.p - t->text), "unknown FUNCTION");
}

/* What a record's row says about it (role, serial, certificate hash, names). */
static int
rec_field(struct ctltext *t, struct ctltext_rec *r, const struct ctltext_row *w)
{
	if (w->val.p == NULL)
		return 0;
	switch (w->tag) {
	case CTL_R_DNS:
		r->dns = r->dns.p == NULL ? w->val : r->dns;
		return 0;
	case CTL_R_SUBJECT:
		r->subject = r->subject.p == NULL ? w->val : r->subject;
		return 0;
	case CTL_R_ISSUER:
		r->issuer = r->issuer.p == NULL ? w->val : r->issuer;
		return 0;
	case CTL_R_FUNCTION:
		if (r->function >= 0)
			return 0;
		return (r->function = function_code(t, w->val)) < 0 ? -1 : 0;
	case CTL_R_SERIAL:
		if (r->has_serial)
			return 0;
		r->has_serial = 1;
		return colonhex(t, w->val, r->serial, sizeof(r->serial), &r->serlen);
	case CTL_R_CERT:
		if (r->has_sha1)
			return 0;
		r->has_sha1 = 1;
		return sha1hex(t, w->val, r->sha1);
	}
	return 0;
}

/* The hex bytes CUCM dumps below a header's SIGNATURE row, up to len of them. */
static int
sigdump(struct ctltext *t, struct ctltext_list *l, unsigned len, size_t *i)
{
	struct tok k;
	size_t n = 0;
	int hi, lo;

	l->sig = t->nsigs;
	while (n < len && tok_at(t, *i, &k) && k.e - k.s <= 2 && !row_at(t, *i)) {
		hi = out_hexval(t->text[k.s]);
		lo = k.e - k.s == 2 ? out_hexval(t->text[k.s + 1]) : 0;
		if (hi < 0 || lo < 0)
			break;
		if (grow(t, (void **)&t->sigs, t->nsigs, 1, (size_t)CTLTEXT_MAX_SIG * 64, k.s,
		    "signature bytes") != 0)
			return -1;
		t->sigs[t->nsigs++] = (uint8_t)(k.e - k.s == 2 ? hi << 4 | lo : hi);
		n++;
		*i = k.e;
	}
	if (n != 0 && n != len)
		return fail(t, *i, "signature dump of %zu bytes, the row says %u", n, len);
	l->siglen = n;
	return 0;
}

/* One row at *i, of the header (r NULL) or of record r. */
static int
row(struct ctltext *t, struct ctltext_list *l, struct ctltext_rec *r, size_t *i)
{
	struct ctltext_row w = { 0, 1, 0, { NULL, 0 } };
	struct tok a, b, c;
	long tag, len;
	int named;

	tok_at(t, *i, &a);
	tok_at(t, a.e, &b);
	tok_at(t, b.e, &c);
	tag = tok_num(t, &a);
	len = tok_num(t, &c);
	named = tag_of(t, &b, r != NULL);
	if (tag > 255 || (named >= 0 && named != tag) || named == -1)
		return fail(t, a.s, "%s row %.*s is not a tag CUCM prints there",
		    r != NULL ? "a record" : "the header", (int)(b.e - b.s), t->text + b.s);
	if (len > 65535)
		return fail(t, c.s, "length %ld is more than a tag holds", len);
	w.tag = (int)tag;
	w.known = named >= 0;
	w.len = (unsigned)len;
	*i = c.e;
	if (r == NULL && tag == CTL_H_SIGNATURE && len > CTLTEXT_MAX_SIG)
		return fail(t, c.s, "a signature longer than %d bytes", CTLTEXT_MAX_SIG);
	if (r == NULL && tag == CTL_H_SIGNATURE && named >= 0) {
		if (l->siglen == 0 && sigdump(t, l, w.len, i) != 0)
			return -1;
	} else
		w.val = value(t, i);
	if (grow(t, (void **)&t->rows, t->nrows, sizeof(w), CTLTEXT_MAX_ROWS, a.s, "rows") != 0)
		return -1;
	t->rows[t->nrows++] = w;
	if (r != NULL)
		r->nrows++;
	else
		l->nrows++;
	if (r == NULL && w.tag == CTL_H_SERIAL && w.known && w.val.p != NULL && !l->has_serial) {
		l->has_serial = 1;
		return colonhex(t, w.val, l->serial, sizeof(l->serial), &l->serlen);
	}
	return r != NULL ? rec_field(t, r, &w) : 0;
}

/* "ITL Record #:N" at *i: a new record of l. */
static int
record(struct ctltext *t, struct ctltext_list *l, size_t *i, int *gap)
{
	struct ctltext_rec *r;
	struct tok k;
	long n = -1;

	if (!tok_at(t, *i, &k))
		return fail(t, *i, "a record without its number");
	if (k.e - k.s > 2 && memcmp(t->text + k.s, "#:", 2) == 0) {
		k.s += 2;
		n = tok_num(t, &k);
	} else if (tok_is(t, &k, "#:") && tok_at(t, k.e, &k))
		n = tok_num(t, &k);
	if (n <= 0)
		return fail(t, k.s, "a record without its number");
	*i = k.e;
	if (grow(t, (void **)&t->recs, t->nrecs, sizeof(*r), CTLTEXT_MAX_RECS, k.s, "records") != 0)
		return -1;
	r = &t->recs[t->nrecs++];
	memset(r, 0, sizeof(*r));
	r->num = (size_t)n;
	r->row = t->nrows;
	r->function = -1;
	r->signer = -1;
	r->gap = *gap;
	*gap = 0;
	l->nrecs++;
	if (tok_at(t, *i, &k) && tok_is(t, &k, "----"))
		*i = k.e;
	return 0;
}

/* 32 or 40 hex digits glued to "(MD5)" / "(SHA1)". */
static int
checksum(const struct ctltext *t, const struct tok *k, const char *tail, uint8_t *out, size_t n)
{
	size_t i, tl = strlen(tail);

	if (k->e - k->s != 2 * n + tl || memcmp(t->text + k->s + 2 * n, tail, tl) != 0)
		return 0;
	for (i = 0; i < 2 * n; i++)
		if (out_hexval(t->text[k->s + i]) < 0)
			return 0;
	for (i = 0; i < n; i++)
		out[i] = (uint8_t)(out_hexval(t->text[k->s + 2 * i]) << 4 |
		    out_hexval(t->text[k->s + 2 * i + 1]));
	return 1;
}

/* "Length of ITL file: N" at *i (matched): N. */
static int
length(struct ctltext *t, struct ctltext_list *l, size_t *i)
{
	struct tok k;
	long n;

	if (!tok_at(t, *i, &k) || (n = tok_num(t, &k)) < 0)
		return fail(t, *i, "a file length that is not a number");
	l->has_size = 1;
	l->size = (size_t)n;
	*i = k.e;
	return 0;
}

/* The rest of the line, or up to 6 words of a date, as a span. */
static struct ctltext_span
words(const struct ctltext *t, size_t *i, int max)
{
	struct ctltext_span v = { NULL, 0 };
	struct tok k;

	while (max-- > 0 && tok_at(t, *i, &k) && !k.bol && !boundary(t, *i) &&
	    !tok_is(t, &k, "Parse")) {
		if (v.p == NULL)
			v.p = t->text + k.s;
		v.n = (size_t)(t->text + k.e - v.p);
		*i = k.e;
	}
	return v;
}

static int
same_kind(struct ctltext *t, const struct ctltext_list *l, int kind, size_t off)
{
	if (kind != l->itl)
		return fail(t, off, "a %s line inside a listing of the %s file",
		    kind ? "ITL" : "CTL", l->itl ? "ITL" : "CTL");
	return 0;
}

/* "Version: N.N" (matched up to e). */
static int
version(struct ctltext *t, struct ctltext_list *l, size_t *i, size_t e)
{
	struct tok k, a, b;
	const char *dot;
	long ma, mi;

	if (!tok_at(t, e, &k) || (dot = memchr(t->text + k.s, '.', k.e - k.s)) == NULL)
		return fail(t, e, "a version that is not N.N");
	a = (struct tok){ k.s, (size_t)(dot - t->text), 0 };
	b = (struct tok){ a.e + 1, k.e, 0 };
	if ((ma = tok_num(t, &a)) < 0 || ma > 255 || (mi = tok_num(t, &b)) < 0 || mi > 255)
		return fail(t, k.s, "a version that is not N.N");
	l->has_version = 1;
	l->vmaj = (unsigned)ma;
	l->vmin = (unsigned)mi;
	*i = k.e;
	return 1;
}

/* Sentences of the listing's top (checksums, length, date, Version...): 1 matched, 0 not, -1. */
static int
top_line(struct ctltext *t, struct ctltext_list *l, size_t *i, int kind)
{
	struct tok k;
	size_t e;
	long n;

	if (!l->has_size && match(t, *i, "Length of %K file:", &kind, &e)) {
		*i = e;
		return same_kind(t, l, kind, e) != 0 || length(t, l, i) != 0 ? -1 : 1;
	}
	if (match(t, *i, "The %K File was last modified on", &kind, &e)) {
		*i = e;
		l->mtime = words(t, i, 6);
		return same_kind(t, l, kind, e) != 0 ? -1 : 1;
	}
	if (match(t, *i, "Parse %K File", &kind, &e)) {
		*i = e;
		l->parsed = 1;
		if (tok_at(t, *i, &k) && t->text[k.s] == '-' && tok_num(t, &k) < 0)
			*i = k.e;
		return same_kind(t, l, kind, e) != 0 ? -1 : 1;
	}
	if (match(t, *i, "Version:", &kind, &e))
		return version(t, l, i, e);
	if (match(t, *i, "HeaderLength:", &kind, &e)) {
		if (!tok_at(t, e, &k) || (n = tok_num(t, &k)) < 0)
			return fail(t, e, "a header length that is not a number");
		l->has_hdrlen = 1;
		l->hdrlen = (size_t)n;
		*i = k.e;
		if (match(t, *i, "(BYTES)", &kind, &e))
			*i = e;
		return 1;
	}
	if (match(t, *i, "BYTEPOS TAG LENGTH VALUE", &kind, &e)) {
		*i = e;
		if (match(t, *i, "------- --- ------ -----", &kind, &e))
			*i = e;
		return 1;
	}
	return 0;
}

/* "The ITL file was verified ..." and the other closing sentences: 1 closed, 0 not, -1. */
static int
closing(struct ctltext *t, struct ctltext_list *l, size_t *i, int kind)
{
	struct tok k;
	size_t e;

	if (match(t, *i, "The %K file was verified successfully.", &kind, &e))
		l->verdict = CTLTEXT_VERIFIED;
	else if (match(t, *i, "The %K file could not be verified:", &kind, &e)) {
		l->verdict = CTLTEXT_UNVERIFIED;
		*i = e;
		l->why = words(t, i, 64);
		if (l->why.n > 0 && l->why.p[l->why.n - 1] == '.')
			l->why.n--;
		e = *i;
	} else if (match(t, *i, "Error parsing the %K File.", &kind, &e))
		l->verdict = CTLTEXT_ERROR;
	else if (match(t, *i, "%K File not", &kind, &e) && tok_at(t, e, &k) &&
	    k.e - k.s >= 5 && memcmp(t->text + k.s, "found", 5) == 0) {
		/* CUCM's advice follows, then "Error parsing the CTL File." */
		l->verdict = CTLTEXT_NOTFOUND;
		while (tok_at(t, e, &k) && !match(t, k.s, "Error parsing the %K File.", &kind, &e) &&
		    !list_start(t, k.s, &kind, &e) && !admin(t, &k))
			e = k.e;
	} else
		return 0;
	*i = e;
	return same_kind(t, l, kind, e) != 0 ? -1 : 1;
}


/* "This etoken was [not] used to sign the ITL file." */
static int
etoken(struct ctltext *t, struct ctltext_list *l, size_t *i, int kind)
{
	size_t e;
	int used;

	if (match(t, *i, "This etoken was used to sign the %K file.", &kind, &e))
		used = 1;
	else if (match(t, *i, "This etoken was not used to sign the %K file.", &kind, &e))
		used = 0;
	else
		return 0;
	if (l->nrecs == 0)
		return fail(t, *i, "an etoken line outside a record");
	t->recs[l->rec + l->nrecs - 1].signer = used;
	*i = e;
	return same_kind(t, l, kind, e) != 0 ? -1 : 1;
}

/* The lines after the checksums, up to the verdict or the first line no listing has. */
static int
body(struct ctltext *t, struct ctltext_list *l, size_t *i)
{
	struct ctltext_rec *r;
	struct tok k;
	size_t e;
	int kind = l->itl, gap = 0, m = 0;

	while (tok_at(t, *i, &k)) {
		if (elision(t, &k)) {
			gap = 1;
			*i = k.e;
			continue;
		}
		r = l->nrecs > 0 ? &t->recs[l->rec + l->nrecs - 1] : NULL;
		if ((m = top_line(t, l, i, kind)) != 0 || (m = etoken(t, l, i, kind)) != 0) {
			if (m < 0)
				return -1;
		} else if ((m = closing(t, l, i, kind)) != 0)
			break;
		else if (match(t, *i, "%K Record", &kind, &e)) {
			*i = e;
			if (same_kind(t, l, kind, e) != 0 || record(t, l, i, &gap) != 0)
				return -1;
		} else if (row_at(t, *i)) {
			if (row(t, l, r, i) != 0)
				return -1;
		} else if (k.bol || list_start(t, *i, &kind, &e) || admin(t, &k))
			break;	/* a prompt, the next listing, or what the log holds besides */
		else
			return fail(t, k.s, "\"%.*s\" inside a listing", (int)(k.e - k.s > 32 ? 32 :
			    k.e - k.s), t->text + k.s);
	}
	l->gap_end = gap;
	return m < 0 ? -1 : 0;
}

/* A listing at *i (its first sentence matched, of kind). */
static int
listing(struct ctltext *t, size_t *i, int kind, size_t e)
{
	struct ctltext_list *l;
	struct tok k;

	if (grow(t, (void **)&t->lists, t->nlists, sizeof(*l), CTLTEXT_MAX_LISTINGS, *i,
	    "listings") != 0)
		return -1;
	l = &t->lists[t->nlists++];
	memset(l, 0, sizeof(*l));
	l->itl = kind;
	l->off = *i;
	l->row = t->nrows;
	l->rec = t->nrecs;
	if (match(t, *i, "The checksum value of the %K file:", &kind, &e)) {
		l->summed = 1;
		*i = e;
		if (tok_at(t, *i, &k) && checksum(t, &k, "(MD5)", l->md5, 16)) {
			l->has_md5 = 1;
			*i = k.e;
		}
		if (tok_at(t, *i, &k) && checksum(t, &k, "(SHA1)", l->sha1, 20)) {
			l->has_sha1 = 1;
			*i = k.e;
		}
	}
	return body(t, l, i);
}

int
ctltext_parse(struct ctltext *t, const uint8_t *buf, size_t len)
{
	struct tok k;
	size_t i = 0, e;
	int kind;

	memset(t, 0, sizeof(*t));
	if (len > CTLTEXT_MAX_SIZE) {
		fail(t, CTLTEXT_MAX_SIZE, "a capture over %zu MiB", CTLTEXT_MAX_SIZE >> 20);
		t->err_line = 0;
		return -1;
	}
	if (ctltextlines_join(buf, len, &t->text, &t->len, &t->segs, &t->nsegs) != 0) {
		fail(t, 0, "out of memory");
		goto fail;
	}
	while (tok_at(t, i, &k)) {
		if (list_start(t, k.s, &kind, &e)) {
			i = k.s;
			if (listing(t, &i, kind, e) != 0)
				goto fail;
			if (i <= k.s)
				i = k.e;
		} else
			i = k.e;
	}
	for (i = 0; i < t->nlists; i++)
		ctltextlines_locate(t->segs, t->nsegs, t->lists[i].off, &t->lists[i].off, &t->lists[i].line);
	if (t->nlists > 0)
		return 0;
	fail(t, 0, "not a CTL/ITL file nor a show itl/show ctl capture");
	return 1;
fail:
	ctltextlines_locate(t->segs, t->nsegs, t->err_off, &t->err_off, &t->err_line);
	return -1;
}

void
ctltext_free(struct ctltext *t)
{
	free(t->text);
	free(t->segs);
	free(t->lists);
	free(t->recs);
	free(t->rows);
	free(t->sigs);
	memset(t, 0, sizeof(*t));
}

enum ctltext_kind
ctltext_kind(const uint8_t *buf, size_t len)
{
	static const char *const starts[] = {
		"The checksum value of the", "Length of CTL file", "Length of ITL file",
	};
	size_t i, k;

	if (len == 0)
		return CTLTEXT_BINARY;
	for (i = 0; i < len; i++)	/* a trust list opens with 01 00 02: control bytes */
		if (buf[i] < 0x20 && buf[i] != '\t' && buf[i] != '\n' && buf[i] != '\r' &&
		    buf[i] != '\f' && buf[i] != '\v' && buf[i] != 0x1B)
			return CTLTEXT_BINARY;
	for (i = 0; i < len; i++)
		for (k = 0; k < sizeof(starts) / sizeof(starts[0]); k++)
			if (buf[i] == starts[k][0] && len - i >= strlen(starts[k]) &&
			    memcmp(buf + i, starts[k], strlen(starts[k])) == 0)
				return CTLTEXT_CAPTURE;
	return CTLTEXT_OTHER;
}

const struct ctltext_row *
ctltext_row(const struct ctltext *t, const struct ctltext_list *l, const struct ctltext_rec *rec,
    int tag)
{
	size_t i, first = rec != NULL ? rec->row : l->row, n = rec != NULL ? rec->nrows : l->nrows;

	for (i = first; i < first + n; i++)
		if (t->rows[i].tag == tag && t->rows[i].known)
			return &t->rows[i];
	return NULL;
}
