/* cucmname.c: CUCM writes CN first whatever the certificate's DER order (FORMAT.md section 3). */
#include <stdlib.h>
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/objects.h>

#include "core/buf.h"
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
put_key(struct buf *b, const struct ava *a, int k)
{
	const unsigned char *p = a->oid;
	ASN1_OBJECT *o;
	char txt[128];
	int nid;

	if (k >= 0) {
		buf_add(b, known[k].sn, strlen(known[k].sn));
		return buf_addc(b, '=');
	}
	if ((o = d2i_ASN1_OBJECT(NULL, &p, (long)a->noid)) == NULL)
		return -1;
	if ((nid = OBJ_obj2nid(o)) != NID_undef && OBJ_nid2sn(nid) != NULL)
		buf_printf(b, "%s=", OBJ_nid2sn(nid));
	else if (OBJ_obj2txt(txt, sizeof(txt), o, 1) > 0)
		buf_printf(b, "%s=", txt);
	else
		b->err = 1;
	ASN1_OBJECT_free(o);
	return b->err ? -1 : 0;
}

/* The value as UTF-8: byte strings as they are, wide ones through OpenSSL. */
static const char *
put_val(struct buf *b, const struct ava *a)
{
	ASN1_STRING *s;
	unsigned char *u = NULL;
	int n = -1, type = a->tag == 0x14 ? V_ASN1_T61STRING : a->tag == 0x1C ?
	    V_ASN1_UNIVERSALSTRING : a->tag == 0x1E ? V_ASN1_BMPSTRING : 0;

	if (type == 0) {
		if (memchr(a->val, '\0', a->nval) != NULL)
			return "a name value holds a NUL byte";
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
				buf_addc(&b, form == CUCMNAME_CUCM ? ';' : ',');
			if (put_key(&b, &v[i], k) != 0)
				*why = "an attribute type does not decode";
			else
				*why = put_val(&b, &v[i]);
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
