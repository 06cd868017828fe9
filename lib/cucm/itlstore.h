/* itlstore.h: the records CUCM puts into an ITL or a CTL, taken from an offline store (CUCM.md). */
#ifndef CTK_ITLSTORE_H
#define CTK_ITLSTORE_H

#include <stdint.h>

#include "tl/ctlwrite.h"

struct itlstore_opts {
	int		 ctl;		/* build a CTL, not an ITL */
	int		 mixed;		/* mixed mode: the ITL's CallManager record is CCM+TFTP */
	const char	*host;		/* DNSNAME of this node's records, NULL for none */
	const uint8_t	*ip;		/* IPADDRESS of this node's records, NULL for none */
};

/*
 * Append the store's records to w, SAST records first. ITL: ITLRecovery
 * (SAST), CallManager (SAST), CallManager (TFTP, or CCM+TFTP), CAPF, then
 * TVS: TVS/TVS.pem and every certificate in TVS-trust/ (other nodes' TVS
 * certificates; duplicates left out; no host or address). CTL: CallManager
 * (SAST), ITLRecovery (SAST), CallManager (CCM+TFTP), CAPF; never TVS. An own
 * unit's identity is the first certificate of UNIT/UNIT.pem (the rest is its
 * chain). CallManager is required, the others are used when present.
 * 0, or -1 after a diagnostic.
 */
int itlstore_add(struct ctlw *w, const char *dir, const struct itlstore_opts *o);
/*
 * Append one record: the first certificate of dir/unit/unit.pem in the role fn,
 * with DNSNAME host and IPADDRESS ip (NULL: none). 0, or -1 after a diagnostic.
 */
int itlstore_add_own(struct ctlw *w, const char *dir, const char *unit, int fn,
    const char *host, const uint8_t *ip);
/*
 * The path of the store's signing key (malloc'd): ITLRecovery/ITLRecovery.key,
 * else CallManager/CallManager.key; NULL after a diagnostic when the first is
 * there but not a regular file.
 */
char *itlstore_key(const char *dir);

#endif
