/*
 * trust-prune-gen: a store for bench/trust-prune.sh. N trust certificates in four
 * units, all signed with one shared RSA-2048 key (fast: no key generation per
 * certificate): 30% expired, 10% superseding namesakes, the rest valid; an expired
 * CA in tomcat-trust issuing tomcat/tomcat.pem, and a self-signed CallManager.pem.
 * Options for the issuer search (issue #17): "ec" gives every trust certificate a P-256
 * key of its own (N distinct keys), "ecshared" makes the shared key P-256 (fast to sign
 * with); "absent=M" adds M own units absent-K whose issuers
 * the store does not hold; "shared" adds ipsec/ipsec.pem issued by host-0 with the
 * shared key, so that every trust certificate is its issuer; "namesakes=M" names the first M
 * trust certificates "absent CA 0", the issuer of absent-0 (issue #28: candidates by name
 * that do not verify).
 * usage: trust-prune-gen DIR N [ec|ecshared] [absent=M] [shared] [namesakes=M]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

static const char *units[] = { "CallManager-trust", "tomcat-trust", "CAPF-trust", "Phone-trust" };

static X509 *
mk(const char *cn, const char *issuer, uint64_t serial, time_t nb, time_t na,
    EVP_PKEY *pub, EVP_PKEY *signer)
{
	X509 *x = X509_new();
	X509_NAME *s = X509_NAME_new(), *i = X509_NAME_new();

	X509_set_version(x, 2);
	ASN1_INTEGER_set_uint64(X509_get_serialNumber(x), serial);
	X509_time_adj_ex(X509_getm_notBefore(x), 0, 0, &nb);
	X509_time_adj_ex(X509_getm_notAfter(x), 0, 0, &na);
	X509_NAME_add_entry_by_txt(s, "O", MBSTRING_ASC, (const unsigned char *)"bench", -1, -1, 0);
	X509_NAME_add_entry_by_txt(s, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
	X509_NAME_add_entry_by_txt(i, "O", MBSTRING_ASC, (const unsigned char *)"bench", -1, -1, 0);
	X509_NAME_add_entry_by_txt(i, "CN", MBSTRING_ASC, (const unsigned char *)issuer, -1, -1, 0);
	X509_set_subject_name(x, s);
	X509_set_issuer_name(x, i);
	X509_set_pubkey(x, pub);
	if (X509_sign(x, signer, EVP_sha256()) == 0) {
		fprintf(stderr, "trust-prune-gen: cannot sign\n");
		exit(2);
	}
	X509_NAME_free(s);
	X509_NAME_free(i);
	return x;
}

static void
put(const char *dir, const char *unit, const char *name, X509 *x)
{
	char path[4096];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, unit);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/%s/%s", dir, unit, name);
	if ((fp = fopen(path, "w")) == NULL || PEM_write_X509(fp, x) != 1 || fclose(fp) != 0) {
		perror(path);
		exit(2);
	}
	X509_free(x);
}

int
main(int argc, char *argv[])
{
	EVP_PKEY *shared, *ca, *own, *ak;
	time_t now = time(NULL), y = 365 * 86400;
	char cn[64], name[128], unit[64];
	long i, n, absent = 0, namesakes = 0;
	int ec = 0, with_shared = 0, a;

	if (argc < 3 || (n = atol(argv[2])) <= 0) {
		fprintf(stderr, "usage: trust-prune-gen DIR N [ec|ecshared] [absent=M] [shared] "
		    "[namesakes=M]\n");
		return 2;
	}
	for (a = 3; a < argc; a++)
		if (strcmp(argv[a], "ec") == 0)
			ec = 1;
		else if (strcmp(argv[a], "ecshared") == 0)
			ec = 2;
		else if (strcmp(argv[a], "shared") == 0)
			with_shared = 1;
		else if (strncmp(argv[a], "absent=", 7) == 0)
			absent = atol(argv[a] + 7);
		else if (strncmp(argv[a], "namesakes=", 10) == 0)
			namesakes = atol(argv[a] + 10);
	mkdir(argv[1], 0755);
	shared = ec == 2 ? EVP_EC_gen("P-256") : EVP_RSA_gen(2048);
	ca = EVP_RSA_gen(2048);
	own = EVP_RSA_gen(2048);
	for (i = 0; i < n; i++) {
		uint64_t serial = 0x5ff87b282b54dc8dULL + (uint64_t)i * 7919;
		int k = (int)(i % 10);
		EVP_PKEY *key;

		/* k 0..2 expired; k 3 takes the name of i-4 (same unit) with an earlier notBefore */
		if (i < namesakes)
			snprintf(cn, sizeof(cn), "absent CA 0");
		else
			snprintf(cn, sizeof(cn), "host-%ld", k == 3 ? i - 4 : i);
		snprintf(name, sizeof(name), "host-%ld_%llx.pem", i, (unsigned long long)serial);
		key = ec == 1 ? EVP_EC_gen("P-256") : shared;
		put(argv[1], units[i % 4], name, mk(cn, cn, serial,
		    k < 3 ? now - 3 * y : k == 3 ? now - 5 * y : now - y,
		    k < 3 ? now - y - i : now + 2 * y, key, key));
		if (ec == 1)
			EVP_PKEY_free(key);
	}
	for (i = 0; i < absent; i++) {
		ak = EVP_EC_gen("P-256");
		snprintf(cn, sizeof(cn), "absent CA %ld", i);
		snprintf(unit, sizeof(unit), "absent-%ld", i);
		snprintf(name, sizeof(name), "absent-%ld.pem", i);
		put(argv[1], unit, name, mk(unit, cn, 100 + (uint64_t)i, now - y, now + y, own, ak));
		EVP_PKEY_free(ak);
	}
	if (with_shared)
		put(argv[1], "ipsec", "ipsec.pem", mk("ipsec", "host-0", 4, now - y, now + y, own, shared));
	put(argv[1], "tomcat-trust", "bench_CA.pem",
	    mk("bench CA", "bench CA", 1, now - 9 * y, now - y, ca, ca));
	put(argv[1], "tomcat", "tomcat.pem", mk("tomcat", "bench CA", 2, now - y, now + y, own, ca));
	put(argv[1], "CallManager", "CallManager.pem",
	    mk("cucm-bench", "cucm-bench", 3, now - y, now + y, own, own));
	EVP_PKEY_free(shared);
	EVP_PKEY_free(ca);
	EVP_PKEY_free(own);
	return 0;
}
