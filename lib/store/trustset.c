/* trustset.c: read trust units once, each file through certfile (trust data kept). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "x509/cert.h"
#include "core/diag.h"
#include "core/hash.h"
#include "core/io.h"
#include "core/out.h"
#include "load/certfile.h"
#include "core/path.h"
#include "store/store.h"
#include "store/trustset.h"

static int
add_cert(struct trust_set *ts, size_t fi, const uint8_t *der, size_t len, int aux,
    const char **why)
{
	struct trust_cert *c, *nc;
	const char *e;

	if (ts->ncerts == ts->ccap) {
		ts->ccap = ts->ccap ? ts->ccap * 2 : 256;
		if ((nc = realloc(ts->certs, ts->ccap * sizeof(*nc))) == NULL) {
			*why = "out of memory";
			return -1;
		}
		ts->certs = nc;
	}
	c = &ts->certs[ts->ncerts];
	memset(c, 0, sizeof(*c));
	if ((c->der = malloc(len ? len : 1)) == NULL) {
		*why = "out of memory";
		return -1;
	}
	memcpy(c->der, der, len);
	/* TRUSTED CERTIFICATE blocks carry OpenSSL trust settings after the certificate. */
	if ((e = der_cert_parse(c->der, len, &c->dc)) != NULL ||
	    (c->dc.len != len && !aux)) {
		free(c->der);
		*why = e != NULL ? e : "trailing bytes after the certificate";
		return -1;
	}
	c->file = fi;
	ts->ncerts++;
	ts->files[fi].ncerts++;
	return 0;
}

/* Forget the certificates already taken from file fi (the last file read). */
static void
drop_certs(struct trust_set *ts, size_t fi)
{
	while (ts->files[fi].ncerts > 0) {
		free(ts->certs[--ts->ncerts].der);
		ts->files[fi].ncerts--;
	}
}

/* The certificates of buf (certfile_read, trust data kept) into file fi. 0, or -1 (*why). */
static int
load(struct trust_set *ts, size_t fi, const uint8_t *buf, size_t len, struct certfile *cf,
    const char **why)
{
	const struct certfile_cert *c;
	const char *e;
	size_t i;

	e = certfile_read(cf, buf, len, 1);
	if (cf->haskey)
		ts->files[fi].kind = TRUST_KEY;
	if (e != NULL && e == cf->nocert) {
		if (!cf->haskey)
			ts->files[fi].kind = TRUST_NOCERT;
		return 0;
	}
	if ((*why = e) != NULL)
		return -1;
	for (i = 0; i < cf->ncerts; i++) {
		c = &cf->certs[i];
		if (add_cert(ts, fi, c->der, c->len + c->auxlen, c->auxlen > 0, why) != 0) {
			drop_certs(ts, fi);
			return -1;
		}
	}
	return 0;
}

/* Read one regular file (never through a link) into file fi. 0, or -1 when out of memory. */
static int
read_file(struct trust_set *ts, size_t fi, int flags, struct certfile *cf)
{
	struct trust_file *f = &ts->files[fi];
	const char *why = NULL, *bad = NULL;
	struct stat st;
	uint8_t *buf = NULL;
	size_t len = 0;
	int fd = -1;

	f->first = ts->ncerts;
	if (lstat(f->path, &st) != 0)
		bad = strerror(errno);
	else if (S_ISLNK(st.st_mode)) {
		f->kind = TRUST_LINK;
		f->why = "symbolic link: not followed";
	} else if (!S_ISREG(st.st_mode)) {
		f->kind = TRUST_OTHER;
		f->why = S_ISDIR(st.st_mode) ? "directory" : "not a regular file";
	} else if ((fd = io_open(f->path, O_NOFOLLOW, &bad)) < 0)
		;	/* swapped for a FIFO or a link since the lstat: refused unread */
	else if ((buf = io_slurp_fd(fd, f->path, IO_MAX, &len)) == NULL)
		bad = "unreadable";
	else if (load(ts, fi, buf, len, cf, &why) != 0)
		bad = why;
	if (buf != NULL && (flags & TRUSTSET_HASH))
		(void)hash_hex("sha256", buf, len, 0, f->sha256);
	if (bad != NULL) {
		drop_certs(ts, fi);
		f->kind = TRUST_BAD;
		f->why = bad;
	} else if (f->kind == TRUST_NOCERT)
		f->why = "no certificate in it";
	else if (f->kind == TRUST_KEY && f->ncerts == 0)
		f->why = "a private key, no certificate";
	free(buf);
	if (fd >= 0)
		close(fd);
	return bad != NULL && strcmp(bad, "out of memory") == 0 ? -1 : 0;
}

