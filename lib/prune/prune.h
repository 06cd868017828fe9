/* prune.h: which trust certificates may go (expired, superseded) and which must stay (CUCM.md). */
#ifndef CTK_PRUNE_H
#define CTK_PRUNE_H

#include <stddef.h>
#include <stdint.h>

#include "tl/ctlset.h"
#include "store/issuer.h"
#include "store/trustset.h"

/* Selection reasons (trust_cert.sel). */
enum {
	PRUNE_EXPIRED = 0x1,		/* notAfter before now */
	PRUNE_EXPIRING = 0x2,		/* notAfter within the --expiring window */
	PRUNE_SUPERSEDED = 0x4,		/* same subject in the unit, an earlier notBefore */
	PRUNE_NAMED = 0x8		/* --delete names it */
};
/* Protections (trust_cert.keep): any one keeps the certificate. */
enum {
	PRUNE_KEEP_BUNDLED = 0x1,	/* a Cisco bundled CA (by CN) */
	PRUNE_KEEP_ISSUER = 0x2,	/* its key verifies an own certificate (or its chain) */
	PRUNE_KEEP_KEEPIN = 0x4,	/* held by a --keep-in CTL/ITL */
	PRUNE_KEEP_INUSE = 0x8,		/* held by an --unused-by CTL/ITL */
	PRUNE_KEEP_KEY = 0x10,		/* its file holds a private key */
	PRUNE_KEEP_FILE = 0x20,		/* its file holds a certificate that stays */
	PRUNE_KEEP_NEWEST = 0x40,	/* --delete: the newest of its name (it supersedes another) */
	PRUNE_KEEP_NODE = 0x80		/* --cluster: a replicated copy another node keeps */
};
/* What --delete refuses to remove unless forced. */
#define PRUNE_KEEP_DELETE (PRUNE_KEEP_BUNDLED | PRUNE_KEEP_ISSUER | PRUNE_KEEP_KEEPIN | \
	PRUNE_KEEP_NEWEST | PRUNE_KEEP_NODE)

struct prune_opts {
	int64_t			 now;
	int64_t			 window;	/* --expiring, in seconds; 0 for none */
	int			 allow_mic_roots;
	int			 all;		/* check protections of unselected certificates too */
	const struct ctlset	*keepin, *unusedby;
};

/*
 * Set sel and keep on every certificate of the units in scope and go on the
 * files that may be removed (all of their certificates selected, none kept).
 * Returns the number of files that go, or -1 after a diagnostic when the
 * issuer check could not read an own certificate (then nothing may be applied;
 * the marks are still set as far as they are known). is keeps the names the
 * ISSUER marks point to: issuer_free() after the marks are used.
 */
long prune_select(struct trust_set *ts, const struct prune_opts *o, struct issuer *is);
/*
 * --delete, after prune_select (o->all set): the file name of unit is the only
 * one that goes (go), its certificates marked PRUNE_NAMED and, when one
 * supersedes another of its subject, PRUNE_KEEP_NEWEST. *keep: the protections
 * of its certificates. 1 when the store has the file, 0 when not (go cleared
 * everywhere).
 */
int prune_named(struct trust_set *ts, const char *unit, const char *name, unsigned *keep);
/*
 * The reasons as text into out: "expired,superseded" for a selected certificate,
 * "keep:bundled-ca,issuer" for a kept one ("keep:valid" when nothing selects it).
 * Returns out.
 */
char *prune_why(const struct trust_cert *c, char *out, size_t outlen);
/* Names of single bits, for JSON: "expired"..., "bundled-ca"...; NULL for others. */
const char *prune_sel_name(unsigned bit);
const char *prune_keep_name(unsigned bit);

#endif
