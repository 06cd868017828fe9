/* ctl.c: CTL/ITL parser. Every length is checked against its container; nothing is trusted. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tl/ctl.h"

static int
damage(struct ctl *c, size_t off, const char *fmt, ...)
{
	va_list ap;

	if (c->damaged)
		return -1;
	c->damaged = 1;
	c->err_off = off;
	va_start(ap, fmt);
	vsnprintf(c->err, sizeof(c->err), fmt, ap);
	va_end(ap);
	return -1;
}

/* Grow *arr (of *n elements of size sz) by one; the header's callers cap n at CTL_MAX_HTAGS. */
static void *
push(void *arrp, size_t *n, size_t sz)
{
	void **arr = arrp;
	char *p;

	/* Grow by doubling when n is a power of two (or zero). */
	if ((*n & (*n - 1)) == 0) {
		size_t cap = *n ? *n * 2 : 8;

		if ((p = realloc(*arr, cap * sz)) == NULL)
			return NULL;
		*arr = p;
	}
	p = (char *)*arr + *n * sz;
	memset(p, 0, sz);
	(*n)++;
	return p;
}

static int
nomem(struct ctl *c, size_t off)
{
	if (!c->damaged)
		c->oom = 1;
	return damage(c, off, "out of memory");
}

static int
is_container(const struct ctl *c, uint8_t tag)
{
	const struct tlv *v = &c->hf[CTL_H_VERSION];

	if (tag == CTL_H_SIGNERID || tag == CTL_H_SIGINFO || tag == CTL_H_ALGOINFO)
		return 1;
	/* Encrypted signed files (version 2.x) nest their key and IV fields. */
	return v->val != NULL && v->len == 2 && v->val[0] == 2 &&
	    (tag == CTL_H_ENCINFO || tag == CTL_H_IVINFO || tag == CTL_H_KEYINFO);
}

static int
parse_header(struct ctl *c)
{
	struct tlv_reader r;
	struct tlv t;
	struct ctl_htag *h;
	size_t ends[4];
	int depth = 0, k;

	if (c->len == 0)
		return damage(c, 0, "empty file");
	tlv_init(&r, c->buf, 0, c->len, 1);
	for (;;) {
		while (depth > 0 && r.pos == ends[depth - 1])
			depth--;
		if (c->hdrlen != 0 && r.pos == c->hdrlen && depth == 0)
			return 0;
		if (r.pos >= c->len)
			return damage(c, r.pos, c->hdrlen ?
			    "file ends inside the header" : "no header length (tag 2)");
		r.end = depth > 0 ? ends[depth - 1] : c->hdrlen ? c->hdrlen : c->len;
		if ((k = tlv_next(&r, &t)) <= 0) {
			if (depth > 0)
				return damage(c, r.pos, "header tag 0x%02X runs past its container",
				    c->buf[r.pos]);
			if (c->hdrlen != 0 && c->hdrlen < c->len)
				return damage(c, r.pos, "header length %zu falls inside a tag",
				    c->hdrlen);
			return damage(c, r.pos, "truncated header tag 0x%02X", c->buf[r.pos]);
		}
		if (t.tag == CTL_H_PAD) {
			c->npad++;
			continue;
		}
		if (c->hdrlen == 0 && t.tag != CTL_H_VERSION && t.tag != CTL_H_SIGNERVER &&
		    t.tag != CTL_H_HDRLEN)
			return damage(c, t.off, "header tag 0x%02X before the header length",
			    t.tag);
		if (c->nhtags == CTL_MAX_HTAGS)
			return damage(c, t.off, "more than %d header tags", CTL_MAX_HTAGS);
		if ((h = push(&c->htags, &c->nhtags, sizeof(*h))) == NULL)
			return nomem(c, t.off);
		h->t = t;
		h->depth = depth;
		if (t.tag < CTL_H_MAX && c->hf[t.tag].val == NULL)
			c->hf[t.tag] = t;
		if (t.tag == CTL_H_HDRLEN && c->hdrlen == 0) {
			if (t.len != 2)
				return damage(c, t.off, "header length tag has length %u, not 2",
				    t.len);
			c->hdrlen = tlv_u16(t.val);
			if (c->hdrlen > c->len)
				return damage(c, t.off, "header length %zu past the end of the "
				    "file (%zu bytes)", c->hdrlen, c->len);
			if (c->hdrlen < r.pos)
				return damage(c, t.off, "header length %zu inside the header's "
				    "own tags", c->hdrlen);
		}
		if (is_container(c, t.tag)) {
			if (depth == (int)(sizeof(ends) / sizeof(ends[0])))
				return damage(c, t.off, "containers nested too deep");
			ends[depth++] = r.pos;
			r.pos = t.off + 3;	/* descend: the children follow the container's length */
		}
	}
}