static int
add_file(struct trust_set *ts, const char *unit, const char *name, int inscope)
{
	struct trust_file *f, *nf;

	if (ts->nfiles == ts->fcap) {
		ts->fcap = ts->fcap ? ts->fcap * 2 : 256;
		if ((nf = realloc(ts->files, ts->fcap * sizeof(*nf))) == NULL)
			return -1;
		ts->files = nf;
	}
	f = &ts->files[ts->nfiles];
	memset(f, 0, sizeof(*f));
	f->unit = strdup(unit);
	f->name = strdup(name);
	f->path = path_join(ts->store, unit, name, NULL);
	ts->nfiles++;
	if (f->unit == NULL || f->name == NULL || f->path == NULL)
		return -1;
	f->inscope = inscope;
	return 0;
}

static int
named(char *const *units, const char *unit)
{
	if (units == NULL || units[0] == NULL)
		return 1;
	for (; *units != NULL; units++)
		if (strcmp(*units, unit) == 0)
			return 1;
	return 0;
}

static int
read_unit(struct trust_set *ts, const char *unit, int inscope, int flags, struct certfile *cf)
{
	char **names = NULL, *dir;
	size_t n = 0, i;
	int rc = -1;

	if ((dir = path_join(ts->store, unit, NULL)) == NULL) {
		warnf("%s: out of memory", ts->store);
		return -1;
	}
	if (path_list(dir, 0, &names, &n) != 0)
		goto out;
	for (i = 0; i < n; i++) {
		if (add_file(ts, unit, names[i], inscope) != 0 ||
		    read_file(ts, ts->nfiles - 1, flags, cf) != 0) {
			warnf("%s: out of memory", dir);
			goto out;
		}
		if (inscope && ts->files[ts->nfiles - 1].kind == TRUST_BAD)
			warnf("%s: %s", ts->files[ts->nfiles - 1].path,
			    ts->files[ts->nfiles - 1].why);
	}
	rc = 0;
out:
	path_list_free(names, n);
	free(dir);
	return rc;
}

static int
store_islink(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0 && S_ISLNK(st.st_mode);
}

/* A unit named on the command line must be an existing trust directory of the store. */
static int
check_unit(const char *store, const char *unit)
{
	char *p;
	int ok;

	if (!store_is_trust(unit) || strchr(unit, '/') != NULL) {
		warnf("%s: not a trust unit (UNIT-trust)", unit);
		return -1;
	}
	if ((p = path_join(store, unit, NULL)) == NULL)
		return -1;
	if (!(ok = path_isdir(p)))
		warnf("%s: %s", p, store_islink(p) ? "symbolic link: not followed" :
		    "no such trust store directory");
	free(p);
	return ok ? 0 : -1;
}

int
trustset_read(struct trust_set *ts, const char *store, char *const *units, int flags)
{
	struct certfile cf;
	char **names = NULL, *p;
	size_t n = 0, i;
	int rc = -1, isdir;

	memset(ts, 0, sizeof(*ts));
	certfile_init(&cf, NULL, CERTFILE_AUX);
	if ((ts->store = strdup(store)) == NULL) {
		warnf("%s: out of memory", store);
		return -1;
	}
	for (i = 0; units != NULL && units[i] != NULL; i++)
		if (check_unit(store, units[i]) != 0)
			return -1;
	if (path_list(store, 0, &names, &n) != 0)
		goto out;
	/* Every trust unit is read: an issuer chain may run through units not in scope. */
	for (i = 0; i < n; i++) {
		if (!store_is_trust(names[i]))
			continue;
		if ((p = path_join(store, names[i], NULL)) == NULL) {
			warnf("%s: out of memory", store);
			goto out;
		}
		if (!(isdir = path_isdir(p)) && store_islink(p) && named(units, names[i]))
			warnf("%s: symbolic link: not followed, left in place", p);
		free(p);
		if (isdir && read_unit(ts, names[i], named(units, names[i]), flags,
		    &cf) != 0)
			goto out;
	}
	rc = 0;
out:
	path_list_free(names, n);
	certfile_free(&cf);
	return rc;
}

void
trustset_free(struct trust_set *ts)
{
	size_t i;

	for (i = 0; i < ts->ncerts; i++)
		free(ts->certs[i].der);
	for (i = 0; i < ts->nfiles; i++) {
		free(ts->files[i].unit);
		free(ts->files[i].name);
		free(ts->files[i].path);
	}
	free(ts->certs);
	free(ts->files);
	free(ts->store);
	memset(ts, 0, sizeof(*ts));
}

char *
trustset_subject(const struct trust_cert *c)
{
	const unsigned char *p = c->dc.subject.p;
	X509_NAME *n = d2i_X509_NAME(NULL, &p, (long)c->dc.subject.len);
	char *s = n != NULL ? cert_name_text(n) : strdup("");

	X509_NAME_free(n);
	return s;
}

char *
trustset_cn(const struct trust_cert *c, char *out, size_t outlen)
{
	return cert_cn_der(c->dc.subject.p, c->dc.subject.len, out, outlen);
}

char *
trustset_serial(const struct trust_cert *c)
{
	return der_serial_text(c->dc.serial.p, c->dc.serial.len, 1);
}
