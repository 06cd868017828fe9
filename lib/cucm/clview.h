/* clview.h: what a cluster's TVS servers know and its ITLs hold, from the stores or simulated. */
#ifndef CTK_CLVIEW_H
#define CTK_CLVIEW_H

#include "cucm/cluster.h"
#include "cucm/phoneview.h"

/* The units a trust list holds, per node. */
enum { CLV_CM, CLV_TVS, CLV_CAPF, CLV_ITLREC, CLV_N };

struct clview_node {
	struct phone_cert	 unit[CLV_N];	/* now; len 0: the node has none */
	struct phone_cert	*trust;		/* CallManager-trust and Phone-SAST-trust */
	size_t			 ntrust;
};

struct clview {
	const struct cluster	*c;		/* borrowed */
	struct clview_node	*v;		/* c->n nodes */
	int			 mixed;		/* ITL role of CallManager: CCM+TFTP, not TFTP */
	unsigned		 gen;		/* simulated certificates made so far */
};

/* The ITL unit index of a unit name (CLV_CM ...), or -1 for units no trust list holds. */
int clview_unit(const char *unit);
/* Add a copy of the certificate p to what node nd's TVS trusts. 0, or -1 out of memory. */
int clview_trust_add(struct clview_node *nd, const uint8_t *p, size_t len);
/* Read every node's certificates from its store. 0, or -1 after a diagnostic; clview_free always. */
int clview_load(struct clview *w, const struct cluster *c, int mixed);
void clview_free(struct clview *w);
/* A deep copy of w into d (clview_free it in any case). 0, or -1 out of memory. */
int clview_dup(struct clview *d, const struct clview *w);
/*
 * Simulate "set cert regen" of unit u on node i: a fresh token stands for the
 * new certificate; a new CallManager or CAPF is copied into every node's
 * CallManager-trust (replicated). 0, or -1 out of memory.
 */
int clview_regen(struct clview *w, size_t i, int u);
/*
 * The ITL TFTP node i serves, per CUCM.md: ITLRecovery (SAST), the node's
 * CallManager (SAST, TFTP or CCM+TFTP), the publisher's CAPF, every node's
 * TVS; the signer per the release. 0, or -1 out of memory.
 */
int clview_itl(const struct clview *w, size_t i, struct phone_itl *l);
/*
 * The cluster's CTL as utils ctl update CTLFile makes it (mixed mode): the
 * publisher's CallManager and ITLRecovery (SAST), every node's CallManager
 * (CCM+TFTP), the publisher's CAPF; signed per cucm_ctl_signer. 0, or -1.
 */
int clview_ctl(const struct clview *w, struct phone_itl *l);
/* 1 when x is a certificate node i's TVS trusts (see phone_judge). */
int clview_tvs_trusts(const struct clview *w, size_t i, const struct phone_cert *x);
/* Index of the node whose current TVS certificate is x, or -1. */
int clview_tvs_node(const struct clview *w, const struct phone_cert *x);

#endif
