/*
 * ctl-dump-baseline: the floor for `ctl-dump` on a directory, as a plain loop
 * would do it: read each file, parse it, find the signer, decode the record's
 * PKCS#1 PUBLICKEY (d2i_PublicKey, no certificate; an EC point through
 * EVP_PKEY_fromdata, the curve from its length), check the signature.
 * With -d it also computes what the text output must: the file's MD5 and SHA-1
 * and the SHA-1 of every record's certificate. Nothing printed, nothing cached.
 * usage: ctl-dump-baseline [-d] FILE...   (prints the number verified)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/x509.h>

#include "tl/ctl.h"
#include "core/io.h"

/* An X9.62 point's key: the cheapest way OpenSSL 3 offers without deprecated calls. */
static EVP_PKEY *
point(const unsigned char *p, size_t n)
{
	const char *curve = n == 65 ? "P-256" : n == 97 ? "P-384" : n == 133 ? "P-521" : NULL;
	OSSL_PARAM par[3];
	EVP_PKEY_CTX *ctx;
	EVP_PKEY *k = NULL;

	if (curve == NULL)
		return NULL;
	par[0] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, (char *)curve, 0);
	par[1] = OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, (void *)p, n);
	par[2] = OSSL_PARAM_construct_end();
	if ((ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL)) == NULL ||
	    EVP_PKEY_fromdata_init(ctx) != 1 || EVP_PKEY_fromdata(ctx, &k, EVP_PKEY_PUBLIC_KEY, par) != 1)
		k = NULL;
	EVP_PKEY_CTX_free(ctx);
	return k;
}

static int
verify(const struct ctl *c)
{
	const struct tlv *sig = &c->hf[CTL_H_SIGNATURE], *pk;
	const unsigned char *p;
	EVP_MD_CTX *ctx;
	EVP_PKEY *k;
	size_t end = sig->off + 3 + sig->len;
	int i, ok = 0;

	if ((i = ctl_find_signer(c)) < 0 || sig->val == NULL)
		return 0;
	pk = &c->recs[i].f[CTL_R_PUBKEY];
	p = pk->val;
	if (p == NULL || pk->len == 0 || (k = p[0] == 0x04 ? point(p, pk->len) :
	    d2i_PublicKey(EVP_PKEY_RSA, NULL, &p, pk->len)) == NULL)
		return 0;
	ctx = EVP_MD_CTX_new();
	ok = EVP_DigestVerifyInit(ctx, NULL, EVP_sha1(), NULL, k) == 1 &&
	    EVP_DigestVerifyUpdate(ctx, c->buf, sig->off) == 1 &&
	    EVP_DigestVerifyUpdate(ctx, c->buf + end, c->len - end) == 1 &&
	    EVP_DigestVerifyFinal(ctx, sig->val, sig->len) == 1;
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(k);
	return ok;
}

/* The digests `show itl` prints: the file's MD5 and SHA-1, each certificate's SHA-1. */
static void
digests(const struct ctl *c, const EVP_MD *md5, const EVP_MD *sha1)
{
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned int n;
	size_t i;

	EVP_Digest(c->buf, c->len, d, &n, md5, NULL);
	EVP_Digest(c->buf, c->len, d, &n, sha1, NULL);
	for (i = 0; i < c->nrecs; i++)
		if (c->recs[i].f[CTL_R_CERT].val != NULL)
			EVP_Digest(c->recs[i].f[CTL_R_CERT].val, c->recs[i].f[CTL_R_CERT].len, d,
			    &n, sha1, NULL);
}

int
main(int argc, char *argv[])
{
	EVP_MD *md5 = EVP_MD_fetch(NULL, "md5", NULL), *sha1 = EVP_MD_fetch(NULL, "sha1", NULL);
	struct ctl c;
	uint8_t *buf;
	size_t len;
	int i = 1, dflag = 0, ok = 0;

	if (argc > 1 && strcmp(argv[1], "-d") == 0)
		dflag = i++;
	for (; i < argc; i++) {
		if ((buf = io_slurp(argv[i], IO_MAX, &len)) == NULL)
			return 2;
		if (ctl_parse(&c, buf, len) == 0 && verify(&c))
			ok++;
		if (dflag)
			digests(&c, md5, sha1);
		ctl_free(&c);
		free(buf);
	}
	printf("%d\n", ok);
	EVP_MD_free(md5);
	EVP_MD_free(sha1);
	return ok == argc - 1 - dflag ? 0 : 1;
}
