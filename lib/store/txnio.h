/* txnio.h: the file operations of a store change: counted for fault injection, fsync'd, owners kept. */
#ifndef CTK_TXNIO_H
#define CTK_TXNIO_H

#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

/*
 * Count one file operation of a change. The one failure-injection hook of the
 * store tools: CTK_FAIL_AFTER=N makes the Nth fail (diagnosed, -1) and
 * CTK_KILL_AFTER=N sends SIGKILL to the process at the Nth (tests). 0 otherwise.
 */
int txnio_step(const char *what);
/*
 * A new file path holding data: mode 0600 from its creation, owner uid:gid
 * (kept from the file it replaces; not changed when that is not allowed), then
 * mode (AFILE_MODE_DEFAULT: 0644), fsync'd. Its directory must exist (the
 * commit makes the backup's own, once each). 0, or -1 after a diagnostic (no file left).
 */
int txnio_stage(const char *path, const void *data, size_t len, mode_t mode, uid_t uid, gid_t gid);
/*
 * Keep the regular file src as dst (a hard link, else an fsync'd copy), its
 * lstat in *st; dst's directory must exist. 0 or -1 (diagnosed).
 */
int txnio_keep(const char *src, const char *dst, struct stat *st);
/* The process's effective ids, asked once. */
void txnio_ids(uid_t *uid, gid_t *gid);
/* fsync the directory dir itself. 0, or -1 after a diagnostic. */
int txnio_syncdir(const char *dir);
/* rm -r dir (a backup of a change that left the store untouched). */
void txnio_rmtree(const char *dir);
/*
 * SHA-256 hex of the file at path into out: 1; 0 when there is none; -1 after
 * a diagnostic (a symbolic link, not a regular file, unreadable).
 */
int txnio_sha(const char *path, char *out);
/* txnio_sha's checks without the read: 1 a regular file, 0 none, -1 after a diagnostic (as txnio_sha's). */
int txnio_isreg(const char *path);
/* mkdir -p of path's directory with mode. 0 or -1 (errno set). */
int txnio_mkparent(const char *path, int mode);

#endif
