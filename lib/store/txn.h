/* txn.h: change several files of a store so that a failure leaves it as it was and a kill loses nothing. */
#ifndef CTK_TXN_H
#define CTK_TXN_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/hash.h"
#include "store/manifest.h"
#include "store/storeid.h"

struct txn_op {
	enum txn_kind	 kind;		/* PUT: a new file; REPLACE, REMOVE: the old one is backed up */
	char		*rel;		/* path inside the store ("CAPF/CAPF.pem") */
	uint8_t		*data;		/* PUT, REPLACE: the new contents (wiped when freed) */
	size_t		 len;
	mode_t		 mode;
	char		 old_sha[2 * HASH_MAX + 1];	/* REPLACE, REMOVE: the file as it was read */
	char		 new_sha[2 * HASH_MAX + 1];	/* PUT, REPLACE */
	char		*note;		/* for the manifest's readers, or NULL */
	int		 unread;	/* REMOVE by txn_remove: old_sha taken from the kept copy */
};

/*
 * What a run committing many changes to the same stores (cert-regen
 * --cluster: one per node per step) knows after its first commit to each:
 * STORE/.backup checked (a directory, no link), leftover id temp files reaped
 * and the store's id read. Later commits to the store take them as known.
 */
struct txnrun_store {
	char	*store;
	char	 id[STOREID_LEN + 1];
};

struct txnrun {
	struct txnrun_store	*v;
	size_t			 n, cap;
};

#define TXNRUN_ZERO { NULL, 0, 0 }

struct txn {
	char		*store;
	const char	*tool;		/* names the backup directory */
	struct txn_op	*ops;
	size_t		 n, cap;
	char		*backup;	/* after txn_commit: STORE/.backup/<UTC>-<NNN>-<tool> */
	char		*undoes;	/* a restore: the name of the backup it puts back */
	const char	*bname;		/* the backup's name when set (backup_name_for), borrowed */
	struct txnrun	*run;		/* borrowed, or NULL: what the run knows of the store */
	char		**made;		/* txn_commit's own: the backup's directories it made */
	size_t		 nmade;
	int		 grew;		/* txn_commit's own: it made a directory in the store */
};

/* An empty change to store; tool is borrowed. */
void txn_init(struct txn *t, const char *store, const char *tool);
/*
 * Write rel (a copy of data, mode); an existing file is backed up then
 * replaced, and one that already holds data (with mode, unless
 * AFILE_MODE_DEFAULT) is left alone. 0 or -1 (diagnosed).
 */
int txn_put(struct txn *t, const char *rel, const void *data, size_t len, mode_t mode);
/*
 * Remove rel, a regular file (it is backed up first, and hashed for the
 * manifest from the copy kept: read once). 0 or -1 (diagnosed).
 */
int txn_remove(struct txn *t, const char *rel);
/*
 * Remove rel, read earlier with SHA-256 sha (hex): if it changed meanwhile the
 * commit fails and nothing changes. note goes into the manifest. 0 or -1 (diagnosed).
 */
int txn_remove_read(struct txn *t, const char *rel, const char *sha, const char *note);
/*
 * Apply: make the backup directory (named after now), keep there every file to
 * be replaced or removed (a hard link, else a copy), stage the new files under
 * BACKUP/.new (fsync'd, owners of the files they replace), write BACKUP/MANIFEST
 * (manifest.h: tool, the store's id, now), fsync the backup's
 * directories, and only then rename and unlink in the store, in order, and
 * fsync the store directories whose entries changed (never syncfs). A failure
 * before the renames removes the backup directory; a failure among them undoes
 * the renames already done. 0, or -1 after a diagnostic.
 * Fault injection: txnio_step(). With no change listed, nothing is done and
 * t->backup stays NULL.
 */
int txn_commit(struct txn *t, int64_t now);
/*
 * Add to t (on the store BACKUP was made for) the changes that undo the ones
 * BACKUP's manifest records: restore_open() and restore_plan() of restore.h
 * (no force). 0, or -1 after a diagnostic.
 */
int txn_undo(struct txn *t, const char *backup);
void txn_free(struct txn *t);
/* Forget what r knows (TXNRUN_ZERO again). */
void txnrun_free(struct txnrun *r);

#endif
