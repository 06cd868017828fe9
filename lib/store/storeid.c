/* storeid.c: backups name their store by an id kept in it, not by a path: a copied store still restores. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>

#include "core/afile.h"
#include "core/diag.h"
#include "store/backup.h"
#include "core/path.h"
#include "store/storeid.h"

int
storeid_valid(const char *s)
{
	return strlen(s) == STOREID_LEN && strspn(s, "0123456789abcdef") == STOREID_LEN;
}

/* A new id written to path (link: never over one another writer made). 0 or -1. */
static int
make(const char *path, char *id)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char r[STOREID_LEN / 2];
	char line[STOREID_LEN + 1];
	size_t i;

	if (RAND_bytes(r, sizeof(r)) != 1) {
		warnf("%s: no random bytes for the store id", path);
		return -1;
	}
	for (i = 0; i < sizeof(r); i++) {
		id[2 * i] = hex[r[i] >> 4];
		id[2 * i + 1] = hex[r[i] & 15];
	}
	id[STOREID_LEN] = '\0';
	memcpy(line, id, STOREID_LEN);
	line[STOREID_LEN] = '\n';
	return afile_write(path, line, sizeof(line), 0600, 0);
}

int
storeid_get(const char *store, int create, char id[STOREID_LEN + 1])
{
	char *top = path_join(store, ".backup", NULL), *path = NULL;
	uint8_t *text = NULL;
	size_t len = 0;
	int rc = -1;

	if (top == NULL || (path = path_join(top, STOREID_FILE, NULL)) == NULL) {
		warnf("%s: out of memory", store);
		goto out;
	}
	/* a writer reaps what a killed one left of the id (.id.tmp.*, flock-checked as dead) */
	if (create)
		afile_clean(path);
	if ((text = backup_read(top, STOREID_FILE, &len, NULL)) == NULL) {
		if (errno != ENOENT && errno != ENOTDIR)
			goto out;
		rc = create ? make(path, id) : 1;
		goto out;
	}
	if (len != STOREID_LEN + 1 || text[STOREID_LEN] != '\n') {
		warnf("%s: not a store id (%zu bytes, want %d hex digits and a newline)", path,
		    len, STOREID_LEN);
		goto out;
	}
	memcpy(id, text, STOREID_LEN);
	id[STOREID_LEN] = '\0';
	if (!storeid_valid(id))
		warnf("%s: not a store id (want %d lower-case hex digits)", path, STOREID_LEN);
	else
		rc = 0;
out:
	free(text);
	free(top);
	free(path);
	return rc;
}
