/* cucmname.c: CUCM writes CN first whatever the certificate's DER order (FORMAT.md section 3). */
#include <stdlib.h>
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/objects.h>

#include "core/buf.h"
#include "core/out.h"
#include "tl/cucmname.h"
#include "x509/der.h"

struct ava {
	const uint8_t	*oid, *val;	/* OID TLV; value contents */
	size_t		 noid, nval;
	uint8_t		 tag;		/* the value's string type */
	int		 k;		/* index into known[], or -1 */
};

/* CUCM's order, then other common types, by the contents of their OIDs. */
static const struct {
	const char	*sn;
	uint8_t		 len, oid[10];
} known[] = {
	{ "CN", 3, { 0x55, 4, 3 } }, { "OU", 3, { 0x55, 4, 11 } },
	{ "O", 3, { 0x55, 4, 10 } }, { "L", 3, { 0x55, 4, 7 } },
	{ "ST", 3, { 0x55, 4, 8 } }, { "C", 3, { 0x55, 4, 6 } },
	{ "emailAddress", 9, { 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 1, 9, 1 } },
	{ "DC", 10, { 0x09, 0x92, 0x26, 0x89, 0x93, 0xF2, 0x2C, 0x64, 1, 25 } },
};
#define NCUCM 6		/* the first NCUCM of known[] lead, in this order */
#define KEMAIL 6	/* emailAddress: sgnfile writes its dotted OID */

/* The other types Python's cryptography names in RFC 4514 text (sgnfile), by OID contents. */
static const struct {
	const char	*sn;
	uint8_t		 len, oid[10];
} pynames[] = {
	{ "STREET", 3, { 0x55, 4, 9 } },
	{ "UID", 10, { 0x09, 0x92, 0x26, 0x89, 0x93, 0xF2, 0x2C, 0x64, 1, 1 } },
};

/* Index into known[] of the attribute's type, or -1. */
static int
which(const struct ava *a)
{
	size_t i;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (a->noid == 2u + known[i].len && memcmp(a->oid + 2, known[i].oid,
		    known[i].len) == 0)
			return (int)i;
	return -1;
}

/* The attributes in DER order into *v (malloc'd). Their count, or -1. */
static long
walk(const uint8_t *der, size_t len, struct ava **v)
{
	const uint8_t *p = der, *r, *q;
	struct der_span name, rdn, atv, oid;
	size_t left = len, rl, al;
	struct ava *a, *nv;
	long n = 0;
	uint8_t id;

	*v = NULL;
	if (der_next(&p, &left, &id, &name) != 0 || id != 0x30 || left != 0)
		return -1;
	for (p = name.p, left = name.len; left > 0;) {
		if (der_next(&p, &left, &id, &rdn) != 0 || id != 0x31)
			return -1;
		for (r = rdn.p, rl = rdn.len; rl > 0;) {
			if (der_next(&r, &rl, &id, &atv) != 0 || id != 0x30)
				return -1;
			if (n >= 8 && (n & (n - 1)) == 0) {	/* full: double */
				if ((nv = realloc(*v, (size_t)n * 2 * sizeof(**v))) == NULL)
					return -1;
				*v = nv;
			} else if (n == 0 && (*v = malloc(8 * sizeof(**v))) == NULL)
				return -1;
			nv = *v;
			a = &nv[n++];
			q = a->oid = atv.p;
			al = atv.len;
			if (der_next(&q, &al, &id, &oid) != 0 || id != 0x06)
				return -1;
			a->noid = (size_t)(q - a->oid);
			if (der_next(&q, &al, &a->tag, &oid) != 0 || al != 0)
				return -1;
			a->val = oid.p;
			a->nval = oid.len;
			a->k = which(a);
		}
	}
	return n;
}

static int
put_key(struct buf *b, const struct ava *a, int k, int form)
{
	const unsigned char *p = a->oid;
	ASN1_OBJECT *o;
	char txt[128];
	size_t i;
	int nid;

	int py = form == CUCMNAME_SGNFILE || form == CUCMNAME_CERTUTILS;

	if (k >= 0 && !(py && k == KEMAIL)) {
		buf_add(b, known[k].sn, strlen(known[k].sn));
		return buf_addc(b, '=');
	}
	for (i = 0; py && i < sizeof(pynames) / sizeof(pynames[0]); i++)
		if (a->noid == 2u + pynames[i].len && memcmp(a->oid + 2, pynames[i].oid,
		    pynames[i].len) == 0) {
			buf_add(b, pynames[i].sn, strlen(pynames[i].sn));
			return buf_addc(b, '=');
		}
	if ((o = d2i_ASN1_OBJECT(NULL, &p, (long)a->noid)) == NULL)
		return -1;
	if (py)
		nid = NID_undef;	/* cryptography names no other type */
	else
		nid = OBJ_obj2nid(o);
	if (nid != NID_undef && OBJ_nid2sn(nid) != NULL)
		buf_printf(b, "%s=", OBJ_nid2sn(nid));
	else if (OBJ_obj2txt(txt, sizeof(txt), o, 1) > 0)
		buf_printf(b, "%s=", txt);
	else
		b->err = 1;
	ASN1_OBJECT_free(o);
	return b->err ? -1 : 0;
}

