/* itlkey.c: engines are deprecated in OpenSSL 3, but Debian 12's PKCS#11 support is one. */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#ifndef OPENSSL_NO_ENGINE
#include <openssl/engine.h>
#endif

#include "core/buf.h"
#include "core/diag.h"
#include "core/io.h"
#include "tl/itlkey.h"

#ifndef OPENSSL_NO_ENGINE
static ENGINE *eng;
#endif

/* No passphrase prompt: an encrypted key fails to load instead of blocking a pipeline. */
static int
nopass(char *buf, int size, int rwflag, void *u)
{
	(void)buf, (void)size, (void)rwflag, (void)u;
	return -1;
}

/* The URI for messages, with the value of pin-value hidden. */
static const char *
redact(const char *uri, char *out, size_t n)
{
	const char *pin = strstr(uri, "pin-value="), *end;

	if (pin == NULL)
		return uri;
	pin += 10;
	end = pin + strcspn(pin, ";?&");
	snprintf(out, n, "%.*s***%s", (int)(pin - uri), uri, end);
	return out;
}

static EVP_PKEY *
load_pkcs11(const char *spec, const char *module)
{
	char uri[512];
#ifndef OPENSSL_NO_ENGINE
	EVP_PKEY *k;

	if (eng == NULL) {
		if ((eng = ENGINE_by_id("pkcs11")) == NULL) {
			warnssl("%s: no pkcs11 engine (install libengine-pkcs11-openssl)",
			    redact(spec, uri, sizeof(uri)));
			return NULL;
		}
		if ((module != NULL &&
		    ENGINE_ctrl_cmd_string(eng, "MODULE_PATH", module, 0) != 1) ||
		    ENGINE_init(eng) != 1) {
			warnssl("%s: the pkcs11 engine does not start", redact(spec, uri, sizeof(uri)));
			ENGINE_free(eng);
			eng = NULL;
			return NULL;
		}
	}
	if ((k = ENGINE_load_private_key(eng, spec, NULL, NULL)) == NULL)
		warnssl("%s: no such private key in the token", redact(spec, uri, sizeof(uri)));
	return k;
#else
	(void)module;
	warnf("%s: this OpenSSL has no engine support", redact(spec, uri, sizeof(uri)));
	return NULL;
#endif
}

EVP_PKEY *
itlkey_load(const char *spec, const char *module)
{
	const unsigned char *p;
	EVP_PKEY *k = NULL;
	BIO *bio = NULL;
	uint8_t *buf;
	size_t len;

	if (strncmp(spec, "pkcs11:", 7) == 0)
		return load_pkcs11(spec, module);
	if ((buf = io_slurp(spec, IO_MAX, &len)) == NULL)
		return NULL;
	if (len > INT_MAX)
		goto out;
	if ((bio = BIO_new_mem_buf(buf, (int)len)) != NULL)
		k = PEM_read_bio_PrivateKey(bio, NULL, nopass, NULL);
	if (k == NULL) {
		ERR_clear_error();
		p = buf;
		k = d2i_AutoPrivateKey(NULL, &p, (long)len);
	}
out:
	if (k == NULL) {
		ERR_clear_error();
		warnf("%s: not an unencrypted private key (PEM or DER)", io_name(spec));
	}
	BIO_free(bio);
	OPENSSL_cleanse(buf, len);
	free(buf);
	return k;
}

void
itlkey_cleanup(void)
{
#ifndef OPENSSL_NO_ENGINE
	if (eng != NULL) {
		ENGINE_finish(eng);
		ENGINE_free(eng);
		eng = NULL;
	}
#endif
}

/* A DER tag and length (definite, minimal) into b. */
static void
der_head(struct buf *b, uint8_t tag, size_t len)
{
	uint8_t h[6] = { tag };
	size_t n = 1, k;

	if (len < 0x80)
		h[n++] = (uint8_t)len;
	else {
		k = len > 0xFFFFFF ? 4 : len > 0xFFFF ? 3 : len > 0xFF ? 2 : 1;
		h[n++] = (uint8_t)(0x80 | k);
		while (k-- > 0)
			h[n++] = (uint8_t)(len >> (8 * k));
	}
	buf_add(b, h, n);
}

/* An INTEGER's content octets for the unsigned big number v (a 0 first when the top bit is set). */
static int
der_uint(const BIGNUM *v, uint8_t **p, size_t *n)
{
	int k = BN_num_bytes(v);

	*n = (size_t)k + 1;
	if ((*p = malloc(*n)) == NULL || BN_bn2bin(v, *p + 1) != k)
		return -1;
	(*p)[0] = 0;
	if (k > 0 && ((*p)[1] & 0x80) == 0) {	/* minimal: no leading zero */
		memmove(*p, *p + 1, (size_t)k);
		*n = (size_t)k;
	}
	return 0;
}

unsigned char *
itlkey_spki(EVP_PKEY *k, size_t *len)
{
	/* AlgorithmIdentifier { rsaEncryption, NULL } */
	static const uint8_t alg[] = { 0x30, 0x0D, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7,
	    0x0D, 0x01, 0x01, 0x01, 0x05, 0x00 };
	struct buf b = BUF_ZERO;
	BIGNUM *n = NULL, *e = NULL;
	uint8_t *np = NULL, *ep = NULL;
	unsigned char *out = NULL;
	size_t nl, el, rsa, bits;
	int r;

	if (EVP_PKEY_get_base_id(k) == EVP_PKEY_RSA &&
	    EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_RSA_N, &n) == 1 &&
	    EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_RSA_E, &e) == 1 &&
	    der_uint(n, &np, &nl) == 0 && der_uint(e, &ep, &el) == 0) {
		rsa = 1 + (nl < 0x80 ? 1 : nl < 0x100 ? 2 : 3) + nl +
		    1 + (el < 0x80 ? 1 : 2) + el;	/* INTEGER n, INTEGER e */
		bits = 1 + (rsa < 0x80 ? 1 : rsa < 0x100 ? 2 : 3) + rsa;	/* the SEQUENCE */
		der_head(&b, 0x30, sizeof(alg) + 1 + (bits + 1 < 0x80 ? 1 : bits + 1 < 0x100 ? 2 : 3) +
		    bits + 1);
		buf_add(&b, alg, sizeof(alg));
		der_head(&b, 0x03, bits + 1);
		buf_addc(&b, 0);	/* no unused bits */
		der_head(&b, 0x30, rsa);
		der_head(&b, 0x02, nl);
		buf_add(&b, np, nl);
		der_head(&b, 0x02, el);
		buf_add(&b, ep, el);
		if (!b.err && (out = OPENSSL_malloc(b.len)) != NULL) {
			memcpy(out, b.p, b.len);
			*len = b.len;
		}
	}
	BN_free(n);
	BN_free(e);
	free(np);
	free(ep);
	buf_drop(&b);	/* a public key */
	ERR_clear_error();
	if (out == NULL && (r = i2d_PUBKEY(k, &out)) > 0)
		*len = (size_t)r;
	return out;
}
