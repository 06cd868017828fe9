/* der.c: bounded DER walks with libtasn1's tag/length primitives, plus ctk.asn decoding. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libtasn1.h>

#include "core/out.h"
#include "x509/der.h"
#include "core/when.h"

extern const asn1_static_node ctk_asn1_tab[];
static asn1_node defs;

struct walk {
	const uint8_t	*p;
	size_t		 left;
};

/* Read one TLV at w; fill *cls, *tag, content span and the whole TLV span; advance. */
static int
next(struct walk *w, unsigned char *cls, unsigned long *tag,
    struct der_span *content, struct der_span *whole)
{
	int hl, ll, lim;
	long clen;

	lim = w->left > INT_MAX ? INT_MAX : (int)w->left;
	if (lim < 2 || asn1_get_tag_der(w->p, lim, cls, &hl, tag) != ASN1_SUCCESS)
		return -1;
	clen = asn1_get_length_der(w->p + hl, lim - hl, &ll);
	if (clen < 0)
		return -1;
	content->p = w->p + hl + ll;
	content->len = (size_t)clen;
	if (whole != NULL) {
		whole->p = w->p;
		whole->len = (size_t)hl + (size_t)ll + (size_t)clen;
	}
	w->p += (size_t)hl + (size_t)ll + (size_t)clen;
	w->left -= (size_t)hl + (size_t)ll + (size_t)clen;
	return 0;
}

int
der_next(const uint8_t **p, size_t *left, uint8_t *id, struct der_span *content)
{
	struct walk w = { *p, *left };
	unsigned char cls;
	unsigned long tag;

	if (next(&w, &cls, &tag, content, NULL) != 0 || tag >= 31)
		return -1;
	*id = (uint8_t)(cls | tag);
	*p = w.p;
	*left = w.left;
	return 0;
}

static int
expect(struct walk *w, unsigned long want, int constructed,
    struct der_span *content, struct der_span *whole)
{
	unsigned char cls;
	unsigned long tag;
	int is_cons;

	if (next(w, &cls, &tag, content, whole) != 0)
		return -1;
	is_cons = (cls & ASN1_CLASS_STRUCTURED) != 0;
	if ((cls & ~ASN1_CLASS_STRUCTURED) != ASN1_CLASS_UNIVERSAL || tag != want ||
	    is_cons != constructed)
		return -1;
	return 0;
}

