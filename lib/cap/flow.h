/* flow.h: a hash table of flows (a TCP connection, a TFTP client's port) by their addresses. */
#ifndef CTK_FLOW_H
#define CTK_FLOW_H

#include <stddef.h>
#include <stdint.h>

#define FLOW_KEYMAX 40

/* Embedded first in what a table holds (tcp_conn, tftp's transfers). */
struct flow {
	struct flow	*next;
	uint8_t		 key[FLOW_KEYMAX];
	size_t		 klen;
	uint32_t	 hash;
};

struct flow_tab {
	struct flow	**b;
	size_t		 nb, n;
};

/* key: v6 flag, then for each endpoint its address (4 or 16 bytes) and port, as given. */
size_t flow_key(uint8_t key[FLOW_KEYMAX], int v6, const uint8_t *a, uint16_t ap,
    const uint8_t *b, uint16_t bp);
struct flow *flow_find(const struct flow_tab *t, const uint8_t *key, size_t klen);
/* Add f with its key set (memcpy'd in); 0, or -1 out of memory. */
int flow_add(struct flow_tab *t, struct flow *f, const uint8_t *key, size_t klen);
void flow_del(struct flow_tab *t, struct flow *f);
/* Each entry, in no order; the callback may not change the table. */
void flow_each(struct flow_tab *t, void (*fn)(struct flow *, void *), void *arg);
/* The buckets only: the entries belong to the caller. */
void flow_free(struct flow_tab *t);

#endif
