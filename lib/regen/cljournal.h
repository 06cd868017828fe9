/* cljournal.h: a cluster run's journal (CLUSTER/.journal): each step's node, units, backup name and state. */
#ifndef CTK_CLJOURNAL_H
#define CTK_CLJOURNAL_H

#include <stddef.h>
#include <stdint.h>

#include "cucm/clplan.h"
#include "cucm/cluster.h"

#define CLJOURNAL_NAME	".journal"
#define CLJOURNAL_BNAME	64	/* a backup name, NUL included */

/*
 * A step's state. BEGUN: its backup name is chosen and its stores may have
 * changed (a kill leaves it so); DONE: stores and served files changed;
 * STOPPED: the run put its stores back (a phone would reject it, or a
 * failure); UNDOING, UNDONE: cert-regen --cluster -r put it back, or is doing it.
 */
enum cljournal_state { CLJ_PLANNED, CLJ_BEGUN, CLJ_DONE, CLJ_STOPPED, CLJ_UNDOING, CLJ_UNDONE };

struct cljournal_step {
	size_t			 node;		/* index in the cluster */
	char			 units[CLPLAN_UNITS * 16];	/* comma-separated */
	char			 bname[CLJOURNAL_BNAME];	/* its backup on every node it changed, "" */
	char			 undo[CLJOURNAL_BNAME];	/* the undo's own backups, "" */
	enum cljournal_state	 state;
};

struct cljournal {
	const struct cluster	*c;		/* borrowed */
	char			*path;		/* CLUSTER/.journal */
	struct cljournal_step	*s;
	size_t			 n;
};

/*
 * Read CLUSTER/.journal into j (its node names checked against c). 0; 1 when
 * there is none (j empty); -1 after a diagnostic (file: what is wrong at byte N).
 */
int cljournal_read(struct cljournal *j, const struct cluster *c);
/* Write j over CLUSTER/.journal atomically. 0, or -1 after a diagnostic. */
int cljournal_write(const struct cljournal *j);
/*
 * Before a run changes anything: CLUSTER/.journal read into j; one left with
 * a step begun or done and not undone (a previous run, or one cut short, or
 * its undo cut short) refuses the run, naming the step, its backups and the
 * command that undoes or finishes it. 0, or -1 after the diagnostics.
 */
int cljournal_check(struct cljournal *j, const struct cluster *c);
/*
 * The run starts (after cljournal_check and the served files' own checks): j
 * becomes p's steps, PLANNED, written over what cljournal_check read (steps
 * all undone or stopped). 0, or -1 after a diagnostic.
 */
int cljournal_start(struct cljournal *j, const struct clplan *p);
/*
 * Step n (1-based) begins: one backup name free in every node store, written
 * as BEGUN before any store changes. The name (owned by j), or NULL (diagnosed).
 */
const char *cljournal_begin(struct cljournal *j, int n, int64_t now);
/* Step n is now in state st (written). 0, or -1 after a diagnostic. */
int cljournal_set(struct cljournal *j, int n, enum cljournal_state st);
/*
 * The undo of step n begins: a name for its own backups, free on every node,
 * written with the state UNDOING. The name (owned by j), or NULL (diagnosed).
 */
const char *cljournal_undoing(struct cljournal *j, int n, int64_t now);
/* 1 when step s changed or may have changed the cluster and is not undone. */
int cljournal_live(const struct cljournal_step *s);
/* The state's word in the journal ("planned", "begun", ...). */
const char *cljournal_state_name(enum cljournal_state st);
void cljournal_free(struct cljournal *j);

#endif
