/* hash.c: OpenSSL 3 fetches are costly, so each digest is fetched once and kept. */
#include <string.h>

#include "core/hash.h"
#include "core/out.h"

static const char *names[] = { "md5", "sha1", "sha256", "sha384", "sha512" };
static EVP_MD *cache[sizeof(names) / sizeof(names[0])];

const EVP_MD *
hash_md(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(names[i], name) != 0)
			continue;
		if (cache[i] == NULL)
			cache[i] = EVP_MD_fetch(NULL, name, NULL);
		return cache[i];
	}
	return NULL;
}

size_t
hash_buf(const char *name, const void *p, size_t n, uint8_t out[HASH_MAX])
{
	const EVP_MD *md = hash_md(name);
	unsigned int len = 0;

	if (md == NULL || EVP_Digest(p, n, out, &len, md, NULL) != 1)
		return 0;
	return len;
}

char *
hash_hex(const char *name, const void *p, size_t n, int upper, char *out)
{
	uint8_t d[HASH_MAX];
	size_t len;

	if ((len = hash_buf(name, p, n, d)) == 0)
		return NULL;
	out_hex(out, d, len, upper, 0);
	return out;
}
