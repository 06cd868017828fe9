/* tcp.c: TCP reassembly: each direction delivered in sequence order once; out-of-order data held, sorted, bounded. */
#include <stdlib.h>
#include <string.h>

#include "cap/tcp.h"

struct tcp_seg {
	struct tcp_seg	*next;
	uint32_t	 seq;
	size_t		 len;
	uint8_t		 data[];
};

/* a - b in sequence space (RFC 793 arithmetic, wrapping) */
static int32_t
sdiff(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b);
}

static void
drop_held(struct tcp_half *h)
{
	struct tcp_seg *s, *nx;

	for (s = h->held; s != NULL; s = nx) {
		nx = s->next;
		free(s);
	}
	h->held = h->tail = NULL;
	h->nheld = h->heldbytes = 0;
}

static void
forget(struct tcp *t, struct tcp_conn *c)
{
	drop_held(&c->h[0]);
	drop_held(&c->h[1]);
	t->ops.gone(c, t->ops.arg);
	flow_del(&t->t, &c->f);
	free(c);
}

/* Stop following c: its held data goes, its state stays so that later segments are ignored cheaply. */
static void
give_up(struct tcp *t, struct tcp_conn *c)
{
	drop_held(&c->h[0]);
	drop_held(&c->h[1]);
	if (!c->dead)
		t->ops.gone(c, t->ops.arg);
	c->app = NULL;
	c->dead = 1;
}

static int
deliver(struct tcp *t, struct tcp_conn *c, int dir, const struct pkt *k, uint32_t seq,
    const uint8_t *p, size_t n)
{
	struct tcp_half *h = &c->h[dir];
	int32_t off = sdiff(h->next, seq);

	if (off > 0) {			/* partly or wholly seen already */
		if ((size_t)off >= n)
			return 0;
		p += off;
		n -= (size_t)off;
	}
	h->next += (uint32_t)n;
	if (t->ops.data(c, dir, k, p, n, t->ops.arg) != 0)
		give_up(t, c);
	return 0;
}

static int
hold(struct tcp_half *h, uint32_t seq, const uint8_t *p, size_t n)
{
	struct tcp_seg *s, **pp;

	if (h->nheld >= TCP_HELD_SEGS || h->heldbytes + n > TCP_HELD_BYTES)
		return 0;
	if ((s = malloc(sizeof(*s) + n)) == NULL)
		return -1;
	s->seq = seq;
	s->len = n;
	memcpy(s->data, p, n);
	s->next = NULL;
	/* the usual case appends: in order after a gap */
	if (h->tail == NULL || sdiff(seq, h->tail->seq) >= 0) {
		if (h->tail != NULL)
			h->tail->next = s;
		else
			h->held = s;
		h->tail = s;
	} else {
		for (pp = &h->held; *pp != NULL && sdiff(seq, (*pp)->seq) >= 0; pp = &(*pp)->next)
			;
		s->next = *pp;
		*pp = s;
	}
	h->nheld++;
	h->heldbytes += n;
	return 0;
}

/* Held segments that now follow on, in order. */
static void
drain(struct tcp *t, struct tcp_conn *c, int dir, const struct pkt *k)
{
	struct tcp_half *h = &c->h[dir];
	struct tcp_seg *s;

	while (!c->dead && (s = h->held) != NULL && sdiff(s->seq, h->next) <= 0) {
		h->held = s->next;
		if (h->held == NULL)
			h->tail = NULL;
		h->nheld--;
		h->heldbytes -= s->len;
		deliver(t, c, dir, k, s->seq, s->data, s->len);
		free(s);
	}
}

static struct tcp_conn *
conn(struct tcp *t, const struct pkt *k, int *dir)
{
	uint8_t key[FLOW_KEYMAX];
	struct tcp_conn *c;
	size_t kl;
	int swap;

	/* one key for both directions: the lower endpoint first */
	swap = memcmp(k->src, k->dst, k->v6 ? 16 : 4);
	if (swap == 0)
		swap = k->sport > k->dport;
	else
		swap = swap > 0;
	kl = swap ? flow_key(key, k->v6, k->dst, k->dport, k->src, k->sport) :
	    flow_key(key, k->v6, k->src, k->sport, k->dst, k->dport);
	if ((c = (struct tcp_conn *)flow_find(&t->t, key, kl)) == NULL) {
		if ((c = calloc(1, sizeof(*c))) == NULL)
			return NULL;
		c->v6 = k->v6;
		memcpy(c->a, k->src, 16);
		c->ap = k->sport;
		if (flow_add(&t->t, &c->f, key, kl) != 0) {
			free(c);
			return NULL;
		}
	}
	*dir = !(memcmp(c->a, k->src, k->v6 ? 16 : 4) == 0 && c->ap == k->sport);
	return c;
}

/* The end of one direction, once everything before its FIN came. */
static void
ended(struct tcp *t, struct tcp_conn *c, int dir, const struct pkt *k)
{
	struct tcp_half *h = &c->h[dir];

	if (c->dead || h->ended || !h->fin || sdiff(h->next, h->finseq) < 0)
		return;
	h->ended = 1;
	if (t->ops.data(c, dir, k, NULL, 0, t->ops.arg) != 0)
		give_up(t, c);
}

int
tcp_segment(struct tcp *t, const struct pkt *k)
{
	struct tcp_conn *c;
	struct tcp_half *h;
	int dir;

	if ((c = conn(t, k, &dir)) == NULL)
		return -1;
	h = &c->h[dir];
	if (k->flags & PKT_RST) {
		if (!c->dead) {
			h->fin = c->h[!dir].fin = 1;	/* what came is all there is */
			h->finseq = h->next;
			c->h[!dir].finseq = c->h[!dir].next;
			ended(t, c, dir, k);
			ended(t, c, !dir, k);
		}
		forget(t, c);
		return 0;
	}
	if (c->dead)
		return 0;
	if (k->flags & PKT_SYN) {
		h->next = k->seq + 1;
		h->started = 1;
		return 0;
	}
	if (!h->started) {		/* the capture began inside the connection */
		if (k->len == 0 && !(k->flags & PKT_FIN))
			return 0;
		h->next = k->seq;
		h->started = 1;
	}
	if (k->flags & PKT_FIN && !h->fin) {
		h->fin = 1;
		h->finseq = k->seq + (uint32_t)k->len;
	}
	if (k->len > 0) {
		if (sdiff(k->seq, h->next) <= 0)
			deliver(t, c, dir, k, k->seq, k->data, k->len);
		else if (hold(h, k->seq, k->data, k->len) != 0)
			return -1;
		drain(t, c, dir, k);
	}
	if (c->dead)
		return 0;
	ended(t, c, dir, k);
	if (c->h[0].ended && c->h[1].ended)
		forget(t, c);
	return 0;
}

static void
finish_one(struct flow *f, void *arg)
{
	struct tcp *t = arg;
	struct tcp_conn *c = (struct tcp_conn *)f;

	drop_held(&c->h[0]);
	drop_held(&c->h[1]);
	if (!c->dead)
		t->ops.gone(c, t->ops.arg);
	free(c);
}

void
tcp_finish(struct tcp *t)
{
	flow_each(&t->t, finish_one, t);
	flow_free(&t->t);
}
