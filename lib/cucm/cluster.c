/* cluster.c: CLUSTER/nodes read and checked; what a node is (CUCM.md, "Clusters"). */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/diag.h"
#include "core/io.h"
#include "cucm/clrelease.h"
#include "cucm/cluster.h"
#include "cucm/cucm.h"
#include "core/path.h"
#include "tl/ctl.h"

/* CUCM.md: every node has its own CallManager, tomcat, ipsec and TVS certificates. */
static const char *const every_node[] = { "CallManager", "tomcat", "ipsec", "TVS", NULL };

int
cluster_itlrec_signs(const struct cluster *c)
{
	return cucm_itlrecovery_signs(c->version);
}

int
cluster_find(const struct cluster *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (strcmp(c->v[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* dir/UNIT/UNIT.ext when it is a regular file: malloc'd, or NULL. */
static char *
unit_file(const char *dir, const char *unit, const char *ext)
{
	char file[64], *p;

	snprintf(file, sizeof(file), "%s.%s", unit, ext);
	if ((p = path_join(dir, unit, file, NULL)) != NULL && !path_isreg(p)) {
		free(p);
		p = NULL;
	}
	return p;
}

char *
cluster_unit_file(const struct cluster *c, size_t i, const char *unit)
{
	char *p = unit_file(c->v[i].dir, unit, "pem");

	/* OS Administration downloads a certificate as UNIT.pem or UNIT.der */
	return p == NULL && c->v[i].keyless ? unit_file(c->v[i].dir, unit, "der") : p;
}

int
cluster_has(const struct cluster *c, size_t i, const char *unit)
{
	char *p = cluster_unit_file(c, i, unit);

	free(p);
	return p != NULL || (c->v[i].keyless && clserved_get(&c->served, i,
	    clserved_unit(unit)) != NULL);
}

/* 1 when no unit of the node's store has its key: a certificate-only copy of a live node. */
static int
keyless(const char *dir)
{
	char *p;
	int u;

	for (u = 0; cucm_units[u] != NULL; u++) {
		p = unit_file(dir, cucm_units[u], "key");
		free(p);
		if (p != NULL)
			return 0;
	}
	return 1;
}

char *
cluster_ctl_path(const struct cluster *c)
{
	size_t i;
	char *p;

	for (i = 0; i < c->n; i++) {
		if (!c->v[i].tftp)
			continue;
		if ((p = path_join(c->v[i].tftpdir, "CTLFile.tlv", NULL)) == NULL) {
			errno = ENOMEM;
			return NULL;
		}
		if (path_isreg(p))
			return p;
		free(p);
	}
	errno = 0;
	return NULL;
}

int
cluster_ctl_held(const struct cluster *c, uint8_t **buf, struct ctl *ctl)
{
	char *p = cluster_ctl_path(c);
	int rc = 0;

	*buf = NULL;
	memset(ctl, 0, sizeof(*ctl));
	if (p == NULL && errno != 0) {
		warnf("%s: out of memory", c->dir);
		return -1;
	}
	if (p != NULL && (rc = ctl_load(p, buf, ctl)) != 0) {
		ctl_free(ctl);
		free(*buf);
		*buf = NULL;
	}
	free(p);
	return rc;
}

int
cluster_mixed(const struct cluster *c)
{
	char *p = cluster_ctl_path(c);
	int r = p != NULL;

	free(p);
	return r;
}

/* path and what it holds, to depth levels down: only directories and regular files. */
static int
tftp_walk(const char *path, int depth)
{
	struct dirent *e;
	struct stat st;
	DIR *d;
	char *p;
	int rc = 0;

	if (lstat(path, &st) != 0)
		return errno == ENOENT ? 0 : (warnf("%s:", path), -1);
	if (S_ISREG(st.st_mode))
		return 0;
	if (!S_ISDIR(st.st_mode) || depth == 0) {
		warnf("%s: %s: refused (served files and their history stay inside the cluster)",
		    path, S_ISLNK(st.st_mode) ? "a symbolic link" : S_ISDIR(st.st_mode) ?
		    "directories nested too deep" : "not a regular file or directory");
		return -1;
	}
	if ((d = opendir(path)) == NULL) {
		warnf("%s:", path);
		return -1;
	}
	while (rc == 0 && (e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if ((p = path_join(path, e->d_name, NULL)) == NULL)
			rc = -1;
		else
			rc = tftp_walk(p, depth - 1);
		free(p);
	}
	closedir(d);
	return rc;
}

int
cluster_tftp_safe(const struct cluster *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (tftp_walk(c->v[i].tftpdir, 4) != 0)
			return -1;
	return 0;
}

/*
 * A host name as a URL takes it: letters, digits, '-' in dot-separated labels
 * of 1 to 63, at most 253 in all, not only digits and dots (a bad IPv4 address).
 */
static int
good_host(const char *s)
{
	size_t n = strlen(s), lab = 0, i;

	if (n == 0 || n > 253 || strspn(s, "0123456789.") == n)
		return 0;
	for (i = 0; i <= n; i++)
		if (s[i] == '.' || s[i] == '\0') {
			if (lab == 0 || lab > 63 || s[i - 1] == '-' || s[i - lab] == '-')
				return 0;
			lab = 0;
		} else if (strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-",
		    s[i]) != NULL)
			lab++;
		else
			return 0;
	return 1;
}

/* The node's address: IPv4 (kept for the ITL records too), IPv6, or a host name. */
static const char *
parse_addr(struct cluster_node *nd, const char *w)
{
	uint8_t v6[16];

	if (inet_pton(AF_INET, w, nd->ip) == 1)
		nd->family = 4;
	else if (inet_pton(AF_INET6, w, v6) == 1)
		nd->family = 6;
	else if (good_host(w))
		nd->family = 0;
	else
		return "bad address (want IPv4, IPv6 or a host name)";
	snprintf(nd->addr, sizeof(nd->addr), "%s", w);
	return NULL;
}

const uint8_t *
cluster_ip(const struct cluster *c, size_t i)
{
	return c->v[i].family == 4 ? c->v[i].ip : NULL;
}

/* A node name is a directory name: letters, digits, '.', '-', '_', not starting with '.'. */
static int
good_name(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && n < CLUSTER_NAME && s[0] != '.' &&
	    strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-_") == n;
}

size_t
cluster_ngroups(const struct cluster *c)
{
	return c->ng > 0 ? c->ng : c->n;
}

int
cluster_in_group(const struct cluster *c, size_t k, size_t g)
{
	return c->ng > 0 ? (int)(c->v[k].groups >> g & 1) : k == g;
}

const char *
cluster_group_name(const struct cluster *c, size_t g)
{
	return c->ng > 0 ? c->gname[g] : c->v[g].name;
}

/* groups=NAME[,NAME...] into node's bits, new names into c->gname; NULL, or a static reason. */
static const char *
parse_groups(struct cluster *c, char *list, struct cluster_node *nd)
{
	char *g, *save;
	size_t k;

	if (nd->groups != 0 || *list == '\0')
		return "repeated or empty groups= (want groups=NAME[,NAME...])";
	for (g = strtok_r(list, ",", &save); g != NULL; g = strtok_r(NULL, ",", &save)) {
		if (!good_name(g))
			return "bad group name (letters, digits, '.', '-', '_'; at most 63)";
		for (k = 0; k < c->ng && strcmp(c->gname[k], g) != 0; k++)
			continue;
		if (k == CLUSTER_GROUPS)
			return "too many CallManager groups (at most 64)";
		if (k == c->ng)
			snprintf(c->gname[c->ng++], CLUSTER_NAME, "%s", g);
		nd->groups |= (uint64_t)1 << k;
	}
	return nd->groups != 0 ? NULL : "empty groups= (want groups=NAME[,NAME...])";
}

/* One line's words into node; NULL, or a static reason. */
static const char *
parse_line(struct cluster *c, char *line, struct cluster_node *nd)
{
	const char *err;

	char *w, *save;
	int k = 0;

	for (w = strtok_r(line, " \t\r", &save); w != NULL; w = strtok_r(NULL, " \t\r", &save), k++) {
		if (k == 0) {
			if (!good_name(w))
				return "bad node name (letters, digits, '.', '-', '_'; at most 63)";
			snprintf(nd->name, sizeof(nd->name), "%s", w);
		} else if (k == 1) {
			if ((err = parse_addr(nd, w)) != NULL)
				return err;
		} else if (strcmp(w, "publisher") == 0 && !nd->publisher)
			nd->publisher = 1;
		else if (strcmp(w, "tftp") == 0 && !nd->tftp)
			nd->tftp = 1;
		else if (strncmp(w, "groups=", 7) == 0) {
			if ((err = parse_groups(c, w + 7, nd)) != NULL)
				return err;
		} else
			return "unknown or repeated role (want publisher, tftp, groups=NAME,...)";
	}
	return k == 1 ? "no address (want IPv4, IPv6 or a host name)" : NULL;
}

/* The node's directory and units; NULL, or a reason written into why. */
static const char *
check_node(struct cluster *c, struct cluster_node *nd, char *why, size_t n)
{
	int i;

	if ((nd->dir = path_join(c->dir, nd->name, NULL)) == NULL ||
	    (nd->tftpdir = path_join(nd->dir, "tftp", NULL)) == NULL)
		return "out of memory";
	if (!path_isdir(nd->dir)) {
		snprintf(why, n, "%s: no node directory %s", nd->name, nd->dir);
		return why;
	}
	if ((nd->keyless = keyless(nd->dir)) != 0) {	/* what it lacks: from the served files */
		c->nkeyless++;
		return NULL;
	}
	for (i = 0; every_node[i] != NULL; i++)
		if (!cluster_has(c, (size_t)(nd - c->v), every_node[i])) {
			snprintf(why, n, "%s: no %s/%s.pem (every node has CallManager, tomcat, "
			    "ipsec and TVS)", nd->name, every_node[i], every_node[i]);
			return why;
		}
	return NULL;
}

/* Parse the lines of buf into c->v; *line is the line of the first problem. */
static const char *
parse_all(struct cluster *c, char *buf, size_t len, int *line, char *why, size_t wn)
{
	struct cluster_node *nd;
	const char *err;
	char *p = buf, *e, *hash;
	int npub = 0;

	*line = 1;
	if (memchr(buf, '\0', len) != NULL)
		return "a NUL byte: not a text file";
	for (*line = 1; p < buf + len; (*line)++, p = e + 1) {
		if ((e = strchr(p, '\n')) == NULL)
			e = buf + len;
		*e = '\0';
		if ((hash = strchr(p, '#')) != NULL)
			*hash = '\0';
		if (p[strspn(p, " \t\r")] == '\0')
			continue;
		if (c->n == CLUSTER_MAX)
			return "too many nodes (at most 256)";
		nd = &c->v[c->n];
		memset(nd, 0, sizeof(*nd));
		nd->line = *line;
		if ((err = parse_line(c, p, nd)) != NULL)
			return err;
		if (cluster_find(c, nd->name) >= 0)
			return "node named twice";
		c->n++;
		if (nd->publisher && npub++ > 0)
			return "a second publisher (want exactly one)";
		if (nd->publisher)
			c->pub = c->n - 1;
		if ((err = check_node(c, nd, why, wn)) != NULL)
			return err;
	}
	(*line)--;
	return npub == 0 ? "no publisher (want exactly one)" : NULL;
}

/* c's release: given, or what the first TFTP node's served ITL says (lib/cucm/clrelease). */
static void
release(struct cluster *c, int given)
{
	size_t i, at = 0;
	int who = CLRELEASE_NONE;

	for (i = 0; i < c->n && who == CLRELEASE_NONE; i++)
		if (c->v[i].tftp && (who = clrelease_signer(c->v[i].tftpdir)) != CLRELEASE_NONE)
			at = i;
	c->version = clrelease_settle(given, who, c->v[at].name, c->vtext, &c->vnote);
}

int
cluster_served(const struct cluster *c, struct clserved *s, char *const *itl, char *const *ctl)
{
	char **it = calloc(c->n, sizeof(char *)), **ct = calloc(c->n, sizeof(char *));
	size_t i;
	int rc = -1, bad = 0;

	memset(s, 0, sizeof(*s));
	if (it != NULL && ct != NULL && clserved_init(s, c->svn, c->n, c->pub) == 0) {
		for (i = 0; i < c->n; i++)	/* TFTP nodes only serve trust lists */
			if (c->v[i].tftp)
				it[i] = itl[i], ct[i] = ctl[i];
		rc = clserved_read(s, it, ct, &bad);
	}
	free(it);
	free(ct);
	return rc;
}

/* The nodes as clserved names them; with key-less nodes, what the TFTP nodes serve now. */
static int
served_load(struct cluster *c)
{
	char **itl = calloc(c->n, sizeof(char *)), **ctl = calloc(c->n, sizeof(char *));
	size_t i;
	int rc = -1;

	if (itl == NULL || ctl == NULL || (c->svn = calloc(c->n, sizeof(*c->svn))) == NULL)
		goto out;
	for (i = 0; i < c->n; i++) {
		c->svn[i].name = c->v[i].name, c->svn[i].addr = c->v[i].addr;
		c->svn[i].ip = cluster_ip(c, i);
		if (c->nkeyless > 0 && c->v[i].tftp &&
		    ((itl[i] = path_join(c->v[i].tftpdir, "ITLFile.tlv", NULL)) == NULL ||
		    (ctl[i] = path_join(c->v[i].tftpdir, "CTLFile.tlv", NULL)) == NULL))
			goto out;
	}
	/* damaged files are left out here: the planner reads them again and says what is wrong */
	rc = c->nkeyless > 0 ? cluster_served(c, &c->served, itl, ctl) : 0;
out:
	for (i = 0; i < c->n && itl != NULL && ctl != NULL; i++) {
		free(itl[i]);
		free(ctl[i]);
	}
	free(itl);
	free(ctl);
	if (rc != 0)
		warnf("%s: out of memory", c->dir);
	return rc;
}

/* Append "NODE:UNIT" to out when node i is key-less and neither store nor served file holds unit. */
static void
unseen_one(const struct cluster *c, size_t i, const char *unit, char *out, size_t n)
{
	size_t len = strlen(out);

	if (!c->v[i].keyless || cluster_has(c, i, unit) || len + 2 >= n)
		return;
	snprintf(out + len, n - len, "%s%s:%s", len > 0 ? ", " : "", c->v[i].name, unit);
}

/* 1 when ops ask for unit on node i (none: every unit). */
static int
asked(const struct cluster *c, size_t i, char **ops, int nops, const char *unit)
{
	const char *colon, *u;
	size_t nl = strlen(c->v[i].name);
	int k;

	for (k = 0; k < nops; k++) {
		colon = strchr(ops[k], ':');
		u = colon != NULL ? colon + 1 : ops[k];
		if ((colon == NULL || ((size_t)(colon - ops[k]) == nl &&
		    strncmp(ops[k], c->v[i].name, nl) == 0)) && strcasecmp(u, unit) == 0)
			return 1;
	}
	return nops == 0;
}

void
cluster_unseen(const struct cluster *c, char **ops, int nops, char *out, size_t n)
{
	static const char *const pub_only[] = { "CAPF", "ITLRecovery", NULL };
	size_t i;
	int k;

	out[0] = '\0';
	for (i = 0; i < c->n; i++) {
		for (k = 0; every_node[k] != NULL; k++)
			if (asked(c, i, ops, nops, every_node[k]))
				unseen_one(c, i, every_node[k], out, n);
		for (k = 0; i == c->pub && pub_only[k] != NULL; k++)
			if (asked(c, i, ops, nops, pub_only[k]))
				unseen_one(c, i, pub_only[k], out, n);
	}
}

int
cluster_load(struct cluster *c, const char *dir, int version)
{
	char why[512];
	const char *err;
	uint8_t *buf = NULL;
	size_t len;
	int line = 0;

	memset(c, 0, sizeof(*c));
	if ((c->dir = strdup(dir)) == NULL || (c->nodesfile = path_join(dir, "nodes", NULL)) ==
	    NULL || (c->v = calloc(CLUSTER_MAX, sizeof(*c->v))) == NULL) {
		warnf("%s: out of memory", dir);
		return -1;
	}
	if (!path_isdir(dir)) {
		warnf("%s: not a cluster directory", dir);
		return -1;
	}
	if ((buf = io_slurp(c->nodesfile, (size_t)1 << 20, &len)) == NULL)
		return -1;
	if ((err = parse_all(c, (char *)buf, len, &line, why, sizeof(why))) != NULL)
		warnf("%s:%d: %s", c->nodesfile, line, err);
	else if (c->n == 0)
		warnf("%s: no nodes", c->nodesfile);
	free(buf);
	if (err == NULL && c->n > 0)
		release(c, version);
	if (err == NULL && c->n > 0 && served_load(c) != 0)
		return -1;
	return err == NULL && c->n > 0 ? 0 : -1;
}

void
cluster_free(struct cluster *c)
{
	size_t i;

	for (i = 0; c->v != NULL && i < CLUSTER_MAX; i++) {
		free(c->v[i].dir);
		free(c->v[i].tftpdir);
	}
	free(c->v);
	clserved_free(&c->served);
	free(c->svn);
	free(c->dir);
	free(c->nodesfile);
	memset(c, 0, sizeof(*c));
}
