/* dntext.c: the few attribute types real certificates use, printed without OpenSSL's BIO layer. */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <libtasn1.h>

#include "x509/dntext.h"
#include "core/out.h"

struct span {
	const uint8_t	*p;
	size_t		 len;
};

/* id-at (2.5.4.N) and a few others, as OpenSSL's short names. */
static const struct {
	const char	*oid;	/* DER contents */
	size_t		 len;
	const char	*name;
} types[] = {
	{ "\x55\x04\x03", 3, "CN" },
	{ "\x55\x04\x06", 3, "C" },
	{ "\x55\x04\x07", 3, "L" },
	{ "\x55\x04\x08", 3, "ST" },
	{ "\x55\x04\x0A", 3, "O" },
	{ "\x55\x04\x0B", 3, "OU" },
	{ "\x55\x04\x09", 3, "street" },
	{ "\x55\x04\x05", 3, "serialNumber" },
	{ "\x55\x04\x04", 3, "SN" },
	{ "\x55\x04\x2A", 3, "GN" },
	{ "\x55\x04\x0C", 3, "title" },
	{ "\x55\x04\x2B", 3, "initials" },
	{ "\x55\x04\x2E", 3, "dnQualifier" },
	{ "\x55\x04\x11", 3, "postalCode" },
	{ "\x55\x04\x0F", 3, "businessCategory" },
	{ "\x55\x04\x29", 3, "name" },
	{ "\x55\x04\x61", 3, "organizationIdentifier" },
	{ "\x2A\x86\x48\x86\xF7\x0D\x01\x09\x01", 9, "emailAddress" },
	{ "\x09\x92\x26\x89\x93\xF2\x2C\x64\x01\x19", 10, "DC" },
	{ "\x09\x92\x26\x89\x93\xF2\x2C\x64\x01\x01", 10, "UID" },
};

/* One TLV from w; its tag byte in *tag, contents in *c, whole TLV in *all. */
static int
next(struct span *w, uint8_t *tag, struct span *c, struct span *all)
{
	int ll;
	long n;

	if (w->len < 2 || (w->p[0] & 0x1F) == 0x1F)
		return -1;
	n = asn1_get_length_der(w->p + 1, w->len > INT_MAX ? INT_MAX : (int)w->len - 1, &ll);
	if (n < 0)
		return -1;
	*tag = w->p[0];
	c->p = w->p + 1 + ll;
	c->len = (size_t)n;
	if (all != NULL) {
		all->p = w->p;
		all->len = 1 + (size_t)ll + (size_t)n;
	}
	w->p += 1 + (size_t)ll + (size_t)n;
	w->len -= 1 + (size_t)ll + (size_t)n;
	return 0;
}

static void
put_oid(struct buf *out, const struct span *oid)
{
	unsigned long long v = 0;
	size_t i;
	int first = 1;

	for (i = 0; i < oid->len; i++) {
		v = v << 7 | (oid->p[i] & 0x7F);
		if (oid->p[i] & 0x80)
			continue;
		if (first) {
			buf_printf(out, "%llu.%llu", v < 80 ? v / 40 : 2, v < 80 ? v % 40 : v - 80);
			first = 0;
		} else
			buf_printf(out, ".%llu", v);
		v = 0;
	}
}

static void
put_utf8(struct buf *u, uint32_t cp)
{
	uint8_t b[4];
	size_t n;

	if (cp < 0x80) {
		b[0] = (uint8_t)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (uint8_t)(0xC0 | cp >> 6);
		b[1] = (uint8_t)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (uint8_t)(0xE0 | cp >> 12);
		b[1] = (uint8_t)(0x80 | (cp >> 6 & 0x3F));
		b[2] = (uint8_t)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		b[0] = (uint8_t)(0xF0 | (cp >> 18 & 0x07));
		b[1] = (uint8_t)(0x80 | (cp >> 12 & 0x3F));
		b[2] = (uint8_t)(0x80 | (cp >> 6 & 0x3F));
		b[3] = (uint8_t)(0x80 | (cp & 0x3F));
		n = 4;
	}
	buf_add(u, b, n);
}

