/* manifest.c: a tab-separated manifest; paths are escaped reversibly (\xNN), so any name returns. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/afile.h"
#include "store/backup.h"
#include "core/diag.h"
#include "core/io.h"
#include "store/manifest.h"
#include "store/store.h"

static const char HEAD[] = "# trust-prune manifest 1\n"
    "# path\tsha256\tsubject\tserial\tnotAfter\treason\n";

int
manifest_add(struct manifest *m, const char *path, const char *sha256, const char *subject,
    const char *serial, const char *not_after, const char *reason)
{
	struct manifest_ent *e, *ne;

	if ((ne = realloc(m->e, (m->n + 1) * sizeof(*ne))) == NULL)
		return -1;
	m->e = ne;
	e = &m->e[m->n++];
	memset(e, 0, sizeof(*e));
	snprintf(e->sha256, sizeof(e->sha256), "%s", sha256);
	e->path = strdup(path);
	e->subject = strdup(subject);
	e->serial = strdup(serial);
	e->not_after = strdup(not_after);
	e->reason = strdup(reason);
	return e->path && e->subject && e->serial && e->not_after && e->reason ? 0 : -1;
}

void
manifest_free(struct manifest *m)
{
	size_t i;

	for (i = 0; i < m->n; i++) {
		free(m->e[i].path);
		free(m->e[i].subject);
		free(m->e[i].serial);
		free(m->e[i].not_after);
		free(m->e[i].reason);
	}
	free(m->e);
	m->e = NULL;
	m->n = 0;
}

/* A field: control bytes, DEL and backslash as \xNN; everything else as it is. */
static void
put(FILE *fp, const char *s, int last)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f || *s == '\\')
			fprintf(fp, "\\x%02X", (unsigned char)*s);
		else
			fputc(*s, fp);
	fputc(last ? '\n' : '\t', fp);
}

int
manifest_write(const char *bdir, const struct manifest *m)
{
	struct afile af;
	char *path;
	size_t i;
	int rc = -1;

	if ((path = store_join(bdir, MANIFEST_NAME, NULL)) == NULL) {
		warnf("%s: out of memory", bdir);
		return -1;
	}
	if (afile_open(&af, path, 0600) != 0)
		goto out;
	fputs(HEAD, af.fp);
	for (i = 0; i < m->n; i++) {
		put(af.fp, m->e[i].path, 0);
		put(af.fp, m->e[i].sha256, 0);
		put(af.fp, m->e[i].subject, 0);
		put(af.fp, m->e[i].serial, 0);
		put(af.fp, m->e[i].not_after, 0);
		put(af.fp, m->e[i].reason, 1);
	}
	rc = afile_commit(&af, 0);
out:
	free(path);
	return rc;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Undo put() in place; 0, or -1 for a stray backslash. */
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
		if (s[1] != 'x' || (hi = hexval(s[2])) < 0 || (lo = hexval(s[3])) < 0 ||
		    (hi == 0 && lo == 0))
			return -1;
		*w++ = (char)(hi << 4 | lo);
		s += 3;
	}
	*w = '\0';
	return 0;
}

/* UNIT-trust/FILE and nothing else: a manifest must not reach outside the store. */
static int
safe_path(const char *p)
{
	const char *slash = strchr(p, '/');
	char unit[256];
	size_t n;

	if (slash == NULL || strchr(slash + 1, '/') != NULL || p[0] == '.' ||
	    (n = (size_t)(slash - p)) >= sizeof(unit))
		return 0;
	memcpy(unit, p, n);
	unit[n] = '\0';
	return store_is_trust(unit) && slash[1] != '\0' && strcmp(slash + 1, ".") != 0 &&
	    strcmp(slash + 1, "..") != 0;
}

/* One line (no newline): six tab-separated fields. 0, or -1 when malformed. */
static int
parse_line(struct manifest *m, char *line, int *nomem)
{
	char *f[6];
	int i;

	for (i = 0; i < 6; i++) {
		f[i] = line;
		line = strchr(line, '\t');
		if ((line == NULL) != (i == 5))
			return -1;
		if (line != NULL)
			*line++ = '\0';
		if (unescape(f[i]) != 0)
			return -1;
	}
	if (!safe_path(f[0]) || strlen(f[1]) != 64 || strspn(f[1], "0123456789abcdef") != 64)
		return -1;
	if (manifest_add(m, f[0], f[1], f[2], f[3], f[4], f[5]) != 0) {
		*nomem = 1;
		return -1;
	}
	return 0;
}

