/*
 * mkissuers: a store for trust-prune's issuer search tests (tests/unit/t_stprune.c).
 *   mkissuers DIR N ABSENT SHARED
 * N expired trust certificates "host-I" in CallManager-trust and tomcat-trust, all holding
 * one shared P-256 key, self-signed, every other one with a subject key identifier; beside
 * them "absent CA K" namesakes with keys of their own and an expired intermediate "inter"
 * (a key of its own) signed by the shared key under the issuer name host-1. ABSENT own units absent-K/absent-K.pem are issued by CAs the
 * store does not hold (odd K with an authority key identifier that matches nothing). With
 * SHARED = 1, three own certificates chain to the shared key: CallManager by the issuer
 * name host-0, tomcat under a name no certificate has but with the shared key's identifier,
 * and ipsec through "inter". So every host-I and inter are issuers, the namesakes are not.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

static const unsigned char shared_id[] = "shared-key-id-20";

static void
die(const char *what)
{
	fprintf(stderr, "mkissuers: %s\n", what);
	exit(2);
}

static void
name(X509_NAME *n, const char *cn)
{
	X509_NAME_add_entry_by_txt(n, "O", MBSTRING_ASC, (const unsigned char *)"tests", -1, -1, 0);
	X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
}

/* An extension holding an OCTET STRING (SKI) or an AuthorityKeyIdentifier (AKI) keyid. */
static void
keyid(X509 *x, int nid, const unsigned char *id, size_t len)
{
	ASN1_OCTET_STRING *os = ASN1_OCTET_STRING_new();
	AUTHORITY_KEYID *ak;

	ASN1_OCTET_STRING_set(os, id, (int)len);
	if (nid == NID_subject_key_identifier) {
		X509_add1_ext_i2d(x, nid, os, 0, X509V3_ADD_DEFAULT);
		ASN1_OCTET_STRING_free(os);
		return;
	}
	ak = AUTHORITY_KEYID_new();
	ak->keyid = os;
	X509_add1_ext_i2d(x, nid, ak, 0, X509V3_ADD_DEFAULT);
	AUTHORITY_KEYID_free(ak);
}

static X509 *
mk(const char *cn, const char *issuer, long serial, int expired, EVP_PKEY *pub, EVP_PKEY *signer,
    const unsigned char *ski, const unsigned char *aki)
{
	time_t nb = 1262304000, na = expired ? 1577836800 : 2524608000;	/* 2010, 2020 or 2050 */
	X509 *x = X509_new();

	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), serial);
	X509_time_adj_ex(X509_getm_notBefore(x), 0, 0, &nb);
	X509_time_adj_ex(X509_getm_notAfter(x), 0, 0, &na);
	name(X509_get_subject_name(x), cn);
	name(X509_get_issuer_name(x), issuer);
	X509_set_pubkey(x, pub);
	if (ski != NULL)
		keyid(x, NID_subject_key_identifier, ski, sizeof(shared_id) - 1);
	if (aki != NULL)
		keyid(x, NID_authority_key_identifier, aki, sizeof(shared_id) - 1);
	if (X509_sign(x, signer, EVP_sha256()) == 0)
		die("cannot sign");
	return x;
}

static void
put(const char *dir, const char *unit, const char *file, X509 *x)
{
	char path[4096];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, unit);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/%s/%s", dir, unit, file);
	if ((fp = fopen(path, "w")) == NULL || PEM_write_X509(fp, x) != 1 || fclose(fp) != 0)
		die(path);
	X509_free(x);
}

int
main(int argc, char *argv[])
{
	static const unsigned char nowhere[] = "matches-no-key-id";
	EVP_PKEY *shared, *inter, *k;
	char cn[64], file[128], unit[64];
	long n = 0, absent = 0, i;
	int with_shared;

	if (argc != 5 || (n = atol(argv[2])) <= 0 || (absent = atol(argv[3])) < 0)
		die("usage: mkissuers DIR N ABSENT SHARED");
	with_shared = atoi(argv[4]) != 0;
	mkdir(argv[1], 0755);
	if ((shared = EVP_EC_gen("P-256")) == NULL)
		die("cannot make a key");
	for (i = 0; i < n; i++) {
		snprintf(cn, sizeof(cn), "host-%ld", i);
		snprintf(file, sizeof(file), "host-%ld.pem", i);
		put(argv[1], i % 2 ? "tomcat-trust" : "CallManager-trust", file,
		    mk(cn, cn, 100 + i, 1, shared, shared, i % 2 ? shared_id : NULL, NULL));
	}
	if ((inter = EVP_EC_gen("P-256")) == NULL)
		die("cannot make a key");
	put(argv[1], "tomcat-trust", "inter.pem", mk("inter", "host-1", 7, 1, inter, shared, NULL, NULL));
	for (i = 0; i < absent; i++) {
		EVP_PKEY *ca = EVP_EC_gen("P-256");

		k = EVP_EC_gen("P-256");
		snprintf(cn, sizeof(cn), "absent CA %ld", i);
		snprintf(file, sizeof(file), "absent_CA_%ld.pem", i);
		put(argv[1], "CallManager-trust", file, mk(cn, cn, 5000 + i, 1, k, k, NULL, NULL));
		snprintf(unit, sizeof(unit), "absent-%ld", i);
		snprintf(file, sizeof(file), "absent-%ld.pem", i);
		put(argv[1], unit, file, mk(unit, cn, 9000 + i, 0, ca, ca, NULL, i % 2 ? nowhere : NULL));
		EVP_PKEY_free(ca);
		EVP_PKEY_free(k);
	}
	if (with_shared) {
		k = EVP_EC_gen("P-256");
		put(argv[1], "CallManager", "CallManager.pem", mk("cucm1", "host-0", 1, 0, k, shared, NULL, NULL));
		put(argv[1], "tomcat", "tomcat.pem", mk("web", "renamed shared CA", 2, 0, k, shared, NULL, shared_id));
		put(argv[1], "ipsec", "ipsec.pem", mk("ipsec", "inter", 3, 0, k, inter, NULL, NULL));
		EVP_PKEY_free(k);
	}
	EVP_PKEY_free(inter);
	EVP_PKEY_free(shared);
	return 0;
}
