/* clrunbook.h: a safe plan as the change window's runbook: what to type on which node, and the check after each step. */
#ifndef CTK_CLRUNBOOK_H
#define CTK_CLRUNBOOK_H

#include <stddef.h>
#include <stdio.h>

#include "core/json.h"
#include "cucm/clplan.h"

/* One command: a CUCM CLI line typed at the admin: prompt of a node. */
struct clrunbook_cmd {
	size_t		 node;
	char		*cli;
	const char	*only;		/* static: the condition it applies under ("where SIP OAuth is on"), or NULL */
};

struct clrunbook_step {
	struct clrunbook_cmd	*cmd;
	size_t			 ncmd;
	char			**check;	/* host shell lines: the fetches, then cert-regen --check */
	size_t			 ncheck;
};

struct clrunbook {
	const struct clplan	*p;
	const char		*dir;		/* the cluster directory as given: the shell lines name it so */
	struct clrunbook_step	*s;		/* one per step of p */
	char			**kept;		/* history copies written by this run (000-...) */
	size_t			 nkept;
	char			***sgn;		/* per node: the signed files it serves, safe names only */
	size_t			*nsgn;
};

/*
 * The runbook of a safe plan p over the cluster in dir (the --cluster
 * argument): each step's commands and checks built, and what each TFTP node
 * serves now kept as NODE/tftp/history/000-ITLFile.tlv (and 000-CTLFile.tlv)
 * where not kept yet: the fetch of step 1's check writes over the served
 * copy. 0, or -1 after a diagnostic (a directory no shell line can name, a
 * link under tftp/, a write that failed). clrunbook_free in either case.
 */
int clrunbook_make(struct clrunbook *rb, const struct clplan *p, const char *dir);
void clrunbook_free(struct clrunbook *rb);
/* The runbook as text: the backups first, the steps, what to carry elsewhere; or, unsafe, the ways around. */
void clrunbook_text(const struct clrunbook *rb, FILE *fp);
/* The same as one JSON document. */
void clrunbook_json(const struct clrunbook *rb, struct json *j);

#endif
