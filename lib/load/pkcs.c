/* pkcs.c: PKCS#7 and PKCS#12 through OpenSSL; every key derivation priced before it runs. */
#include <limits.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/pkcs12.h>
#include <openssl/pkcs7.h>

#include "load/pkcs.h"

int
pkcs_p7(const uint8_t *der, size_t len, pkcs_fn fn, void *arg)
{
	const unsigned char *p = der;
	STACK_OF(X509) *in = NULL;
	PKCS7 *p7;
	int i, n = 0;

	if (len > LONG_MAX || (p7 = d2i_PKCS7(NULL, &p, (long)len)) == NULL)
		return -1;
	if (PKCS7_type_is_signed(p7) && p7->d.sign != NULL)
		in = p7->d.sign->cert;
	else if (PKCS7_type_is_signedAndEnveloped(p7) && p7->d.signed_and_enveloped != NULL)
		in = p7->d.signed_and_enveloped->cert;
	for (i = 0; in != NULL && i < sk_X509_num(in); i++) {
		if (fn(arg, sk_X509_value(in, i)) != 0) {
			n = -1;
			break;
		}
		n++;
	}
	PKCS7_free(p7);
	return n;
}

int
pkcs_is_p12(const uint8_t *der, size_t len)
{
	const unsigned char *p = der;
	PKCS12 *p12;

	if (len > LONG_MAX || (p12 = d2i_PKCS12(NULL, &p, (long)len)) == NULL)
		return 0;
	PKCS12_free(p12);
	return 1;
}

/* An INTEGER parameter as a count: -1 when negative or too large to be honest. */
static long
count(const ASN1_INTEGER *i)
{
	long v = i != NULL ? ASN1_INTEGER_get(i) : 1;

	return v < 0 || v > LONG_MAX / 4 ? -1 : v;
}

/* Charge the units; the refusal's wording when they exceed the cap or the budget, else NULL. */
static const char *
charge(long *budget, long units, long cap, const char *overcap)
{
	if (units < 0 || units > cap)
		return overcap;
	if (units > *budget)
		return "PKCS#12: refused: key derivation work over the per-file budget";
	*budget -= units;
	return NULL;
}

/* The scrypt parameters of a PBES2 key function: priced as N*r*p, capped. */
static const char *
charge_scrypt(long *budget, const ASN1_STRING *ks)
{
	const unsigned char *p = ASN1_STRING_get0_data(ks);
	SCRYPT_PARAMS *sp;
	const char *e = "PKCS#12: refused: scrypt parameters over the cap";
	long n, r, par;

	if ((sp = d2i_SCRYPT_PARAMS(NULL, &p, ASN1_STRING_length(ks))) == NULL)
		return "PKCS#12: damaged scrypt parameters";
	n = count(sp->costParameter);
	r = count(sp->blockSize);
	par = count(sp->parallelizationParameter);
	SCRYPT_PARAMS_free(sp);
	if (n < 0 || r < 0 || par < 0 || n > PKCS_MAX_SCRYPT || r > PKCS_MAX_SCRYPT ||
	    par > PKCS_MAX_SCRYPT || (r > 0 && n > PKCS_MAX_SCRYPT / r) ||
	    (r > 0 && par > 0 && n * r > PKCS_MAX_SCRYPT / par))
		return e;
	return charge(budget, n * r * par, PKCS_MAX_SCRYPT, e);
}

/*
 * Price the encryption algorithm of a safe. PBES1 derives a key and an IV (up to
 * three digest blocks); PBES2 allows PBKDF2 (two blocks at most for the ciphers
 * met) and scrypt; any other key function is refused, never run.
 */
static const char *
charge_alg(long *budget, const X509_ALGOR *alg)
{
	static const char over[] =
	    "PKCS#12: refused: asks for more than 2000000 key derivation iterations";
	const ASN1_OBJECT *oid, *koid;
	const ASN1_STRING *s, *ks;
	const void *pv, *kpv;
	const unsigned char *p;
	PBE2PARAM *p2 = NULL;
	PBKDF2PARAM *kdf = NULL;
	PBEPARAM *p1 = NULL;
	const char *e = "PKCS#12: damaged encryption parameters";
	long iter;
	int pt, kpt;

	X509_ALGOR_get0(&oid, &pt, &pv, alg);
	if (pt != V_ASN1_SEQUENCE || (s = pv) == NULL)
		return e;
	p = ASN1_STRING_get0_data(s);
	if (OBJ_obj2nid(oid) != NID_pbes2) {
		if ((p1 = d2i_PBEPARAM(NULL, &p, ASN1_STRING_length(s))) != NULL)
			e = (iter = count(p1->iter)) < 0 || iter > PKCS_MAX_ITER ? over :
			    charge(budget, 3 * iter, 3 * PKCS_MAX_ITER, over);
	} else if ((p2 = d2i_PBE2PARAM(NULL, &p, ASN1_STRING_length(s))) != NULL) {
		X509_ALGOR_get0(&koid, &kpt, &kpv, p2->keyfunc);
		if (kpt != V_ASN1_SEQUENCE || (ks = kpv) == NULL)
			;
		else if (OBJ_obj2nid(koid) == NID_id_scrypt)
			e = charge_scrypt(budget, ks);
		else if (OBJ_obj2nid(koid) != NID_id_pbkdf2)
			e = "PKCS#12: refused: a key derivation other than PBKDF2 or scrypt";
		else if ((p = ASN1_STRING_get0_data(ks)) != NULL &&
		    (kdf = d2i_PBKDF2PARAM(NULL, &p, ASN1_STRING_length(ks))) != NULL)
			e = (iter = count(kdf->iter)) < 0 || iter > PKCS_MAX_ITER ? over :
			    charge(budget, 2 * iter, 2 * PKCS_MAX_ITER, over);
	}
	PBEPARAM_free(p1);
	PBE2PARAM_free(p2);
	PBKDF2PARAM_free(kdf);
	return e;
}