/* String contents as UTF-8 into u; -1 for types that are not strings. */
static int
to_utf8(uint8_t tag, const struct span *v, struct buf *u)
{
	size_t i;

	switch (tag) {
	case 0x0C: case 0x12: case 0x13: case 0x16: case 0x1A:	/* UTF8, Numeric, Printable, IA5, Visible */
		return buf_add(u, v->p, v->len);
	case 0x14:	/* TeletexString: Latin-1, as OpenSSL reads it */
		for (i = 0; i < v->len; i++)
			put_utf8(u, v->p[i]);
		return 0;
	case 0x1E:	/* BMPString: UCS-2 */
		for (i = 0; i + 1 < v->len; i += 2)
			put_utf8(u, (uint32_t)v->p[i] << 8 | v->p[i + 1]);
		return 0;
	case 0x1C:	/* UniversalString: UCS-4 */
		for (i = 0; i + 3 < v->len; i += 4)
			put_utf8(u, (uint32_t)v->p[i] << 24 | (uint32_t)v->p[i + 1] << 16 |
			    (uint32_t)v->p[i + 2] << 8 | v->p[i + 3]);
		return 0;
	}
	return -1;
}

/* RFC 4514 section 2.4 escaping, plus \xNN for what out_text would escape. */
static void
put_value(struct buf *out, const uint8_t *p, size_t n)
{
	size_t i = 0, k;

	while (i < n) {
		if ((k = out_utf8len(p + i, n - i)) == 0) {
			buf_printf(out, "\\x%02X", p[i++]);
			continue;
		}
		if (k == 1 && (strchr("\"+,;<>\\", p[i]) != NULL ||
		    (i == 0 && (p[i] == '#' || p[i] == ' ')) || (i == n - 1 && p[i] == ' ')))
			buf_addc(out, '\\');
		buf_add(out, p + i, k);
		i += k;
	}
}

/* One AttributeTypeAndValue. */
static int
put_atv(struct buf *out, struct span atv, struct buf *u)
{
	struct span oid, val, all;
	uint8_t tag;
	size_t i;

	if (next(&atv, &tag, &oid, NULL) != 0 || tag != 0x06 ||
	    next(&atv, &tag, &val, &all) != 0)
		return -1;
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (oid.len == types[i].len && memcmp(oid.p, types[i].oid, oid.len) == 0)
			break;
	if (i < sizeof(types) / sizeof(types[0]))
		buf_printf(out, "%s=", types[i].name);
	else {
		put_oid(out, &oid);
		buf_addc(out, '=');
	}
	u->len = 0;
	if (tag == 0x0C || tag == 0x13 || tag == 0x16)	/* the usual ones: no copy */
		put_value(out, val.p, val.len);
	else if (to_utf8(tag, &val, u) == 0 && !u->err)
		put_value(out, u->p, u->len);
	else {
		char hex[3];

		buf_addc(out, '#');
		for (i = 0; i < all.len; i++)
			buf_add(out, out_hex(hex, all.p + i, 1, 0, 0), 2);
	}
	return 0;
}

int
dntext_format(const uint8_t *der, size_t len, struct buf *out)
{
	struct span name = { der, len }, w, rdn, rdns[64], atv;
	struct buf u = BUF_ZERO;
	uint8_t tag;
	size_t n = 0, i;
	int rc = -1;

	if (next(&name, &tag, &w, NULL) != 0 || tag != 0x30)
		goto out;
	while (w.len > 0) {
		if (next(&w, &tag, &rdn, NULL) != 0 || tag != 0x31 || n == 64)
			goto out;
		rdns[n++] = rdn;
	}
	for (i = n; i-- > 0;) {
		if (i != n - 1)
			buf_addc(out, ',');
		for (rdn = rdns[i]; rdn.len > 0;) {
			if (rdn.p != rdns[i].p)
				buf_addc(out, '+');
			if (next(&rdn, &tag, &atv, NULL) != 0 || tag != 0x30 ||
			    put_atv(out, atv, &u) != 0)
				goto out;
		}
	}
	rc = 0;
out:
	buf_addc(out, '\0');
	out->len--;
	buf_free(&u);
	return rc == 0 && !out->err ? 0 : -1;
}
