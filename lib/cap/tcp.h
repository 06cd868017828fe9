/* tcp.h: TCP streams put back in sequence order (retransmissions and overlaps dropped, gaps held) and handed on as they grow. */
#ifndef CTK_TCP_H
#define CTK_TCP_H

#include <stddef.h>
#include <stdint.h>

#include "cap/flow.h"
#include "cap/pkt.h"

/* Out-of-order data held per direction, at most (beyond: dropped, the stream stalls at its gap). */
#define TCP_HELD_SEGS 4096
#define TCP_HELD_BYTES ((size_t)64 << 20)

struct tcp_seg;

struct tcp_half {
	uint32_t	 next;		/* the next byte in order */
	uint32_t	 finseq;	/* where FIN ends it */
	int		 started, fin, ended;
	struct tcp_seg	*held, *tail;	/* by sequence number */
	size_t		 nheld, heldbytes;
};

struct tcp_conn {
	struct flow	 f;		/* first: the table holds it by this */
	struct tcp_half	 h[2];		/* [0]: sent by the endpoint that sent the first packet seen */
	int		 v6;
	uint8_t		 a[16];
	uint16_t	 ap;
	int		 dead;		/* not followed any more (not HTTP, or given up) */
	void		*app;		/* the protocol's state */
};

/*
 * What a stream is handed to: data in order (n > 0), or the end of one direction (n == 0);
 * dir is the direction's index, k the packet it came with. -1 stops following the connection.
 */
struct tcp_ops {
	int	(*data)(struct tcp_conn *c, int dir, const struct pkt *k, const uint8_t *p,
		    size_t n, void *arg);
	/* the connection is forgotten: free c->app */
	void	(*gone)(struct tcp_conn *c, void *arg);
	void	*arg;
};

struct tcp {
	struct flow_tab	 t;
	struct tcp_ops	 ops;
};

/* One segment; 0, or -1 out of memory. */
int tcp_segment(struct tcp *t, const struct pkt *k);
/* The capture ended: every open direction ends, every connection goes. */
void tcp_finish(struct tcp *t);

#endif
