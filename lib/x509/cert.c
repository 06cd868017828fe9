/* cert.c: one loader for every certificate container the tools meet, and printing helpers. */
#include <string.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pkcs12.h>
#include <openssl/pkcs7.h>
#include <openssl/pem.h>

#include "x509/cert.h"
#include "x509/der.h"
#include "core/diag.h"
#include "x509/dntext.h"
#include "core/io.h"
#include "core/out.h"
#include "x509/pem.h"
#include "core/when.h"

X509 *
cert_from_der(const uint8_t *der, size_t len)
{
	const unsigned char *p = der;
	X509 *x;

	if (len > LONG_MAX)
		return NULL;
	x = d2i_X509(NULL, &p, (long)len);
	if (x != NULL && p != der + len) {
		X509_free(x);
		return NULL;
	}
	return x;
}

static int
add_p7(STACK_OF(X509) *sk, const uint8_t *der, size_t len)
{
	const unsigned char *p = der;
	STACK_OF(X509) *in = NULL;
	PKCS7 *p7;
	int i, n = 0;

	if ((p7 = d2i_PKCS7(NULL, &p, (long)len)) == NULL)
		return -1;
	if (PKCS7_type_is_signed(p7) && p7->d.sign != NULL)
		in = p7->d.sign->cert;
	else if (PKCS7_type_is_signedAndEnveloped(p7) && p7->d.signed_and_enveloped != NULL)
		in = p7->d.signed_and_enveloped->cert;
	for (i = 0; in != NULL && i < sk_X509_num(in); i++) {
		X509 *x = sk_X509_value(in, i);

		if (X509_up_ref(x) && sk_X509_push(sk, x) > 0)
			n++;
		else
			X509_free(x);
	}
	PKCS7_free(p7);
	return n;
}

/*
 * PBKDF iterations a PKCS#12 may ask for. OpenSSL follows any count, so a 1 KB file
 * asking for 2^31 would hold a tool for half an hour; real files use 2048 to 600000.
 */
#define P12_MAX_ITER 2000000L

/* 1 when the iteration count of a PBES1 or PBES2/PBKDF2 algorithm is within the cap. */
static int
p12_iter_ok(const X509_ALGOR *alg)
{
	const ASN1_OBJECT *oid, *koid;
	const ASN1_STRING *s, *ks;
	const void *pv, *kpv;
	const unsigned char *p;
	PBE2PARAM *p2 = NULL;
	PBKDF2PARAM *kdf = NULL;
	PBEPARAM *p1 = NULL;
	long iter = 1;
	int pt, kpt;

	X509_ALGOR_get0(&oid, &pt, &pv, alg);
	if (pt != V_ASN1_SEQUENCE || (s = pv) == NULL)
		return 1;
	p = ASN1_STRING_get0_data(s);
	if (OBJ_obj2nid(oid) != NID_pbes2) {
		if ((p1 = d2i_PBEPARAM(NULL, &p, ASN1_STRING_length(s))) != NULL)
			iter = ASN1_INTEGER_get(p1->iter);
	} else if ((p2 = d2i_PBE2PARAM(NULL, &p, ASN1_STRING_length(s))) != NULL) {
		X509_ALGOR_get0(&koid, &kpt, &kpv, p2->keyfunc);
		if (OBJ_obj2nid(koid) == NID_id_pbkdf2 && kpt == V_ASN1_SEQUENCE &&
		    (ks = kpv) != NULL) {
			p = ASN1_STRING_get0_data(ks);
			if ((kdf = d2i_PBKDF2PARAM(NULL, &p, ASN1_STRING_length(ks))) != NULL)
				iter = ASN1_INTEGER_get(kdf->iter);
		}
	}
	PBEPARAM_free(p1);
	PBE2PARAM_free(p2);
	PBKDF2PARAM_free(kdf);
	return iter >= 0 && iter <= P12_MAX_ITER;
}

/*
 * The certificates of a PKCS#12 (file order), without PKCS12_parse: keys are never
 * decrypted, and every iteration count is checked before it is used. The password
 * is pass, else "" or NULL (the two encodings of an empty one), chosen by the MAC.
 * Returns the count, -1 when der is not a PKCS#12, -2 for a wrong password or damage,
 * -3 for an iteration count over the cap.
 */
