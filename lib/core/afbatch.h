/* afbatch.h: many files written atomically in one run: each directory cleaned and fsync'd once. */
#ifndef CTK_AFBATCH_H
#define CTK_AFBATCH_H

#include <stddef.h>
#include <sys/types.h>

struct afbatch_dir {
	char	 *dir;		/* as dirname(3) gives it */
	char	**left;		/* temp files (BASE.tmp.XXXXXX) it held when first written to */
	size_t	  nleft;
	int	  dirty;	/* a file was committed in it: fsync it at the end */
};

struct afbatch {
	struct afbatch_dir	*v;
	size_t			 n, cap, last;
};

#define AFBATCH_ZERO { NULL, 0, 0, 0 }

/*
 * afile_write(path, ...) for one file of many: the directory is read once
 * for leftovers (the first time a file of it is written) instead of once per
 * file, and its fsync waits for afbatch_end. Each file is still written to a
 * temp file, fsync'd and renamed (or linked) into place on its own: a kill
 * leaves every path old or new. 0, or -1 after a diagnostic.
 */
int afbatch_write(struct afbatch *b, const char *path, const void *buf, size_t len,
    mode_t mode, int overwrite);
/* fsync every directory a file was committed in, then free b (AFBATCH_ZERO again). */
void afbatch_end(struct afbatch *b);

#endif
