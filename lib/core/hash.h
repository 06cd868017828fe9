/* hash.h: message digests through OpenSSL, with the algorithm fetched once per process. */
#ifndef CTK_HASH_H
#define CTK_HASH_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#define HASH_MAX 64

/* "md5", "sha1", "sha256", "sha384", "sha512": a cached EVP_MD (get0: do not free), NULL if unknown. */
const EVP_MD *hash_md(const char *name);
/* Digest p[0..n) into out (HASH_MAX bytes); returns the digest length, 0 on failure. */
size_t hash_buf(const char *name, const void *p, size_t n, uint8_t out[HASH_MAX]);
/* Digest into hex text (upper: 1 for upper case), out holds 2*HASH_MAX+1; returns out or NULL. */
char *hash_hex(const char *name, const void *p, size_t n, int upper, char *out);

/* FNV-1a: a fast hash for in-memory tables (keys, flows), never for anything that must resist forgery. */
static inline uint32_t
hash_fnv1a(const uint8_t *p, size_t n)
{
	uint32_t h = 2166136261u;

	while (n-- > 0)
		h = (h ^ *p++) * 16777619u;
	return h;
}

#endif
