/*
 * ctl-dump-gen: the signer-per-file corpus for bench/ctl-dump.sh: N ITL files,
 * each signed by its own certificate (serial i, CN=ITLRECOVERY_c<i>) whose key
 * cycles through K RSA-2048 keys, plus 9 TVS records shared by all: what a
 * directory of captures from many clusters, or per-phone ITLs after a
 * rollover, looks like. With "ec", the keys are EC (P-256, P-384, P-521 in
 * turn) and each file is signed by ECDSA: itl-build signs with RSA only (no
 * ECDSA code is known), so the RSA-signed file's header is rebuilt around an
 * ECDSA signature (SIGNATUREALGORTITHM 1). usage: ctl-dump-gen DIR N K [ec]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static EVP_PKEY *
ec(long i)
{
	static const char *const curves[] = { "P-256", "P-384", "P-521" };
	EVP_PKEY *k = EVP_EC_gen(curves[i % 3]);

	if (k == NULL)
		exit(2);
	return k;
}

/*
 * The RSA-signed file in (parsed as c) again, signed by the EC key k: the
 * header up to SIGNATURE, an ECDSA signature, FILENAME and TIMESTAMP, padding,
 * the records. A DER ECDSA signature varies in length, and HEADERLENGTH is
 * signed: sign until the signature has the length the header was built for.
 */
static void
ecsign(const struct ctl *c, EVP_PKEY *k, struct buf *out)
{
	const struct tlv *sig = &c->hf[CTL_H_SIGNATURE], *ts = &c->hf[CTL_H_TIMESTAMP];
	size_t pre = sig->off, post = sig->off + 3 + sig->len, pend = ts->off + 3 + 4;
	size_t siglen = 0, want = (size_t)EVP_PKEY_get_size(k), hl;
	struct buf t = BUF_ZERO;	/* the signed bytes: the file without its SIGNATURE */
	unsigned char s[256];
	EVP_MD_CTX *ctx;

	do {
		want = siglen != 0 ? siglen : want;
		t.len = 0;
		buf_add(&t, c->buf, pre);
		buf_add(&t, c->buf + post, pend - post);
		for (hl = pre + 3 + want + (pend - post); hl % 4 != 0; hl++)
			buf_addc(&t, CTL_H_PAD);
		t.p[8] = (uint8_t)(hl >> 8);
		t.p[9] = (uint8_t)hl;
		t.p[c->hf[CTL_H_SIGALG].off + 3] = 1;
		buf_add(&t, c->buf + c->hdrlen, c->len - c->hdrlen);
		siglen = sizeof(s);
		if (t.err || (ctx = EVP_MD_CTX_new()) == NULL ||
		    EVP_DigestSignInit(ctx, NULL, EVP_sha1(), NULL, k) != 1 ||
		    EVP_DigestSign(ctx, s, &siglen, t.p, t.len) != 1)
			exit(2);
		EVP_MD_CTX_free(ctx);
	} while (siglen != want);
	out->len = 0;
	buf_add(out, t.p, pre);
	buf_addc(out, CTL_H_SIGNATURE);
	buf_add16(out, (uint16_t)siglen);
	buf_add(out, s, siglen);
	buf_add(out, t.p + pre, t.len - pre);
	buf_free(&t);
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
	EVP_PKEY *dummy = NULL;
	struct buf ecout = BUF_ZERO, *wp;
	int isec;
	struct buf out = BUF_ZERO;
	struct ctlw w;
	struct ctl c;
	EVP_PKEY **keys;
	const char *why;
	char path[4096];
	long n, nk, i, r;
	FILE *fp;

	isec = argc == 5 && strcmp(argv[4], "ec") == 0;
	if ((argc != 4 && !isec) || (n = atol(argv[2])) <= 0 || (nk = atol(argv[3])) <= 0)
		return fprintf(stderr, "usage: ctl-dump-gen DIR N K [ec]\n"), 2;
	if ((keys = calloc((size_t)nk, sizeof(*keys))) == NULL)
		return 2;
	for (i = 0; i < nk; i++)
		keys[i] = isec ? ec(i) : rsa();
	if (isec)
		dummy = rsa();
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
		if (ctlw_key_init(&ck, isec ? dummy : keys[i % nk], &why) != 0 ||
		    ctlw_sign(&w, &o, &ck, &out, &c, &why) != 0)
			return fprintf(stderr, "ctl-dump-gen: %s\n", why), 2;
		wp = &out;
		if (isec) {	/* c borrows out: sign into ecout, write that */
			ecsign(&c, keys[i % nk], &ecout);
			wp = &ecout;
		}
		snprintf(path, sizeof(path), "%s/ITLFile-%ld.tlv", argv[1], i);
		if ((fp = fopen(path, "wb")) == NULL || fwrite(wp->p, 1, wp->len, fp) != wp->len ||
		    fclose(fp) != 0)
			return perror(path), 2;
		ctl_free(&c);
		ctlw_key_free(&ck);
		ctlw_free(&w);
		OPENSSL_free(s);
	}
	buf_free(&out);
	buf_free(&ecout);
	return 0;
}