/*
 * v[0..n) escaped as cryptography's _escape_dn_value does (RFC 4514 section
 * 2.4): \ " + , ; < > get a backslash, then a leading '#' or ' ' and a
 * trailing ' '.
 */
static void
put_esc(struct buf *b, const uint8_t *v, size_t n)
{
	size_t i;

	if (n > 0 && (v[0] == '#' || v[0] == ' '))
		buf_addc(b, '\\');
	for (i = 0; i < n; i++) {
		if ((v[i] != '\0' && strchr("\\\"+,;<>", v[i]) != NULL) || (i == n - 1 && v[i] == ' '))
			buf_addc(b, '\\');
		buf_addc(b, v[i]);
	}
}

/* The value as UTF-8: byte strings as they are, wide ones through OpenSSL; esc: put_esc. */
static const char *
put_val(struct buf *b, const struct ava *a, int esc)
{
	ASN1_STRING *s;
	unsigned char *u = NULL;
	int n = -1, type = a->tag == 0x14 ? V_ASN1_T61STRING : a->tag == 0x1C ?
	    V_ASN1_UNIVERSALSTRING : a->tag == 0x1E ? V_ASN1_BMPSTRING : 0;

	if (type == 0) {
		if (memchr(a->val, '\0', a->nval) != NULL)
			return "a name value holds a NUL byte";
		if (esc)
			put_esc(b, a->val, a->nval);
		else
			buf_add(b, a->val, a->nval);
		return NULL;
	}
	if ((s = ASN1_STRING_type_new(type)) != NULL &&
	    ASN1_STRING_set(s, a->val, (int)a->nval) == 1)
		n = ASN1_STRING_to_UTF8(&u, s);
	ASN1_STRING_free(s);
	if (n < 0)
		return "a name value does not convert to UTF-8";
	if (memchr(u, '\0', (size_t)n) != NULL) {
		OPENSSL_free(u);
		return "a name value holds a NUL byte";
	}
	if (esc)
		put_esc(b, u, (size_t)n);
	else
		buf_add(b, u, (size_t)n);
	OPENSSL_free(u);
	return NULL;
}

char *
cucmname(const uint8_t *der, size_t len, int form, const char **why)
{
	struct buf b = BUF_ZERO;
	struct ava *v = NULL;
	char *s = NULL;
	long n, i;
	int pass, k;

	*why = NULL;
	if ((n = walk(der, len, &v)) < 0) {
		*why = "a name does not decode";
		goto out;
	}
	/* CUCM: one pass per leading type, then the rest; certutils: one pass. */
	for (pass = form == CUCMNAME_CUCM ? 0 : NCUCM; pass <= NCUCM; pass++)
		for (i = 0; i < n && *why == NULL; i++) {
			k = v[i].k;
			if (pass < NCUCM ? k != pass : (form == CUCMNAME_CUCM && k >= 0 &&
			    k < NCUCM))
				continue;
			if (b.len > 0)
				buf_addc(&b, form == CUCMNAME_DER || form == CUCMNAME_CERTUTILS ? ',' : ';');
			if (put_key(&b, &v[i], k, form) != 0)
				*why = "an attribute type does not decode";
			else
				*why = put_val(&b, &v[i], form == CUCMNAME_SGNFILE ||
				    form == CUCMNAME_CERTUTILS);
		}
	buf_addc(&b, '\0');
	if (*why == NULL && b.err)
		*why = "out of memory";
	if (*why == NULL) {
		s = (char *)b.p;
		b.p = NULL;
	}
out:
	free(v);
	buf_free(&b);
	return s;
}

/*
 * Name texts compared whatever their form: CUCM's "CN=a;OU=b" (its own order),
 * certutils' "CN=a,OU=b" or "CN=a;OU=b" (DER order), RFC 4514 escapes, Windows'
 * quoted values. Each side becomes a list of "TYPE=value" items, sorted.
 */
