/* manifest.h: trust-prune's backups: a manifest written before any move, and the way back. */
#ifndef CTK_MANIFEST_H
#define CTK_MANIFEST_H

#include <stddef.h>

#include "core/hash.h"

#define MANIFEST_NAME	"manifest"

struct manifest_ent {
	char	*path;			/* "UNIT-trust/FILE", relative to the store */
	char	 sha256[2 * HASH_MAX + 1];	/* hex of the file's bytes */
	char	*subject, *serial, *not_after, *reason;	/* for people: not read back */
};

struct manifest {
	struct manifest_ent *e;
	size_t		     n;
};

#define MANIFEST_ZERO { NULL, 0 }

/* Append an entry (strings are copied). 0, or -1 when out of memory. */
int manifest_add(struct manifest *m, const char *path, const char *sha256,
    const char *subject, const char *serial, const char *not_after, const char *reason);
void manifest_free(struct manifest *m);
/* Write BDIR/manifest atomically (mode 0600, never replacing one). 0 or -1 (diagnosed). */
int manifest_write(const char *bdir, const struct manifest *m);
/*
 * Read BDIR/manifest; every path must have the shape UNIT-trust/FILE.
 * 0, or -1 after a diagnostic naming the line. manifest_free() in either case.
 */
int manifest_read(const char *bdir, struct manifest *m);
/* The store a backup directory STORE/.backup/NAME belongs to: malloc'd, or NULL (diagnosed). */
char *manifest_store(const char *bdir);
/*
 * Move entry e from STORE/path to BDIR/path with rename(2), after checking that
 * the file still has the manifest's SHA-256. 0, or -1 after a diagnostic (the
 * file is then where it was).
 */
int manifest_move(const char *store, const char *bdir, const struct manifest_ent *e);

enum manifest_state {
	MANIFEST_RESTORED,	/* moved back from the backup */
	MANIFEST_IN_PLACE,	/* the same bytes are already at the path */
	MANIFEST_REFUSED,	/* a different file is at the path, or the backup copy changed */
	MANIFEST_LOST,		/* neither in the backup nor at the path */
	MANIFEST_FAILED		/* a system call failed */
};
/*
 * Put entry e back at STORE/path byte for byte (link(2) then unlink(2): an
 * existing file is never replaced). *why is a static reason for the last three
 * states; no diagnostics.
 */
enum manifest_state manifest_restore(const char *store, const char *bdir,
    const struct manifest_ent *e, const char **why);

#endif
