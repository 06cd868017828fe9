/* flow.c: a hash table of flows by their addresses (chained; doubled as it fills). */
#include <stdlib.h>
#include <string.h>

#include "cap/flow.h"
#include "core/hash.h"

size_t
flow_key(uint8_t key[FLOW_KEYMAX], int v6, const uint8_t *a, uint16_t ap, const uint8_t *b,
    uint16_t bp)
{
	size_t al = v6 ? 16 : 4, n = 0;

	key[n++] = (uint8_t)v6;
	memcpy(key + n, a, al);
	n += al;
	key[n++] = (uint8_t)(ap >> 8);
	key[n++] = (uint8_t)ap;
	if (b == NULL)
		return n;
	memcpy(key + n, b, al);
	n += al;
	key[n++] = (uint8_t)(bp >> 8);
	key[n++] = (uint8_t)bp;
	return n;
}

struct flow *
flow_find(const struct flow_tab *t, const uint8_t *key, size_t klen)
{
	uint32_t h = hash_fnv1a(key, klen);
	struct flow *f;

	if (t->nb == 0)
		return NULL;
	for (f = t->b[h & (t->nb - 1)]; f != NULL; f = f->next)
		if (f->hash == h && f->klen == klen && memcmp(f->key, key, klen) == 0)
			return f;
	return NULL;
}

static int
grow(struct flow_tab *t)
{
	size_t nb = t->nb ? t->nb * 2 : 256, i;
	struct flow **b, *f, *nx;

	if ((b = calloc(nb, sizeof(*b))) == NULL)
		return -1;
	for (i = 0; i < t->nb; i++)
		for (f = t->b[i]; f != NULL; f = nx) {
			nx = f->next;
			f->next = b[f->hash & (nb - 1)];
			b[f->hash & (nb - 1)] = f;
		}
	free(t->b);
	t->b = b;
	t->nb = nb;
	return 0;
}

int
flow_add(struct flow_tab *t, struct flow *f, const uint8_t *key, size_t klen)
{
	if (t->n >= t->nb && grow(t) != 0)
		return -1;
	memcpy(f->key, key, klen);
	f->klen = klen;
	f->hash = hash_fnv1a(key, klen);
	f->next = t->b[f->hash & (t->nb - 1)];
	t->b[f->hash & (t->nb - 1)] = f;
	t->n++;
	return 0;
}

void
flow_del(struct flow_tab *t, struct flow *f)
{
	struct flow **pp;

	if (t->nb == 0)
		return;
	for (pp = &t->b[f->hash & (t->nb - 1)]; *pp != NULL; pp = &(*pp)->next)
		if (*pp == f) {
			*pp = f->next;
			t->n--;
			return;
		}
}

void
flow_each(struct flow_tab *t, void (*fn)(struct flow *, void *), void *arg)
{
	struct flow *f, *nx;
	size_t i;

	for (i = 0; i < t->nb; i++)
		for (f = t->b[i]; f != NULL; f = nx) {
			nx = f->next;
			fn(f, arg);
		}
}

void
flow_free(struct flow_tab *t)
{
	free(t->b);
	t->b = NULL;
	t->nb = t->n = 0;
}
