/* regen.c: key generation and certificate/CSR assembly with OpenSSL, to the profile's letter. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include "core/diag.h"
#include "core/hash.h"
#include "regen/regen.h"
#include "x509/expiry.h"

static const struct {
	const char	*name, *alias, *desc, *md;
} curves[] = {
	{ "P-256", "prime256v1", "EC-P256", "sha256" },
	{ "P-384", "secp384r1", "EC-P384", "sha384" },
	{ "P-521", "secp521r1", "EC-P521", "sha512" },
};

static int
curve_index(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(curves) / sizeof(curves[0]); i++)
		if (strcasecmp(name, curves[i].name) == 0 || strcasecmp(name, curves[i].alias) == 0)
			return (int)i;
	return -1;
}

int
regen_key_set(struct regen_key *k, const char *type, int bits, const char *curve,
    const char **why)
{
	int c;

	memset(k, 0, sizeof(*k));
	if (strcasecmp(type, "rsa") == 0) {
		if (bits == 0)
			bits = 2048;
		if (bits < 1024 || bits > 16384) {
			*why = "RSA bits must be 1024 to 16384";
			return -1;
		}
		snprintf(k->type, sizeof(k->type), "rsa");
		k->bits = bits;
		return 0;
	}
	if (strcasecmp(type, "ec") != 0) {
		*why = "key type must be rsa or ec";
		return -1;
	}
	if ((c = curve_index(curve != NULL ? curve : "P-256")) < 0) {
		*why = "curve must be P-256, P-384 or P-521";
		return -1;
	}
	snprintf(k->type, sizeof(k->type), "ec");
	snprintf(k->curve, sizeof(k->curve), "%s", curves[c].name);
	return 0;
}

int
regen_key_of(const X509 *x, struct regen_key *k)
{
	EVP_PKEY *pub = X509_get0_pubkey(x);
	char group[64];
	const char *why;
	int rc = -1;

	if (pub == NULL)
		goto out;
	if (EVP_PKEY_get_base_id(pub) == EVP_PKEY_RSA)
		rc = regen_key_set(k, "rsa", EVP_PKEY_get_bits(pub), NULL, &why);
	else if (EVP_PKEY_get_base_id(pub) == EVP_PKEY_EC &&
	    EVP_PKEY_get_utf8_string_param(pub, OSSL_PKEY_PARAM_GROUP_NAME, group,
	    sizeof(group), NULL) == 1)
		rc = regen_key_set(k, "ec", 0, group, &why);
out:
	ERR_clear_error();
	return rc;
}

char *
regen_key_desc(const struct regen_key *k, char *out, size_t outlen)
{
	int c = curve_index(k->curve);

	if (strcmp(k->type, "ec") == 0 && c >= 0)
		snprintf(out, outlen, "%s", curves[c].desc);
	else
		snprintf(out, outlen, "RSA-%d", k->bits);
	return out;
}

const char *
regen_digest(const struct regen_key *k)
{
	int c = curve_index(k->curve);

	return strcmp(k->type, "ec") == 0 && c >= 0 ? curves[c].md : "sha256";
}

EVP_PKEY *
regen_keygen(const struct regen_key *k)
{
	EVP_PKEY *key;

	if (strcmp(k->type, "ec") == 0)
		key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", k->curve);
	else
		key = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)k->bits);
	if (key == NULL)
		warnssl("key generation failed");
	return key;
}

int
regen_serial(uint8_t serial[REGEN_SERIAL_LEN])
{
	if (RAND_bytes(serial, REGEN_SERIAL_LEN) != 1) {
		warnssl("random serial");
		return -1;
	}
	serial[0] = (uint8_t)(0x40 | (serial[0] & 0x3f));
	return 0;
}

/* One extension from OpenSSL configuration text; "none" or NULL adds nothing. */
static X509_EXTENSION *
mkext(X509V3_CTX *ctx, int nid, const char *val, int *bad)
{
	X509_EXTENSION *e;

	if (val == NULL || strcmp(val, "none") == 0)
		return NULL;
	if ((e = X509V3_EXT_conf_nid(NULL, ctx, nid, val)) == NULL) {
		warnssl("%s: bad value \"%s\"", OBJ_nid2ln(nid), val);
		*bad = 1;
	}
	return e;
}

