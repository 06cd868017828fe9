/* phone.h: the phone rule of CUCM.md ("Clusters"): would a phone holding one ITL accept the next? */
#ifndef CTK_PHONE_H
#define CTK_PHONE_H

#include "cucm/phoneview.h"
#include "tl/ctl.h"

struct clview;

struct phone_verdict {
	int		 accepted;
	const char	*path;		/* "direct", "tvs", or NULL when rejected */
	char		 via[64];	/* the TVS node that vouches, "" otherwise */
	int		 record;	/* old's record that names the signer (0-based), else -1 */
	int		 function;	/* that record's FUNCTION, or -1 */
	int		 ctlrec;	/* accepted by the held CTL: its record (0-based), else -1 */
	int		 ctlfn;		/* that record's FUNCTION, or -1 */
	int		 notvs;		/* a CTL accepted through TVS: devices without TVS reject it */
	char		 stranded[512];	/* groups whose phones reject it, ", "-separated */
	char		 reason[512];
};

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
 * sets v->notvs: devices without TVS reject it. In mixed mode (old->ctl: the
 * CTL the phone holds, fetched before the ITL) an ITL or signed file is also
 * accepted directly when a record of that CTL names its signer and its key
 * verifies it: for an ITL a SAST, CCM+TFTP or TFTP record, for a signed file
 * a CCM+TFTP or TFTP record (CUCM.md "The CTL"; v->ctlrec).
 */
void phone_judge(const struct phone_itl *old, const struct phone_itl *nw,
    const struct clview *w, struct phone_verdict *v);
/*
 * The same for two parsed trust lists (signed files: lib/cucm/phonesgn), held
 * the CTL the phone holds beside old (mixed mode), or NULL. 0, or -1 out of memory.
 */
int phone_judge_files(const struct ctl *old, const struct ctl *held, const struct ctl *nw,
    const struct clview *w, struct phone_verdict *v);

#endif