#define NAVA 64

struct item {
	const uint8_t	*p;
	size_t		 n;
};

/* Does s[i..n) start an attribute: spaces, a type (keyword or dotted OID), '='? */
static int
starts_ava(const uint8_t *s, size_t i, size_t n)
{
	size_t k;

	while (i < n && s[i] == ' ')
		i++;
	for (k = i; k < n && ((s[k] >= 'A' && s[k] <= 'Z') || (s[k] >= 'a' && s[k] <= 'z') ||
	    (s[k] >= '0' && s[k] <= '9') || s[k] == '-' || s[k] == '.'); k++)
		continue;
	return k > i && k < n && s[k] == '=';
}

/* One attribute s[a..e) as "TYPE=value" into b (type upper-cased, value unescaped). */
static void
canon_ava(struct buf *b, const uint8_t *s, size_t a, size_t e)
{
	size_t eq;

	while (a < e && s[a] == ' ')
		a++;
	for (eq = a; eq < e && s[eq] != '='; eq++)
		buf_addc(b, (uint8_t)(s[eq] >= 'a' && s[eq] <= 'z' ? s[eq] - 32 : s[eq]));
	buf_addc(b, '=');
	/* an item without '=' (eq == e) has an empty value: eq + 1 would pass e */
	for (a = eq < e ? eq + 1 : e; a < e && s[a] == ' '; a++)
		continue;
	while (e > a && s[e - 1] == ' ' && !(e >= a + 2 && s[e - 2] == '\\'))
		e--;
	if (e - a >= 2 && s[a] == '"' && s[e - 1] == '"')
		a++, e--;
	while (a < e) {
		if (s[a] == '\\' && a + 1 < e) {
			if (a + 2 < e && out_hexval(s[a + 1]) >= 0 && out_hexval(s[a + 2]) >= 0) {
				buf_addc(b, (uint8_t)(out_hexval(s[a + 1]) << 4 | out_hexval(s[a + 2])));
				a += 3;
			} else {
				buf_addc(b, s[a + 1]);
				a += 2;
			}
		} else
			buf_addc(b, s[a++]);
	}
}

/* Each item of s[0..n) canonical into b, ends[k] where item k ends. The count, or -1. */
static int
split(const uint8_t *s, size_t n, struct buf *b, size_t *ends)
{
	size_t i, a = 0;
	int k = 0, quoted = 0;

	for (i = 0; i <= n; i++) {
		if (i < n && s[i] == '\\') {
			i++;
			continue;
		}
		if (i < n && s[i] == '"')
			quoted = !quoted;
		if (i < n && (quoted || (s[i] != ',' && s[i] != ';' && s[i] != '+') ||
		    !starts_ava(s, i + 1, n)))
			continue;
		if (k == NAVA)
			return -1;
		canon_ava(b, s, a, i < n ? i : n);
		ends[k++] = b->len;
		a = i + 1;
	}
	return k;
}

static int
item_cmp(const void *x, const void *y)
{
	const struct item *a = x, *b = y;
	size_t n = a->n < b->n ? a->n : b->n;
	int r = memcmp(a->p, b->p, n);

	return r != 0 ? r : a->n < b->n ? -1 : a->n > b->n;
}

/* The sorted items of s into it[]; their count, or -1. */
static int
items(const uint8_t *s, size_t n, struct buf *b, struct item *it)
{
	size_t ends[NAVA], start = 0;
	int k, i;

	if ((k = split(s, n, b, ends)) < 0 || b->err)
		return -1;
	for (i = 0; i < k; i++) {
		it[i].p = b->p + start;
		it[i].n = ends[i] - start;
		start = ends[i];
	}
	qsort(it, (size_t)k, sizeof(*it), item_cmp);
	return k;
}

int
cucmname_eq(const uint8_t *a, size_t na, const uint8_t *b, size_t nb)
{
	struct buf ba = BUF_ZERO, bb = BUF_ZERO;
	struct item ia[NAVA], ib[NAVA];
	int ka, kb, i, eq;

	if (na == nb && memcmp(a, b, na) == 0)
		return 1;
	ka = items(a, na, &ba, ia);
	kb = items(b, nb, &bb, ib);
	eq = ka >= 0 && ka == kb;
	for (i = 0; eq && i < ka; i++)
		eq = item_cmp(&ia[i], &ib[i]) == 0;
	buf_free(&ba);
	buf_free(&bb);
	return eq;
}
