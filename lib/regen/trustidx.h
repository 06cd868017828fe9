/* trustidx.h: a trust store's certificates by subject, read once per run and kept current by the run's own changes. */
#ifndef CTK_TRUSTIDX_H
#define CTK_TRUSTIDX_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "store/txn.h"

/* One file of the directory: the subject of the one certificate it holds. */
struct trustidx_ent {
	char		*name;		/* its name in the directory */
	uint8_t		*subject;	/* DER; NULL: not exactly one certificate */
	size_t		 slen;
	struct buf	 key;		/* dnkey of the subject (key.err: none) */
};

/*
 * STORE/TS as trust_copy needs it (lib/regen/regenjob): a cluster run copies
 * each new CallManager into every node's CallManager-trust, step after step;
 * reading and parsing every file of every node's store at every step made the
 * run cubic in nodes. Loaded on first use, then changed as each committed
 * transaction changed the directory (the run holds every node's lock).
 */
struct trustidx {
	char			*dir;		/* STORE/TS; NULL until loaded */
	const char		*ts;		/* TS, borrowed */
	struct trustidx_ent	*e;
	size_t			 n;
};

/* Read every regular file of dir (ts's store directory) once. 0, or -1 (diagnosed). */
int trustidx_load(struct trustidx *ix, const char *store, const char *ts);
/* The changes t committed under ts/ applied to ix (a file put, replaced or removed). 0 or -1. */
int trustidx_apply(struct trustidx *ix, const struct txn *t);
void trustidx_free(struct trustidx *ix);

#endif
