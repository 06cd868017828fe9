/* manifest.c: a tab-separated manifest; paths are escaped reversibly (\xNN), so any name returns. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/buf.h"
#include "core/diag.h"
#include "core/out.h"
#include "store/backup.h"
#include "store/manifest.h"
#include "store/storeid.h"

#define HEAD2 "# ctlkit backup 2"
#define HEAD3 "# ctlkit backup 3"
#define HEAD_PRUNE1 "# trust-prune manifest 1\n"

const char *const manifest_kinds[] = { "put", "replace", "remove" };

int
manifest_add(struct manifest *m, enum txn_kind kind, const char *path, const char *old_sha,
    const char *new_sha, const char *note)
{
	struct manifest_ent *e, *ne;

	if (m->n == m->cap) {
		m->cap = m->cap ? 2 * m->cap : 16;
		if ((ne = realloc(m->e, m->cap * sizeof(*ne))) == NULL)
			return -1;
		m->e = ne;
	}
	e = &m->e[m->n];
	memset(e, 0, sizeof(*e));
	e->kind = kind;
	snprintf(e->old_sha, sizeof(e->old_sha), "%s", old_sha != NULL ? old_sha : "");
	snprintf(e->new_sha, sizeof(e->new_sha), "%s", new_sha != NULL ? new_sha : "");
	if ((e->path = strdup(path)) == NULL ||
	    (note != NULL && (e->note = strdup(note)) == NULL)) {
		free(e->path);
		return -1;
	}
	m->n++;
	return 0;
}

void
manifest_free(struct manifest *m)
{
	size_t i;

	for (i = 0; i < m->n; i++) {
		free(m->e[i].path);
		free(m->e[i].note);
	}
	free(m->e);
	free(m->tool);
	free(m->store);
	free(m->time);
	free(m->id);
	free(m->undoes);
	memset(m, 0, sizeof(*m));
}

/* A field: control bytes, DEL and backslash as \xNN; everything else as it is. */
static void
put(struct buf *b, const char *s, int last)
{
	for (; s != NULL && *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f || *s == '\\')
			buf_printf(b, "\\x%02X", (unsigned char)*s);
		else
			buf_add(b, s, 1);
	buf_add(b, last ? "\n" : "\t", 1);
}

char *
manifest_text(const struct manifest *m, size_t *len)
{
	struct buf b = BUF_ZERO;
	size_t i;

	buf_printf(&b, HEAD3 ": undo with %s --restore <this directory>\n", m->tool);
	buf_add(&b, "tool\t", 5);
	put(&b, m->tool, 1);
	buf_add(&b, "id\t", 3);
	put(&b, m->id, 1);
	buf_add(&b, "time\t", 5);
	put(&b, m->time, 1);
	if (m->undoes != NULL) {
		buf_add(&b, "undoes\t", 7);
		put(&b, m->undoes, 1);
	}
	for (i = 0; i < m->n; i++) {
		buf_printf(&b, "%s\t", manifest_kinds[m->e[i].kind]);
		put(&b, m->e[i].path, 0);
		put(&b, m->e[i].old_sha[0] != '\0' ? m->e[i].old_sha : "-", 0);
		put(&b, m->e[i].new_sha[0] != '\0' ? m->e[i].new_sha : "-", 0);
		put(&b, m->e[i].note, 1);
	}
	if (b.err) {
		buf_free(&b);
		return NULL;
	}
	*len = b.len;
	return (char *)b.p;
}

/* Undo put() in place; 0, or -1 for a stray backslash or an escaped NUL. */
static int
unescape(char *s)
{
	char *w = s;
	int hi, lo;

	for (; *s != '\0'; s++) {
		if (*s != '\\') {
			*w++ = *s;
			continue;
		}
		if (s[1] != 'x' || (hi = out_hexval(s[2])) < 0 || (lo = out_hexval(s[3])) < 0 ||
		    (hi == 0 && lo == 0))
			return -1;
		*w++ = (char)(hi << 4 | lo);
		s += 3;
	}
	*w = '\0';
	return 0;
}

/* Split line at tabs into at most max fields (unescaped); the count, or -1. */
static int
fields(char *line, char **f, int max)
{
	int n = 0;

	for (;;) {
		if (n == max)
			return -1;
		f[n++] = line;
		if ((line = strchr(line, '\t')) == NULL)
			break;
		*line++ = '\0';
	}
	for (max = 0; max < n; max++)
		if (unescape(f[max]) != 0)
			return -1;
	return n;
}

static int
is_sha(const char *s)
{
	return strlen(s) == 64 && strspn(s, "0123456789abcdef") == 64;
}

static int
kindof(const char *s)
{
	int k;

	for (k = 0; k < 3; k++)
		if (strcmp(s, manifest_kinds[k]) == 0)
			return k;
	return -1;
}

/* 1 for the formats with header lines (tool, store or id, time). */
static int
headed(const struct manifest *m)
{
	return m->format == MANIFEST_V3 || m->format == MANIFEST_V2;
}

