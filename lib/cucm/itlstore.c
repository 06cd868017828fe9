/* itlstore.c: which store certificates go into a trust list, in which role (FORMAT.md section 4). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/diag.h"
#include "load/itlcerts.h"
#include "cucm/itlstore.h"
#include "core/path.h"

/* 1 when w holds a record of role fn with the certificate der[0..len). */
static int
has_rec(const struct ctlw *w, int fn, const uint8_t *der, size_t len)
{
	size_t j;

	for (j = 0; j < w->nrec; j++)
		if (w->rv[j].function == fn && w->rv[j].certlen == len &&
		    memcmp(w->recs.p + w->rv[j].cert, der, len) == 0)
			return 1;
	return 0;
}

/* Add the certificates of unit/file: the first only (own), or all (trust), new ones only. */
static int
add_file(struct ctlw *w, const char *dir, const char *unit, const char *file, int fn,
    int all, const char *host, const uint8_t *ip)
{
	struct itlcerts c = ITLCERTS_ZERO;
	const uint8_t *der;
	const char *why;
	char *path;
	size_t i, len;
	int rc = -1;

	if ((path = path_join(dir, unit, file, NULL)) == NULL) {
		warnf("%s: out of memory", dir);
		return -1;
	}
	if (itlcerts_load(&c, path) != 0)
		goto out;
	for (i = 0; i < (all ? c.n : 1); i++) {
		der = itlcerts_get(&c, i, &len);
		if (all && has_rec(w, fn, der, len))
			continue;
		if (ctlw_add(w, der, len, fn, host, ip, &why) != 0) {
			warnf("%s: %s", path, why);
			goto out;
		}
	}
	rc = 0;
out:
	itlcerts_free(&c);
	free(path);
	return rc;
}

/*
 * 1 when path is a regular file, 0 when it is absent, -1 (diagnosed) when it
 * is anything else: a symlink or a FIFO is not silently left out of the file.
 */
static int
present(const char *path)
{
	struct stat st;

	if (lstat(path, &st) != 0) {
		if (errno == ENOENT)
			return 0;
		warnf("%s:", path);
		return -1;
	}
	if (S_ISREG(st.st_mode))
		return 1;
	warnf("%s: not a regular file (symlinks are not followed)", path);
	return -1;
}

/* present() for unit/unit.pem. */
static int
has(const char *dir, const char *unit)
{
	char file[64], *path;
	int r;

	snprintf(file, sizeof(file), "%s.pem", unit);
	if ((path = path_join(dir, unit, file, NULL)) == NULL) {
		warnf("%s: out of memory", dir);
		return -1;
	}
	r = present(path);
	free(path);
	return r;
}

int
itlstore_add_own(struct ctlw *w, const char *dir, const char *unit, int fn, const char *host,
    const uint8_t *ip)
{
	char file[64];

	snprintf(file, sizeof(file), "%s.pem", unit);
	return add_file(w, dir, unit, file, fn, 0, host, ip);
}

static int
add_own(struct ctlw *w, const char *dir, const char *unit, int fn, const struct itlstore_opts *o)
{
	return itlstore_add_own(w, dir, unit, fn, o->host, o->ip);
}

static int
add_tvs(struct ctlw *w, const char *dir, const struct itlstore_opts *o)
{
	char **names = NULL, *tdir = NULL;
	size_t i, n = 0;
	int rc = -1, k;

	if ((k = has(dir, "TVS")) < 0 || (k && add_file(w, dir, "TVS", "TVS.pem", CTL_FN_TVS,
	    1, o->host, o->ip) != 0))
		return -1;
	if ((tdir = path_join(dir, "TVS-trust", NULL)) == NULL)
		return -1;
	if (!path_isdir(tdir)) {
		rc = 0;
		goto out;
	}
	if (path_list(tdir, 0, &names, &n) != 0)
		goto out;
	for (i = 0; i < n; i++) {
		char *p = path_join(tdir, names[i], NULL);

		k = p != NULL ? present(p) : -1;
		free(p);
		if (k < 0 || (k && add_file(w, dir, "TVS-trust", names[i], CTL_FN_TVS, 1,
		    NULL, NULL) != 0))
			goto out;
	}
	rc = 0;
out:
	path_list_free(names, n);
	free(tdir);
	return rc;
}

int
itlstore_add(struct ctlw *w, const char *dir, const struct itlstore_opts *o)
{
	int rec, capf, cm;

	if (!path_isdir(dir)) {
		warnf("%s: not a directory", dir);
		return -1;
	}
	if ((cm = has(dir, "CallManager")) == 0)
		warnf("%s: no CallManager/CallManager.pem: the store has no node certificate",
		    dir);
	if (cm <= 0 || (rec = has(dir, "ITLRecovery")) < 0 || (capf = has(dir, "CAPF")) < 0)
		return -1;
	if (o->ctl) {
		if (add_own(w, dir, "CallManager", CTL_FN_SAST, o) != 0 ||
		    (rec && add_own(w, dir, "ITLRecovery", CTL_FN_SAST, o) != 0) ||
		    add_own(w, dir, "CallManager", CTL_FN_CCM_TFTP, o) != 0)
			return -1;
	} else if ((rec && add_own(w, dir, "ITLRecovery", CTL_FN_SAST, o) != 0) ||
	    add_own(w, dir, "CallManager", CTL_FN_SAST, o) != 0 ||
	    add_own(w, dir, "CallManager", o->mixed ? CTL_FN_CCM_TFTP : CTL_FN_TFTP, o) != 0)
		return -1;
	if (capf && add_own(w, dir, "CAPF", CTL_FN_CAPF, o) != 0)
		return -1;
	return o->ctl ? 0 : add_tvs(w, dir, o);
}

char *
itlstore_key(const char *dir)
{
	char *p = path_join(dir, "ITLRecovery", "ITLRecovery.key", NULL);
	int k = p != NULL ? present(p) : -1;

	if (k == 1)
		return p;
	free(p);
	if (k < 0)
		return NULL;
	if ((p = path_join(dir, "CallManager", "CallManager.key", NULL)) == NULL)
		warnf("%s: out of memory", dir);
	return p;
}
