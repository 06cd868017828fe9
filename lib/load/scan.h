/* scan.h: walk files and directories fast and hand back every certificate each file holds. */
#ifndef CTK_SCAN_H
#define CTK_SCAN_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "load/bundle.h"
#include "load/certfile.h"

struct scan_file {
	const char		*path;	/* as walked: "dir/sub/file.pem", "<stdin>" */
	const char		*unit;	/* name of the directory holding it; NULL when none */
	const char		*base;	/* file name without directories */
	const struct certfile_cert *certs;
	size_t			 ncerts;
	size_t			 count;	/* certificates in the file: >= 2 whenever it holds several */
	const char		*error;	/* NULL, or why the file (or its rest) could not be read */
	const char		*skipped;	/* NULL, or why a walk left the entry out unread */
};

/*
 * Called once per file that holds a certificate or an error, and per entry skipped
 * for a reason. A bundle over BUNDLE_MIN is streamed: fn is then called once per
 * piece (certs[].index counts from the start of the file), memory bounded by a
 * piece whatever the file's size.
 */
typedef void (*scan_fn)(void *arg, const struct scan_file *f);

struct scan {
	int		 max_depth;	/* -1: no limit; 0: operands only */
	scan_fn		 fn;
	void		*arg;
	struct certfile	 cf;		/* cf.pass: the PKCS#12 password, NULL for none */
	/* private */
	struct buf	 data, path;
	struct buf	 hold;		/* a streamed bundle's first certificate, until a second shows */
};

/* Set up s (no allocation yet). */
void scan_init(struct scan *s, scan_fn fn, void *arg);
/*
 * An operand: "-" (stdin), a file, or a directory walked recursively (sorted,
 * hidden entries left out). In a walk, symbolic links are not followed and go to
 * fn as skipped; private keys (*.key, or files that hold a key and no
 * certificate) are left out without a word. A named file without a certificate
 * is an error; a file met in a walk without one is skipped. Errors go to fn.
 */
void scan_path(struct scan *s, const char *path);
void scan_free(struct scan *s);

#endif
