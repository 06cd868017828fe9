/* manifest.h: the one backup manifest (BACKUP/MANIFEST) of every store change, and the old ones read back. */
#ifndef CTK_MANIFEST_H
#define CTK_MANIFEST_H

#include <stddef.h>

#include "core/hash.h"

#define MANIFEST_NAME	"MANIFEST"
#define MANIFEST_OLD	"manifest"	/* trust-prune's before the change engine was one */

/* What a change did to one file (the kinds of a txn). */
enum txn_kind { TXN_PUT, TXN_REPLACE, TXN_REMOVE };

struct manifest_ent {
	enum txn_kind	 kind;
	char		*path;		/* relative to the store: "UNIT/FILE" */
	char		 old_sha[2 * HASH_MAX + 1];	/* SHA-256 hex of the file before; "" unknown */
	char		 new_sha[2 * HASH_MAX + 1];	/* and after the change; "" unknown */
	char		*note;		/* for people (what the certificate was, why it went) */
};

enum manifest_format {
	MANIFEST_V3,		/* "# ctlkit backup 3": tool, store id, time, hashes */
	MANIFEST_V2,		/* "# ctlkit backup 2": tool, the store's absolute path, time */
	MANIFEST_REGEN1,	/* cert-regen's first MANIFEST: "kind<TAB>path" lines */
	MANIFEST_PRUNE1		/* trust-prune's first "manifest": removals with hashes */
};

struct manifest {
	char			*tool;	/* who made it ("cert-regen", "trust-prune") */
	char			*store;	/* MANIFEST_V2: the store's absolute path; else NULL */
	char			*time;	/* "YYYY-MM-DDTHH:MM:SSZ" (the backup name's clock); or NULL */
	enum manifest_format	 format;
	struct manifest_ent	*e;
	size_t			 n, cap;
	char			*id;	/* MANIFEST_V3: the store's id (storeid.h); else NULL */
	char			*undoes;	/* a restore's own backup: the backup it put back */
};

#define MANIFEST_ZERO { NULL, NULL, NULL, MANIFEST_V3, NULL, 0, 0, NULL, NULL }

extern const char *const manifest_kinds[];	/* "put", "replace", "remove" */

/* Append an entry (strings copied; sha and note may be NULL). 0, or -1 when out of memory. */
int manifest_add(struct manifest *m, enum txn_kind kind, const char *path, const char *old_sha,
    const char *new_sha, const char *note);
void manifest_free(struct manifest *m);
/*
 * The whole text of m in the current format (MANIFEST_V3: paths relative to
 * the store, the store named by its id) into a malloc'd buffer: header lines
 * (tool, id, time, undoes when set), then "kind<TAB>path<TAB>old<TAB>new<TAB>note" with
 * paths and notes escaped reversibly (\xNN). NULL when out of memory.
 */
char *manifest_text(const struct manifest *m, size_t *len);
/*
 * Read the manifest of backup directory bdir, in any format (MANIFEST first,
 * then trust-prune's old "manifest"), with no limit on its lines. Files are
 * opened without following symbolic links. 0; 1 when bdir holds neither (a
 * change stopped before it wrote one); -1 after a diagnostic naming the line.
 */
int manifest_read(const char *bdir, struct manifest *m);
/*
 * The same for the bytes text[0..len) (NUL after them, changed in place) of
 * the file name ("MANIFEST" or "manifest") in bdir (for messages). 0, or -1
 * after a diagnostic; manifest_free() after 0.
 */
int manifest_parse(struct manifest *m, const char *bdir, const char *name, char *text,
    size_t len);

#endif
