/* backup.c: backups are made before anything is replaced, and are never overwritten. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "core/afile.h"
#include "store/backup.h"
#include "core/diag.h"
#include "core/io.h"
#include "core/path.h"
#include "core/when.h"

int
backup_parse(const char *name, char stamp[BACKUP_STAMP_LEN + 1], int *seq)
{
	const char *dot;

	if (strlen(name) <= BACKUP_STAMP_LEN + 1 || strspn(name, "0123456789") != 8 ||
	    name[8] != 'T' || strspn(name + 9, "0123456789") != 6 || name[15] != 'Z' ||
	    name[16] != '-')
		return 0;
	memcpy(stamp, name, BACKUP_STAMP_LEN);
	stamp[BACKUP_STAMP_LEN] = '\0';
	*seq = 0;
	if (strspn(name + 17, "0123456789") == 3 && name[20] == '-')
		*seq = atoi(name + 17);		/* a tool name never starts with a digit */
	else if ((dot = strrchr(name, '.')) != NULL && dot[1] != '\0' &&
	    strspn(dot + 1, "0123456789") == strlen(dot + 1) && strlen(dot + 1) <= 3)
		*seq = atoi(dot + 1);		/* the old ".N" */
	return 1;
}

int
backup_cmp(const char *a, const char *b)
{
	char sa[BACKUP_STAMP_LEN + 1], sb[BACKUP_STAMP_LEN + 1];
	int na, nb, c;

	if (!backup_parse(a, sa, &na) || !backup_parse(b, sb, &nb))
		return strcmp(a, b);
	if ((c = strcmp(sa, sb)) != 0)
		return c;
	if (na != nb)
		return na < nb ? -1 : 1;
	return strcmp(a, b);
}

/* The newest backup's second in stamp (when later) and the next rank in it into *seq. */
static int
next_slot(const char *top, char stamp[BACKUP_STAMP_LEN + 1], int *seq)
{
	char **names, s[BACKUP_STAMP_LEN + 1];
	size_t i, n;
	int k, c;

	*seq = 0;
	if (path_list(top, 0, &names, &n) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (!backup_parse(names[i], s, &k) || (c = strcmp(s, stamp)) < 0)
			continue;
		if (c > 0) {
			memcpy(stamp, s, sizeof(s));
			*seq = k + 1;
		} else if (k + 1 > *seq)
			*seq = k + 1;
	}
	path_list_free(names, n);
	return 0;
}

/* STORE/.backup, made 0700 when missing, never a link. Malloc'd, or NULL (diagnosed). */
static char *
backup_top(const char *store)
{
	struct stat st;
	char *top;

	if ((top = path_join(store, ".backup", NULL)) == NULL) {
		warnf("%s: out of memory", store);
		return NULL;
	}
	if (mkdir(top, 0700) != 0 && errno != EEXIST) {
		warnf("%s:", top);
		free(top);
		return NULL;
	}
	/* A symbolic link planted here would take the backups (old keys) out of the store. */
	if (lstat(top, &st) != 0)
		st.st_mode = 0;
	if (!S_ISDIR(st.st_mode)) {
		warnf("%s: %s", top, S_ISLNK(st.st_mode) ? "symbolic link: not followed" :
		    "not a directory");
		free(top);
		return NULL;
	}
	return top;
}

/* "YYYYmmddTHHMMSSZ": the ISO time without its separators. */
static void
stamp_of(int64_t now, char stamp[32])
{
	char iso[32], *p, *w = stamp;

	for (p = when_iso(now, iso); *p != '\0'; p++)
		if (*p != '-' && *p != ':')
			*w++ = *p;
	*w = '\0';
}

/* "STAMP-NNN-TOOL", malloc'd; NULL when seq is past 999 or out of memory (no diagnostic). */
static char *
name_at(const char *stamp, int seq, const char *tool)
{
	char *name;

	if (seq >= 1000 || (name = malloc(strlen(stamp) + strlen(tool) + 8)) == NULL)
		return NULL;
	sprintf(name, "%s-%03d-%s", stamp, seq, tool);
	return name;
}

/* mkdir TOP/NAME 0700: the path; NULL with errno EEXIST (no diagnostic) or after one. */
static char *
make(const char *top, const char *name)
{
	char *path = path_join(top, name, NULL);

	if (path == NULL) {
		warnf("%s: out of memory", top);
		errno = ENOMEM;
		return NULL;
	}
	/* no fsync here: the commit fsyncs TOP once the backup is whole, before the store changes */
	if (mkdir(path, 0700) == 0)
		return path;
	if (errno != EEXIST)
		warnf("%s:", path);
	free(path);
	return NULL;
}

char *
backup_dir(const char *store, const char *tool, int64_t now)
{
	char stamp[32], name[96], *top, *path = NULL;
	int i;

	stamp_of(now, stamp);
	if ((top = backup_top(store)) == NULL)
		return NULL;
	if (next_slot(top, stamp, &i) != 0) {
		free(top);
		return NULL;
	}
	for (errno = EEXIST; path == NULL && errno == EEXIST && i < 1000; i++) {
		snprintf(name, sizeof(name), "%s-%03d-%s", stamp, i, tool);
		path = make(top, name);
	}
	if (path == NULL && i == 1000 && errno == EEXIST)
		warnf("%s: no free backup name: %s-000 to %s-999 are taken (move old backups "
		    "out of %s)", store, stamp, stamp, top);
	free(top);
	return path;
}

