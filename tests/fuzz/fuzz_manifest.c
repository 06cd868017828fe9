/* fuzz_manifest.c: libFuzzer target for the backup manifest reader (every format), a restore's untrusted input. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store/manifest.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static const char *const names[] = { MANIFEST_NAME, MANIFEST_OLD };
	struct manifest m;
	char *text;
	size_t i, k;

	for (k = 0; k < 2; k++) {
		if ((text = malloc(len + 1)) == NULL)
			return 0;
		memcpy(text, data, len);
		text[len] = '\0';
		if (manifest_parse(&m, "fuzz", names[k], text, len) == 0) {
			/* every entry a path, hashes empty or 64 hex digits */
			for (i = 0; i < m.n; i++)
				if (m.e[i].path == NULL || (m.e[i].old_sha[0] != '\0' &&
				    strlen(m.e[i].old_sha) != 64) || (unsigned)m.e[i].kind > TXN_REMOVE)
					abort();
			manifest_free(&m);
		}
		free(text);
	}
	return 0;
}
