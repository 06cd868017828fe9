/*
 * storetree: what the store tests (crash, store, trust-prune, cert-regen .bats) compare after
 * every step, in one process instead of a find | sort | xargs sha256sum pipeline per step.
 *   storetree tree DIR             one line per file and symbolic link outside DIR/.backup and
 *                                  DIR/.lock, sorted by path: "MODE USER:GROUP SHA256 ./PATH", or
 *                                  "MODE USER:GROUP link TARGET ./PATH"
 *   storetree sums DIR             "SHA256  UNIT/FILE" of every file of DIR and of its backups
 *                                  (DIR/.backup/NAME/ and NAME/.new/ cut off), manifests, the
 *                                  lock and the store id (.backup/.id) left out, sorted, each once
 *   storetree check WHAT SUMS DIR [-t]  every "SHA256  ./PATH" line of SUMS is held by DIR or by a
 *                                  backup (DIR/.backup/NAME/PATH), and no key file (*.key, or any
 *                                  file holding "PRIVATE KEY") is readable by group or others;
 *                                  else "WHAT: lost ./PATH..." / "WHAT: readable by others:
 *                                  MODE PATH..." on stderr and exit 1; -t: then the tree as
 *                                  "tree DIR" prints it
 *   storetree copy SRC DST         rm -rf DST, then cp -a SRC DST (modes, owners, times, links)
 * Exit 0, 1 a check failed, 2 trouble.
 */
#define _GNU_SOURCE	/* memmem */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <stdint.h>

#include <openssl/evp.h>

struct ent {
	char *path;	/* "./PATH" */
	char *line;
};

struct list {
	struct ent *v;
	size_t n, cap;
};

static _Noreturn void
die(const char *what)
{
	fprintf(stderr, "storetree: %s: %s\n", what, strerror(errno));
	exit(2);
}

static char *
xstrdup(const char *s)
{
	char *p = strdup(s);

	if (p == NULL)
		die("strdup");
	return p;
}

static void
add(struct list *l, const char *path, const char *line)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		if ((l->v = realloc(l->v, l->cap * sizeof(*l->v))) == NULL)
			die("realloc");
	}
	l->v[l->n].path = xstrdup(path);
	l->v[l->n++].line = xstrdup(line);
}

static void
drop(struct list *l)
{
	for (size_t k = 0; k < l->n; k++) {
		free(l->v[k].path);
		free(l->v[k].line);
	}
	free(l->v);
}

static int
bypath(const void *a, const void *b)
{
	const struct ent *x = a, *y = b;
	int c = strcmp(x->path, y->path);

	return c != 0 ? c : strcmp(x->line, y->line);
}

/* The SHA-256 of p[0..n) in hex (65 bytes). */
static void
sha256_hex(const unsigned char *p, size_t n, char hex[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int i, len;

	if (!EVP_Digest(p, n, md, &len, EVP_sha256(), NULL))
		die("EVP_Digest");
	for (i = 0; i < len && i < 32; i++)
		sprintf(hex + 2 * i, "%02x", md[i]);
}

/* The file's SHA-256 in hex (65 bytes), and whether it holds "PRIVATE KEY" (*priv). */
static void
sha256(const char *path, char hex[65], int *priv)
{
	static const char pk[] = "PRIVATE KEY";
	unsigned char *buf = NULL;
	size_t len = 0, cap = 0;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_NOFOLLOW);

	if (fd < 0)
		die(path);
	do {
		if (len == cap && (buf = realloc(buf, cap = cap ? 2 * cap : 65536)) == NULL)
			die("realloc");
	} while ((n = read(fd, buf + len, cap - len)) > 0 && (len += (size_t)n, 1));
	if (n < 0)
		die(path);
	close(fd);
	*priv = memmem(buf, len, pk, sizeof(pk) - 1) != NULL;
	sha256_hex(buf, len, hex);
	free(buf);
}

/* Calls fn(rel, st, arg) for every entry under dir ("./a/b"), depth first, not following links. */
typedef void walkfn(const char *rel, const struct stat *st, void *arg);

static void
walk(const char *rel, walkfn *fn, void *arg)
{
	DIR *d = opendir(rel);
	struct dirent *e;
	struct stat st;
	char p[PATH_MAX];

	if (d == NULL)
		die(rel);
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(p, sizeof(p), "%s/%s", rel, e->d_name);
		if (lstat(p, &st) != 0)
			die(p);
		fn(p, &st, arg);
		if (S_ISDIR(st.st_mode) && strcmp(p, "./.backup") != 0)
			walk(p, fn, arg);
	}
	closedir(d);
}

