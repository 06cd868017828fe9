/* trustset.h: every file and certificate of a store's trust units, read once, in a fixed order. */
#ifndef CTK_TRUSTSET_H
#define CTK_TRUSTSET_H

#include <stddef.h>
#include <stdint.h>

#include "x509/der.h"
#include "core/hash.h"

/* What a directory entry of a trust unit turned out to be. */
enum trust_kind {
	TRUST_CERTS,		/* one or more certificates: a candidate */
	TRUST_KEY,		/* holds a private key (PEM or PKCS#12): never moved */
	TRUST_NOCERT,		/* readable but no certificate (a CSR, parameters) */
	TRUST_LINK,		/* symbolic link: not followed, never moved */
	TRUST_OTHER,		/* directory, FIFO, device: not followed */
	TRUST_BAD		/* unreadable or damaged: reported, never moved */
};

struct trust_cert {
	size_t		 file;		/* index into trust_set.files */
	uint8_t		*der;		/* owned copy of the DER certificate */
	struct der_cert	 dc;		/* spans point into der */
	unsigned	 sel;		/* selection reasons (prune.h) */
	unsigned	 keep;		/* protections (prune.h) */
	size_t		 by;		/* SUPERSEDED: the certificate kept instead */
	const char	*issuer_of;	/* borrowed: the own certificate chaining to it (ISSUER) */
	const char	*held_by;	/* borrowed: the CTL/ITL file holding it (KEEPIN, INUSE) */
};

struct trust_file {
	char		*unit;		/* "CallManager-trust" */
	char		*name;		/* file name in the unit */
	char		*path;		/* STORE/unit/name */
	enum trust_kind	 kind;
	const char	*why;		/* static text for TRUST_BAD (and others): what is wrong */
	int		 inscope;	/* in a unit the caller asked to prune */
	int		 go;		/* every certificate in it is selected: the file goes */
	size_t		 first, ncerts;	/* its certificates: certs[first .. first+ncerts) */
	char		 sha256[2 * HASH_MAX + 1];	/* hex, of the file's bytes (TRUSTSET_HASH) */
};

struct trust_set {
	char		 *store;
	struct trust_file *files;
	size_t		  nfiles, fcap;
	struct trust_cert *certs;
	size_t		  ncerts, ccap;
};

#define TRUSTSET_HASH	0x1	/* compute each file's SHA-256 */

/*
 * Read every *-trust unit of store (sorted), marking those named in units
 * (NULL-terminated; NULL or empty = all) as in scope. Unparseable files are
 * recorded as TRUST_BAD with why, not diagnosed. 0, or -1 after a diagnostic
 * (store unreadable, a named unit missing, out of memory). trustset_free() always.
 */
int trustset_read(struct trust_set *ts, const char *store, char *const *units, int flags);
void trustset_free(struct trust_set *ts);
/* The subject as RFC 4514 text, malloc'd (the caller frees); NULL if out of memory. */
char *trustset_subject(const struct trust_cert *c);
/* The first CN of the subject into out (empty when none); returns out. */
char *trustset_cn(const struct trust_cert *c, char *out, size_t outlen);
/* The serial in full, "-" first when negative (der_serial_text); malloc'd, NULL if out of memory. */
char *trustset_serial(const struct trust_cert *c);

#endif