static int
add_p12(STACK_OF(X509) *sk, const uint8_t *der, size_t len, const char *pass)
{
	const unsigned char *p = der;
	const ASN1_INTEGER *miter = NULL;
	const char *pw = pass != NULL ? pass : "";
	STACK_OF(PKCS7) *safes = NULL;
	STACK_OF(PKCS12_SAFEBAG) *bags;
	PKCS12_SAFEBAG *bag;
	PKCS7 *p7;
	X509 *x;
	PKCS12 *p12;
	int i, k, nid, pwlen = -1, n = -2;

	if (len > LONG_MAX || (p12 = d2i_PKCS12(NULL, &p, (long)len)) == NULL)
		return -1;
	if (PKCS12_mac_present(p12)) {
		PKCS12_get0_mac(NULL, NULL, NULL, &miter, p12);
		if (miter != NULL && (ASN1_INTEGER_get(miter) < 0 ||
		    ASN1_INTEGER_get(miter) > P12_MAX_ITER)) {
			n = -3;
			goto out;
		}
		if (PKCS12_verify_mac(p12, pw, -1) != 1) {
			if (pass != NULL || PKCS12_verify_mac(p12, NULL, 0) != 1)
				goto out;
			pw = NULL;	/* an empty password encoded as no bytes at all */
			pwlen = 0;
		}
	}
	if ((safes = PKCS12_unpack_authsafes(p12)) == NULL)
		goto out;
	n = 0;
	for (i = 0; n >= 0 && i < sk_PKCS7_num(safes); i++) {
		p7 = sk_PKCS7_value(safes, i);
		bags = NULL;
		if ((nid = OBJ_obj2nid(p7->type)) == NID_pkcs7_data)
			bags = PKCS12_unpack_p7data(p7);
		else if (nid != NID_pkcs7_encrypted)
			continue;	/* as PKCS12_parse: other content types hold no bags for us */
		else if (p7->d.encrypted == NULL || !p12_iter_ok(p7->d.encrypted->enc_data->algorithm)) {
			n = p7->d.encrypted == NULL ? -2 : -3;
			break;
		} else
			bags = PKCS12_unpack_p7encdata(p7, pw, pwlen);
		if (bags == NULL) {
			n = -2;
			break;
		}
		for (k = 0; k < sk_PKCS12_SAFEBAG_num(bags); k++) {
			bag = sk_PKCS12_SAFEBAG_value(bags, k);
			if (PKCS12_SAFEBAG_get_nid(bag) != NID_certBag ||
			    PKCS12_SAFEBAG_get_bag_nid(bag) != NID_x509Certificate ||
			    (x = PKCS12_SAFEBAG_get1_cert(bag)) == NULL)
				continue;
			if (sk_X509_push(sk, x) > 0)
				n++;
			else
				X509_free(x);
		}
		sk_PKCS12_SAFEBAG_pop_free(bags, PKCS12_SAFEBAG_free);
	}
out:
	sk_PKCS7_pop_free(safes, PKCS7_free);
	PKCS12_free(p12);
	return n;
}

static int
load_pem(STACK_OF(X509) *sk, const uint8_t *buf, size_t len, const char **why)
{
	struct pem_iter it;
	struct pem_block b;
	struct buf scratch = BUF_ZERO;
	const unsigned char *p;
	X509 *x;
	int k, rc = 0, tr;

	pem_init(&it, buf, len);
	while ((k = pem_next(&it, &b, &scratch, why)) > 0) {
		if (b.labellen == 5 && memcmp(b.label, "PKCS7", 5) == 0) {
			if (add_p7(sk, b.der, b.len) < 0) {
				*why = "bad PKCS#7 block";
				rc = -1;
				break;
			}
			continue;
		}
		if (!pem_is_cert(&b))
			continue;	/* keys, CSRs, parameters: not ours to judge */
		p = b.der;
		tr = b.labellen == 19;	/* TRUSTED CERTIFICATE carries trust settings after it */
		x = tr ? d2i_X509_AUX(NULL, &p, (long)b.len) : d2i_X509(NULL, &p, (long)b.len);
		if (x == NULL || (!tr && p != b.der + b.len)) {
			X509_free(x);
			*why = "bad certificate in PEM block";
			rc = -1;
			break;
		}
		if (sk_X509_push(sk, x) <= 0) {
			X509_free(x);
			*why = "out of memory";
			rc = -1;
			break;
		}
	}
	if (k < 0)
		rc = -1;
	buf_free(&scratch);
	return rc;
}

