/* dnkey.c: only what survives OpenSSL's name canonicalisation goes into the key (issue #28). */
#include "x509/der.h"
#include "x509/dnkey.h"

/* The ASCII letters and digits of a value, lower-cased; unit: bytes per character. */
static void
value(struct buf *out, const struct der_span *v, size_t unit)
{
	size_t i, k;
	uint32_t c;

	for (i = 0; i + unit <= v->len; i += unit) {
		for (c = 0, k = 0; k < unit; k++)
			c = c << 8 | v->p[i + k];
		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			buf_addc(out, (uint8_t)c);
	}
}

int
dnkey_make(const uint8_t *der, size_t len, struct buf *out)
{
	const uint8_t *p = der, *rp, *ap;
	size_t left = len, rl, al;
	struct der_span name, rdn, ava, oid, v;
	uint8_t id;

	out->len = 0;
	out->err = 0;
	if (der_next(&p, &left, &id, &name) != 0 || id != 0x30 || left != 0)
		return -1;
	p = name.p;
	left = name.len;
	while (left > 0) {
		if (der_next(&p, &left, &id, &rdn) != 0 || id != 0x31)
			return -1;
		buf_addc(out, '/');	/* the RDN structure is kept by the canonical form */
		for (rp = rdn.p, rl = rdn.len; rl > 0;) {
			if (der_next(&rp, &rl, &id, &ava) != 0 || id != 0x30)
				return -1;
			ap = ava.p;
			al = ava.len;
			if (der_next(&ap, &al, &id, &oid) != 0 || id != 0x06 || oid.len > 255 ||
			    der_next(&ap, &al, &id, &v) != 0 || al != 0)
				return -1;
			buf_addc(out, (uint8_t)oid.len);
			buf_add(out, oid.p, oid.len);
			buf_addc(out, '=');
			value(out, &v, id == 0x1E ? 2 : id == 0x1C ? 4 : 1);
			buf_addc(out, 0);	/* values are letters and digits: 0 ends one */
		}
	}
	return out->err ? -1 : 0;
}
