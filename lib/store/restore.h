/* restore.h: the one way back from a backup, for every tool: never outside the store it was made for. */
#ifndef CTK_RESTORE_H
#define CTK_RESTORE_H

#include <stddef.h>

#include "store/manifest.h"
#include "store/txn.h"

enum restore_state {
	RESTORE_DO,		/* the file goes back (or, put by the change, goes) */
	RESTORE_IN_PLACE,	/* already as it was before the change */
	RESTORE_REFUSED		/* a different file is at the path */
};

struct restore {
	char			*backup;	/* as given, without trailing slashes */
	char			*store;		/* the store the backup was made for, as reached */
	char			*real;		/* its real path */
	struct manifest		 m;
	enum restore_state	*st;		/* per manifest entry, after restore_plan */
	size_t			 nrefused;
	int			 none;		/* stopped before its manifest: nothing to restore */
};

/*
 * Open backup for a restore: it must be a directory STORE/.backup/NAME (no link
 * on the way) holding a manifest of any format whose recorded store (old
 * formats: the directory above .backup) is that STORE; store_opt (-s), when not
 * NULL, must name the same store. A directory named like a backup but without a
 * manifest (a change stopped before it) sets none. 0, or -1 after a diagnostic.
 */
int restore_open(struct restore *r, const char *backup, const char *store_opt);
/*
 * Add to t (a txn on r->store) the changes that put back the files the manifest
 * records: files replaced or removed come back byte for byte (read from the
 * backup without following links, checked against the manifest's SHA-256; mode
 * 0600 for keys, the default for the rest, owners of the files they replace),
 * files put are removed. A file that is neither the one before nor the one
 * after the change is refused (force: replaced, it goes into t's backup).
 * Anything unsafe (a path leaving the store, a link on the way, a changed or
 * lost backup copy, a refusal without force) is -1 after a diagnostic, with
 * nothing added that may be committed. 0 otherwise.
 */
int restore_plan(struct restore *r, struct txn *t, int force);
/* "restored", "removed", "in-place" or "refused" for entry i. */
const char *restore_state_name(const struct restore *r, size_t i);
void restore_free(struct restore *r);

#endif
