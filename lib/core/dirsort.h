/* dirsort.h: a directory's entries in name order, read once, in bounded memory. */
#ifndef CTK_DIRSORT_H
#define CTK_DIRSORT_H

#include <dirent.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * Entries sorted in memory at a time; beyond it sorted runs go to a temporary file.
 * The environment variable CTK_DIRSORT_RUN (2 to DIRSORT_RUN) makes runs shorter, so
 * that the tests reach the merge with a few hundred files.
 */
#define DIRSORT_RUN 32768

struct dirsort_ent {
	uint32_t	 off;		/* of the name in the arena */
	unsigned char	 type;		/* d_type */
};

struct dirsort_run;

struct dirsort {
	/* private */
	struct dirsort_ent	*h;		/* the run in memory, sorted */
	size_t			 k, hcap, next, run;
	char			*arena;
	size_t			 used, cap;
	FILE			*spill;		/* earlier runs, each sorted: type byte, name, NUL */
	struct dirsort_run	*runs;
	size_t			 nruns;
};

/*
 * Read every entry of d once (names starting with a dot left out) and sort them:
 * DIRSORT_RUN at a time in memory, each full run written sorted to a temporary
 * file and merged back by dirsort_next, so a directory of any size costs one
 * readdir pass and about 1 MB. 0, or -1 with errno set (dirsort_close() always).
 */
int dirsort_read(struct dirsort *ds, DIR *d);
/* The next entry in strcmp order: 1 with *name (valid until the next call) and *type; 0 at the end; -1 on a read error. */
int dirsort_next(struct dirsort *ds, const char **name, unsigned char *type);
void dirsort_close(struct dirsort *ds);

#endif