int
cert_load(const uint8_t *buf, size_t len, const char *pass, STACK_OF(X509) **out,
    const char **why)
{
	STACK_OF(X509) *sk;
	X509 *x;
	int n;

	*out = NULL;
	if ((sk = sk_X509_new_null()) == NULL) {
		*why = "out of memory";
		return -1;
	}
	if (len == 0) {
		*why = "empty file";
		goto fail;
	}
	if (pem_sniff(buf, len)) {
		if (load_pem(sk, buf, len, why) != 0)
			goto fail;
		if (sk_X509_num(sk) == 0) {
			*why = "no certificate in PEM";
			cert_free_all(sk);
			ERR_clear_error();
			return 0;
		}
	} else if ((x = cert_from_der(buf, len)) != NULL) {
		if (sk_X509_push(sk, x) <= 0) {
			X509_free(x);
			*why = "out of memory";
			goto fail;
		}
	} else if (add_p7(sk, buf, len) < 0) {
		if ((n = add_p12(sk, buf, len, pass)) == -2 || n == -3) {
			*why = n == -2 ? "PKCS#12: wrong password or damaged" :
			    "PKCS#12: refused: asks for more than 2000000 key derivation iterations";
			goto fail;
		}
		if (n < 0) {
			*why = "not a PEM, DER, PKCS#7 or PKCS#12 certificate";
			goto fail;
		}
	}
	ERR_clear_error();
	if (sk_X509_num(sk) == 0) {
		*why = "no certificate";
		cert_free_all(sk);
		return 0;
	}
	*out = sk;
	return 1;
fail:
	ERR_clear_error();
	cert_free_all(sk);
	return -1;
}

STACK_OF(X509) *
cert_load_file(const char *path, const char *pass)
{
	STACK_OF(X509) *sk = NULL;
	const char *why = NULL;
	uint8_t *buf;
	size_t len;

	if ((buf = io_slurp(path, IO_MAX, &len)) == NULL)
		return NULL;
	if (cert_load(buf, len, pass, &sk, &why) <= 0)
		warnf("%s: %s", io_name(path), why);
	OPENSSL_cleanse(buf, len);	/* a PKCS#12 or a bundle may hold a key */
	free(buf);
	return sk;
}

void
cert_free_all(STACK_OF(X509) *sk)
{
	sk_X509_pop_free(sk, X509_free);
}

char *
cert_name_text(const X509_NAME *name)
{
	unsigned char *der = NULL;
	struct buf b = BUF_ZERO;
	char *s = NULL;
	int n;

	/* One printer for every tool (lib/dntext), so a name reads the same everywhere. */
	if ((n = i2d_X509_NAME(name, &der)) > 0 && dntext_format(der, (size_t)n, &b) == 0)
		s = strdup((const char *)b.p);
	OPENSSL_free(der);
	buf_free(&b);
	return s;
}

char *
cert_cn(const X509_NAME *name, char *out, size_t outlen)
{
	int i;

	out[0] = '\0';
	i = X509_NAME_get_index_by_NID(name, NID_commonName, -1);
	if (i >= 0) {
		const ASN1_STRING *s = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i));
		size_t n = (size_t)ASN1_STRING_length(s);

		if (n >= outlen)
			n = outlen - 1;
		memcpy(out, ASN1_STRING_get0_data(s), n);
		out[n] = '\0';
	}
	return out;
}

size_t
cert_serial_bytes(const X509 *x, uint8_t out[64])
{
	const ASN1_INTEGER *s = X509_get0_serialNumber(x);
	const uint8_t *p = ASN1_STRING_get0_data(s);
	size_t n = (size_t)ASN1_STRING_length(s);

	/* ASN1_INTEGER holds the magnitude already; strip stray leading zeros too. */
	while (n > 1 && *p == 0)
		p++, n--;
	if (n == 0 || n > 64)
		return 0;
	memcpy(out, p, n);
	return n;
}

char *
cert_serial_hex(const X509 *x, char *out, size_t outlen)
{
	uint8_t b[64];
	size_t n = cert_serial_bytes(x, b);

	if (outlen < 2 * n + 1)
		n = (outlen - 1) / 2;
	return out_hex(out, b, n, 1, 0);
}

int64_t
cert_time(const ASN1_TIME *t, int *ok)
{
	struct tm tm;

	*ok = 0;
	if (t == NULL || ASN1_TIME_to_tm(t, &tm) != 1)
		return -1;
	*ok = 1;
	return when_timegm(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec);
}

char *
cert_digest_hex(const X509 *x, const char *alg, int upper, char *out)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	EVP_MD *m;
	int ok;

	if ((m = EVP_MD_fetch(NULL, alg, NULL)) == NULL)
		return NULL;
	ok = X509_digest(x, m, md, &n);
	EVP_MD_free(m);
	return ok == 1 ? out_hex(out, md, n, upper, 0) : NULL;
}

char *
cert_key_desc(const X509 *x, char *out, size_t outlen)
{
	unsigned char *der = NULL;
	int n;

	snprintf(out, outlen, "unknown");
	if ((n = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(x), &der)) > 0)
		der_key_desc(der, (size_t)n, out, outlen);
	OPENSSL_free(der);
	return out;
}

int
cert_key_matches(const X509 *x, EVP_PKEY *key)
{
	EVP_PKEY *pub = X509_get0_pubkey(x);
	int r = pub != NULL && EVP_PKEY_eq(pub, key) == 1;

	ERR_clear_error();
	return r;
}
