/* clsgn.h: a TFTP node's signed files judged against its new ITL after a step, the cluster's re-signed. */
#ifndef CTK_CLSGN_H
#define CTK_CLSGN_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "cucm/clview.h"
#include "regen/clpub.h"
#include "tl/ctl.h"

struct clsgn {
	struct buf	*b;		/* the re-signed files' bytes, until published */
	uint8_t		**old;		/* what each re-signed file served */
	char		**names;	/* their names in tftp/ */
	size_t		 n;
	size_t		 resigned, accepted, left;	/* this node, this step */
};

/*
 * Every served signed file (tftp/NAME.sgn) of TFTP node i judged against nitl, the ITL the
 * node serves after the step (the one verdict, with w for the TVS path).
 * Accepted: counted. Rejected but named by a TFTP or CCM+TFTP record of old
 * (the ITL phones held: a cluster certificate retired by the step): re-signed
 * as CUCM's TFTP service does, with the node's current CallManager, keeping
 * the name form, digest and FILENAME, TIMESTAMP ts, and added to pb. Any
 * other (a signer the cluster does not know): left, named on stderr, counted.
 * .enc.sgn files are left as they are (their payload is for one phone).
 * 0, or -1 after a diagnostic; clsgn_free in every case.
 */
int clsgn_node(const struct cluster *c, size_t i, const struct ctl *old, const struct ctl *nitl,
    const struct clview *w, uint32_t ts, struct clpub *pb, struct clsgn *s);
void clsgn_free(struct clsgn *s);

#endif