/* Where the record at pos ends (the file's end when its length runs past it); 0 if no record starts there. */
static size_t
record_end(const struct ctl *c, size_t pos)
{
	size_t reclen;

	if (c->len - pos < 5 || c->buf[pos] != CTL_R_LENGTH || tlv_u16(c->buf + pos + 1) != 2 ||
	    (reclen = tlv_u16(c->buf + pos + 3)) < 5)
		return 0;
	return reclen > c->len - pos ? c->len : pos + reclen;
}

/*
 * Count the records and their tags before allocating anything, so that a file
 * of tiny records is refused (or allocated exactly) instead of amplified.
 */
static int
count_records(struct ctl *c, size_t *nrecs, size_t *ntags)
{
	struct tlv_reader r;
	struct tlv t;
	size_t pos, end;

	*nrecs = *ntags = 0;
	if (c->hdrlen < c->len && c->len > CTL_MAX_SIZE)
		return damage(c, CTL_MAX_SIZE, "trust list larger than %zu bytes", CTL_MAX_SIZE);
	for (pos = c->hdrlen; pos < c->len && (end = record_end(c, pos)) != 0; pos = end) {
		if (++*nrecs > CTL_MAX_RECS)
			return damage(c, pos, "more than %d records", CTL_MAX_RECS);
		tlv_init(&r, c->buf, pos, end, 0);
		while (tlv_next(&r, &t) > 0)
			++*ntags;
	}
	if (pos < c->len)
		++*nrecs;	/* the damaged record still gets its slot */
	return 0;
}

/* Parse the record at pos into recs[nrecs], its tags appended to rtags[*ntags]. */
static int
parse_record(struct ctl *c, size_t pos, size_t *ntags)
{
	struct ctl_rec *rec;
	struct tlv_reader r;
	struct tlv t;
	size_t n = c->nrecs + 1, reclen;
	int k;

	if (c->len - pos < 5)
		return damage(c, pos, "record %zu truncated", n);
	if (c->buf[pos] != CTL_R_LENGTH || tlv_u16(c->buf + pos + 1) != 2)
		return damage(c, pos, "record %zu does not start with RECORDLENGTH", n);
	reclen = tlv_u16(c->buf + pos + 3);
	if (reclen < 5)
		return damage(c, pos, "record %zu length %zu is too small", n, reclen);
	rec = &c->recs[c->nrecs++];
	rec->off = pos;
	rec->function = -1;
	rec->tags = c->rtags + *ntags;
	if (reclen > c->len - pos) {
		rec->len = c->len - pos;
		damage(c, pos, "record %zu length %zu past the end of the file", n, reclen);
	} else
		rec->len = reclen;
	tlv_init(&r, c->buf, pos, pos + rec->len, 0);
	while ((k = tlv_next(&r, &t)) > 0) {
		rec->tags[rec->ntags++] = t;
		if (t.tag < CTL_R_MAX && rec->f[t.tag].val == NULL)
			rec->f[t.tag] = t;
		if (t.tag == CTL_R_FUNCTION && rec->function < 0 && t.len == 2)
			rec->function = tlv_u16(t.val);
	}
	*ntags += rec->ntags;
	if (k < 0)
		return damage(c, r.pos, "record %zu: tag 0x%02X runs past the record's end",
		    n, c->buf[r.pos]);
	return c->damaged ? -1 : 0;
}

