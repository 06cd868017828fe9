/* txn.h: change several files of a store so that a failure leaves it as it was and a kill loses nothing. */
#ifndef CTK_TXN_H
#define CTK_TXN_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum txn_kind { TXN_PUT, TXN_REPLACE, TXN_REMOVE };

struct txn_op {
	enum txn_kind	 kind;		/* PUT: a new file; REPLACE: the old one is backed up */
	char		*rel;		/* path inside the store ("CAPF/CAPF.pem") */
	uint8_t		*data;		/* PUT, REPLACE: the new contents (wiped when freed) */
	size_t		 len;
	mode_t		 mode;
};

struct txn {
	char		*store;
	const char	*tool;		/* names the backup directory */
	struct txn_op	*ops;
	size_t		 n, cap;
	char		*backup;	/* after txn_commit: STORE/.backup/<UTC>-<tool>[.N] */
};

/* An empty change to store; tool is borrowed. */
void txn_init(struct txn *t, const char *store, const char *tool);
/*
 * Write rel (a copy of data, mode); an existing file is backed up then
 * replaced, and one that already holds data (with mode, unless
 * AFILE_MODE_DEFAULT) is left alone. 0 or -1 (diagnosed).
 */
int txn_put(struct txn *t, const char *rel, const void *data, size_t len, mode_t mode);
/* Remove rel (it is backed up first). 0 or -1 (diagnosed). */
int txn_remove(struct txn *t, const char *rel);
/*
 * Apply: make the backup directory, keep there every file to be replaced or
 * removed (a hard link, else a copy), stage the new files under BACKUP/.new,
 * write BACKUP/MANIFEST, sync (syncfs), and only then rename and unlink in the
 * store, in order, and sync again. A failure before the renames removes the
 * backup directory; a failure among them (or in the last sync) undoes the
 * renames already done. 0, or -1 after a diagnostic.
 * CTK_FAIL_AFTER=N in the environment fails the Nth file operation, and
 * CTK_KILL_AFTER=N sends SIGKILL to the process at the Nth (tests).
 * With no change listed, nothing is done and t->backup stays NULL.
 */
int txn_commit(struct txn *t, int64_t now);
/*
 * Add to t the changes that undo the ones BACKUP/MANIFEST records (files put
 * are removed, files replaced or removed come back byte for byte). Safe to use
 * after a change that was killed half-way; a backup without a manifest
 * (killed before the store was touched) adds nothing. 0, or -1 after a diagnostic.
 */
int txn_undo(struct txn *t, const char *backup);
void txn_free(struct txn *t);

#endif
