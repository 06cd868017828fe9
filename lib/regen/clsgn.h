/* clsgn.h: a TFTP node's signed files judged against its new ITL after a step, the cluster's re-signed. */
#ifndef CTK_CLSGN_H
#define CTK_CLSGN_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "cucm/clview.h"
#include "regen/clpub.h"
#include "tl/ctl.h"

/*
 * What a node's phones accepted directly at the last step: the ITL's TFTP
 * records then, and the files (by name, inode, size, mtime) they accepted.
 * While both stay the same the verdict cannot change: not read again.
 */
struct clsgn_memo {
	struct buf	 rec;		/* the TFTP and CCM+TFTP records' certificates (ITL, CTL held) */
	struct clsgn_seen {
		char		*name;
		unsigned long	 ino;
		long long	 size, mtime, mtime_ns;
		int		 firmware;	/* left alone: a firmware load Cisco signed */
	}		*v, *nv;		/* last step's, in name order; this step's */
	size_t		 n, nn;
};

struct clsgn {
	struct buf	*b;		/* the re-signed files' bytes, until published */
	uint8_t		**old;		/* what each re-signed file served */
	char		**names;	/* their names in tftp/ */
	size_t		 n;
	size_t		 resigned, accepted, left;	/* this node, this step */
	size_t		 firmware;	/* firmware loads Cisco signed: left alone, not rejected */
};

/* The trust lists a node's signed files are judged by, around one step. */
struct clsgn_lists {
	const struct ctl	*old;		/* the ITL phones held before the step */
	const struct ctl	*nitl;		/* the ITL the node serves after it */
	const struct ctl	*ctl;		/* mixed: the CTL phones hold after it, else NULL */
	const struct ctl	*octl;		/* mixed: the CTL they held before it, else NULL */
};

/*
 * Every served signed file (tftp/NAME.sgn) of TFTP node i judged against
 * l->nitl, the ITL the node serves after the step, and in mixed mode l->ctl
 * (the one verdict, with w for the TVS path). Accepted: counted. Rejected but
 * named by a TFTP or CCM+TFTP record of l->old or l->octl (what phones held: a
 * cluster certificate retired by the step): re-signed as CUCM's TFTP service
 * does, with the node's current CallManager, keeping the name form, digest
 * and FILENAME, TIMESTAMP ts, and added to pb. A firmware load (by its name,
 * cucm_firmware_name) whose signer no certificate of the cluster is: Cisco's,
 * left alone and counted apart. Any other (a signer the cluster does not
 * know): left, named on stderr, counted. .enc.sgn files are left as they are
 * (their payload is for one phone). 0, or -1 after a diagnostic; clsgn_free
 * in every case.
 */
int clsgn_node(const struct cluster *c, size_t i, const struct clsgn_lists *l,
    const struct clview *w, uint32_t ts, struct clpub *pb, struct clsgn *s,
    struct clsgn_memo *m);
void clsgn_free(struct clsgn *s);
void clsgn_memo_free(struct clsgn_memo *m);

#endif
