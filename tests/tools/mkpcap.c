/*
 * mkpcap: hand-made captures of what a loopback run does not produce, for ctl-dump --pcap.
 * usage: mkpcap SCENARIO OUT FILE [FILE2]
 *   tcp-ooo     HTTP GET of FILE (Content-Length) over IPv4/Ethernet, its segments out of
 *               order, overlapping and retransmitted
 *   v6-chunked  HTTP on port 6970 over IPv6 in a Linux cooked capture: FILE then FILE2 on one
 *               keep-alive connection, FILE2 chunked
 *   tftp-dup    TFTP of FILE in 802.1Q-tagged frames: the request sent twice, OACK blksize 512,
 *               every block sent twice, one block early (before a gap)
 *   tftp-wrap   TFTP of FILE at blksize 8 (FILE over 524,280 bytes: block numbers wrap to 0)
 *   tftp-large  TFTP of FILE at blksize 65464 (few packets for a file over the 64 MiB cap)
 *   tftp-window TFTP of FILE with windowsize 4 (RFC 7440): block 6 lost on the way (7 and 8
 *               arrive after the gap), the client ACKs 5, the server sends 6, 7, 8 again
 *   tftp-lost   TFTP of FILE with the client's ACKs, block 3 missing from the capture (the
 *               client acknowledged it: the capture, not the network, lost it)
 *   tftp-cut    TFTP of FILE with its last block missing (the capture ends)
 *   tftp-error  TFTP of FILE ended by the server's ERROR after the first block
 *   many        N transfers of FILE (N in MKPCAP_N, default 10000) by N phones (10.a.b.c), TFTP
 *               at blksize 512 with the phone's ACKs and HTTP on 6970 in turn (bench/ctl-dump-pcap.sh)
 *   pcapng      FILE (a pcap capture, microsecond times) rewritten as pcapng: a section
 *               header, one interface, one enhanced packet block per packet (tcpdump 4.99
 *               writes pcap only)
 * The served file is named after FILE's last path part. Timestamps start at 1798761600.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static FILE *out;
static int link_type;		/* 1 Ethernet, 113 Linux cooked */
static int vlan, v6;
static uint32_t usec;
static uint8_t C4[4] = { 10, 1, 2, 3 };
static const uint8_t S4[4] = { 10, 9, 8, 7 };
static unsigned cport = 40000;	/* the HTTP client's port */
static const uint8_t C6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 3 };
static const uint8_t S6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 7 };

static void
le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static void
be16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
be32(uint8_t *p, uint32_t v)
{
	be16(p, v >> 16);
	be16(p + 2, v & 0xffff);
}

static void
header(int lt)
{
	uint8_t h[24] = { 0 };

	link_type = lt;
	le32(h, 0xa1b2c3d4);
	h[4] = 2;
	h[6] = 4;
	le32(h + 16, 262144);
	le32(h + 20, (uint32_t)lt);
	fwrite(h, 1, sizeof(h), out);
}

/* One frame: link header, IP header, then l4 (UDP or TCP header and payload) as given. */
static void
frame(int from_client, int proto, const uint8_t *l4, size_t n)
{
	static uint8_t f[70000];
	uint8_t rh[16];
	size_t o = 0, ipl = v6 ? 40 : 20;
	unsigned et = v6 ? 0x86dd : 0x0800;

	if (link_type == 1) {
		memset(f, 0, 12);
		f[5] = from_client ? 1 : 2;
		o = 12;
		if (vlan) {
			be16(f + o, 0x8100);
			be16(f + o + 2, 42);
			o += 4;
		}
		be16(f + o, et);
		o += 2;
	} else {
		memset(f, 0, 16);
		be16(f + 2, 1);
		be16(f + 4, 6);
		be16(f + 14, et);
		o = 16;
	}
	memset(f + o, 0, ipl);
	if (v6) {
		f[o] = 0x60;
		be16(f + o + 4, (unsigned)n);
		f[o + 6] = (uint8_t)proto;
		f[o + 7] = 64;
		memcpy(f + o + 8, from_client ? C6 : S6, 16);
		memcpy(f + o + 24, from_client ? S6 : C6, 16);
	} else {
		f[o] = 0x45;
		be16(f + o + 2, (unsigned)(n + 20));
		f[o + 8] = 64;
		f[o + 9] = (uint8_t)proto;
		memcpy(f + o + 12, from_client ? C4 : S4, 4);
		memcpy(f + o + 16, from_client ? S4 : C4, 4);
	}
	o += ipl;
	memcpy(f + o, l4, n);
	o += n;
	usec += 1000;
	le32(rh, 1798761600u + usec / 1000000);
	le32(rh + 4, usec % 1000000);
	le32(rh + 8, (uint32_t)o);
	le32(rh + 12, (uint32_t)o);
	fwrite(rh, 1, 16, out);
	fwrite(f, 1, o, out);
}