static void
tree_one(const char *rel, const struct stat *st, void *arg)
{
	char line[2 * PATH_MAX + 256], own[256], hex[65], target[PATH_MAX];
	struct passwd *pw;
	struct group *gr;
	int priv;
	ssize_t n;

	if (strcmp(rel, "./.lock") == 0 || strcmp(rel, "./.backup") == 0)
		return;
	pw = getpwuid(st->st_uid);
	gr = getgrgid(st->st_gid);
	snprintf(own, sizeof(own), "%s:%s", pw ? pw->pw_name : "?", gr ? gr->gr_name : "?");
	if (S_ISREG(st->st_mode)) {
		sha256(rel, hex, &priv);
		snprintf(line, sizeof(line), "%o %s %s %s", (unsigned)(st->st_mode & 07777), own, hex, rel);
	} else if (S_ISLNK(st->st_mode)) {
		if ((n = readlink(rel, target, sizeof(target) - 1)) < 0)
			die(rel);
		target[n] = '\0';
		snprintf(line, sizeof(line), "%o %s link %s %s", (unsigned)(st->st_mode & 07777), own, target, rel);
	} else {
		return;
	}
	add(arg, rel, line);
}

/* rel with "./", then ".backup/NAME/" and (cut_new) ".new/" cut off. */
static const char *
unbacked(const char *rel, int cut_new)
{
	const char *p = rel + 2, *s;

	if (strncmp(p, ".backup/", 8) == 0 && (s = strchr(p + 8, '/')) != NULL) {
		p = s + 1;
		if (cut_new && strncmp(p, ".new/", 5) == 0)
			p += 5;
	}
	return p;
}

static void
sums_one(const char *rel, const struct stat *st, void *arg)
{
	const char *base = strrchr(rel, '/') + 1;
	char hex[65], line[PATH_MAX + 80];
	int priv;

	if (!S_ISREG(st->st_mode) || strncmp(base, "MANIFEST", 8) == 0 ||
	    strncmp(base, "manifest", 8) == 0 || strcmp(base, ".lock") == 0 ||
	    strncmp(rel, "./.backup/.id", 13) == 0)	/* the store's id: no certificate or key; */
		return;		/* a killed first run's .id.tmp.* too (the next writer reaps it) */
	sha256(rel, hex, &priv);
	snprintf(line, sizeof(line), "%s  %s", hex, unbacked(rel, 1));
	add(arg, line, line);
}

struct checkopt {
	struct list have;	/* "SHA256  ./PATH" of the store and its backups */
	struct list open;	/* "MODE DIR/PATH" of readable key files */
	const char *dir;
};

static void
check_one(const char *rel, const struct stat *st, void *arg)
{
	struct checkopt *o = arg;
	const char *base = strrchr(rel, '/') + 1;
	char hex[65], line[PATH_MAX + 80];
	size_t len = strlen(base);
	int priv;

	if (!S_ISREG(st->st_mode))
		return;
	sha256(rel, hex, &priv);
	if (strcmp(rel, "./.lock") != 0) {
		snprintf(line, sizeof(line), "%s  ./%s", hex, unbacked(rel, 0));
		add(&o->have, line, line);
	}
	if ((priv || (len >= 4 && strcmp(base + len - 4, ".key") == 0)) && (st->st_mode & 077)) {
		snprintf(line, sizeof(line), "%o %s/%s", (unsigned)(st->st_mode & 07777), o->dir, rel + 2);
		add(&o->open, line, line);
	}
}

/* Recursive walk over dir (relative names, from dir). */
static void
walk_dir(const char *dir, int backups, walkfn *fn, void *arg)
{
	int fd = open(".", O_RDONLY | O_DIRECTORY);

	if (fd < 0 || chdir(dir) != 0)
		die(dir);
	if (backups) {
		struct stat st;

		walk(".", fn, arg);
		if (lstat(".backup", &st) == 0 && S_ISDIR(st.st_mode))
			walk("./.backup", fn, arg);
	} else {
		walk(".", fn, arg);
	}
	if (fchdir(fd) != 0)
		die(".");
	close(fd);
}

static int
cmd_tree(const char *dir)
{
	struct list l = { 0 };

	walk_dir(dir, 0, tree_one, &l);
	qsort(l.v, l.n, sizeof(*l.v), bypath);
	for (size_t k = 0; k < l.n; k++)
		puts(l.v[k].line);
	drop(&l);
	return 0;
}

static int
cmd_sums(const char *dir)
{
	struct list l = { 0 };

	walk_dir(dir, 1, sums_one, &l);
	qsort(l.v, l.n, sizeof(*l.v), bypath);
	for (size_t k = 0; k < l.n; k++)
		if (k == 0 || strcmp(l.v[k].line, l.v[k - 1].line) != 0)
			puts(l.v[k].line);
	drop(&l);
	return 0;
}

static int
held(const struct list *have, const char *line)
{
	struct ent key = { (char *)line, (char *)line };

	return bsearch(&key, have->v, have->n, sizeof(*have->v), bypath) != NULL;
}

