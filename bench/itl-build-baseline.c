/* itl-build-baseline.c: the in-process loops bench/itl-build.sh times against each other (CPU time). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>

#include "tl/ctl.h"
#include "tl/ctlwrite.h"
#include "core/hash.h"
#include "core/io.h"
#include "load/itlcerts.h"
#include "tl/itlkey.h"

static double
now(void)
{
	struct timespec ts;

	/* CPU time: the figures hold on a busy machine too */
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* What openssl dgst -sha1 -sign does with FILE, n times: one EVP sign over its bytes. */
static int
sign_loop(EVP_PKEY *key, const char *file, long n)
{
	unsigned char sig[1024];
	uint8_t *buf;
	size_t len, slen;
	long i;

	if ((buf = io_slurp(file, IO_MAX, &len)) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		EVP_MD_CTX *ctx = EVP_MD_CTX_new();

		slen = sizeof(sig);
		if (ctx == NULL || EVP_DigestSignInit(ctx, NULL, hash_md("sha1"), NULL, key) != 1 ||
		    EVP_DigestSignUpdate(ctx, buf, len) != 1 ||
		    EVP_DigestSignFinal(ctx, sig, &slen) != 1)
			return -1;
		EVP_MD_CTX_free(ctx);
	}
	free(buf);
	return 0;
}

/* What itl-build does per file, n times: read the PEM inputs, build, sign, check. */
static int
build_loop(EVP_PKEY *pkey, char **files, int nf, long n)
{
	uint8_t **bufs = calloc((size_t)nf, sizeof(*bufs));
	size_t *lens = calloc((size_t)nf, sizeof(*lens)), i, dlen;
	struct itlcerts c = ITLCERTS_ZERO;
	struct buf out = BUF_ZERO;
	struct ctlw_opts o = { "ITLFile.tlv", "sha1", 1, -1, 0x100, 1700000000, 0 };
	const uint8_t *der;
	struct ctlw_key key;
	struct ctlw w;
	struct ctl ctl;
	const char *why;
	long k;
	int f, s;

	for (f = 0; f < nf; f++)
		if ((bufs[f] = io_slurp(files[f], IO_MAX, &lens[f])) == NULL)
			return -1;
	if (ctlw_key_init(&key, pkey, &why) != 0)	/* once, as the key is loaded once */
		return -1;
	for (k = 0; k < n; k++) {
		ctlw_init(&w, CTLW_CUCM);
		for (f = 0; f < nf; f++) {
			if (itlcerts_parse(&c, bufs[f], lens[f], &why) != 1)
				return -1;
			for (i = 0; i < c.n; i++) {
				der = itlcerts_get(&c, i, &dlen);
				if (ctlw_add(&w, der, dlen, f == 0 ? CTL_FN_SAST : CTL_FN_TVS,
				    "node", NULL, &why) != 0)
					return -1;
			}
		}
		if ((s = ctlw_find_signer(&w, &key, NULL, 0)) < 0)
			return -1;
		o.signer = (size_t)s;
		if (ctlw_sign(&w, &o, &key, &out, &ctl, &why) != 0)
			return -1;
		ctl_free(&ctl);
		ctlw_free(&w);
	}
	for (f = 0; f < nf; f++)
		free(bufs[f]);
	free(bufs);
	free(lens);
	itlcerts_free(&c);
	ctlw_key_free(&key);
	buf_free(&out);
	return 0;
}

/* Alternate the two loops in chunks, so that both meet the same machine. */
int
main(int argc, char *argv[])
{
	EVP_PKEY *key;
	double t0, ts = 0, tb = 0;
	long n, chunk = 50, done;

	if (argc < 5 || (n = strtol(argv[2], NULL, 10)) < chunk) {
		fprintf(stderr, "usage: itl-build-baseline key n file.tlv cert ...\n");
		return 2;
	}
	if ((key = itlkey_load(argv[1], NULL)) == NULL)
		return 2;
	for (done = 0; done < n; done += chunk) {
		t0 = now();
		if (sign_loop(key, argv[3], chunk) != 0)
			goto fail;
		ts += now() - t0;
		t0 = now();
		if (build_loop(key, argv + 4, argc - 4, chunk) != 0)
			goto fail;
		tb += now() - t0;
	}
	printf("%.6f %.6f\n", ts / (double)done, tb / (double)done);
	EVP_PKEY_free(key);
	return 0;
fail:
	fprintf(stderr, "itl-build-baseline: a loop failed\n");
	return 2;
}
