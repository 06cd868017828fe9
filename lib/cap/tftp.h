/* tftp.h: TFTP read transfers (RFC 1350; options RFC 2347-2349 and 7440) followed through a capture. */
#ifndef CTK_TFTP_H
#define CTK_TFTP_H

#include "cap/flow.h"
#include "cap/pkt.h"
#include "cap/xfer.h"

struct tftp {
	struct flow_tab	 t;	/* open transfers by client address and port */
};

/* A UDP datagram: a read request of a wanted file starts a transfer; DATA, OACK, ERROR and the client's ERROR feed it. 0, or -1 out of memory. */
int tftp_packet(struct tftp *t, struct xfer_list *l, const struct pkt *k);
/* The capture ended: what is still open stays incomplete ("unfinished"). Frees t. */
void tftp_finish(struct tftp *t, struct xfer_list *l);

#endif
