/*
 * ctl-dump-baseline: the physical limit for `ctl-dump` on a directory, as a plain
 * loop would do it: read each file, find the signer, decode its certificate,
 * check the RSA signature. Nothing printed, nothing hashed, nothing cached.
 * usage: ctl-dump-baseline FILE...   (prints the number verified)
 */
#include <stdio.h>
#include <stdlib.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "tl/ctl.h"
#include "core/io.h"

static int
verify(const struct ctl *c)
{
	const struct tlv *sig = &c->hf[CTL_H_SIGNATURE], *crt;
	const unsigned char *p;
	EVP_MD_CTX *ctx;
	X509 *x;
	size_t end = sig->off + 3 + sig->len;
	int i, ok = 0;

	if ((i = ctl_find_signer(c)) < 0 || sig->val == NULL)
		return 0;
	crt = &c->recs[i].f[CTL_R_CERT];
	p = crt->val;
	if ((x = d2i_X509(NULL, &p, crt->len)) == NULL)
		return 0;
	ctx = EVP_MD_CTX_new();
	ok = EVP_DigestVerifyInit(ctx, NULL, EVP_sha1(), NULL, X509_get0_pubkey(x)) == 1 &&
	    EVP_DigestVerifyUpdate(ctx, c->buf, sig->off) == 1 &&
	    EVP_DigestVerifyUpdate(ctx, c->buf + end, c->len - end) == 1 &&
	    EVP_DigestVerifyFinal(ctx, sig->val, sig->len) == 1;
	EVP_MD_CTX_free(ctx);
	X509_free(x);
	return ok;
}

int
main(int argc, char *argv[])
{
	struct ctl c;
	uint8_t *buf;
	size_t len;
	int i, ok = 0;

	for (i = 1; i < argc; i++) {
		if ((buf = io_slurp(argv[i], IO_MAX, &len)) == NULL)
			return 2;
		if (ctl_parse(&c, buf, len) == 0 && verify(&c))
			ok++;
		ctl_free(&c);
		free(buf);
	}
	printf("%d\n", ok);
	return ok == argc - 1 ? 0 : 1;
}