/* The profile's extensions in order; SKI and AKI only for certificates. 0 or -1 (diagnosed). */
static int
extensions(const struct regen_req *r, X509V3_CTX *ctx, STACK_OF(X509_EXTENSION) *sk, int cert)
{
	X509_EXTENSION *e[6] = { NULL };
	int i, bad = 0, rc = 0;

	e[0] = mkext(ctx, NID_basic_constraints, r->bc, &bad);
	e[1] = mkext(ctx, NID_key_usage, r->ku, &bad);
	e[2] = mkext(ctx, NID_ext_key_usage, r->eku, &bad);
	if (r->san_ext != NULL)
		e[3] = X509_EXTENSION_dup(r->san_ext);
	else
		e[3] = mkext(ctx, NID_subject_alt_name, r->san, &bad);
	if (cert)
		e[4] = mkext(ctx, NID_subject_key_identifier, "hash", &bad);
	for (i = 0; i < 6; i++) {
		if (e[i] != NULL && sk_X509_EXTENSION_push(sk, e[i]) > 0)
			e[i] = NULL;
		else if (e[i] != NULL)
			bad = 1;
		X509_EXTENSION_free(e[i]);
	}
	if (bad)
		rc = -1;
	return rc;
}

X509 *
regen_cert(const struct regen_req *r, EVP_PKEY *key, const char *md)
{
	STACK_OF(X509_EXTENSION) *sk = NULL;
	X509_EXTENSION *aki = NULL;
	ASN1_INTEGER *ai = NULL;
	BIGNUM *bn = NULL;
	X509V3_CTX ctx;
	X509 *x;
	int64_t na;
	int i, ok = 0, bad = 0;

	/* Checked again here: no caller may have OpenSSL write a five-digit year. */
	if (expiry_not_after(r->not_before, r->days, &na) != 0) {
		warnf("notAfter past 9999-12-31T23:59:59Z: X.509 cannot encode it");
		return NULL;
	}
	if ((x = X509_new()) == NULL || (sk = sk_X509_EXTENSION_new_null()) == NULL ||
	    (bn = BN_bin2bn(r->serial, REGEN_SERIAL_LEN, NULL)) == NULL ||
	    (ai = BN_to_ASN1_INTEGER(bn, NULL)) == NULL ||
	    X509_set_version(x, X509_VERSION_3) != 1 || X509_set_serialNumber(x, ai) != 1 ||
	    X509_set_subject_name(x, r->subject) != 1 || X509_set_issuer_name(x, r->subject) != 1 ||
	    ASN1_TIME_set(X509_getm_notBefore(x), (time_t)r->not_before) == NULL ||
	    ASN1_TIME_set(X509_getm_notAfter(x), (time_t)na) == NULL || X509_set_pubkey(x, key) != 1) {
		warnssl("building the certificate");
		goto out;
	}
	X509V3_set_ctx(&ctx, x, x, NULL, NULL, 0);
	if (extensions(r, &ctx, sk, 1) != 0)
		goto out;
	for (i = 0; i < sk_X509_EXTENSION_num(sk); i++)
		if (X509_add_ext(x, sk_X509_EXTENSION_value(sk, i), -1) != 1)
			bad = 1;
	/* keyid:always needs the subjectKeyIdentifier already in place (self-signed: issuer = x). */
	if (bad || (aki = mkext(&ctx, NID_authority_key_identifier, "keyid:always", &bad)) == NULL ||
	    X509_add_ext(x, aki, -1) != 1) {
		warnssl("adding the extensions");
		goto out;
	}
	if (X509_sign(x, key, hash_md(md)) <= 0) {
		warnssl("signing the certificate");
		goto out;
	}
	ok = 1;
out:
	sk_X509_EXTENSION_pop_free(sk, X509_EXTENSION_free);
	X509_EXTENSION_free(aki);
	ASN1_INTEGER_free(ai);
	BN_free(bn);
	if (!ok) {
		X509_free(x);
		x = NULL;
	}
	return x;
}

