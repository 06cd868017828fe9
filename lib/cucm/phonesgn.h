/* phonesgn.h: a signed TFTP file as a phone of a cluster judges it: its ITL's TFTP record, else a TVS. */
#ifndef CTK_PHONESGN_H
#define CTK_PHONESGN_H

#include "cucm/clview.h"
#include "tl/sgn.h"

/*
 * Would a phone of the cluster w holding the trust list tl accept the signed
 * file s (CUCM.md "Clusters", FORMAT.md section 7)? Directly when its signer
 * is a TFTP or CCM+TFTP record of tl (sgn_accepts); else through a TVS record
 * of tl whose node still presents that certificate and trusts the signer: a
 * certificate of the cluster (CallManager, CAPF, ITLRecovery, or in that
 * node's CallManager-trust / Phone-SAST-trust) named by s's serial and issuer
 * whose key verifies s. In mixed mode held is the CTL the phone holds (else
 * NULL): a TFTP or CCM+TFTP record of it names the signer: accepted directly.
 * Fills *v with cluster 1 and path "direct" or "tvs" (via, who), or the
 * reasons each TVS gave; returns 0, or -1 out of memory.
 */
int phonesgn_judge(const struct ctl *tl, const struct ctl *held, const struct ctl *s,
    const struct clview *w, struct sgn_verdict *v);

/*
 * The certificate of the cluster w that signed s (a node's CallManager, CAPF,
 * ITLRecovery, or a certificate of its CallManager-trust / Phone-SAST-trust:
 * serial and issuer name it, its key verifies s), described in who (n bytes);
 * NULL when none did.
 */
const struct phone_cert *phonesgn_signer(const struct clview *w, const struct ctl *s, char *who,
    size_t n);

#endif
