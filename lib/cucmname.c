/* cucmname.c: CUCM writes CN first whatever the certificate's DER order (FORMAT.md section 3). */
#include <string.h>

#include <openssl/objects.h>

#include "buf.h"
#include "cucmname.h"

static const int cucm_order[] = {
	NID_commonName, NID_organizationalUnitName, NID_organizationName,
	NID_localityName, NID_stateOrProvinceName, NID_countryName
};

static int
in_order(int nid)
{
	size_t i;

	for (i = 0; i < sizeof(cucm_order) / sizeof(cucm_order[0]); i++)
		if (cucm_order[i] == nid)
			return 1;
	return 0;
}

/* Append "sep KEY=value" for one entry. */
static int
put_entry(struct buf *b, const X509_NAME_ENTRY *e, char sep, const char **why)
{
	const ASN1_OBJECT *o = X509_NAME_ENTRY_get_object(e);
	unsigned char *u = NULL;
	char oid[128];
	int nid = OBJ_obj2nid(o), n;

	if (b->len > 0)
		buf_addc(b, (uint8_t)sep);
	if (nid != NID_undef && OBJ_nid2sn(nid) != NULL)
		buf_printf(b, "%s=", OBJ_nid2sn(nid));
	else if (OBJ_obj2txt(oid, sizeof(oid), o, 1) > 0)
		buf_printf(b, "%s=", oid);
	else {
		*why = "an attribute type has no name";
		return -1;
	}
	if ((n = ASN1_STRING_to_UTF8(&u, X509_NAME_ENTRY_get_data(e))) < 0) {
		*why = "a name value does not convert to UTF-8";
		return -1;
	}
	if (memchr(u, '\0', (size_t)n) != NULL) {
		OPENSSL_free(u);
		*why = "a name value holds a NUL byte";
		return -1;
	}
	buf_add(b, u, (size_t)n);
	OPENSSL_free(u);
	return 0;
}

char *
cucmname(const X509_NAME *name, int form, const char **why)
{
	struct buf b = BUF_ZERO;
	const X509_NAME_ENTRY *e;
	char *s = NULL;
	int i, k, n = X509_NAME_entry_count(name), nid;
	char sep = form == CUCMNAME_CUCM ? ';' : ',';

	*why = NULL;
	if (form == CUCMNAME_CUCM) {
		for (k = 0; k < (int)(sizeof(cucm_order) / sizeof(cucm_order[0])); k++)
			for (i = 0; i < n; i++) {
				e = X509_NAME_get_entry(name, i);
				if (OBJ_obj2nid(X509_NAME_ENTRY_get_object(e)) == cucm_order[k] &&
				    put_entry(&b, e, sep, why) != 0)
					goto out;
			}
	}
	for (i = 0; i < n; i++) {
		e = X509_NAME_get_entry(name, i);
		nid = OBJ_obj2nid(X509_NAME_ENTRY_get_object(e));
		if ((form != CUCMNAME_CUCM || !in_order(nid)) && put_entry(&b, e, sep, why) != 0)
			goto out;
	}
	buf_addc(&b, '\0');
	if (b.err) {
		*why = "out of memory";
		goto out;
	}
	s = (char *)b.p;
	b.p = NULL;
out:
	buf_free(&b);
	return s;
}