X509_REQ *
regen_csr(const struct regen_req *r, EVP_PKEY *key, const char *md)
{
	STACK_OF(X509_EXTENSION) *sk = NULL;
	X509V3_CTX ctx;
	X509_REQ *q;
	int ok = 0;

	if ((q = X509_REQ_new()) == NULL || (sk = sk_X509_EXTENSION_new_null()) == NULL ||
	    X509_REQ_set_version(q, X509_REQ_VERSION_1) != 1 ||
	    X509_REQ_set_subject_name(q, r->subject) != 1 || X509_REQ_set_pubkey(q, key) != 1) {
		warnssl("building the CSR");
		goto out;
	}
	X509V3_set_ctx(&ctx, NULL, NULL, q, NULL, 0);
	if (extensions(r, &ctx, sk, 0) != 0)
		goto out;
	if (X509_REQ_add_extensions(q, sk) != 1 || X509_REQ_sign(q, key, hash_md(md)) <= 0) {
		warnssl("signing the CSR");
		goto out;
	}
	ok = 1;
out:
	sk_X509_EXTENSION_pop_free(sk, X509_EXTENSION_free);
	if (!ok) {
		X509_REQ_free(q);
		q = NULL;
	}
	return q;
}

char *
regen_pem(int type, const void *obj, size_t *len)
{
	BIO *b;
	char *p, *s = NULL;
	long n;
	int ok;

	/* secmem: the key's PEM text is wiped when the BIO goes. */
	if ((b = BIO_new(type == 'k' ? BIO_s_secmem() : BIO_s_mem())) == NULL)
		return NULL;
	if (type == 'c')
		ok = PEM_write_bio_X509(b, (X509 *)obj);
	else if (type == 'r')
		ok = PEM_write_bio_X509_REQ(b, (X509_REQ *)obj);
	else
		ok = PEM_write_bio_PrivateKey(b, (EVP_PKEY *)obj, NULL, NULL, 0, NULL, NULL);
	if (ok == 1 && (n = BIO_get_mem_data(b, &p)) > 0 && (s = malloc((size_t)n + 1)) != NULL) {
		memcpy(s, p, (size_t)n);
		s[n] = '\0';
		*len = (size_t)n;
	}
	BIO_free(b);
	return s;
}

X509_NAME *
regen_name(const char *s, const char **why)
{
	X509_NAME *n = NULL;
	char *copy = NULL, *p, *q, *eq, *start;
	int ok = 0;

	*why = "out of memory";
	if (s[0] != '/') {
		*why = "a subject looks like /CN=name/O=org";
		return NULL;
	}
	if ((n = X509_NAME_new()) == NULL || (copy = strdup(s + 1)) == NULL)
		goto out;
	for (p = copy; *p != '\0';) {
		start = q = p;
		for (; *p != '\0' && *p != '/'; p++) {
			if (*p == '\\' && p[1] != '\0')
				p++;
			*q++ = *p;	/* unescape in place */
		}
		if (*p == '/')
			p++;
		*q = '\0';
		if ((eq = strchr(start, '=')) == NULL || eq == start) {
			*why = "each part of a subject is TYPE=value";
			goto out;
		}
		*eq = '\0';
		if (X509_NAME_add_entry_by_txt(n, start, MBSTRING_UTF8,
		    (const unsigned char *)eq + 1, -1, -1, 0) != 1) {
			*why = "unknown attribute type or bad value in the subject";
			goto out;
		}
	}
	if (X509_NAME_entry_count(n) == 0) {
		*why = "empty subject";
		goto out;
	}
	ok = 1;
out:
	ERR_clear_error();
	free(copy);
	if (!ok) {
		X509_NAME_free(n);
		n = NULL;
	}
	return n;
}

X509_NAME *
regen_name_cn(const X509_NAME *name, const char *cn)
{
	X509_NAME *n;
	int i;

	if ((n = X509_NAME_dup(name)) == NULL)
		return NULL;
	/* Delete and re-add: changing an entry in place leaves the name's cached DER stale. */
	if ((i = X509_NAME_get_index_by_NID(n, NID_commonName, -1)) >= 0)
		X509_NAME_ENTRY_free(X509_NAME_delete_entry(n, i));
	if (X509_NAME_add_entry_by_NID(n, NID_commonName, MBSTRING_UTF8,
	    (const unsigned char *)cn, -1, i, 0) == 1)
		return n;
	X509_NAME_free(n);
	return NULL;
}
