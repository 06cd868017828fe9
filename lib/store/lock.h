/* lock.h: one store changed by one tool at a time: flock(2) on STORE/.lock, shared for readers. */
#ifndef CTK_LOCK_H
#define CTK_LOCK_H

#include <stddef.h>

#define LOCK_WAIT_DEFAULT 10	/* --wait, in seconds */
#define LOCK_WAIT_MAX 86400	/* the longest --wait */

struct lock {
	int	fd;		/* -1: not held */
	int	excl;
};

#define LOCK_ZERO { -1, 0 }

/*
 * Lock store: exclusive (changers, restores) or shared (readers), waiting up to
 * wait seconds. A holder writes "<tool> pid <N>" into STORE/.lock (created
 * 0600) so that a waiter can say who it waits for. A reader that cannot create
 * the lock file (a read-only store) reads without one.
 * 0, or -1 after "store busy: locked by <tool> pid N" or another diagnostic.
 */
int lock_take(struct lock *l, const char *store, int excl, int wait, const char *tool);
/*
 * Lock n stores (a cluster's node stores) in one fixed order, whatever the
 * order given: the byte order of their real paths, so two runs never deadlock.
 * l has n slots, filled in the order of stores. 0, or -1 with none held.
 */
int lock_all(struct lock *l, const char *const *stores, size_t n, int excl, int wait,
    const char *tool);
void lock_release(struct lock *l);

#endif
