/*
 * cljournal.c: a cluster run changes many stores step by step, each with its
 * own backups; the journal is what ties a step to them, so that the step can
 * be undone as a whole and a killed run can say how far it got.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/afile.h"
#include "core/buf.h"
#include "core/diag.h"
#include "core/io.h"
#include "regen/cljournal.h"
#include "store/backup.h"
#include "core/path.h"

#define HEADER	"# ctlkit cluster run 1\n"

static const char *const states[] = { "planned", "begun", "done", "stopped", "undoing",
	"undone" };

const char *
cljournal_state_name(enum cljournal_state st)
{
	return states[st];
}

int
cljournal_live(const struct cljournal_step *s)
{
	return s->state == CLJ_BEGUN || s->state == CLJ_DONE || s->state == CLJ_UNDOING;
}

void
cljournal_free(struct cljournal *j)
{
	free(j->path);
	free(j->s);
	memset(j, 0, sizeof(*j));
}

/* A word of the journal: what a unit, node or backup name may hold, nothing that splits a line or a path. */
static int
word_ok(const char *w, size_t len, size_t max)
{
	size_t k;

	if (len == 0 || len >= max)
		return 0;
	for (k = 0; k < len; k++)
		if (w[k] <= ' ' || w[k] == 0x7f || w[k] == '/')
			return 0;
	return 1;
}

/* One "step" line's fields f[0..6] into s (k-th step, 0-based). NULL, or what is wrong. */
static const char *
parse_step(struct cljournal *j, char **f, size_t k, struct cljournal_step *s)
{
	char *end;
	long n;
	int node, st;

	memset(s, 0, sizeof(*s));
	n = strtol(f[1], &end, 10);
	if (strcmp(f[0], "step") != 0 || *end != '\0' || n != (long)k + 1)
		return "not the next step line";
	if ((node = cluster_find(j->c, f[2])) < 0)
		return "a node the cluster's nodes file does not name";
	s->node = (size_t)node;
	if (!word_ok(f[3], strlen(f[3]), sizeof(s->units)))
		return "not a list of units";
	strcpy(s->units, f[3]);
	if (strcmp(f[4], "-") != 0 && (!word_ok(f[4], strlen(f[4]), CLJOURNAL_BNAME) ||
	    !backup_parse(f[4], (char[BACKUP_STAMP_LEN + 1]){ 0 }, &node)))
		return "not a backup name";
	if (strcmp(f[4], "-") != 0)
		strcpy(s->bname, f[4]);
	if (strcmp(f[6], "-") != 0 && (!word_ok(f[6], strlen(f[6]), CLJOURNAL_BNAME) ||
	    !backup_parse(f[6], (char[BACKUP_STAMP_LEN + 1]){ 0 }, &node)))
		return "not a backup name";
	if (strcmp(f[6], "-") != 0)
		strcpy(s->undo, f[6]);
	for (st = 0; st <= CLJ_UNDONE && strcmp(states[st], f[5]) != 0; st++)
		continue;
	if (st > CLJ_UNDONE)
		return "not a step's state";
	s->state = (enum cljournal_state)st;
	if (s->state != CLJ_PLANNED && s->bname[0] == '\0')
		return "a step past planned without its backup name";
	return NULL;
}

/* Split line (NUL-ended) at tabs into exactly 7 fields. 0, or -1. */
static int
split(char *line, char **f)
{
	int k = 0;

	f[k++] = line;
	for (; *line != '\0'; line++)
		if (*line == '\t') {
			if (k == 7)
				return -1;
			*line = '\0';
			f[k++] = line + 1;
		}
	return k == 7 ? 0 : -1;
}

