/* xfer.h: the file transfers found in a capture, each one's bytes held while it runs, then spilled to a temporary file. */
#ifndef CTK_XFER_H
#define CTK_XFER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cap/pkt.h"

/* A transfer holds at most this much (hostile captures: memory is bounded per transfer). */
#define XFER_MAX ((size_t)64 << 20)

enum xfer_proto { XFER_TFTP, XFER_HTTP };
enum xfer_state { XFER_OPEN, XFER_DONE, XFER_FAILED };

struct xfer {
	size_t		 idx;		/* 1-based, in the order the requests were seen */
	enum xfer_proto	 proto;
	long long	 sec;
	long		 usec;
	int		 v6;
	uint8_t		 caddr[16], saddr[16];
	uint16_t	 cport, sport;
	char		*name;		/* as requested, NUL-free */
	enum xfer_state	 state;
	char		 why[96];	/* XFER_FAILED, or open at the end: what happened */
	int		 capped;	/* more than XFER_MAX came: the rest was dropped */
	unsigned long long total;	/* bytes seen (more than len when capped) */
	uint8_t		*p;		/* the bytes while open */
	size_t		 len, size;
	long long	 off;		/* where the bytes are in the spill file once closed */
	int		 spilled;
};

struct xfer_list {
	struct xfer	**v;
	size_t		 n, size;
	FILE		*spill;		/* closed transfers' bytes: memory holds only open ones */
	int		 err;		/* the spill file failed (errno saved in err) */
};

/* Is this a file ctl-dump looks for (*.tlv, *.sgn, *.cnf.xml, any case; an HTTP query ignored)? */
int xfer_wanted(const char *name, size_t len);
/* A new transfer requested by the client of k (from_client: k's source is the client). */
struct xfer *xfer_new(struct xfer_list *l, enum xfer_proto proto, const struct pkt *k,
    int from_client, const char *name, size_t nlen);
/* Bytes at the end of x; past XFER_MAX they are counted, not kept. 0, or -1 out of memory. */
int xfer_add(struct xfer *x, const uint8_t *p, size_t n);
/* x is over: state DONE, or FAILED with why (NULL for DONE). Its bytes go to the spill file. */
void xfer_end(struct xfer_list *l, struct xfer *x, enum xfer_state st, const char *why);
/* x's bytes back (malloc'd; *len), or NULL with errno. */
uint8_t *xfer_read(struct xfer_list *l, const struct xfer *x, size_t *len);
/* "complete", "incomplete: WHY", "failed: WHY" (capped said too) into buf. */
const char *xfer_state_text(const struct xfer *x, char *buf, size_t size);
void xfer_free(struct xfer_list *l);

#endif
