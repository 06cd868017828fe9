/* store.h: the offline certificate store: STORE/UNIT/UNIT.pem, UNIT.key, UNIT-trust/<certs>. */
#ifndef CTK_STORE_H
#define CTK_STORE_H

#include <stddef.h>

/* Join parts with '/' (NULL ends the list): malloc'd, the caller frees; NULL if out of memory. */
char *store_join(const char *first, ...);
/*
 * The entries of dir, sorted bytewise, without "." and "..": *names is a
 * malloc'd array of malloc'd strings (store_list_free). Hidden entries (".backup")
 * are left out unless hidden is set. 0, or -1 after a diagnostic.
 */
int store_list(const char *dir, int hidden, char ***names, size_t *n);
void store_list_free(char **names, size_t n);
/* 1 when unit names a trust store ("...-trust"). */
int store_is_trust(const char *unit);
/* 1 when file is the own certificate of unit ("CallManager/CallManager.pem"). */
int store_is_own(const char *unit, const char *file);
/* 1 when path is a directory (not followed through a symlink). */
int store_isdir(const char *path);
/* 1 when path is a regular file (lstat: a symlink is not). */
int store_isreg(const char *path);
/* mkdir -p with mode for each created level; 0 or -1 (errno set). */
int store_mkdirs(const char *path, int mode);

#endif
