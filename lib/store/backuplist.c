/* backuplist.c: backups found by their names (creation order) and their manifests, never by a glob. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/diag.h"
#include "core/out.h"
#include "store/backup.h"
#include "store/backuplist.h"
#include "core/path.h"

static int
cmp(const void *a, const void *b)
{
	return backup_cmp(*(char *const *)a, *(char *const *)b);
}

/* The units of e's manifest entries, each once, in the manifest's order. */
static int
units(struct backuplist_ent *e)
{
	struct buf b = BUF_ZERO;
	const char *p;
	size_t i, k, n;

	for (i = 0; i < e->m.n; i++) {
		p = e->m.e[i].path;
		n = strcspn(p, "/");
		for (k = 0; k < i; k++)
			if (strncmp(e->m.e[k].path, p, n) == 0 && e->m.e[k].path[n] == '/')
				break;
		if (k < i || p[n] != '/')
			continue;
		if (b.len > 0)
			buf_add(&b, ",", 1);
		buf_add(&b, p, n);
	}
	buf_add(&b, "", 1);
	if (b.err) {
		buf_free(&b);
		return -1;
	}
	e->units = (char *)b.p;
	return 0;
}

/* Mark what later restores put back: newest first, a restore that was itself undone counts not. */
static void
mark_undone(struct backuplist *l)
{
	size_t i, k;

	for (i = l->n; i-- > 0;) {
		if (l->e[i].undone || l->e[i].m.undoes == NULL)
			continue;
		for (k = i; k-- > 0;)
			if (strcmp(l->e[k].name, l->e[i].m.undoes) == 0)
				l->e[k].undone = 1;
	}
}

int
backuplist_read(struct backuplist *l, const char *store)
{
	char **names = NULL, *top, stamp[BACKUP_STAMP_LEN + 1];
	size_t i, n = 0;
	int seq, rc = -1;

	memset(l, 0, sizeof(*l));
	l->store = store;
	if ((top = path_join(store, ".backup", NULL)) == NULL) {
		warnf("%s: out of memory", store);
		return -1;
	}
	if (!path_isdir(top)) {
		free(top);
		return 0;
	}
	if (path_list(top, 0, &names, &n) != 0)
		goto out;
	if (n > 0)
		qsort(names, n, sizeof(*names), cmp);
	if ((l->e = calloc(n + 1, sizeof(*l->e))) == NULL) {
		warnf("%s: out of memory", top);
		goto out;
	}
	for (i = 0; i < n; i++) {
		struct backuplist_ent *e = &l->e[l->n];

		if (!backup_parse(names[i], stamp, &seq))
			continue;
		e->name = names[i];
		names[i] = NULL;
		l->n++;
		if ((e->path = path_join(top, e->name, NULL)) == NULL) {
			warnf("%s: out of memory", top);
			goto out;
		}
		if (!path_isdir(e->path))
			continue;
		if (manifest_read(e->path, &e->m) < 0) {
			e->damaged = 1;
			l->ndamaged++;
		} else if (units(e) != 0) {
			warnf("%s: out of memory", e->path);
			goto out;
		}
	}
	mark_undone(l);
	rc = 0;
out:
	path_list_free(names, n);
	free(top);
	return rc;
}

const struct backuplist_ent *
backuplist_newest(const struct backuplist *l, const char *tool)
{
	size_t i;

	for (i = l->n; l->ndamaged == 0 && i-- > 0;)
		if (l->e[i].m.tool != NULL && strcmp(l->e[i].m.tool, tool) == 0 &&
		    l->e[i].m.undoes == NULL && !l->e[i].undone)
			return &l->e[i];
	return NULL;
}

const struct backuplist_ent *
backuplist_last(const struct backuplist *l, const char *tool)
{
	const struct backuplist_ent *e;

	if (l->ndamaged > 0) {	/* the newest might be among them: no guess */
		warnf("%s: %zu backup%s with a damaged manifest: name the backup to restore",
		    l->store, l->ndamaged, l->ndamaged == 1 ? "" : "s");
		return NULL;
	}
	if ((e = backuplist_newest(l, tool)) != NULL)
		return e;
	warnf("%s: no backup of %s left to restore (every one is undone, or none was made; "
	    "--list-backups lists them)", l->store, tool);
	return NULL;
}

char *
backuplist_resolve(const char *arg, const char *store, const char *tool)
{
	struct backuplist l;
	const struct backuplist_ent *e;
	char *path = NULL;

	if (strcmp(arg, "last") != 0) {
		if ((path = strdup(arg)) == NULL)
			warnf("%s: out of memory", arg);
		return path;
	}
	if (backuplist_read(&l, store) == 0 && (e = backuplist_last(&l, tool)) != NULL &&
	    (path = strdup(e->path)) == NULL)
		warnf("%s: out of memory", store);
	backuplist_free(&l);
	return path;
}

/* What e is: "change", "change, undone", "restore of NAME", "no manifest". */
static void
what(const struct backuplist_ent *e, FILE *fp)
{
	if (e->damaged)
		fputs("damaged manifest", fp);
	else if (e->m.tool == NULL)
		fputs("no manifest", fp);
	else if (e->m.undoes != NULL) {
		fputs("restore of ", fp);
		out_str(fp, e->m.undoes);
	} else
		fputs(e->undone ? "change, undone" : "change", fp);
	if (e->m.tool != NULL && e->m.undoes != NULL && e->undone)
		fputs(", undone", fp);
}

void
backuplist_text(const struct backuplist *l, FILE *fp)
{
	const struct backuplist_ent *e;
	size_t i;

	for (i = 0; i < l->n; i++) {
		e = &l->e[i];
		out_str(fp, e->name);
		fputc('\t', fp);
		out_str(fp, e->m.tool != NULL ? e->m.tool : "-");
		fputc('\t', fp);
		out_str(fp, e->m.time != NULL ? e->m.time : "-");
		fputc('\t', fp);
		out_str(fp, e->units != NULL && e->units[0] != '\0' ? e->units : "-");
		fputc('\t', fp);
		what(e, fp);
		fputc('\n', fp);
	}
}

void
backuplist_json(const struct backuplist *l, struct json *j)
{
	const struct backuplist_ent *e;
	const char *p;
	size_t i, n;

	json_obj(j);
	json_head(j);
	json_kstr(j, "store", l->store);
	json_key(j, "backups");
	json_arr(j);
	for (i = 0; i < l->n; i++) {
		e = &l->e[i];
		json_obj(j);
		json_kstr(j, "name", e->name);
		json_kstr(j, "path", e->path);
		json_kstr(j, "tool", e->m.tool);
		json_kstr(j, "time", e->m.time);
		json_key(j, "units");
		json_arr(j);
		for (p = e->units; p != NULL && *p != '\0'; p += n + (p[n] == ',')) {
			n = strcspn(p, ",");
			json_strn(j, p, n);
		}
		json_end(j);
		json_kbool(j, "manifest", e->m.tool != NULL);
		json_kbool(j, "damaged", e->damaged);
		json_kbool(j, "restore", e->m.undoes != NULL);
		json_kstr(j, "undoes", e->m.undoes);
		json_kbool(j, "undone", e->undone);
		json_end(j);
	}
	json_end(j);
	json_end(j);
}

void
backuplist_free(struct backuplist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->e[i].name);
		free(l->e[i].path);
		free(l->e[i].units);
		manifest_free(&l->e[i].m);
	}
	free(l->e);
	memset(l, 0, sizeof(*l));
}
