/* sgnenc.c: AES-128-CBC payloads with an RSA-wrapped key, as CUCM's and certutils' .enc.sgn files carry them. */
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>

#include "core/hash.h"
#include "tl/sgn.h"
#include "tl/sgnenc.h"
#include "tl/tlv.h"

/* AES-128-CBC of in[0..n) (a multiple of 16), no padding of OpenSSL's. 0, or -1. */
static int
aes(int enc, const uint8_t key[16], const uint8_t iv[16], const uint8_t *in, size_t n,
    uint8_t *out)
{
	EVP_CIPHER_CTX *x = EVP_CIPHER_CTX_new();
	int l1 = 0, l2 = 0, ok;

	ok = x != NULL && n <= 0x7fffffff &&
	    EVP_CipherInit_ex(x, EVP_aes_128_cbc(), NULL, key, iv, enc) == 1 &&
	    EVP_CIPHER_CTX_set_padding(x, 0) == 1 &&
	    EVP_CipherUpdate(x, out, &l1, in, (int)n) == 1 &&
	    EVP_CipherFinal_ex(x, out + l1, &l2) == 1 && (size_t)(l1 + l2) == n;
	EVP_CIPHER_CTX_free(x);
	return ok ? 0 : -1;
}

/* RSA PKCS#1 v1.5 encrypt (wrap) or decrypt (unwrap) in[0..n) into out (malloc'd). */
static uint8_t *
rsa(int enc, EVP_PKEY *k, const uint8_t *in, size_t n, size_t *olen)
{
	EVP_PKEY_CTX *x = EVP_PKEY_CTX_new(k, NULL);
	uint8_t *out = NULL;
	int ok;

	ok = x != NULL && (enc ? EVP_PKEY_encrypt_init(x) : EVP_PKEY_decrypt_init(x)) == 1 &&
	    EVP_PKEY_CTX_set_rsa_padding(x, RSA_PKCS1_PADDING) == 1 &&
	    (enc ? EVP_PKEY_encrypt(x, NULL, olen, in, n) : EVP_PKEY_decrypt(x, NULL, olen, in, n)) == 1 &&
	    (out = malloc(*olen ? *olen : 1)) != NULL &&
	    (enc ? EVP_PKEY_encrypt(x, out, olen, in, n) : EVP_PKEY_decrypt(x, out, olen, in, n)) == 1;
	EVP_PKEY_CTX_free(x);
	if (!ok) {
		free(out);
		return NULL;
	}
	return out;
}

static void
put(struct buf *b, int tag, const void *p, size_t n)
{
	buf_addc(b, (uint8_t)tag);
	buf_add16(b, (uint16_t)n);
	buf_add(b, p, n);
}