/* Price one MAC check (one derivation of the MAC key). */
static const char *
charge_mac(long *budget, const PKCS12 *p12)
{
	const ASN1_INTEGER *miter = NULL;
	long iter;

	PKCS12_get0_mac(NULL, NULL, NULL, &miter, p12);
	if ((iter = count(miter)) < 0 || iter > PKCS_MAX_ITER)
		return "PKCS#12: refused: asks for more than 2000000 key derivation iterations";
	return charge(budget, iter, PKCS_MAX_ITER, NULL);
}

/* The certificate bags of one safe, in order. Count or -1 (fn stopped). */
static int
bags_certs(STACK_OF(PKCS12_SAFEBAG) *bags, pkcs_fn fn, void *arg)
{
	PKCS12_SAFEBAG *bag;
	X509 *x;
	int k, n = 0, r;

	for (k = 0; k < sk_PKCS12_SAFEBAG_num(bags); k++) {
		bag = sk_PKCS12_SAFEBAG_value(bags, k);
		if (PKCS12_SAFEBAG_get_nid(bag) != NID_certBag ||
		    PKCS12_SAFEBAG_get_bag_nid(bag) != NID_x509Certificate ||
		    (x = PKCS12_SAFEBAG_get1_cert(bag)) == NULL)
			continue;
		r = fn(arg, x);
		X509_free(x);
		if (r != 0)
			return -1;
		n++;
	}
	return n;
}

/* Which password opens p12: 0 (pw, pwlen set), -2 wrong or damaged, -3 refused (*why). */
static int
password(PKCS12 *p12, const char *pass, long *budget, const char **pw, int *pwlen,
    const char **why)
{
	*pw = pass != NULL ? pass : "";
	*pwlen = -1;
	if (!PKCS12_mac_present(p12))
		return 0;
	if ((*why = charge_mac(budget, p12)) != NULL)
		return -3;
	if (PKCS12_verify_mac(p12, *pw, -1) == 1)
		return 0;
	if (pass != NULL || (*why = charge_mac(budget, p12)) != NULL)
		return *why != NULL ? -3 : -2;
	if (PKCS12_verify_mac(p12, NULL, 0) != 1)
		return -2;
	*pw = NULL;	/* an empty password encoded as no bytes at all */
	*pwlen = 0;
	return 0;
}

int
pkcs_p12(const uint8_t *der, size_t len, const char *pass, long *budget, pkcs_fn fn,
    void *arg, const char **why)
{
	const unsigned char *p = der;
	STACK_OF(PKCS7) *safes = NULL;
	STACK_OF(PKCS12_SAFEBAG) *bags;
	PKCS7 *p7;
	PKCS12 *p12;
	const char *pw;
	int i, k, nid, pwlen, n;

	*why = NULL;
	if (len > LONG_MAX || (p12 = d2i_PKCS12(NULL, &p, (long)len)) == NULL)
		return -1;
	if ((n = password(p12, pass, budget, &pw, &pwlen, why)) != 0 ||
	    (safes = PKCS12_unpack_authsafes(p12)) == NULL) {
		n = n != 0 ? n : -2;
		goto out;
	}
	for (i = 0; n >= 0 && i < sk_PKCS7_num(safes); i++) {
		p7 = sk_PKCS7_value(safes, i);
		bags = NULL;
		if ((nid = OBJ_obj2nid(p7->type)) == NID_pkcs7_data)
			bags = PKCS12_unpack_p7data(p7);
		else if (nid != NID_pkcs7_encrypted)
			continue;	/* as PKCS12_parse: other content types hold no bags for us */
		else if (p7->d.encrypted == NULL || p7->d.encrypted->enc_data == NULL)
			;
		else if ((*why = charge_alg(budget, p7->d.encrypted->enc_data->algorithm)) != NULL) {
			n = strstr(*why, "refused") != NULL ? -3 : -2;
			break;
		} else
			bags = PKCS12_unpack_p7encdata(p7, pw, pwlen);
		if (bags == NULL) {
			n = -2;
			break;
		}
		k = bags_certs(bags, fn, arg);
		sk_PKCS12_SAFEBAG_pop_free(bags, PKCS12_SAFEBAG_free);
		n = k < 0 ? -2 : n + k;
	}
out:
	sk_PKCS7_pop_free(safes, PKCS7_free);
	PKCS12_free(p12);
	ERR_clear_error();
	return n;
}
