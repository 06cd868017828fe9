/* clview.h: what a cluster's TVS servers know and its ITLs hold, from the stores or simulated. */
#ifndef CTK_CLVIEW_H
#define CTK_CLVIEW_H

#include "cucm/cluster.h"
#include "cucm/phoneview.h"

/* The units a trust list holds, per node. */
enum { CLV_CM, CLV_TVS, CLV_CAPF, CLV_ITLREC, CLV_N };

struct clview_node {
	struct phone_cert	 unit[CLV_N];	/* now; len 0: the node has none */
	struct phone_cert	*trust;		/* CallManager-trust and Phone-SAST-trust (bytes borrowed from idx) */
	size_t			 ntrust;
};

struct clview_idx;	/* clview.c: each distinct certificate once, and the nodes that hold it */
struct clview_undo;	/* clview.c: the regenerations since the last clview_keep */

struct clview {
	const struct cluster	*c;		/* borrowed */
	struct clview_node	*v;		/* c->n nodes */
	int			 mixed;		/* ITL role of CallManager: CCM+TFTP, not TFTP */
	unsigned		 gen;		/* simulated certificates made so far */
	struct clview_idx	*idx;
	struct clview_undo	*undo;
};

/* The ITL unit index of a unit name (CLV_CM ...), or -1 for units no trust list holds. */
int clview_unit(const char *unit);
/* Add the certificate p to what node i's TVS trusts (one more copy). 0, or -1 out of memory. */
int clview_trust_add(struct clview *w, size_t i, const uint8_t *p, size_t len);
/* Take one copy of the certificate p out of node i's trust stores, when they hold it. */
void clview_trust_drop(struct clview *w, size_t i, const uint8_t *p, size_t len);
/* Node i's unit u is now the certificate p[0..len) (len 0: none). 0, or -1 out of memory. */
int clview_unit_set(struct clview *w, size_t i, int u, const uint8_t *p, size_t len);
/* Read every node's certificates from its store. 0, or -1 after a diagnostic; clview_free always. */
int clview_load(struct clview *w, const struct cluster *c, int mixed);
void clview_free(struct clview *w);
/* A deep copy of w into d (clview_free it in any case). 0, or -1 out of memory. */
int clview_dup(struct clview *d, const struct clview *w);
/*
 * Simulate "set cert regen" of unit u on node i: a fresh token stands for the
 * new certificate; a new CallManager or CAPF is copied into every node's
 * CallManager-trust (replicated). In place, and undone by clview_undo until
 * clview_keep: the planner tries a step without copying the view. 0, or -1
 * out of memory.
 */
int clview_regen(struct clview *w, size_t i, int u);
/* Keep the regenerations since the last clview_keep. */
void clview_keep(struct clview *w);
/* Undo them: w is as it was at the last clview_keep (or load). */
void clview_undo(struct clview *w);
/*
 * The ITL TFTP node i serves, per CUCM.md: ITLRecovery (SAST), the node's
 * CallManager (SAST, TFTP or CCM+TFTP), the publisher's CAPF, every node's
 * TVS; the signer per the release. 0, or -1 out of memory.
 */
int clview_itl(const struct clview *w, size_t i, struct phone_itl *l);
/* The unit (CLV_ITLREC or CLV_CM) that signs TFTP node i's ITL, of node *node. */
int clview_itl_signer(const struct clview *w, size_t i, size_t *node);
/* 1 when node k's unit u is a record of TFTP node i's ITL (a regeneration of it changes the ITL). */
int clview_itl_has(const struct clview *w, size_t i, size_t k, int u);
/* 1 when node k's unit u is a record of the cluster's CTL. */
int clview_ctl_has(const struct clview *w, size_t k, int u);
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
