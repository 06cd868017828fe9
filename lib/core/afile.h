/* afile.h: write a file so readers see the old contents or the new, never half. */
#ifndef CTK_AFILE_H
#define CTK_AFILE_H

#include <stdio.h>
#include <sys/stat.h>
#include <sys/types.h>

struct afile {
	char	*path;		/* target; "-" writes to stdout directly */
	char	*tmp;		/* temp file beside it, NULL for stdout */
	FILE	*fp;		/* write here */
	mode_t	 mode;
};

/*
 * Start writing path ("-" = stdout), after afile_clean(path). The temp file is created in path's own
 * directory with mode 0600 from the start; mode is applied at commit (keys
 * pass 0600, others AFILE_MODE_DEFAULT: afile_mode). 0, or -1 after a diagnostic.
 */
#define AFILE_MODE_DEFAULT ((mode_t)-1)
/* The mode a public file written at path gets, whatever the umask: the replaced file's, else 0644. */
mode_t afile_mode(const char *path);
/* The same from the replaced file's lstat, or NULL when there is none. */
mode_t afile_mode_of(const struct stat *st);
int afile_open(struct afile *af, const char *path, mode_t mode);
/* afile_open, with afile_clean(path) first only when clean is set (afbatch cleans per directory). */
int afile_start(struct afile *af, const char *path, mode_t mode, int clean);
/*
 * Remove the temp files (path.tmp.XXXXXX) a killed writer left beside path:
 * a live writer holds a lock on its own, so only the dead ones' go. afile_open
 * calls it; best effort, silent.
 */
void afile_clean(const char *path);
/* Remove the temp file name of directory dfd if it is a dead writer's (see above). */
void afile_reap(int dfd, const char *name);
/* The length of BASE when name is BASE.tmp.XXXXXX (a temp file's name), else 0. */
size_t afile_tmpof(const char *name);
/*
 * Flush, fsync, set the mode, then rename over path (overwrite) or link to it
 * (refusing an existing file: EEXIST), fsync the directory. 0, or -1 after a
 * diagnostic; the temp file is gone either way and path is untouched on failure.
 */
int afile_commit(struct afile *af, int overwrite);
/* afile_commit, fsyncing the directory only when syncdir is set (afbatch syncs it once). */
int afile_finish(struct afile *af, int overwrite, int syncdir);
/* Drop the temp file; path is untouched. Safe after a failed open or commit. */
void afile_abort(struct afile *af);
/* Write buf to path in one go through the steps above. 0 or -1 (diagnosed). */
int afile_write(const char *path, const void *buf, size_t len, mode_t mode, int overwrite);
/* fsync the directory holding path (so a rename or link survives a crash). 0 or -1. */
int afile_syncdir(const char *path);

#endif