char *
backup_name_for(const char *const *stores, size_t n, const char *tool, int64_t now)
{
	char stamp[32], s[32], *top, *name;
	size_t i;
	int k, seq = 0;

	stamp_of(now, stamp);
	for (i = 0; i < n; i++) {
		if ((top = backup_top(stores[i])) == NULL)
			return NULL;
		memcpy(s, stamp, sizeof(s));
		if (next_slot(top, s, &k) != 0) {
			free(top);
			return NULL;
		}
		free(top);
		if (strcmp(s, stamp) > 0) {
			memcpy(stamp, s, sizeof(s));
			seq = k;
		} else if (k > seq)
			seq = k;
	}
	if (seq >= 1000) {
		warnf("%s: no free backup name: %s-000 to %s-999 are taken", stores[0], stamp,
		    stamp);
		return NULL;
	}
	if ((name = name_at(stamp, seq, tool)) == NULL)
		warnf("%s: out of memory", stores[0]);
	return name;
}

char *
backup_name_after(const char *prev, const char *tool, int64_t now)
{
	char stamp[32], s[BACKUP_STAMP_LEN + 1];
	int seq;

	if (!backup_parse(prev, s, &seq))
		return NULL;
	stamp_of(now, stamp);
	if (strcmp(stamp, s) > 0)
		seq = 0;
	else {
		memcpy(stamp, s, sizeof(s));	/* a clock (or --now) behind: prev's second */
		seq++;
	}
	return name_at(stamp, seq, tool);
}

char *
backup_dir_named(const char *store, const char *name)
{
	return backup_dir_at(store, name, 0);
}

char *
backup_dir_at(const char *store, const char *name, int known)
{
	char *top, *path;

	if (!known)
		top = backup_top(store);
	else if ((top = path_join(store, ".backup", NULL)) == NULL)
		warnf("%s: out of memory", store);
	if (top == NULL)
		return NULL;
	if ((path = make(top, name)) == NULL && errno == EEXIST)
		warnf("%s/%s: exists: no backup made", top, name);
	free(top);
	return path;
}

static int
mkparent(const char *path)
{
	char *copy = strdup(path);
	int rc;

	if (copy == NULL)
		return -1;
	rc = path_mkdirs(dirname(copy), 0700);
	free(copy);
	return rc;
}

int
backup_copy(const char *src, const char *dst)
{
	struct stat st;
	uint8_t buf[65536];
	ssize_t r;
	int in = -1, out = -1, rc = -1;

	if ((in = open(src, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0 || fstat(in, &st) != 0) {
		warnf("%s:", src);
		goto done;
	}
	if (!S_ISREG(st.st_mode)) {
		warnf("%s: not a regular file", src);
		goto done;
	}
	if (mkparent(dst) != 0 ||
	    (out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, st.st_mode & 0777)) < 0) {
		warnf("%s:", dst);
		goto done;
	}
	while ((r = read(in, buf, sizeof(buf))) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 || io_writeall(out, buf, (size_t)r) != 0) {
			warnf("%s:", r < 0 ? src : dst);
			goto done;
		}
	}
	if (fchmod(out, st.st_mode & 0777) != 0 || fsync(out) != 0) {
		warnf("%s:", dst);
		goto done;
	}
	rc = afile_syncdir(dst) == 0 ? 0 : -1;
done:
	if (in >= 0)
		close(in);
	if (out >= 0 && close(out) != 0 && rc == 0) {
		warnf("%s:", dst);
		rc = -1;
	}
	if (rc != 0 && out >= 0)
		(void)unlink(dst);
	OPENSSL_cleanse(buf, sizeof(buf));	/* keys pass through; memset may be elided */
	return rc;
}

/* Open rel below the directory fd dir, one component at a time, never through a link. */
static int
walk(int dir, const char *rel)
{
	char part[256];
	const char *p = rel, *slash;
	size_t n;
	int fd = dup(dir), next;

	while (fd >= 0 && (slash = strchr(p, '/')) != NULL) {
		n = (size_t)(slash - p);
		if (n == 0 || n >= sizeof(part)) {
			close(fd);
			errno = EINVAL;
			return -1;
		}
		memcpy(part, p, n);
		part[n] = '\0';
		next = openat(fd, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		close(fd);
		fd = next;
		p = slash + 1;
	}
	if (fd < 0)
		return -1;
	next = openat(fd, p, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	close(fd);
	return next;
}

uint8_t *
backup_read(const char *bdir, const char *rel, size_t *len, struct stat *stp)
{
	struct stat st;
	uint8_t *buf = NULL;
	char *name = NULL;
	int dir, fd = -1, e;

	if ((dir = open(bdir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0 ||
	    (fd = walk(dir, rel)) < 0) {
		e = errno;
		if (e != ENOENT)
			warnf(e == ELOOP || e == ENOTDIR ? "%s/%s: a symbolic link or not a "
			    "directory on the way: not followed" : "%s/%s:", bdir, rel);
		goto out;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		warnf("%s/%s: not a regular file", bdir, rel);
		e = EINVAL;
		goto out;
	}
	if ((name = path_join(bdir, rel, NULL)) == NULL ||
	    (buf = io_slurp_fd(fd, name, IO_MAX, len)) == NULL) {
		e = EINVAL;
		goto out;
	}
	if (stp != NULL)
		*stp = st;
	e = 0;
out:
	if (dir >= 0)
		close(dir);
	if (fd >= 0)
		close(fd);
	free(name);
	errno = e;
	return buf;
}
