/* path.h: paths and directories: join, a directory's entries in a fixed order, file kinds, mkdir -p. */
#ifndef CTK_PATH_H
#define CTK_PATH_H

#include <stddef.h>

/* Join parts with '/' (NULL ends the list): malloc'd, the caller frees; NULL if out of memory. */
char *path_join(const char *first, ...);
/*
 * The entries of dir, sorted bytewise, without "." and "..": *names is a
 * malloc'd array of malloc'd strings (path_list_free). Hidden entries (".backup")
 * are left out unless hidden is set. 0, or -1 after a diagnostic.
 */
int path_list(const char *dir, int hidden, char ***names, size_t *n);
void path_list_free(char **names, size_t n);
/* 1 when path is a directory (not followed through a symlink). */
int path_isdir(const char *path);
/* 1 when path is a regular file (lstat: a symlink is not). */
int path_isreg(const char *path);
/* mkdir -p with mode for each created level; 0 or -1 (errno set). */
int path_mkdirs(const char *path, int mode);

#endif
