/* ctlset.h: the certificates a set of CTL/ITL files holds, to ask "is this one of them?". */
#ifndef CTK_CTLSET_H
#define CTK_CTLSET_H

#include <stddef.h>
#include <stdint.h>

struct ctlset_ent {
	uint8_t		*der;		/* the record's CERTIFICATE (owned), NULL when absent */
	size_t		 len;
	uint8_t		 serial[64];	/* the record's SERIALNUMBER (minimal unsigned bytes) */
	size_t		 slen;		/* 0 when absent */
	const char	*src;		/* borrowed: the path given to ctlset_add */
};

struct ctlset {
	struct ctlset_ent *e;
	size_t		   n;
};

#define CTLSET_ZERO { NULL, 0 }

/*
 * Add every record of the CTL/ITL file path ("-" = stdin; path is borrowed and
 * must outlive the set). 0, or -1 after a diagnostic (unreadable or damaged:
 * a partial list must not be trusted to protect anything).
 */
int ctlset_add(struct ctlset *s, const char *path);
/*
 * The file holding the certificate der[0..len) with the given serial (minimal
 * unsigned bytes), or NULL. A record with a CERTIFICATE matches by identical DER
 * bytes; a record without one matches any certificate with its serial number.
 */
const char *ctlset_holds(const struct ctlset *s, const uint8_t *der, size_t len,
    const uint8_t *serial, size_t slen);
void ctlset_free(struct ctlset *s);

#endif
