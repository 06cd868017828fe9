/* backup.h: STORE/.backup/<UTC time>-<tool>/ directories and byte-exact copies into them. */
#ifndef CTK_BACKUP_H
#define CTK_BACKUP_H

#include <stdint.h>

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
/* rename(2) src to dst, creating dst's parents (0700) and fsyncing both directories. 0 or -1 (diagnosed). */
int backup_move(const char *src, const char *dst);

#endif
