/* keyid.c: SKI and AKI keyIdentifier from a certificate's extensions, by a bounded DER walk. */
#include <string.h>

#include "x509/der.h"
#include "x509/keyid.h"

/* The contents of OCTET STRING value (an extnValue) when it wraps tag id, or an empty span. */
static struct der_span
inner(struct der_span value, uint8_t want)
{
	struct der_span s = { NULL, 0 }, in;
	const uint8_t *p = value.p;
	size_t left = value.len;
	uint8_t id;

	if (der_next(&p, &left, &id, &in) == 0 && id == want)
		s = in;
	return s;
}

/* The [0] keyIdentifier of an AuthorityKeyIdentifier SEQUENCE's contents. */
static struct der_span
aki_keyid(struct der_span seq)
{
	struct der_span s = { NULL, 0 }, f;
	const uint8_t *p = seq.p;
	size_t left = seq.len;
	uint8_t id;

	if (der_next(&p, &left, &id, &f) == 0 && id == 0x80)
		s = f;
	return s;
}

void
keyid_get(const struct der_cert *c, struct der_span *ski, struct der_span *aki)
{
	static const uint8_t oid_ski[] = { 0x55, 0x1D, 0x0E }, oid_aki[] = { 0x55, 0x1D, 0x23 };
	const uint8_t *end = c->tbs.p + c->tbs.len, *p = c->spki.p + c->spki.len, *q;
	struct der_span f, ext, oid, v;
	size_t left, eleft;
	uint8_t id;

	memset(ski, 0, sizeof(*ski));
	memset(aki, 0, sizeof(*aki));
	if (c->tbs.p == NULL || c->spki.p == NULL || p < c->tbs.p || p > end)
		return;
	left = (size_t)(end - p);
	/* after the key: [1] issuerUniqueID, [2] subjectUniqueID, [3] extensions */
	do
		if (der_next(&p, &left, &id, &f) != 0)
			return;
	while (id != 0xA3);
	q = f.p;
	eleft = f.len;
	if (der_next(&q, &eleft, &id, &f) != 0 || id != 0x30)
		return;
	q = f.p;
	eleft = f.len;
	while (der_next(&q, &eleft, &id, &ext) == 0) {
		const uint8_t *e = ext.p;
		size_t el = ext.len;

		if (id != 0x30 || der_next(&e, &el, &id, &oid) != 0 || id != 0x06 ||
		    oid.len != sizeof(oid_ski))
			continue;
		if (der_next(&e, &el, &id, &v) == 0 && id == 0x01)	/* critical BOOLEAN */
			(void)der_next(&e, &el, &id, &v);
		if (id != 0x04)
			continue;
		if (memcmp(oid.p, oid_ski, sizeof(oid_ski)) == 0)
			*ski = inner(v, 0x04);
		else if (memcmp(oid.p, oid_aki, sizeof(oid_aki)) == 0)
			*aki = aki_keyid(inner(v, 0x30));
	}
}