static int
two(const uint8_t *p)
{
	if (p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9')
		return -1;
	return (p[0] - '0') * 10 + (p[1] - '0');
}

/* UTCTime YYMMDDHHMMSSZ or GeneralizedTime YYYYMMDDHHMMSSZ (RFC 5280 4.1.2.5). */
static int
parse_time(unsigned long tag, const struct der_span *s, int64_t *t)
{
	const uint8_t *p = s->p;
	int y, mo, d, h, mi, se;

	if (tag == ASN1_TAG_UTCTime && s->len == 13) {
		if ((y = two(p)) < 0)
			return -1;
		y += y < 50 ? 2000 : 1900;
		p += 2;
	} else if (tag == ASN1_TAG_GENERALIZEDTime && s->len == 15) {
		if (two(p) < 0 || two(p + 2) < 0)
			return -1;
		y = two(p) * 100 + two(p + 2);
		p += 4;
	} else
		return -1;
	if ((mo = two(p)) < 1 || mo > 12 || (d = two(p + 2)) < 1 || d > 31 ||
	    (h = two(p + 4)) < 0 || h > 23 || (mi = two(p + 6)) < 0 || mi > 59 ||
	    (se = two(p + 8)) < 0 || se > 60 || p[10] != 'Z')
		return -1;
	*t = when_timegm(y, mo, d, h, mi, se);
	return 0;
}

static int
read_time(struct walk *w, int64_t *t)
{
	struct der_span s;
	unsigned char cls;
	unsigned long tag;

	if (next(w, &cls, &tag, &s, NULL) != 0 || cls != ASN1_CLASS_UNIVERSAL)
		return -1;
	return parse_time(tag, &s, t);
}

const char *
der_cert_parse(const uint8_t *der, size_t len, struct der_cert *c)
{
	struct walk top = { der, len }, cert, tbs, val;
	struct der_span s, whole;
	unsigned char cls;
	unsigned long tag;

	memset(c, 0, sizeof(*c));
	if (expect(&top, ASN1_TAG_SEQUENCE, 1, &s, &whole) != 0)
		return "not a DER certificate";
	c->len = whole.len;
	cert = (struct walk){ s.p, s.len };
	if (expect(&cert, ASN1_TAG_SEQUENCE, 1, &s, &c->tbs) != 0)
		return "bad tbsCertificate";
	tbs = (struct walk){ s.p, s.len };
	if (next(&tbs, &cls, &tag, &s, NULL) != 0)
		return "bad tbsCertificate";
	if (cls == (ASN1_CLASS_CONTEXT_SPECIFIC | ASN1_CLASS_STRUCTURED) && tag == 0) {
		/* [0] EXPLICIT version: the serial follows */
		if (expect(&tbs, ASN1_TAG_INTEGER, 0, &c->serial, NULL) != 0)
			return "bad serial number";
	} else if (cls == ASN1_CLASS_UNIVERSAL && tag == ASN1_TAG_INTEGER)
		c->serial = s;
	else
		return "bad serial number";
	if (c->serial.len == 0)
		return "bad serial number";
	if (expect(&tbs, ASN1_TAG_SEQUENCE, 1, &s, NULL) != 0)
		return "bad signature algorithm";
	if (expect(&tbs, ASN1_TAG_SEQUENCE, 1, &s, &c->issuer) != 0)
		return "bad issuer name";
	if (expect(&tbs, ASN1_TAG_SEQUENCE, 1, &s, NULL) != 0)
		return "bad validity";
	val = (struct walk){ s.p, s.len };
	if (read_time(&val, &c->not_before) != 0 || read_time(&val, &c->not_after) != 0)
		return "bad validity";
	if (expect(&tbs, ASN1_TAG_SEQUENCE, 1, &s, &c->subject) != 0)
		return "bad subject name";
	if (expect(&tbs, ASN1_TAG_SEQUENCE, 1, &s, &c->spki) != 0)
		return "bad subject public key";
	if (expect(&cert, ASN1_TAG_SEQUENCE, 1, &s, NULL) != 0)
		return "bad signature algorithm";
	if (expect(&cert, ASN1_TAG_BIT_STRING, 0, &s, NULL) != 0 || s.len < 1)
		return "bad signature value";
	c->sigval = (struct der_span){ s.p + 1, s.len - 1 };
	return NULL;
}

struct der_span
der_serial_unsigned(const struct der_cert *c)
{
	struct der_span s = c->serial;

	if (s.len > 1 && s.p[0] == 0) {
		s.p++;
		s.len--;
	}
	return s;
}

char *
der_serial_text(const uint8_t *p, size_t n, int upper)
{
	int neg = n > 0 && (p[0] & 0x80) != 0, carry = 1;
	size_t i, k = 0;
	uint8_t *m;
	char *s;

	if ((m = malloc(n + 1)) == NULL)
		return NULL;
	/* The magnitude: the bytes as they are, or (negative) their two's complement undone. */
	for (i = n; i-- > 0;) {
		m[i] = neg ? (uint8_t)(~p[i] + carry) : p[i];
		carry = neg && carry && m[i] == 0;
	}
	while (k + 1 < n && m[k] == 0)
		k++;
	if ((s = malloc(2 * (n - k) + 2)) != NULL) {
		s[0] = '-';
		out_hex(s + neg, m + k, n - k, upper, 0);
	}
	free(m);
	return s;
}

static int
load_defs(void)
{
	char why[ASN1_MAX_ERROR_DESCRIPTION_SIZE];

	if (defs == NULL && asn1_array2tree(ctk_asn1_tab, &defs, why) != ASN1_SUCCESS)
		return -1;
	return 0;
}

/* Decode der into a fresh element of type; NULL on failure. */
static asn1_node
decode(const char *type, const uint8_t *der, size_t len)
{
	asn1_node node = NULL;
	int n;

	if (len > INT_MAX || load_defs() != 0 ||
	    asn1_create_element(defs, type, &node) != ASN1_SUCCESS)
		return NULL;
	n = (int)len;
	/* asn1_der_decoding2 destroys the element when it fails. */
	if (asn1_der_decoding2(&node, der, &n, ASN1_DECODE_FLAG_STRICT_DER, NULL) !=
	    ASN1_SUCCESS)
		return NULL;
	return node;
}

int
der_rsa_bits(const uint8_t *pkcs1, size_t len)
{
	asn1_node node;
	uint8_t mod[2048];
	int n = sizeof(mod), bits = 0, i;

	if ((node = decode("CTK.RSAPublicKey", pkcs1, len)) == NULL)
		return 0;
	if (asn1_read_value(node, "modulus", mod, &n) == ASN1_SUCCESS && n > 0) {
		for (i = 0; i < n && mod[i] == 0; i++)
			;
		if (i < n) {
			bits = (n - i) * 8;
			for (uint8_t top = mod[i]; !(top & 0x80); top <<= 1)
				bits--;
		}
	}
	asn1_delete_structure(&node);
	return bits;
}

char *
der_key_desc(const uint8_t *spki, size_t len, char *out, size_t outlen)
{
	static const struct {
		const char *oid, *name;
	} curves[] = {
		{ "1.2.840.10045.3.1.7", "EC-P256" },
		{ "1.3.132.0.34", "EC-P384" },
		{ "1.3.132.0.35", "EC-P521" },
	};
	asn1_node node, curve;
	char oid[128], param[128];
	uint8_t key[2100];
	int n = sizeof(oid), bits;
	size_t i;

	snprintf(out, outlen, "unknown");
	if ((node = decode("CTK.SubjectPublicKeyInfo", spki, len)) == NULL)
		return out;
	if (asn1_read_value(node, "algorithm.algorithm", oid, &n) != ASN1_SUCCESS)
		goto done;
	if (strcmp(oid, "1.2.840.113549.1.1.1") == 0) {
		n = sizeof(key);	/* the BIT STRING length comes back in bits */
		if (asn1_read_value(node, "subjectPublicKey", key, &n) == ASN1_SUCCESS &&
		    (bits = der_rsa_bits(key, (size_t)(n + 7) / 8)) > 0)
			snprintf(out, outlen, "RSA-%d", bits);
	} else if (strcmp(oid, "1.2.840.10045.2.1") == 0) {
		n = sizeof(param);
		if (asn1_read_value(node, "algorithm.parameters", param, &n) != ASN1_SUCCESS ||
		    (curve = decode("CTK.ECNamedCurve", (uint8_t *)param, (size_t)n)) == NULL)
			goto done;
		n = sizeof(oid);
		if (asn1_read_value(curve, "", oid, &n) == ASN1_SUCCESS)
			for (i = 0; i < sizeof(curves) / sizeof(curves[0]); i++)
				if (strcmp(oid, curves[i].oid) == 0)
					snprintf(out, outlen, "%s", curves[i].name);
		asn1_delete_structure(&curve);
	} else if (strcmp(oid, "1.3.101.112") == 0)
		snprintf(out, outlen, "Ed25519");
done:
	asn1_delete_structure(&node);
	return out;
}

void
der_cleanup(void)
{
	if (defs != NULL)
		asn1_delete_structure(&defs);
}

int
der_spki(const struct der_span *spki, struct der_span *alg, struct der_span *key)
{
	const uint8_t *p = spki->p;
	size_t left = spki->len;
	struct der_span seq, bits;
	uint8_t id;

	if (der_next(&p, &left, &id, &seq) != 0 || id != 0x30)
		return -1;
	p = seq.p;
	left = seq.len;
	if (der_next(&p, &left, &id, alg) != 0 || id != 0x30 ||
	    der_next(&p, &left, &id, &bits) != 0 || id != 0x03 || bits.len < 1 || bits.p[0] != 0)
		return -1;
	key->p = bits.p + 1;
	key->len = bits.len - 1;
	return 0;
}