static void
udp(int from_client, unsigned sp, unsigned dp, const uint8_t *p, size_t n)
{
	static uint8_t u[70000];

	be16(u, sp);
	be16(u + 2, dp);
	be16(u + 4, (unsigned)n + 8);
	be16(u + 6, 0);
	memcpy(u + 8, p, n);
	frame(from_client, 17, u, n + 8);
}

static void
tcp(int from_client, uint32_t seq, uint8_t flags, const uint8_t *p, size_t n)
{
	static uint8_t t[70000];

	memset(t, 0, 20);
	be16(t, from_client ? cport : 6970);
	be16(t + 2, from_client ? 6970 : cport);
	be32(t + 4, seq);
	t[12] = 5 << 4;
	t[13] = flags;
	be16(t + 14, 65535);
	if (n > 0)	/* a bare SYN or FIN has no payload (p NULL) */
		memcpy(t + 20, p, n);
	frame(from_client, 6, t, n + 20);
}

static uint8_t *
slurp(const char *path, size_t *n)
{
	FILE *fp = fopen(path, "rb");
	uint8_t *p;
	long sz;

	if (fp == NULL || fseek(fp, 0, SEEK_END) != 0 || (sz = ftell(fp)) < 0)
		exit(2);
	rewind(fp);
	if ((p = malloc((size_t)sz + 1)) == NULL || fread(p, 1, (size_t)sz, fp) != (size_t)sz)
		exit(2);
	fclose(fp);
	*n = (size_t)sz;
	return p;
}

static const char *
base(const char *path)
{
	const char *b = strrchr(path, '/');

	return b != NULL ? b + 1 : path;
}

/* TCP: the client's SYN, then its request, then the server's data in the order given. */
enum { SYN = 2, ACK = 16, PSH = 8, FIN = 1 };

static void
http_ooo(const char *path)
{
	size_t n, hl, len, cuts[6], i;
	uint8_t *body = slurp(path, &n), *resp;
	char req[512], head[128];
	uint32_t c0 = 1000, s0 = 5000;

	header(1);
	snprintf(req, sizeof(req), "GET /%s HTTP/1.1\r\nHost: tftp\r\n\r\n", base(path));
	hl = (size_t)snprintf(head, sizeof(head), "HTTP/1.1 200 OK\r\nContent-Length: %zu\r\n\r\n", n);
	len = hl + n;
	resp = malloc(len);
	memcpy(resp, head, hl);
	memcpy(resp + hl, body, n);
	tcp(1, c0, SYN, NULL, 0);
	tcp(0, s0, SYN | ACK, NULL, 0);
	tcp(1, c0 + 1, PSH | ACK, (uint8_t *)req, strlen(req));
	/* six pieces: sent 0, 2, 1 (overlapping 0 and 2), 4, 3, 3 again, 5, then 1 again */
	for (i = 0; i < 6; i++)
		cuts[i] = len * i / 6;
#define SEG(a, b) tcp(0, s0 + 1 + (uint32_t)cuts[a], ACK, resp + cuts[a], \
	    ((b) < 6 ? cuts[b] : len) - cuts[a])
	SEG(0, 1);
	SEG(2, 3);
	tcp(0, s0 + 1 + (uint32_t)(cuts[1] - 3), ACK, resp + cuts[1] - 3, cuts[2] - cuts[1] + 6);
	SEG(4, 5);
	SEG(3, 4);
	SEG(3, 4);
	SEG(5, 6);
	SEG(1, 2);
