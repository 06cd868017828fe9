/* backup.h: STORE/.backup/<UTC time>-<tool>/ directories and byte-exact copies into them. */
#ifndef CTK_BACKUP_H
#define CTK_BACKUP_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

/*
 * Create STORE/.backup/YYYYmmddTHHMMSSZ-<tool>/ (mode 0700; ".1", ".2" ...
 * appended when it exists). Returns the malloc'd path, or NULL after a diagnostic.
 */
char *backup_dir(const char *store, const char *tool, int64_t now);
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
