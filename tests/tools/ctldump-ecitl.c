/*
 * ctldump-ecitl.c: an ITL signed by an EC key (ECDSA, SHA-1), written from the format alone
 * (../shared/FORMAT.md), never through the library, for tests/ctl-dump-keys.bats and the
 * fuzz_ctl seeds (tests/fuzz/seeds.sh).
 *   ctldump-ecitl OUT KEY CN SERIALHEX RECORDSHEX
 * The header names the signer CN=<CN> with serial SERIALHEX; the records follow it as given
 * (hex). No SIGNATUREALGORTITHM code for ECDSA is known (FORMAT.md section 6): 1 is written.
 * A DER ECDSA signature varies in length, and the header holds that length: sign until the
 * signature has the length the header was built for (one process, where a shell loop of
 * openssl runs cost a fork per attempt).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

struct buf {
	unsigned char b[65536];
	size_t n;
};

static void
die(const char *what)
{
	fprintf(stderr, "ctldump-ecitl: %s\n", what);
	exit(2);
}

static void
put(struct buf *o, const void *p, size_t n)
{
	if (n > sizeof(o->b) - o->n)
		die("too long");
	memcpy(o->b + o->n, p, n);
	o->n += n;
}

/* One TLV: a tag byte, a 16-bit big-endian length, the value. */
static void
tlv(struct buf *o, int tag, const void *v, size_t n)
{
	unsigned char h[3] = { (unsigned char)tag, (unsigned char)(n >> 8), (unsigned char)n };

	put(o, h, 3);
	put(o, v, n);
}

static void
unhex(struct buf *o, const char *s)
{
	unsigned int c;

	if (strlen(s) % 2 != 0)
		die("odd hex");
	for (; *s != '\0'; s += 2) {
		if (sscanf(s, "%2x", &c) != 1)
			die("bad hex");
		put(o, &(unsigned char){ (unsigned char)c }, 1);
	}
}

/* The header before the signature TLV (pre) for a signature of len bytes, and after it (post). */
static void
header(struct buf *pre, struct buf *post, const char *cn, const char *ser, size_t len)
{
	static struct buf id, ser_b, alg, algi;
	char name[256];
	unsigned char t[4] = { 0x65, 0x5B, 0x94, 0x00 };	/* 1700000000 */
	size_t hl;
	int l;

	l = snprintf(name, sizeof(name), "CN=%s", cn);
	if (l < 0 || (size_t)l >= sizeof(name))
		die("long CN");
	id.n = ser_b.n = alg.n = algi.n = pre->n = post->n = 0;
	unhex(&ser_b, ser);
	tlv(&id, 4, name, (size_t)l + 1);
	tlv(&id, 5, ser_b.b, ser_b.n);
	tlv(&id, 6, name, (size_t)l + 1);
	tlv(post, 14, "ITLFile.tlv", 12);
	tlv(post, 15, t, 4);
	hl = 5 + 5 + 3 + id.n + 18 + 3 + len + post->n;
	while (hl % 4 != 0) {
		put(post, "\x0d", 1);
		hl++;
	}
	tlv(pre, 1, "\x01\x02", 2);
	tlv(pre, 2, (unsigned char[]){ (unsigned char)(hl >> 8), (unsigned char)hl }, 2);
	tlv(pre, 3, id.b, id.n);
	tlv(&algi, 10, "\x01", 1);
	tlv(&algi, 11, "\x00", 1);
	tlv(&alg, 8, "\x01", 1);
	tlv(&alg, 9, algi.b, algi.n);
	tlv(pre, 7, alg.b, alg.n);
}

int
main(int argc, char *argv[])
{
	static struct buf pre, post, recs, msg;
	unsigned char sig[512];
	size_t len = 0, got = 0;
	EVP_PKEY *k;
	EVP_MD_CTX *ctx;
	FILE *f;
	int n;

	if (argc != 6)
		die("usage: ctldump-ecitl OUT KEY CN SERIALHEX RECORDSHEX");
	if ((f = fopen(argv[2], "r")) == NULL || (k = PEM_read_PrivateKey(f, NULL, NULL, NULL)) == NULL)
		die("cannot read the key");
	fclose(f);
	unhex(&recs, argv[5]);
	for (n = 0;; n++) {
		if (n == 50)
			die("no stable signature length in 50 tries");
		header(&pre, &post, argv[3], argv[4], len);
		msg.n = 0;
		put(&msg, pre.b, pre.n);
		put(&msg, post.b, post.n);
		put(&msg, recs.b, recs.n);
		got = sizeof(sig);
		if ((ctx = EVP_MD_CTX_new()) == NULL ||
		    EVP_DigestSignInit(ctx, NULL, EVP_sha1(), NULL, k) != 1 ||
		    EVP_DigestSign(ctx, sig, &got, msg.b, msg.n) != 1)
			die("cannot sign");
		EVP_MD_CTX_free(ctx);
		if (got == len)
			break;
		len = got;
	}
	if ((f = fopen(argv[1], "wb")) == NULL)
		die("cannot write");
	tlv(&pre, 12, sig, got);
	if (fwrite(pre.b, 1, pre.n, f) != pre.n || fwrite(post.b, 1, post.n, f) != post.n ||
	    fwrite(recs.b, 1, recs.n, f) != recs.n || fclose(f) != 0)
		die("cannot write");
	EVP_PKEY_free(k);
	return 0;
}