static int
parse(struct cljournal *j, char *text, size_t len)
{
	struct cljournal_step *v;
	char *line = text, *nl, *f[7];
	const char *why = NULL;
	size_t off;

	if (len < sizeof(HEADER) - 1 || memcmp(text, HEADER, sizeof(HEADER) - 1) != 0) {
		warnf("%s: not a ctlkit cluster run's journal at byte 0", j->path);
		return -1;
	}
	for (line = text + sizeof(HEADER) - 1; line < text + len; line = nl + 1) {
		off = (size_t)(line - text);
		if ((nl = memchr(line, '\n', len - off)) == NULL) {
			why = "a line without its end (a journal cut short)";
			break;
		}
		*nl = '\0';
		if (memchr(line, '\0', (size_t)(nl - line)) != NULL)
			why = "a NUL byte";
		else if (split(line, f) != 0)
			why = "not 7 tab-separated fields";
		else if ((v = realloc(j->s, (j->n + 1) * sizeof(*v))) == NULL)
			why = "out of memory";
		else {
			j->s = v;
			why = parse_step(j, f, j->n, &j->s[j->n]);
		}
		if (why != NULL)
			break;
		j->n++;
	}
	if (why == NULL && j->n > 0)
		return 0;
	warnf("%s: %s at byte %zu", j->path, why != NULL ? why : "no step", (size_t)(line - text));
	return -1;
}

int
cljournal_read(struct cljournal *j, const struct cluster *c)
{
	uint8_t *buf;
	size_t len;
	int rc;

	memset(j, 0, sizeof(*j));
	j->c = c;
	if ((j->path = path_join(c->dir, CLJOURNAL_NAME, NULL)) == NULL) {
		warnf("%s: out of memory", c->dir);
		return -1;
	}
	if (!path_isreg(j->path)) {
		if (access(j->path, F_OK) == 0 || errno != ENOENT) {
			warnf("%s: not a regular file", j->path);
			return -1;
		}
		return 1;
	}
	if ((buf = io_slurp(j->path, IO_MAX, &len)) == NULL)
		return -1;
	rc = parse(j, (char *)buf, len);
	free(buf);
	return rc;
}

int
cljournal_write(const struct cljournal *j)
{
	struct buf b = BUF_ZERO;
	const struct cljournal_step *s;
	size_t k;
	int rc = -1;

	buf_add(&b, HEADER, sizeof(HEADER) - 1);
	for (k = 0; k < j->n; k++) {
		s = &j->s[k];
		buf_printf(&b, "step\t%zu\t%s\t%s\t%s\t%s\t%s\n", k + 1, j->c->v[s->node].name,
		    s->units, s->bname[0] != '\0' ? s->bname : "-", states[s->state],
		    s->undo[0] != '\0' ? s->undo : "-");
	}
	if (b.err)
		warnf("%s: out of memory", j->path);
	else
		rc = afile_write(j->path, b.p, b.len, AFILE_MODE_DEFAULT, 1);
	buf_drop(&b);
	return rc;
}

/* The stores of the cluster's nodes, in its order (for backup_name_for). NULL when out of memory. */
static const char **
stores(const struct cluster *c)
{
	const char **d = calloc(c->n, sizeof(*d));
	size_t i;

	for (i = 0; d != NULL && i < c->n; i++)
		d[i] = c->v[i].dir;
	return d;
}

/* A journal still holding live steps: say what they are and the commands that undo them. */
static void
leftover(const struct cljournal *j)
{
	const struct cljournal_step *s;
	char whole[CLUSTER_NAME * 8];
	size_t k, last = 0, ndone = 0;

	for (k = 0; k < j->n; k++)
		if (cljournal_live(&j->s[k])) {
			last = k;
			ndone += j->s[k].state == CLJ_DONE;
		}
	s = &j->s[last];
	snprintf(whole, sizeof(whole), ", the whole run with cert-regen --cluster %s -r 1",
	    j->c->dir);
	if (s->state == CLJ_BEGUN)
		warnf("%s: step %zu of a previous run (%s: %s) was cut short: its backups are "
		    ".backup/%s on the nodes it changed; undo it with cert-regen --cluster %s "
		    "-r %zu%s", j->c->dir, last + 1, j->c->v[s->node].name, s->units, s->bname,
		    j->c->dir, last + 1, last > 0 ? whole : "");
	else if (s->state == CLJ_UNDOING)
		warnf("%s: the undo of step %zu (%s: %s) was cut short: finish it with cert-regen "
		    "--cluster %s -r %zu", j->c->dir, last + 1, j->c->v[s->node].name, s->units,
		    j->c->dir, last + 1);
	else if (last + 1 < j->n && j->s[last + 1].state == CLJ_PLANNED)
		warnf("%s: a previous run stopped after step %zu of %zu (%s: %s, backups "
		    ".backup/%s), killed or failed between steps; undo it with cert-regen "
		    "--cluster %s -r last%s", j->c->dir, last + 1, j->n, j->c->v[s->node].name,
		    s->units, s->bname, j->c->dir, last > 0 ? whole : "");
	else
		warnf("%s: a previous run's journal: %zu step%s done, the last %zu (%s: %s, "
		    "backups .backup/%s); undo it with cert-regen --cluster %s -r last%s, or move "
		    "%s and every node's tftp/history away first", j->c->dir, ndone,
		    ndone == 1 ? "" : "s", last + 1, j->c->v[s->node].name, s->units, s->bname,
		    j->c->dir, last > 0 ? whole : "", j->path);
}

