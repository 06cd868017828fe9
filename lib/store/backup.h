/* backup.h: STORE/.backup/<UTC time>-<tool>/ directories and byte-exact copies into them. */
#ifndef CTK_BACKUP_H
#define CTK_BACKUP_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#define BACKUP_STAMP_LEN	16	/* "YYYYmmddTHHMMSSZ" */

/*
 * Create STORE/.backup/YYYYmmddTHHMMSSZ-NNN-<tool>/ (mode 0700), named so that
 * the names sort in creation order: NNN counts the backups of one second
 * (000 to 999, whatever their tool), and a clock (or --now) behind the newest
 * backup takes that backup's second. Returns the malloc'd path, or NULL after
 * a diagnostic.
 */
char *backup_dir(const char *store, const char *tool, int64_t now);
/*
 * One name for a change made in n stores at once (a cluster's nodes), free in
 * each and sorting after every backup of each: "YYYYmmddTHHMMSSZ-NNN-<tool>".
 * Malloc'd, or NULL after a diagnostic.
 */
char *backup_name_for(const char *const *stores, size_t n, const char *tool, int64_t now);
/*
 * The name next after prev (backup_name_for's): for a run that holds the
 * stores' locks and made prev on them last, so none can hold a later one.
 * Malloc'd; NULL (no diagnostic) when prev is no backup name, its second is
 * full, or out of memory: then ask backup_name_for.
 */
char *backup_name_after(const char *prev, const char *tool, int64_t now);
/* Create STORE/.backup/NAME (as backup_dir, but the name given). The path, or NULL (diagnosed). */
char *backup_dir_named(const char *store, const char *name);
/*
 * backup_dir_named, STORE/.backup taken as checked when known (a directory,
 * no link: a run's earlier commit to the store found it so): one mkdir.
 */
char *backup_dir_at(const char *store, const char *name, int known);
/*
 * 1 when name is a backup directory's, this format's or the old one's
 * ("YYYYmmddTHHMMSSZ-<tool>[.N]"), with its second in stamp (NUL-ended) and
 * its rank within that second in *seq (NNN, or the old .N); else 0.
 */
int backup_parse(const char *name, char stamp[BACKUP_STAMP_LEN + 1], int *seq);
/* strcmp-like order of two backup names: creation order (second, rank, name). */
int backup_cmp(const char *a, const char *b);
/*
 * Copy the regular file src to dst byte for byte with src's mode, fsync'd,
 * creating dst's parent directories (0700). Refuses an existing dst.
 * 0, or -1 after a diagnostic; a partial dst is removed.
 */
int backup_copy(const char *src, const char *dst);
/*
 * The bytes of BDIR/rel, opened component by component without following any
 * symbolic link, and only if it is a regular file (its stat in *st when not
 * NULL). NULL with errno ENOENT (no diagnostic) when it is missing; NULL after
 * a diagnostic otherwise. A copy of a key: cleanse before free.
 */
uint8_t *backup_read(const char *bdir, const char *rel, size_t *len, struct stat *st);

#endif