#undef SEG
	tcp(0, s0 + 1 + (uint32_t)len, FIN | ACK, NULL, 0);
	tcp(1, c0 + 1 + (uint32_t)strlen(req), FIN | ACK, NULL, 0);
	free(resp);
	free(body);
}

static void
http_v6(const char *p1, const char *p2)
{
	size_t n1, n2, i, k;
	uint8_t *b1 = slurp(p1, &n1), *b2 = slurp(p2, &n2);
	char req[1024], h[256];
	uint32_t cs = 1, ss = 1;

	v6 = 1;
	header(113);
	tcp(1, 0, SYN, NULL, 0);
	tcp(0, 0, SYN | ACK, NULL, 0);
	/* both requests in one segment (pipelined) */
	k = (size_t)snprintf(req, sizeof(req), "GET /%s HTTP/1.1\r\nHost: x\r\n\r\n"
	    "GET /%s?v=2 HTTP/1.1\r\nHost: x\r\n\r\n", base(p1), base(p2));
	tcp(1, cs, PSH | ACK, (uint8_t *)req, k);
	cs += (uint32_t)k;
	k = (size_t)snprintf(h, sizeof(h), "HTTP/1.1 200 OK\r\nContent-Length: %zu\r\n\r\n", n1);
	tcp(0, ss, ACK, (uint8_t *)h, k);
	ss += (uint32_t)k;
	for (i = 0; i < n1; i += 1400) {
		k = n1 - i < 1400 ? n1 - i : 1400;
		tcp(0, ss, ACK, b1 + i, k);
		ss += (uint32_t)k;
	}
	k = (size_t)snprintf(h, sizeof(h), "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
	tcp(0, ss, ACK, (uint8_t *)h, k);
	ss += (uint32_t)k;
	for (i = 0; i < n2; i += 1000) {
		k = n2 - i < 1000 ? n2 - i : 1000;
		snprintf(h, sizeof(h), "%zx;ext=1\r\n", k);
		tcp(0, ss, ACK, (uint8_t *)h, strlen(h));
		ss += (uint32_t)strlen(h);
		tcp(0, ss, ACK, b2 + i, k);
		ss += (uint32_t)k;
		tcp(0, ss, ACK, (const uint8_t *)"\r\n", 2);
		ss += 2;
	}
	tcp(0, ss, ACK, (const uint8_t *)"0\r\nX-Trailer: 1\r\n\r\n", 19);
	ss += 19;
	tcp(1, cs, FIN | ACK, NULL, 0);
	tcp(0, ss, FIN | ACK, NULL, 0);
	free(b1);
	free(b2);
}

static size_t
rrq(uint8_t *p, const char *name, unsigned blksize)
{
	size_t n = 0;

	be16(p, 1);
	n = 2;
	n += (size_t)sprintf((char *)p + n, "%s", name) + 1;
	n += (size_t)sprintf((char *)p + n, "octet") + 1;
	if (blksize) {
		n += (size_t)sprintf((char *)p + n, "blksize") + 1;
		n += (size_t)sprintf((char *)p + n, "%u", blksize) + 1;
	}
	return n;
}

static void
tftp_block(unsigned blk, const uint8_t *p, size_t n)
{
	static uint8_t d[70000];

	be16(d, 3);
	be16(d + 2, blk & 0xffff);
	if (n > 0)	/* the empty last block of a file of whole blocks */
		memcpy(d + 4, p, n);
	udp(0, 50000, 2000, d, n + 4);
}

static void
tftp(const char *path, const char *how)
{
	size_t n, i, bs, k, nblk;
	uint8_t *f = slurp(path, &n), pk[600];
	unsigned blk;
	int dup = strcmp(how, "tftp-dup") == 0;

	vlan = dup;
	header(1);
	bs = strcmp(how, "tftp-wrap") == 0 ? 8 : strcmp(how, "tftp-large") == 0 ? 65464 : 512;
	k = rrq(pk, base(path), bs == 512 ? 512 : (unsigned)bs);
	udp(1, 2000, 69, pk, k);
	if (dup)
		udp(1, 2000, 69, pk, k);
	be16(pk, 6);		/* OACK */
	k = 2 + (size_t)sprintf((char *)pk + 2, "blksize") + 1;
	k += (size_t)sprintf((char *)pk + k, "%zu", bs) + 1;
	udp(0, 50000, 2000, pk, k);
	nblk = n / bs + 1;
	for (i = 0, blk = 1; i < nblk; i++, blk++) {
		k = n - i * bs < bs ? n - i * bs : bs;
		if (strcmp(how, "tftp-cut") == 0 && i + 1 == nblk)
			break;
		if (strcmp(how, "tftp-error") == 0 && i == 1) {
			be16(pk, 5);
			be16(pk + 2, 2);
			k = 4 + (size_t)sprintf((char *)pk + 4, "Access violation") + 1;
			udp(0, 50000, 2000, pk, k);
			break;
		}
		if (dup && i == 1 && nblk > 3)	/* block 3 early, before block 2: dropped */
			tftp_block(blk + 1, f + (i + 1) * bs, bs);
		if (!(strcmp(how, "tftp-lost") == 0 && blk == 3))
			tftp_block(blk, f + i * bs, k);
		if (dup)
			tftp_block(blk, f + i * bs, k);
		if (strcmp(how, "tftp-lost") == 0) {
			be16(pk, 4);
			be16(pk + 2, blk);
			udp(1, 2000, 50000, pk, 4);
		}
	}
	free(f);
}

static void
block(uint32_t type, const uint8_t *body, size_t n)
{
	uint8_t h[8], pad[4] = { 0 };
	size_t tot = 12 + ((n + 3) & ~(size_t)3);

	le32(h, type);
	le32(h + 4, (uint32_t)tot);
	fwrite(h, 1, 8, out);
	fwrite(body, 1, n, out);
	fwrite(pad, 1, (4 - n % 4) % 4, out);
	fwrite(h + 4, 1, 4, out);
}

static void
pcapng(const char *path)
{
	size_t n, off = 24, cl;
	uint8_t *p = slurp(path, &n);
	static uint8_t b[20 + 262144];
	uint64_t t;

	if (n < 24 || p[0] != 0xd4 || p[1] != 0xc3)
		exit(2);
	memset(b, 0, 16);
	le32(b, 0x1a2b3c4d);
	b[4] = 1;		/* version 1.0 */
	memset(b + 8, 0xff, 8);	/* section length unknown */
	block(0x0a0d0d0a, b, 16);
	memset(b, 0, 8);
	b[0] = p[20];		/* link type (low bytes, little-endian) */
	b[1] = p[21];
	le32(b + 4, 262144);
	block(1, b, 8);
	while (off + 16 <= n) {
		cl = (size_t)p[off + 8] | (size_t)p[off + 9] << 8 | (size_t)p[off + 10] << 16;
		if (off + 16 + cl > n || cl > 262144)
			break;
		t = ((uint64_t)(p[off] | p[off + 1] << 8 | p[off + 2] << 16 | (uint32_t)p[off + 3] << 24)) *
		    1000000 + (p[off + 4] | p[off + 5] << 8 | p[off + 6] << 16 |
		    (uint32_t)p[off + 7] << 24);
		le32(b, 0);
		le32(b + 4, (uint32_t)(t >> 32));
		le32(b + 8, (uint32_t)t);
		le32(b + 12, (uint32_t)cl);
		le32(b + 16, (uint32_t)cl);
		memcpy(b + 20, p + off + 16, cl);
		block(6, b, 20 + cl);
		off += 16 + cl;
	}
	free(p);
}

/* RFC 7440: windows of 4 blocks; block 6 lost once, the window resent from it. */
static void
tftp_window(const char *path)
{
	size_t n, k, nblk;
	uint8_t *f = slurp(path, &n), pk[600];
	unsigned blk, lost = 1, w;

	header(1);
	k = rrq(pk, base(path), 512);
	k += (size_t)sprintf((char *)pk + k, "windowsize") + 1;
	k += (size_t)sprintf((char *)pk + k, "4") + 1;
	udp(1, 2000, 69, pk, k);
	be16(pk, 6);
	k = 2 + (size_t)sprintf((char *)pk + 2, "windowsize") + 1;
	k += (size_t)sprintf((char *)pk + k, "4") + 1;
	udp(0, 50000, 2000, pk, k);
	be16(pk, 4);
	be16(pk + 2, 0);
	udp(1, 2000, 50000, pk, 4);	/* the OACK acknowledged */
	nblk = n / 512 + 1;
	for (blk = 1; blk <= nblk;) {
		for (w = 0; w < 4 && blk + w <= nblk; w++) {
			k = n - (blk + w - 1) * 512 < 512 ? n - (blk + w - 1) * 512 : 512;
			if (blk + w == 6 && lost) {
				lost = 0;
				break;		/* lost on the network: 7 and 8 still come */
			}
			tftp_block(blk + w, f + (blk + w - 1) * 512, k);
		}
		if (w < 4 && blk + w <= nblk) {	/* the gap: 7 and 8, then the client's ACK of 5 */
			tftp_block(7, f + 6 * 512, 512);
			tftp_block(8, f + 7 * 512, 512);
			be16(pk + 2, 5);
			udp(1, 2000, 50000, pk, 4);
			blk = 6;
			continue;
		}
		blk += w;
		be16(pk + 2, blk - 1);
		udp(1, 2000, 50000, pk, 4);
	}
	free(f);
}

/* N phones fetch FILE, by TFTP (with ACKs) and HTTP in turn: the bench's capture. */
static void
many(const char *path)
{
	size_t n, i, k, off;
	uint8_t *f = slurp(path, &n), pk[600];
	const char *e = getenv("MKPCAP_N");
	long cnt = e != NULL ? atol(e) : 10000, t;
	char req[256], h[128];
	unsigned blk;

	header(1);
	for (t = 0; t < cnt; t++) {
		C4[1] = (uint8_t)(t >> 16);
		C4[2] = (uint8_t)(t >> 8);
		C4[3] = (uint8_t)t;
		if (t % 2 == 0) {
			k = rrq(pk, base(path), 0);
			udp(1, 2000, 69, pk, k);
			for (off = 0, blk = 1;; off += 512, blk++) {
				k = n - off < 512 ? n - off : 512;
				tftp_block(blk, f + off, k);
				be16(pk, 4);
				be16(pk + 2, blk);
				udp(1, 2000, 50000, pk, 4);
				if (k < 512)
					break;
			}
			continue;
		}
		cport = 40000 + (unsigned)(t % 20000);
		tcp(1, 1, SYN, NULL, 0);
		tcp(0, 1, SYN | ACK, NULL, 0);
		k = (size_t)snprintf(req, sizeof(req), "GET /%s HTTP/1.1\r\nHost: tftp\r\n\r\n",
		    base(path));
		tcp(1, 2, PSH | ACK, (uint8_t *)req, k);
		i = (size_t)snprintf(h, sizeof(h), "HTTP/1.1 200 OK\r\nContent-Length: %zu\r\n\r\n", n);
		tcp(0, 2, ACK, (uint8_t *)h, i);
		for (off = 0; off < n; off += 1448) {
			k = n - off < 1448 ? n - off : 1448;
			tcp(0, 2 + (uint32_t)(i + off), ACK, f + off, k);
		}
		tcp(1, 2 + (uint32_t)strlen(req), FIN | ACK, NULL, 0);
		tcp(0, 2 + (uint32_t)(i + n), FIN | ACK, NULL, 0);
	}
	free(f);
}

int
main(int argc, char *argv[])
{
	if (argc < 4 || (out = fopen(argv[2], "wb")) == NULL) {
		fprintf(stderr, "usage: mkpcap SCENARIO OUT FILE [FILE2]\n");
		return 2;
	}
	if (strcmp(argv[1], "tcp-ooo") == 0)
		http_ooo(argv[3]);
	else if (strcmp(argv[1], "v6-chunked") == 0 && argc == 5)
		http_v6(argv[3], argv[4]);
	else if (strcmp(argv[1], "tftp-window") == 0)
		tftp_window(argv[3]);
	else if (strcmp(argv[1], "many") == 0)
		many(argv[3]);
	else if (strcmp(argv[1], "pcapng") == 0)
		pcapng(argv[3]);
	else if (strncmp(argv[1], "tftp-", 5) == 0)
		tftp(argv[3], argv[1]);
	else {
		fprintf(stderr, "mkpcap: unknown scenario %s\n", argv[1]);
		return 2;
	}
	return fclose(out) == 0 ? 0 : 2;
}
