/* phone.h: the phone rule of CUCM.md ("Clusters"): would a phone holding one ITL accept the next? */
#ifndef CTK_PHONE_H
#define CTK_PHONE_H

#include <stddef.h>
#include <stdint.h>

#include "tl/ctl.h"

struct clview;

/* A certificate: DER bytes, or a planner's token standing for one not made yet. Owned. */
struct phone_cert {
	uint8_t	*p;
	size_t	 len;
};

struct phone_rec {
	int			 fn;		/* FUNCTION code */
	struct phone_cert	 cert;
	char			 dns[64];	/* DNSNAME, "" when none */
};

/* A trust list as a phone sees it: the records and the signer's certificate. */
struct phone_itl {
	struct phone_rec	*r;
	size_t			 n;
	struct phone_cert	 signer;	/* len 0: no signer found */
	char			 signer_name[128];
};

struct phone_verdict {
	int		 accepted;
	const char	*path;		/* "direct", "tvs", or NULL when rejected */
	char		 via[64];	/* the TVS node that vouches, "" otherwise */
	int		 record;	/* direct: old's SAST record that signs (0-based), else -1 */
	char		 reason[512];
};

/* Copy len bytes into a new certificate. 0, or -1 out of memory. */
int phone_cert_set(struct phone_cert *c, const void *p, size_t len);
void phone_cert_free(struct phone_cert *c);
int phone_cert_eq(const struct phone_cert *a, const struct phone_cert *b);
/* Append a record (copies cert). 0, or -1 out of memory. */
int phone_itl_add(struct phone_itl *l, int fn, const struct phone_cert *cert, const char *dns);
/* The records and signer of a parsed file (CERTIFICATE of each record). 0, or -1 out of memory. */
int phone_itl_from_ctl(struct phone_itl *l, const struct ctl *c);
void phone_itl_free(struct phone_itl *l);
/* 1 when a and b hold the same records (role and certificate) in the same order. */
int phone_itl_same(const struct phone_itl *a, const struct phone_itl *b);
/* 1 when nw's signer is a SAST record of old (the planner's direct check, on identities). */
int phone_direct(const struct phone_itl *old, const struct phone_itl *nw);
/* The node whose TFTP (or CCM+TFTP) record l holds: the phone's own TFTP node, or -1. */
int phone_home(const struct phone_itl *l, const struct clview *w);
/*
 * Judge nw against old as a phone of node home would (home: a node index or
 * -1): direct when the caller found so (direct, else direct_why says why not),
 * else through a TVS record of old still presented (a TVS record of nw, or
 * that node's current TVS in w) whose node trusts nw's signer (a current
 * CallManager, CAPF or ITLRecovery certificate of the cluster, or one in that
 * node's CallManager-trust / Phone-SAST-trust); home's own TVS is asked first.
 */
void phone_judge(const struct phone_itl *old, const struct phone_itl *nw, int direct,
    const char *direct_why, const struct clview *w, int home, struct phone_verdict *v);
/*
 * The same for two parsed files as a phone judges them: nw must verify; the
 * direct check is the trust-list rule of lib/tl (ctl_trusts); the phone's own
 * node is the one old's TFTP record names. 0, or -1 out of memory.
 */
int phone_judge_files(const struct ctl *old, const struct ctl *nw, const struct clview *w,
    struct phone_verdict *v);

#endif
