/* pkt.c: a captured frame decoded to its UDP or TCP payload; every length is checked against what was captured. */
#include <arpa/inet.h>
#include <pcap/dlt.h>
#include <stdio.h>
#include <string.h>

#include "cap/pkt.h"

#define ETH_IP4 0x0800
#define ETH_IP6 0x86dd
#define ETH_VLAN 0x8100
#define ETH_QINQ 0x88a8

static unsigned
be16(const uint8_t *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static uint32_t
be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int
l4(const uint8_t *p, size_t n, int proto, struct pkt *k)
{
	size_t hl;

	k->proto = proto;
	if (proto == PKT_UDP) {
		if (n < 8 || be16(p + 4) < 8)
			return -1;
		if (be16(p + 4) < n)	/* the UDP length wins over padding */
			n = be16(p + 4);
		k->sport = (uint16_t)be16(p);
		k->dport = (uint16_t)be16(p + 2);
		k->data = p + 8;
		k->len = n - 8;
		return 0;
	}
	if (proto != PKT_TCP || n < 20 || (hl = (size_t)(p[12] >> 4) * 4) < 20 || hl > n)
		return -1;
	k->sport = (uint16_t)be16(p);
	k->dport = (uint16_t)be16(p + 2);
	k->seq = be32(p + 4);
	k->flags = p[13];
	k->data = p + hl;
	k->len = n - hl;
	return 0;
}

static int
ip4(const uint8_t *p, size_t n, struct pkt *k)
{
	size_t hl, tot;

	if (n < 20 || p[0] >> 4 != 4 || (hl = (size_t)(p[0] & 15) * 4) < 20 || hl > n)
		return -1;
	tot = be16(p + 2);
	if (tot < hl)
		return -1;
	if (tot < n)		/* Ethernet padding */
		n = tot;
	if ((be16(p + 6) & 0x3fff) != 0)	/* a fragment: TFTP and HTTP here never are */
		return -1;
	k->v6 = 0;
	memcpy(k->src, p + 12, 4);
	memcpy(k->dst, p + 16, 4);
	return l4(p + hl, n - hl, p[9], k);
}

static int
ip6(const uint8_t *p, size_t n, struct pkt *k)
{
	size_t off = 40, pl;
	int nh;

	if (n < 40 || p[0] >> 4 != 6)
		return -1;
	pl = be16(p + 4);
	if (pl + 40 < n)
		n = pl + 40;
	k->v6 = 1;
	memcpy(k->src, p + 8, 16);
	memcpy(k->dst, p + 24, 16);
	nh = p[6];
	/* hop-by-hop, routing, destination options: skipped; a fragment header ends it */
	while (nh == 0 || nh == 43 || nh == 60) {
		if (off + 8 > n)
			return -1;
		nh = p[off];
		off += ((size_t)p[off + 1] + 1) * 8;
	}
	if (off > n)
		return -1;
	return l4(p + off, n - off, nh, k);
}

static int
ether(unsigned type, const uint8_t *p, size_t n, struct pkt *k)
{
	/* 802.1Q and 802.1ad tags, stacked at most twice (QinQ) */
	int tags = 0;

	while ((type == ETH_VLAN || type == ETH_QINQ) && tags++ < 2) {
		if (n < 4)
			return -1;
		type = be16(p + 2);
		p += 4;
		n -= 4;
	}
	if (type == ETH_IP4)
		return ip4(p, n, k);
	if (type == ETH_IP6)
		return ip6(p, n, k);
	return -1;
}

int
pkt_decode(int dlt, const uint8_t *p, size_t n, struct pkt *k)
{
	switch (dlt) {
	case DLT_EN10MB:
		return n < 14 ? -1 : ether(be16(p + 12), p + 14, n - 14, k);
	case DLT_LINUX_SLL:	/* tcpdump -i any: 16-byte header, protocol last */
		return n < 16 ? -1 : ether(be16(p + 14), p + 16, n - 16, k);
	case DLT_LINUX_SLL2:	/* 20-byte header, protocol first */
		return n < 20 ? -1 : ether(be16(p), p + 20, n - 20, k);
	case DLT_NULL:		/* BSD loopback: host-order family */
	case DLT_LOOP:
		if (n < 5)
			return -1;
		return p[4] >> 4 == 6 ? ip6(p + 4, n - 4, k) : ip4(p + 4, n - 4, k);
	case DLT_RAW:
	case DLT_IPV4:
	case DLT_IPV6:
		if (n < 1)
			return -1;
		return p[0] >> 4 == 6 ? ip6(p, n, k) : ip4(p, n, k);
	default:
		return -1;
	}
}

void
pkt_endpoint(char *buf, size_t size, int v6, const uint8_t *addr, uint16_t port)
{
	char a[INET6_ADDRSTRLEN];

	if (inet_ntop(v6 ? AF_INET6 : AF_INET, addr, a, sizeof(a)) == NULL)
		strcpy(a, "?");
	snprintf(buf, size, v6 ? "[%s]:%u" : "%s:%u", a, (unsigned)port);
}
