/* scan.h: walk files and directories fast and hand back every certificate each file holds. */
#ifndef CTK_SCAN_H
#define CTK_SCAN_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "der.h"

struct scan_cert {
	const uint8_t	*der;		/* the DER certificate: borrowed, valid during the callback */
	size_t		 len;
	struct der_cert	 c;		/* its fields (spans point into der) */
	size_t		 index;		/* 1-based position in the file */
	int		 record;	/* CTL/ITL record number (1-based), 0 for other files */
	int		 function;	/* CTL/ITL FUNCTION code, -1 when none */
};

struct scan_file {
	const char		*path;	/* as walked: "dir/sub/file.pem", "<stdin>" */
	const char		*unit;	/* name of the directory holding it; NULL when none */
	const char		*base;	/* file name without directories */
	const struct scan_cert	*certs;
	size_t			 ncerts;
	const char		*error;	/* NULL, or why the file (or its rest) could not be read */
};

/* Called once per file that holds a certificate or an error; its return value is ignored. */
typedef void (*scan_fn)(void *arg, const struct scan_file *f);

struct scan {
	int		 max_depth;	/* -1: no limit; 0: operands only */
	const char	*pass;		/* PKCS#12 password, NULL for none */
	scan_fn		 fn;
	void		*arg;
	/* private */
	struct buf	 data, scratch, ders, path;
	struct scan_cert *certs;
	struct loc	*locs;
	size_t		 ncerts, ncap;
};

/* Set up s (no allocation yet). */
void scan_init(struct scan *s, scan_fn fn, void *arg);
/*
 * An operand: "-" (stdin), a file, or a directory walked recursively (sorted,
 * symlinks and hidden entries skipped). A named file without a certificate is
 * an error; a file met in a walk without one is skipped. Errors go to fn.
 */
void scan_path(struct scan *s, const char *path);
void scan_free(struct scan *s);

#endif
