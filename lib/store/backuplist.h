/* backuplist.h: a store's backups in creation order: what each holds, which one -r last means. */
#ifndef CTK_BACKUPLIST_H
#define CTK_BACKUPLIST_H

#include <stddef.h>
#include <stdio.h>

#include "core/json.h"
#include "store/manifest.h"

struct backuplist_ent {
	char		*name;		/* NAME in STORE/.backup/ */
	char		*path;		/* STORE/.backup/NAME */
	struct manifest	 m;		/* its manifest; m.tool NULL: none (a change that stopped) */
	char		*units;		/* the units its files are in, comma-separated, or "" */
	int		 undone;	/* a later restore (not itself undone) put it back */
	int		 damaged;	/* its manifest could not be read (diagnosed) */
};

struct backuplist {
	const char		*store;
	struct backuplist_ent	*e;	/* oldest first */
	size_t			 n;
	size_t			 ndamaged;
};

/*
 * The backups of store (STORE/.backup/NAME directories with a backup's name),
 * in creation order, each with its manifest read (a damaged one diagnosed and
 * counted in ndamaged). No .backup: none. 0, or -1 after a diagnostic.
 */
int backuplist_read(struct backuplist *l, const char *store);
/*
 * The backup directory -r names: arg itself, or for "last" the path of
 * backuplist_last(store, tool) (-s, default "."). Malloc'd; NULL after a diagnostic.
 */
char *backuplist_resolve(const char *arg, const char *store, const char *tool);
/*
 * What -r last means for tool: the newest backup tool made that is not a
 * restore's own and that no later restore put back. NULL after a diagnostic
 * saying there is none.
 */
const struct backuplist_ent *backuplist_last(const struct backuplist *l, const char *tool);
/* The same without a diagnostic (NULL: none, or a damaged manifest among them). */
const struct backuplist_ent *backuplist_newest(const struct backuplist *l, const char *tool);
/* One tab-separated line per backup: name, tool, time, units, what it is. */
void backuplist_text(const struct backuplist *l, FILE *fp);
/* The same as one JSON document. */
void backuplist_json(const struct backuplist *l, struct json *j);
void backuplist_free(struct backuplist *l);

#endif
