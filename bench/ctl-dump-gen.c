/*
 * ctl-dump-gen: the signer-per-file corpus for bench/ctl-dump.sh: N ITL files,
 * each signed by its own certificate (serial i, CN=ITLRECOVERY_c<i>) whose key
 * cycles through K RSA-2048 keys, plus 9 TVS records shared by all: what a
 * directory of captures from many clusters, or per-phone ITLs after a
 * rollover, looks like. usage: ctl-dump-gen DIR N K
 */
#include <stdio.h>
#include <stdlib.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "core/buf.h"
#include "tl/ctlwrite.h"

static EVP_PKEY *
rsa(void)
{
	EVP_PKEY *k = EVP_RSA_gen(2048);

	if (k == NULL)
		exit(2);
	return k;
}

/* A self-signed certificate for key k, serial, CN=prefix<i>, DER into *der. */
static int
cert(EVP_PKEY *k, long serial, const char *prefix, long i, unsigned char **der)
{
	X509 *x = X509_new();
	X509_NAME *n = X509_NAME_new();
	char cn[64];
	int len;

	snprintf(cn, sizeof(cn), "%s%ld", prefix, i);
	if (x == NULL || n == NULL || X509_set_version(x, X509_VERSION_3) != 1 ||
	    ASN1_INTEGER_set(X509_get_serialNumber(x), serial) != 1 ||
	    X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, (unsigned char *)cn, -1, -1, 0) != 1 ||
	    X509_set_subject_name(x, n) != 1 || X509_set_issuer_name(x, n) != 1 ||
	    X509_gmtime_adj(X509_getm_notBefore(x), 0) == NULL ||
	    X509_gmtime_adj(X509_getm_notAfter(x), 3650L * 86400) == NULL ||
	    X509_set_pubkey(x, k) != 1 || X509_sign(x, k, EVP_sha256()) <= 0)
		exit(2);
	*der = NULL;
	len = i2d_X509(x, der);
	X509_NAME_free(n);
	X509_free(x);
	return len;
}

int
main(int argc, char *argv[])
{
	struct ctlw_opts o = { "ITLFile.tlv", "sha1", 1, -1, 0x100, 1700000000, 0 };
	unsigned char *tvs[9], *s;
	int tvslen[9], slen;
	struct ctlw_key ck;
	struct buf out = BUF_ZERO;
	struct ctlw w;
	struct ctl c;
	EVP_PKEY **keys;
	const char *why;
	char path[4096];
	long n, nk, i, r;
	FILE *fp;

	if (argc != 4 || (n = atol(argv[2])) <= 0 || (nk = atol(argv[3])) <= 0)
		return fprintf(stderr, "usage: ctl-dump-gen DIR N K\n"), 2;
	if ((keys = calloc((size_t)nk, sizeof(*keys))) == NULL)
		return 2;
	for (i = 0; i < nk; i++)
		keys[i] = rsa();
	for (r = 0; r < 9; r++)
		tvslen[r] = cert(keys[r % nk], 1000 + r, "tvs", r, &tvs[r]);
	for (i = 0; i < n; i++) {
		slen = cert(keys[i % nk], i + 1, "ITLRECOVERY_c", i, &s);
		ctlw_init(&w, CTLW_CUCM);
		if (ctlw_add(&w, s, (size_t)slen, CTL_FN_SAST, "", NULL, &why) != 0)
			return fprintf(stderr, "ctl-dump-gen: %s\n", why), 2;
		for (r = 0; r < 9; r++)
			if (ctlw_add(&w, tvs[r], (size_t)tvslen[r], CTL_FN_TVS, "node", NULL, &why) != 0)
				return fprintf(stderr, "ctl-dump-gen: %s\n", why), 2;
		if (ctlw_key_init(&ck, keys[i % nk], &why) != 0 ||
		    ctlw_sign(&w, &o, &ck, &out, &c, &why) != 0)
			return fprintf(stderr, "ctl-dump-gen: %s\n", why), 2;
		snprintf(path, sizeof(path), "%s/ITLFile-%ld.tlv", argv[1], i);
		if ((fp = fopen(path, "wb")) == NULL || fwrite(out.p, 1, out.len, fp) != out.len ||
		    fclose(fp) != 0)
			return perror(path), 2;
		ctl_free(&c);
		ctlw_key_free(&ck);
		ctlw_free(&w);
		OPENSSL_free(s);
	}
	buf_free(&out);
	return 0;
}
