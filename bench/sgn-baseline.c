/*
 * sgn-baseline: the physical limit for `ctl-dump --brief --trust ITL` on a TFTP directory,
 * as a plain loop would do it: the one signer's key decoded once, then for each file read
 * it, parse its header, check the RSA signature. Nothing printed, no trust rule, no names.
 * usage: sgn-baseline CERT.pem FILE...   (prints the number verified)
 */
#include <stdio.h>
#include <stdlib.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "core/io.h"
#include "tl/ctl.h"

int
main(int argc, char *argv[])
{
	const struct tlv *sig;
	struct ctl c;
	EVP_MD_CTX *ctx;
	EVP_PKEY *key;
	FILE *fp;
	X509 *x;
	uint8_t *buf;
	size_t len, end;
	int i, ok = 0;

	if (argc < 2 || (fp = fopen(argv[1], "r")) == NULL ||
	    (x = PEM_read_X509(fp, NULL, NULL, NULL)) == NULL)
		return 2;
	fclose(fp);
	key = X509_get0_pubkey(x);
	for (i = 2; i < argc; i++) {
		if ((buf = io_slurp(argv[i], IO_MAX, &len)) == NULL)
			return 2;
		if (ctl_parse_header(&c, buf, len) == 0 &&
		    (sig = &c.hf[CTL_H_SIGNATURE])->val != NULL) {
			end = sig->off + 3 + sig->len;
			ctx = EVP_MD_CTX_new();
			if (EVP_DigestVerifyInit(ctx, NULL, EVP_sha1(), NULL, key) == 1 &&
			    EVP_DigestVerifyUpdate(ctx, c.buf, sig->off) == 1 &&
			    EVP_DigestVerifyUpdate(ctx, c.buf + end, c.len - end) == 1 &&
			    EVP_DigestVerifyFinal(ctx, sig->val, sig->len) == 1)
				ok++;
			EVP_MD_CTX_free(ctx);
		}
		ctl_free(&c);
		free(buf);
	}
	X509_free(x);
	printf("%d\n", ok);
	return ok == argc - 2 ? 0 : 1;
}
