/* pkt.h: one captured frame decoded down to its UDP or TCP payload (IPv4, IPv6; Ethernet, 802.1Q, Linux cooked, raw IP). */
#ifndef CTK_PKT_H
#define CTK_PKT_H

#include <stddef.h>
#include <stdint.h>

#define PKT_UDP 17
#define PKT_TCP 6
/* TCP flags */
#define PKT_FIN 0x01
#define PKT_SYN 0x02
#define PKT_RST 0x04

struct pkt {
	long long	 sec;
	long		 usec;
	int		 v6;
	uint8_t		 src[16], dst[16];	/* 4 bytes used for IPv4 */
	int		 proto;			/* PKT_UDP or PKT_TCP */
	uint16_t	 sport, dport;
	uint32_t	 seq;			/* TCP */
	uint8_t		 flags;			/* TCP */
	const uint8_t	*data;			/* the payload, inside the frame */
	size_t		 len;
};

/*
 * Decode a frame of link type dlt (libpcap's DLT_*) of caplen bytes: 0 with k filled for a
 * UDP datagram or TCP segment whose headers are whole (the payload is cut to what was captured
 * and what the IP length says), -1 for anything else (other protocols, fragments, damage).
 */
int pkt_decode(int dlt, const uint8_t *p, size_t caplen, struct pkt *k);
/* "ADDR:PORT" ("[ADDR]:PORT" for IPv6) into buf. */
void pkt_endpoint(char *buf, size_t size, int v6, const uint8_t *addr, uint16_t port);

#endif
