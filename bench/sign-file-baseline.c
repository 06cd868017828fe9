/*
 * sign-file-baseline: the floor for `itl-build --sign-file` over a directory, as a plain C
 * loop would do it: the key loaded once, then for each FILE read it, sign it (SHA-1, as
 * itl-build's default), and write FILE.sgn (payload then signature) so that it replaces the
 * old one atomically and durably: a temp file beside it, fsync, rename; one fsync of the
 * directory at the end. No header, no names, no read-back check.
 * usage: sign-file-baseline KEY FILE...
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include "core/io.h"

static int
sign_one(EVP_PKEY *key, const char *file)
{
	unsigned char sig[1024];
	char out[4096], tmp[4200];
	uint8_t *buf;
	size_t len, slen = sizeof(sig);
	EVP_MD_CTX *ctx;
	int fd, ok;

	if ((buf = io_slurp(file, IO_MAX, &len)) == NULL)
		return -1;
	ctx = EVP_MD_CTX_new();
	ok = ctx != NULL && EVP_DigestSignInit(ctx, NULL, EVP_sha1(), NULL, key) == 1 &&
	    EVP_DigestSignUpdate(ctx, buf, len) == 1 && EVP_DigestSignFinal(ctx, sig, &slen) == 1;
	EVP_MD_CTX_free(ctx);
	snprintf(out, sizeof(out), "%s.sgn", file);
	snprintf(tmp, sizeof(tmp), "%s.tmp.XXXXXX", out);
	if (ok && (fd = mkstemp(tmp)) >= 0) {
		ok = write(fd, buf, len) == (ssize_t)len && write(fd, sig, slen) == (ssize_t)slen &&
		    fsync(fd) == 0;
		ok = close(fd) == 0 && ok && rename(tmp, out) == 0;
	} else
		ok = 0;
	free(buf);
	return ok ? 0 : -1;
}

int
main(int argc, char *argv[])
{
	EVP_PKEY *key;
	FILE *fp;
	char *dir, *slash;
	int i, fd;

	if (argc < 3 || (fp = fopen(argv[1], "r")) == NULL ||
	    (key = PEM_read_PrivateKey(fp, NULL, NULL, NULL)) == NULL)
		return 2;
	fclose(fp);
	for (i = 2; i < argc; i++)
		if (sign_one(key, argv[i]) != 0) {
			fprintf(stderr, "sign-file-baseline: %s: failed\n", argv[i]);
			return 2;
		}
	dir = strdup(argv[argc - 1]);
	if ((slash = strrchr(dir, '/')) != NULL)
		*slash = '\0';
	else
		strcpy(dir, ".");
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY)) < 0 || fsync(fd) != 0)
		return 2;
	close(fd);
	free(dir);
	EVP_PKEY_free(key);
	return 0;
}