static int
cmd_check(const char *what, const char *sums, const char *dir)
{
	struct checkopt o = { .dir = dir };
	char line[PATH_MAX + 80];
	int bad = 0, n = 0;
	FILE *f = fopen(sums, "r");

	if (f == NULL)
		die(sums);
	walk_dir(dir, 1, check_one, &o);
	qsort(o.have.v, o.have.n, sizeof(*o.have.v), bypath);
	while (fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (held(&o.have, line))
			continue;
		if (n++ == 0)
			fprintf(stderr, "%s: lost %s", what, strstr(line, "  ") + 2);
		else
			fprintf(stderr, "\n%s", strstr(line, "  ") + 2);
		bad = 1;
	}
	fclose(f);
	if (n)
		fputc('\n', stderr);
	for (size_t k = 0; k < o.open.n; k++)
		if (k == 0)
			fprintf(stderr, "%s: readable by others: %s", what, o.open.v[k].line);
		else
			fprintf(stderr, "\n%s", o.open.v[k].line);
	if (o.open.n)
		fputc('\n', stderr);
	if (o.open.n)
		bad = 1;
	drop(&o.have);
	drop(&o.open);
	return bad;
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

static void
copy_file(const char *src, const char *dst, const struct stat *st)
{
	char buf[65536];
	ssize_t n;
	int in = open(src, O_RDONLY | O_NOFOLLOW), out;

	if (in < 0 || (out = open(dst, O_WRONLY | O_CREAT | O_EXCL, 0600)) < 0)
		die(dst);
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n)
			die(dst);
	if (n < 0 || fchown(out, st->st_uid, st->st_gid) != 0 || fchmod(out, st->st_mode & 07777) != 0)
		die(dst);
	struct timespec t[2] = { st->st_atim, st->st_mtim };

	futimens(out, t);
	close(in);
	close(out);
}

static void
copy_tree(const char *src, const char *dst)
{
	struct stat st;
	char s[PATH_MAX], d[PATH_MAX], target[PATH_MAX];
	struct dirent *e;
	DIR *dir;
	ssize_t n;

	if (lstat(src, &st) != 0)
		die(src);
	if (S_ISREG(st.st_mode)) {
		copy_file(src, dst, &st);
		return;
	}
	if (S_ISLNK(st.st_mode)) {
		if ((n = readlink(src, target, sizeof(target) - 1)) < 0)
			die(src);
		target[n] = '\0';
		if (symlink(target, dst) != 0 || lchown(dst, st.st_uid, st.st_gid) != 0)
			die(dst);
		return;
	}
	if (!S_ISDIR(st.st_mode) || mkdir(dst, 0700) != 0 || (dir = opendir(src)) == NULL)
		die(dst);
	while ((e = readdir(dir)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(s, sizeof(s), "%s/%s", src, e->d_name);
		snprintf(d, sizeof(d), "%s/%s", dst, e->d_name);
		copy_tree(s, d);
	}
	closedir(dir);
	struct timespec t[2] = { st.st_atim, st.st_mtim };

	if (chown(dst, st.st_uid, st.st_gid) != 0 || chmod(dst, st.st_mode & 07777) != 0)
		die(dst);
	utimensat(AT_FDCWD, dst, t, AT_SYMLINK_NOFOLLOW);
}

static int
cmd_copy(const char *src, const char *dst)
{
	struct stat st;

	if (lstat(dst, &st) == 0 && nftw(dst, rm_one, 16, FTW_DEPTH | FTW_PHYS) != 0)
		die(dst);
	copy_tree(src, dst);
	return 0;
}

int
main(int argc, char **argv)
{
	int rc = 2;

	if (argc == 3 && strcmp(argv[1], "tree") == 0)
		rc = cmd_tree(argv[2]);
	else if (argc == 3 && strcmp(argv[1], "sums") == 0)
		rc = cmd_sums(argv[2]);
	else if (argc == 5 && strcmp(argv[1], "check") == 0)
		rc = cmd_check(argv[2], argv[3], argv[4]);
	else if (argc == 6 && strcmp(argv[1], "check") == 0 && strcmp(argv[5], "-t") == 0) {
		rc = cmd_check(argv[2], argv[3], argv[4]);
		if (rc != 2 && cmd_tree(argv[4]) != 0)
			rc = 2;
	}
	else if (argc == 4 && strcmp(argv[1], "copy") == 0)
		rc = cmd_copy(argv[2], argv[3]);
	if (rc == 2)
		fprintf(stderr, "usage: storetree tree DIR | sums DIR | check WHAT SUMS DIR [-t] | copy SRC DST\n");
	if (fflush(stdout) != 0 || ferror(stdout))
		return 2;
	return rc;
}
