/* clserved.h: a key-less cluster's certificates, read from the trust lists its TFTP nodes serve. */
#ifndef CTK_CLSERVED_H
#define CTK_CLSERVED_H

#include <stddef.h>
#include <stdint.h>

#include "tl/ctl.h"

/* The units a served trust list shows (CUCM.md "Clusters"). */
enum { CLS_CM, CLS_TVS, CLS_CAPF, CLS_ITLREC, CLS_N };

/* What names a node in a served record (below lib/cucm/cluster: its nodes as plain data). */
struct clserved_node {
	const char	*name;		/* the node's name in CLUSTER/nodes */
	const char	*addr;		/* its address as text */
	const uint8_t	*ip;		/* 4 bytes: its IPv4 address */
};

struct clserved_cert {
	uint8_t	*der;		/* NULL: no served file shows it */
	size_t	 len;
};

struct clserved {
	struct clserved_cert		(*v)[CLS_N];	/* per node */
	const struct clserved_node	*nd;		/* borrowed */
	size_t				 n, pub;
};

/* The unit index of a unit name (CLS_CM ...), or -1 for one no trust list holds. */
int clserved_unit(const char *unit);
/* An empty set for the n nodes nd (borrowed), pub the publisher. 0, or -1 out of memory. */
int clserved_init(struct clserved *s, const struct clserved_node *nd, size_t n, size_t pub);
void clserved_free(struct clserved *s);
/*
 * What ct, a trust list TFTP node i serves, shows, into the units s does not
 * hold yet: an ITL gives every node's TVS (its record's IPADDRESS or DNSNAME
 * names the node), the publisher's CAPF and ITLRecovery (the SAST record that
 * is not the node's CallManager) and node i's CallManager (its TFTP or
 * CCM+TFTP record); a CTL every node's CallManager (CCM+TFTP). 0, or -1 out of memory.
 */
int clserved_take(struct clserved *s, size_t i, const struct ctl *ct);
/*
 * Read, for every node i, the trust lists itl[i] and ctl[i] (paths; NULL or
 * absent: none) into s, ITLs first. A file that does not parse is left out
 * (*bad counts them): the reader that judges it says what is wrong. 0, or -1
 * out of memory.
 */
int clserved_read(struct clserved *s, char *const *itl, char *const *ctl, int *bad);
/* The certificate the served files show for node i's unit u (CLS_...), or NULL. */
const struct clserved_cert *clserved_get(const struct clserved *s, size_t i, int u);

#endif