int
cljournal_check(struct cljournal *j, const struct cluster *c)
{
	size_t k;
	int rc = cljournal_read(j, c);

	for (k = 0; rc == 0 && k < j->n; k++)
		if (cljournal_live(&j->s[k])) {
			leftover(j);
			return -1;
		}
	return rc < 0 ? -1 : 0;
}

int
cljournal_start(struct cljournal *j, const struct clplan *p)
{
	const struct cluster *c = j->c;
	struct cljournal_step *s;
	size_t k;
	int u;

	/* none, or one whose steps are all undone or stopped: the new run's replaces it */
	free(j->s);
	j->n = 0;
	if ((j->s = calloc(p->n + 1, sizeof(*j->s))) == NULL) {
		warnf("%s: out of memory", c->dir);
		return -1;
	}
	for (k = 0; k < p->n; k++) {
		s = &j->s[k];
		s->node = p->s[k].node;
		for (u = 0; u < p->s[k].n; u++)
			snprintf(s->units + strlen(s->units), sizeof(s->units) - strlen(s->units),
			    "%s%s", u > 0 ? "," : "", p->s[k].units[u]);
	}
	j->n = p->n;
	return cljournal_write(j);
}

/* A backup name free on every node, into out (CLJOURNAL_BNAME bytes). 0, or -1 (diagnosed). */
static int
fresh_name(const struct cljournal *j, int64_t now, char *out)
{
	const char **d = stores(j->c);
	char *name = d != NULL ? backup_name_for(d, j->c->n, "cert-regen", now) : NULL;

	if (d == NULL)
		warnf("%s: out of memory", j->c->dir);
	free(d);
	if (name == NULL)
		return -1;
	snprintf(out, CLJOURNAL_BNAME, "%s", name);
	free(name);
	return 0;
}

const char *
cljournal_begin(struct cljournal *j, int n, int64_t now)
{
	struct cljournal_step *s = &j->s[n - 1];
	const struct cljournal_step *p = n > 1 ? &j->s[n - 2] : NULL;
	char *next;

	/*
	 * The previous step done by this run, which holds every node's lock: its
	 * name sorts after every backup of each, so the next one does too (no
	 * node's .backup read again per step).
	 */
	if (p != NULL && p->state == CLJ_DONE &&
	    (next = backup_name_after(p->bname, "cert-regen", now)) != NULL) {
		snprintf(s->bname, CLJOURNAL_BNAME, "%s", next);
		free(next);
	} else if (fresh_name(j, now, s->bname) != 0)
		return NULL;
	s->state = CLJ_BEGUN;
	return cljournal_write(j) == 0 ? s->bname : NULL;
}

int
cljournal_set(struct cljournal *j, int n, enum cljournal_state st)
{
	j->s[n - 1].state = st;
	return cljournal_write(j);
}

const char *
cljournal_undoing(struct cljournal *j, int n, int64_t now)
{
	struct cljournal_step *s = &j->s[n - 1];

	if (fresh_name(j, now, s->undo) != 0)
		return NULL;
	s->state = CLJ_UNDOING;
	return cljournal_write(j) == 0 ? s->undo : NULL;
}
