/* tftp.c: TFTP read transfers: the request, the server's new port, OACK, DATA in block order (duplicates and wrap past 65535), ERROR. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cap/tftp.h"

enum { RRQ = 1, WRQ, DATA, ACK, ERROR, OACK };

struct tftp_x {
	struct flow	 f;	/* first: the table holds it by this */
	struct xfer	*x;
	unsigned	 blksize;
	int		 oack, got, tidset;
	uint16_t	 tid, last;
};

static unsigned
be16(const uint8_t *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

/* The next NUL-terminated string of p[*off..n), or NULL. */
static const char *
str(const uint8_t *p, size_t n, size_t *off, size_t *len)
{
	const uint8_t *z;

	if (*off >= n || (z = memchr(p + *off, '\0', n - *off)) == NULL)
		return NULL;
	*len = (size_t)(z - (p + *off));
	p += *off;
	*off += *len + 1;
	return (const char *)p;
}

/* blksize from an option list (RRQ or OACK), else def. */
static unsigned
opt_blksize(const uint8_t *p, size_t n, size_t off, unsigned def)
{
	const char *k, *v;
	size_t kl, vl;
	unsigned long b;
	char num[8];

	while ((k = str(p, n, &off, &kl)) != NULL && (v = str(p, n, &off, &vl)) != NULL) {
		if (kl != 7 || strncasecmp(k, "blksize", 7) != 0 || vl == 0 || vl >= sizeof(num))
			continue;
		memcpy(num, v, vl);
		num[vl] = '\0';
		b = strtoul(num, NULL, 10);
		if (b >= 8 && b <= 65464)	/* RFC 2348's range */
			return (unsigned)b;
	}
	return def;
}

static void
end(struct tftp *t, struct xfer_list *l, struct tftp_x *e, enum xfer_state st, const char *why)
{
	xfer_end(l, e->x, st, why);
	flow_del(&t->t, &e->f);
	free(e);
}

static int
request(struct tftp *t, struct xfer_list *l, const struct pkt *k)
{
	uint8_t key[FLOW_KEYMAX];
	const char *name, *mode;
	struct tftp_x *e;
	size_t off = 2, nl, ml, kl;

	if ((name = str(k->data, k->len, &off, &nl)) == NULL ||
	    (mode = str(k->data, k->len, &off, &ml)) == NULL || nl == 0 ||
	    !((ml == 5 && strncasecmp(mode, "octet", 5) == 0) ||
	    (ml == 8 && strncasecmp(mode, "netascii", 8) == 0)) || !xfer_wanted(name, nl))
		return 0;
	kl = flow_key(key, k->v6, k->src, k->sport, NULL, 0);
	if ((e = (struct tftp_x *)flow_find(&t->t, key, kl)) != NULL) {
		/* the client sent its request again before any answer: the same transfer */
		if (!e->got && strlen(e->x->name) == nl && memcmp(e->x->name, name, nl) == 0)
			return 0;
		end(t, l, e, XFER_FAILED, "the client asked again");
	}
	if ((e = calloc(1, sizeof(*e))) == NULL)
		return -1;
	if ((e->x = xfer_new(l, XFER_TFTP, k, 1, name, nl)) == NULL ||
	    flow_add(&t->t, &e->f, key, kl) != 0) {
		free(e);
		return -1;
	}
	e->blksize = 512;
	return 0;
}

static int
data(struct tftp *t, struct xfer_list *l, struct tftp_x *e, const struct pkt *k)
{
	unsigned blk = be16(k->data + 2);
	size_t n = k->len - 4;
	char why[64];

	if (e->got && blk == e->last)
		return 0;		/* a duplicate or a retransmission */
	if (!(e->got ? blk == ((e->last + 1u) & 0xffff) || (e->last == 0xffff && blk == 1) :
	    blk == 1))
		return 0;		/* past a gap: the server sends it again */
	if (n > e->blksize) {
		snprintf(why, sizeof(why), "block %u longer than the block size %u", blk, e->blksize);
		end(t, l, e, XFER_FAILED, why);
		return 0;
	}
	e->got = 1;
	e->last = (uint16_t)blk;
	if (xfer_add(e->x, k->data + 4, n) != 0)
		return -1;
	if (n < e->blksize)
		end(t, l, e, XFER_DONE, NULL);
	return 0;
}

static void
error(struct tftp *t, struct xfer_list *l, struct tftp_x *e, const struct pkt *k, int client)
{
	size_t off = 4, ml = 0, i;
	const char *m = str(k->data, k->len, &off, &ml);
	char why[96];
	int w;

	w = snprintf(why, sizeof(why), "%s error %u", client ? "client" : "server",
	    be16(k->data + 2));
	if (m != NULL && ml > 0 && w > 0 && (size_t)w + 3 < sizeof(why)) {
		/* the message: printable ASCII only, cut to fit */
		strcat(why, ": ");
		for (i = 0, w += 2; i < ml && (size_t)w + 1 < sizeof(why); i++, w++)
			why[w] = m[i] >= 0x20 && m[i] < 0x7f ? m[i] : '?';
		why[w] = '\0';
	}
	end(t, l, e, XFER_FAILED, why);
}

/*
 * The client acknowledged block blk. A block past the last one seen means the capture missed
 * what the client got: the server will not send it again, the transfer cannot be whole.
 */
static void
acked(struct tftp *t, struct xfer_list *l, struct tftp_x *e, unsigned blk)
{
	unsigned ahead = (blk - (e->got ? e->last : 0u)) & 0xffff;
	char why[80];

	if (ahead == 0 || ahead > 0x8000)	/* this block or an older one (a duplicate ACK) */
		return;
	snprintf(why, sizeof(why), "block %u missing from the capture (the client acknowledged %u)",
	    (e->got ? e->last + 1u : 1u) & 0xffff, blk);
	end(t, l, e, XFER_FAILED, why);
}

int
tftp_packet(struct tftp *t, struct xfer_list *l, const struct pkt *k)
{
	uint8_t key[FLOW_KEYMAX];
	struct tftp_x *e;
	size_t kl;
	unsigned op;

	if (k->len < 4)
		return 0;
	op = be16(k->data);
	if (op == RRQ)
		return request(t, l, k);
	/* the client's own packets (ERROR ends it: a refused option, a lost file) */
	kl = flow_key(key, k->v6, k->src, k->sport, NULL, 0);
	if ((op == ERROR || op == ACK) && (e = (struct tftp_x *)flow_find(&t->t, key, kl)) != NULL &&
	    memcmp(e->x->saddr, k->dst, k->v6 ? 16 : 4) == 0 && e->tidset && k->dport == e->tid) {
		if (op == ERROR)
			error(t, l, e, k, 1);
		else
			acked(t, l, e, be16(k->data + 2));
		return 0;
	}
	/* the server's, from its new port (its transfer identifier) to the client's */
	kl = flow_key(key, k->v6, k->dst, k->dport, NULL, 0);
	if ((e = (struct tftp_x *)flow_find(&t->t, key, kl)) == NULL ||
	    memcmp(e->x->saddr, k->src, k->v6 ? 16 : 4) != 0 || (e->tidset && k->sport != e->tid))
		return 0;
	if (op != DATA && op != OACK && op != ERROR)
		return 0;
	if (!e->tidset) {
		e->tid = k->sport;
		e->tidset = 1;
	}
	if (op == ERROR)
		error(t, l, e, k, 0);
	else if (op == OACK && !e->got && !e->oack) {
		e->oack = 1;
		e->blksize = opt_blksize(k->data, k->len, 2, 512);
	} else if (op == DATA)
		return data(t, l, e, k);
	return 0;
}

static void
unfinished(struct flow *f, void *arg)
{
	struct tftp_x *e = (struct tftp_x *)f;

	xfer_end(arg, e->x, XFER_FAILED, "unfinished");
	free(e);
}

void
tftp_finish(struct tftp *t, struct xfer_list *l)
{
	flow_each(&t->t, unfinished, l);
	flow_free(&t->t);
}
