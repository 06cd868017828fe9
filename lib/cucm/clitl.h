/* clitl.h: the ITL a TFTP node of an offline cluster serves, and the cluster's CTL, built and signed. */
#ifndef CTK_CLITL_H
#define CTK_CLITL_H

#include "core/buf.h"
#include "cucm/cluster.h"
#include "tl/ctlwrite.h"

/*
 * Build and sign node i's ITL (ctl 0) or the cluster's CTL (ctl 1) into out,
 * CUCM's order and layout. ITL: ITLRecovery (SAST), the node's CallManager
 * (SAST, then TFTP or CCM+TFTP when mixed), the publisher's CAPF, every node's
 * TVS with DNSNAME and IPADDRESS of its node. CTL: the publisher's
 * CallManager (SAST), ITLRecovery (SAST), every node's CallManager
 * (CCM+TFTP), the publisher's CAPF. The ITL is signed by the publisher's
 * ITLRecovery from 12.0, else by the node's CallManager; the CTL as
 * utils ctl update CTLFile signs it (cucm_ctl_signer: the publisher's
 * CallManager). o gives
 * digest, timestamp and codes (filename and signer are set here). 0, or -1
 * after a diagnostic.
 */
int clitl_build(const struct cluster *c, size_t i, int ctl, int mixed,
    const struct ctlw_opts *o, struct buf *out);
/* What phones load at most (15 security guide): more certificates or bytes and they refuse the ITL. */
#define CLITL_MAX_CERTS 39
#define CLITL_MAX_BYTES 65536
/*
 * Warn on stderr, naming who (a node, or the file), when an ITL of ncerts
 * certificates and len bytes (0: not known) passes either limit. 1 warned, 0 not.
 */
int clitl_size_warn(const char *who, size_t ncerts, size_t len);
/*
 * Serve: write every TFTP node's tftp/ITLFile.tlv, and tftp/CTLFile.tlv when
 * mixed, each atomically (an existing file only with overwrite); dry builds
 * and writes nothing. 0, or -1 after a diagnostic.
 */
int clitl_serve(const struct cluster *c, const struct ctlw_opts *o, int mixed, int overwrite,
    int dry);

#endif