int
ctl_parse_header(struct ctl *c, const uint8_t *buf, size_t len)
{
	memset(c, 0, sizeof(*c));
	c->buf = buf;
	c->len = len;
	return parse_header(c);
}

int
ctl_parse(struct ctl *c, const uint8_t *buf, size_t len)
{
	size_t pos, nrecs, ntags, used = 0;

	if (ctl_parse_header(c, buf, len) != 0 || count_records(c, &nrecs, &ntags) != 0)
		return -1;
	if (nrecs == 0)
		return 0;
	if ((c->recs = calloc(nrecs, sizeof(*c->recs))) == NULL ||
	    (ntags > 0 && (c->rtags = calloc(ntags, sizeof(*c->rtags))) == NULL))
		return nomem(c, c->hdrlen);
	for (pos = c->hdrlen; pos < len; pos += c->recs[c->nrecs - 1].len)
		if (parse_record(c, pos, &used) != 0)
			return -1;
	return 0;
}

void
ctl_free(struct ctl *c)
{
	free(c->rtags);
	free(c->recs);
	free(c->htags);
	c->rtags = NULL;
	c->recs = NULL;
	c->htags = NULL;
	c->nrecs = c->nhtags = 0;
}

size_t
ctl_strlen(const struct tlv *t)
{
	return t->len > 0 && t->val[t->len - 1] == '\0' ? t->len - 1u : t->len;
}

int
ctl_is_itl(const struct ctl *c, const char *path)
{
	const struct tlv *fn = &c->hf[CTL_H_FILENAME];
	const char *base;

	if (fn->val != NULL && fn->len >= 3)
		return strncasecmp((const char *)fn->val, "ITL", 3) == 0;
	if (path == NULL)
		return 0;
	base = strrchr(path, '/');
	base = base != NULL ? base + 1 : path;
	return strncasecmp(base, "ITL", 3) == 0;
}

static const struct {
	int		 code;
	const char	*role, *text;
} roles[] = {
	{ CTL_FN_SAST, "SAST", "System Administrator Security Token" },
	{ CTL_FN_CCM, "CCM", "CCM" },
	{ CTL_FN_CCM_TFTP, "CCM+TFTP", "CCM+TFTP" },
	{ CTL_FN_TFTP, "TFTP", "TFTP" },
	{ CTL_FN_CAPF, "CAPF", "CAPF" },
	{ CTL_FN_SRST, "SRST", "SRST" },
	{ CTL_FN_APP, "APP-SERVER", "APP-SERVER" },
	{ CTL_FN_TVS, "TVS", "TVS" },
};

const char *
ctl_role_name(int function)
{
	size_t i;

	for (i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		if (roles[i].code == function)
			return roles[i].role;
	return NULL;
}

const char *
ctl_role_text(int function, char *buf, size_t n)
{
	const char *s = ctl_role_name(function);

	if (s != NULL)
		return s;
	snprintf(buf, n, "UNKNOWN-%d", function);
	return buf;
}

const char *
ctl_function_text(int function)
{
	size_t i;

	for (i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		if (roles[i].code == function)
			return roles[i].text;
	return NULL;
}

int
ctl_role_code(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		if (strcasecmp(roles[i].role, name) == 0)
			return roles[i].code;
	return -1;
}

const char *
ctl_digest_name(int code)
{
	switch (code) {
	case 1:
		return "sha1";
	case 2:
		return "sha256";
	case 3:
	case 4:		/* certutils before 2021 */
		return "sha512";
	}
	return NULL;
}