static void
put16(struct buf *b, int tag, unsigned v)
{
	uint8_t x[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	put(b, tag, x, 2);
}

int
sgnenc_encrypt(EVP_PKEY *phone, const char *digest, int dcode, const uint8_t *plain,
    size_t n, struct buf *hdr, struct buf *cipher, const char **why)
{
	uint8_t key[16], iv[16], dg[HASH_MAX], zero = 0, one = 1, code = (uint8_t)dcode;
	struct buf ivi = BUF_ZERO, ki = BUF_ZERO, in = BUF_ZERO;
	size_t pad = 16 - n % 16, dl, wl = 0, i;
	uint8_t *wrapped = NULL;

	hdr->len = cipher->len = 0;
	*why = NULL;
	if (EVP_PKEY_get_base_id(phone) != EVP_PKEY_RSA)
		*why = "the phone's key is not RSA (only RSA wraps the AES key)";
	else if ((dl = hash_buf(digest, plain, n, dg)) == 0)
		*why = "unknown digest algorithm";
	else if (RAND_bytes(key, 16) != 1 || RAND_bytes(iv, 16) != 1)
		*why = "no random bytes";
	else if ((wrapped = rsa(1, phone, key, 16, &wl)) == NULL || wl > 0xffff / 8)
		*why = "wrapping the AES key with the phone's key failed";
	if (*why != NULL)
		goto out;
	buf_add(&in, plain, n);
	for (i = 0; i < pad; i++)	/* 1 to 16 '\r': never 0 */
		buf_addc(&in, '\r');
	if (in.err || buf_add(cipher, in.p, in.len) != 0 ||
	    aes(1, key, iv, in.p, in.len, cipher->p) != 0) {
		*why = in.err || cipher->err ? "out of memory" : "AES-128-CBC failed";
		goto out;
	}
	put(&ivi, 18, &zero, 1);
	put(&ivi, 19, iv, 16);
	put16(&ivi, 20, (unsigned)pad);
	put(&ki, 22, &zero, 1);
	put16(&ki, 23, (unsigned)(wl * 8));	/* the wrapped key's size, as certutils writes it */
	put(&ki, 24, &one, 1);
	put(&ki, 25, wrapped, wl);
	buf_addc(hdr, 16);
	buf_add16(hdr, (uint16_t)(6 + ivi.len + ki.len));
	put(hdr, 17, ivi.p, ivi.len);
	put(hdr, 21, ki.p, ki.len);
	put(hdr, 26, &code, 1);
	put(hdr, 27, dg, dl);
	if (hdr->err || ivi.err || ki.err)
		*why = "out of memory";
out:
	OPENSSL_cleanse(key, sizeof(key));
	buf_free(&ivi);
	buf_free(&ki);
	buf_free(&in);
	free(wrapped);
	return *why == NULL ? 0 : -1;
}

int
sgnenc_decrypt(const struct ctl *c, EVP_PKEY *phone, uint8_t **out, size_t *n,
    const char **why)
{
	const struct tlv *iv = &c->hf[CTL_H_IV], *wk = &c->hf[CTL_H_WRAPKEY];
	const struct tlv *pad = &c->hf[CTL_H_IVPAD], *pd = &c->hf[CTL_H_PTDIGEST];
	const struct tlv *ph = &c->hf[CTL_H_PTHASH];
	const char *dn = pd->val != NULL && pd->len == 1 ? ctl_digest_name(pd->val[0]) : NULL;
	uint8_t *key = NULL, *p = NULL, dg[HASH_MAX];
	size_t off, len, kl = 0, np = 0, dl;

	*out = NULL;
	*n = 0;
	*why = NULL;
	off = sgn_payload(c, &len);
	if (sgn_kind(c) != SGN_ENCRYPTED)
		*why = "not an encrypted file (version 2.0)";
	else if (iv->val == NULL || iv->len != 16)
		*why = "the header has no 16-byte IV (tag 19)";
	else if (wk->val == NULL)
		*why = "the header has no wrapped key (tag 25)";
	else if (pad->val == NULL || pad->len != 2 || (np = tlv_u16(pad->val)) > 16)
		*why = "the header's pad count (tag 20) is not 0 to 16";
	else if (dn == NULL || ph->val == NULL)
		*why = "the header has no known plain-text digest (tags 26, 27)";
	else if (len == 0 || len % 16 != 0 || np > len)
		*why = "the encrypted payload is not whole 16-byte blocks";
	else if (EVP_PKEY_get_base_id(phone) != EVP_PKEY_RSA)
		*why = "the phone's key is not an RSA key";
	else if ((key = rsa(0, phone, wk->val, wk->len, &kl)) == NULL || kl != 16)
		*why = "the phone's key does not unwrap the AES key (another phone's key?)";
	else if ((p = malloc(len)) == NULL)
		*why = "out of memory";
	else if (aes(0, key, iv->val, c->buf + off, len, p) != 0)
		*why = "AES-128-CBC failed";
	else if ((dl = hash_buf(dn, p, len - np, dg)) != ph->len || memcmp(dg, ph->val, dl) != 0)
		*why = "the decrypted text does not match the header's digest (tag 27)";
	if (key != NULL)
		OPENSSL_cleanse(key, kl);
	free(key);
	if (*why != NULL) {
		free(p);
		return -1;
	}
	*out = p;
	*n = len - np;
	return 0;
}
