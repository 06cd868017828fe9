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

/* What a file hands over: a phone judges each kind against the one it holds. */
enum { PHONE_ITL, PHONE_CTL, PHONE_SGN };

/* A trust list (or signed file) as a phone sees it: the records and the signer's certificate. */
struct phone_itl {
	struct phone_rec	*r;
	size_t			 n;
	struct phone_cert	 signer;	/* len 0: no signer found */
	char			 signer_name[128];
	int			 kind;		/* PHONE_ITL, PHONE_CTL, PHONE_SGN */
	const struct ctl	*file;		/* borrowed: the file itself; NULL when simulated */
};

struct phone_verdict {
	int		 accepted;
	const char	*path;		/* "direct", "tvs", or NULL when rejected */
	char		 via[64];	/* the TVS node that vouches, "" otherwise */
	int		 record;	/* old's record that names the signer (0-based), else -1 */
	int		 function;	/* that record's FUNCTION, or -1 */
	int		 notvs;		/* a CTL accepted through TVS: devices without TVS reject it */
	char		 stranded[512];	/* groups whose phones reject it, ", "-separated */
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
 * The one verdict on a handover (CUCM.md "Clusters"), for every tool: would a
 * phone holding old accept nw? When nw->file is set it must verify, and its
 * signer is matched by serial and issuer whose key verifies it (lib/tl:
 * ctl_trusts for a CTL or ITL, a SAST record; sgn_accepts for a signed file,
 * a TFTP or CCM+TFTP record); simulated lists compare certificates. Else,
 * with a cluster w (NULL: the direct rule alone), through TVS: for every
 * CallManager group, a node of the group whose TVS certificate old holds
 * (a CTL holds none: the node's current TVS, from the phone's ITL) still
 * presents it (a TVS record of nw, or its current TVS in w) and trusts nw's
 * signer (a current CallManager, CAPF or ITLRecovery certificate of the
 * cluster, or one in that node's CallManager-trust / Phone-SAST-trust). A
 * group without one is stranded (v->stranded). A CTL accepted through TVS
 * sets v->notvs: devices without TVS reject it.
 */
void phone_judge(const struct phone_itl *old, const struct phone_itl *nw,
    const struct clview *w, struct phone_verdict *v);
/* The same for two parsed trust lists (signed files: lib/cucm/phonesgn). 0, or -1 out of memory. */
int phone_judge_files(const struct ctl *old, const struct ctl *nw, const struct clview *w,
    struct phone_verdict *v);
/* The kind of a parsed trust list (its FILENAME; ctl_is_itl). */
int phone_kind(const struct ctl *c);

#endif