int
manifest_read(const char *bdir, struct manifest *m)
{
	char *path, *buf = NULL, *line, *nl;
	size_t len, lineno = 0;
	int rc = -1, nomem = 0;

	m->e = NULL;
	m->n = 0;
	if ((path = store_join(bdir, MANIFEST_NAME, NULL)) == NULL) {
		warnf("%s: out of memory", bdir);
		return -1;
	}
	if ((buf = (char *)io_slurp(path, IO_MAX, &len)) == NULL)
		goto out;
	if (strlen(buf) != len || strncmp(buf, HEAD, 24) != 0) {
		warnf("%s: not a trust-prune manifest", path);
		goto out;
	}
	for (line = buf; *line != '\0'; line = nl + 1) {
		lineno++;
		if ((nl = strchr(line, '\n')) == NULL) {
			warnf("%s: line %zu: no newline at the end", path, lineno);
			goto out;
		}
		*nl = '\0';
		if (line[0] == '#')
			continue;
		if (parse_line(m, line, &nomem) != 0) {
			warnf("%s: line %zu: %s", path, lineno,
			    nomem ? "out of memory" : "malformed entry");
			goto out;
		}
	}
	rc = 0;
out:
	free(buf);
	free(path);
	return rc;
}

/* Cut the last component of s in place ("a/b/" -> "a", "b" -> ".", "/b" -> "/"). */
static void
up(char *s)
{
	size_t n;
	char *p;

	while ((n = strlen(s)) > 1 && s[n - 1] == '/')
		s[n - 1] = '\0';
	if ((p = strrchr(s, '/')) == NULL)
		strcpy(s, ".");
	else if (p == s)
		s[1] = '\0';
	else
		*p = '\0';
}

char *
manifest_store(const char *bdir)
{
	char *s, *base;

	if ((s = malloc(strlen(bdir) + 2)) == NULL) {
		warnf("%s: out of memory", bdir);
		return NULL;
	}
	strcpy(s, bdir);
	up(s);
	base = strrchr(s, '/') != NULL ? strrchr(s, '/') + 1 : s;
	if (strcmp(base, ".backup") != 0) {
		warnf("%s: not a backup directory (STORE/.backup/NAME)", bdir);
		free(s);
		return NULL;
	}
	up(s);
	return s;
}

/* SHA-256 (hex) of the regular file path into out; 0, or -1 (errno or a static why). */
static int
file_sha256(const char *path, char *out, const char **why)
{
	uint8_t *buf;
	size_t len;
	int rc;

	if (!store_isreg(path)) {
		*why = "not a regular file";
		return -1;
	}
	if ((buf = io_slurp(path, IO_MAX, &len)) == NULL) {
		*why = "unreadable";
		return -1;
	}
	rc = hash_hex("sha256", buf, len, 0, out) != NULL ? 0 : -1;
	if (rc != 0)
		*why = "cannot hash";
	free(buf);
	return rc;
}

int
manifest_move(const char *store, const char *bdir, const struct manifest_ent *e)
{
	char *src = store_join(store, e->path, NULL), *dst = store_join(bdir, e->path, NULL);
	char sha[2 * HASH_MAX + 1];
	const char *why = NULL;
	int rc = -1;

	if (src == NULL || dst == NULL)
		warnf("%s: out of memory", store);
	else if (file_sha256(src, sha, &why) != 0)
		warnf("%s: %s", src, why);
	else if (strcmp(sha, e->sha256) != 0)
		warnf("%s: changed since it was read: left in place", src);
	else
		rc = backup_move(src, dst);
	free(src);
	free(dst);
	return rc;
}

enum manifest_state
manifest_restore(const char *store, const char *bdir, const struct manifest_ent *e,
    const char **why)
{
	char *src = store_join(bdir, e->path, NULL), *dst = store_join(store, e->path, NULL);
	char sha[2 * HASH_MAX + 1], *dir = NULL, *slash;
	enum manifest_state st = MANIFEST_FAILED;
	struct stat sb;
	int have_src, have_dst;

	*why = "out of memory";
	if (src == NULL || dst == NULL || (dir = strdup(dst)) == NULL)
		goto out;
	have_src = lstat(src, &sb) == 0;
	have_dst = lstat(dst, &sb) == 0;
	if (have_src && file_sha256(src, sha, why) != 0)
		st = MANIFEST_REFUSED;
	else if (have_src && strcmp(sha, e->sha256) != 0) {
		*why = "the backup copy differs from the manifest";
		st = MANIFEST_REFUSED;
	} else if (have_dst) {
		st = file_sha256(dst, sha, why) == 0 && strcmp(sha, e->sha256) == 0 ?
		    MANIFEST_IN_PLACE : MANIFEST_REFUSED;
		*why = "a different file is at this path";
	} else if (!have_src) {
		st = MANIFEST_LOST;
		*why = "neither in the backup nor in the store";
	} else {
		if ((slash = strrchr(dir, '/')) != NULL)
			*slash = '\0';
		/* link(2) never replaces a file that appeared meanwhile, unlike rename(2). */
		if (store_mkdirs(dir, 0755) != 0 || link(src, dst) != 0 || unlink(src) != 0) {
			st = errno == EEXIST ? MANIFEST_REFUSED : MANIFEST_FAILED;
			*why = errno == EEXIST ? "a different file is at this path" :
			    strerror(errno);
			goto out;
		}
		(void)afile_syncdir(dst);
		(void)afile_syncdir(src);
		st = MANIFEST_RESTORED;
	}
out:
	free(src);
	free(dst);
	free(dir);
	return st;
}
