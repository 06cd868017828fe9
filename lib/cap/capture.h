/* capture.h: a packet capture (pcap or pcapng, through libpcap) read once into its TFTP and HTTP file transfers. */
#ifndef CTK_CAPTURE_H
#define CTK_CAPTURE_H

#include <stdio.h>

#include "cap/xfer.h"

/*
 * Read the capture at path ("-" is stdin) into l, in one pass: 0 read whole, 1 damaged or cut
 * short after some packets (diagnosed; l holds what came before), -1 unreadable (diagnosed).
 * Memory: the open transfers' bytes (each at most XFER_MAX) and the held TCP segments.
 */
int capture_read(const char *path, struct xfer_list *l);
/* The same from an open stream (the fuzz target's memory file); fp is closed. */
int capture_read_fp(FILE *fp, const char *name, struct xfer_list *l);

#endif