/* One entry line of any format; 0, or -1 with *why set. */
static int
entry(struct manifest *m, char *line, const char **why)
{
	char *f[6];
	int n = 0, k = TXN_REMOVE;

	*why = "malformed entry";
	if (m->format == MANIFEST_PRUNE1) {	/* path sha subject serial notAfter reason */
		if (fields(line, f, 6) != 6 || !is_sha(f[1]))
			return -1;
		k = TXN_REMOVE;
		f[2] = f[1], f[1] = f[0], f[3] = "-", f[4] = f[5];
	} else if ((n = fields(line, f, 5)) == 2 && m->format == MANIFEST_REGEN1) {
		f[2] = f[3] = "-";
		f[4] = NULL;
	} else if (n < 4 || !headed(m) || (strcmp(f[2], "-") != 0 && !is_sha(f[2])) ||
	    (strcmp(f[3], "-") != 0 && !is_sha(f[3])))
		return -1;
	if (m->format != MANIFEST_PRUNE1 && (k = kindof(f[0])) < 0) {
		*why = "unknown change";
		return -1;
	}
	if (m->format != MANIFEST_REGEN1 && n == 4)
		f[4] = NULL;
	if (manifest_add(m, (enum txn_kind)k, f[1], strcmp(f[2], "-") != 0 ? f[2] : NULL,
	    strcmp(f[3], "-") != 0 ? f[3] : NULL, f[4]) != 0) {
		*why = "out of memory";
		return -1;
	}
	return 0;
}

/* A "key<TAB>value" header line of the current format; 1 when line was one. */
static int
header(struct manifest *m, char *line, int *bad)
{
	static const char *const keys[] = { "tool", "store", "time", "id", "undoes" };
	char **slot[] = { &m->tool, &m->store, &m->time, &m->id, &m->undoes };
	char *f[2];
	size_t i, len;

	for (i = 0; i < 5; i++) {
		len = strlen(keys[i]);
		if (strncmp(line, keys[i], len) != 0 || line[len] != '\t')
			continue;
		if (fields(line, f, 2) != 2 || *slot[i] != NULL || (*slot[i] = strdup(f[1])) == NULL)
			*bad = 1;
		return 1;
	}
	return 0;
}

static int
parse(struct manifest *m, char *text, size_t len, const char *path)
{
	char *line, *nl, what[64];
	const char *why;
	size_t lineno = 0;
	int bad = 0;

	if (strlen(text) != len) {
		warnf("%s: a NUL byte: not a manifest", path);
		return -1;
	}
	for (line = text; *line != '\0'; line = nl + 1) {
		lineno++;
		if ((nl = strchr(line, '\n')) == NULL) {
			warnf("%s: line %zu: no newline at the end", path, lineno);
			return -1;
		}
		*nl = '\0';
		if (line[0] == '#' || (headed(m) && header(m, line, &bad) && !bad))
			continue;
		if (bad || entry(m, line, &why) != 0) {
			snprintf(what, sizeof(what), "%.*s", (int)strcspn(line, "\t"), line);
			if (!bad && strcmp(why, "unknown change") == 0)
				warnf("%s: line %zu: unknown change \"%s\"", path, lineno, what);
			else
				warnf("%s: line %zu: %s", path, lineno, bad ? "bad header" : why);
			return -1;
		}
	}
	if (m->format == MANIFEST_V2 && (m->tool == NULL || m->store == NULL || m->store[0] != '/')) {
		warnf("%s: no tool or store recorded", path);
		return -1;
	}
	if (m->format == MANIFEST_V3 && (m->tool == NULL || m->id == NULL ||
	    !storeid_valid(m->id) || m->store != NULL)) {
		warnf("%s: no tool or store id recorded", path);
		return -1;
	}
	return 0;
}

int
manifest_parse(struct manifest *m, const char *bdir, const char *name, char *text, size_t len)
{
	char *path;
	int rc = -1;

	memset(m, 0, sizeof(*m));
	if (strncmp(text, HEAD3, strlen(HEAD3)) == 0)
		m->format = MANIFEST_V3;
	else if (strncmp(text, HEAD2, strlen(HEAD2)) == 0)
		m->format = MANIFEST_V2;
	else if (strcmp(name, MANIFEST_OLD) == 0) {
		m->format = MANIFEST_PRUNE1;
		if (strncmp(text, HEAD_PRUNE1, strlen(HEAD_PRUNE1)) != 0) {
			warnf("%s/%s: not a trust-prune manifest", bdir, name);
			return -1;
		}
	} else
		m->format = MANIFEST_REGEN1;
	if ((path = malloc(strlen(bdir) + strlen(name) + 2)) == NULL ||
	    (!headed(m) && (m->tool = strdup(m->format == MANIFEST_PRUNE1 ?
	    "trust-prune" : "cert-regen")) == NULL))
		warnf("%s: out of memory", bdir);
	else {
		sprintf(path, "%s/%s", bdir, name);
		rc = parse(m, text, len, path);
	}
	free(path);
	if (rc != 0)
		manifest_free(m);
	return rc;
}

int
manifest_read(const char *bdir, struct manifest *m)
{
	const char *name = MANIFEST_NAME;
	char *text;
	size_t len;
	int rc;

	memset(m, 0, sizeof(*m));
	if ((text = (char *)backup_read(bdir, name, &len, NULL)) == NULL && errno == ENOENT)
		text = (char *)backup_read(bdir, name = MANIFEST_OLD, &len, NULL);
	if (text == NULL)
		return errno == ENOENT ? 1 : -1;
	rc = manifest_parse(m, bdir, name, text, len);
	free(text);
	return rc;
}
