/* reportscan.c: cert-expiry's walk: each certificate found, named, left out or judged, into a report. */
#include <ctype.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/evp.h>

#include "core/diag.h"
#include "cucm/cluster.h"
#include "cucm/cucm.h"
#include "cucm/impact.h"
#include "load/scan.h"
#include "report/reportbase.h"
#include "report/reportscan.h"
#include "store/lock.h"
#include "core/path.h"
#include "store/store.h"
#include "core/io.h"
#include "core/out.h"
#include "core/when.h"
#include "tl/ctl.h"
#include "tl/sgn.h"
#include "x509/cert.h"

/* Its "Source:" line names the certificate as reading the file itself would have. */
static void
sourced(struct reportscan *rs, struct report_cert *rc, const struct certfile_cert *sc)
{
	const char *slash;

	if (reportbase_parse_label(sc->source, sc->sourcelen, &rs->src, &rc->record,
	    &rc->role) != 0) {
		rs->src.len = 0;
		rs->src.err = 0;
		buf_add(&rs->src, sc->source, sc->sourcelen);
		buf_addc(&rs->src, '\0');
		if (rs->src.err)
			return;
	}
	rc->file = (const char *)rs->src.p;
	rc->base = (slash = strrchr(rc->file, '/')) != NULL ? slash + 1 : rc->file;
	rc->count = 1;		/* the line names this one certificate */
}

/* --exclude and --exclude-serial: the reason it is left out, or NULL. */
static const char *
excluded(const struct reportscan *rs, const struct report_cert *rc, const char *path,
    const char **match)
{
	const char *s, *why = NULL;
	char *serial;
	size_t i;

	for (i = 0; i < rs->nglobs; i++)
		if (fnmatch(rs->globs[i], path, 0) == 0 || fnmatch(rs->globs[i], rc->file, 0) == 0) {
			*match = rs->globs[i];
			return "exclude";
		}
	if (rs->nserials == 0 || (serial = reportbase_serial(rc)) == NULL)
		return NULL;
	for (s = serial; s[0] == '0' && s[1] != '\0'; s++)
		;
	for (i = 0; i < rs->nserials && why == NULL; i++)
		if (strcmp(rs->serials[i], s) == 0) {
			*match = rs->serials[i];
			why = "exclude-serial";
		}
	free(serial);
	return why;
}

/* A Cisco bundled CA past its warning date is kept, as trust-prune keeps it. */
static void
judge(const struct reportscan *rs, struct report_cert *rc)
{
	char cn[256] = "";

	if (rc->role != NULL && strcmp(rc->role, "SAST") == 0)
		cert_cn_der(rc->c->subject.p, rc->c->subject.len, cn, sizeof(cn));
	rc->impact = rc->role != NULL ? impact_of_role(rc->role, cn) : impact_of_unit(rc->unit);
	if (rs->check_bundled || rc->st == EXPIRY_OK || rc->st == EXPIRY_NOTYET ||
	    (rc->type != NULL && strcmp(rc->type, "own-cert") == 0))
		return;
	if (cucm_is_bundled_ca(cert_cn_der(rc->c->subject.p, rc->c->subject.len, cn,
	    sizeof(cn))))
		rc->st = EXPIRY_KEPT;
}

/* 1 when der was reported already (an own certificate, a served record); else noted, 0. */
static int
seen(struct reportscan *rs, const uint8_t *der, size_t len, int note)
{
	uint8_t md[32];
	unsigned int mdlen = 0;
	size_t i;

	if (EVP_Digest(der, len, md, &mdlen, EVP_sha256(), NULL) != 1 || mdlen != 32)
		return 0;
	for (i = 0; i + 32 <= rs->seen.len; i += 32)
		if (memcmp(rs->seen.p + i, md, 32) == 0)
			return 1;
	if (note)
		buf_add(&rs->seen, md, 32);
	return 0;
}

/* An own certificate: a served record of it is a copy; a signed file may name it as signer. */
struct own {
	uint8_t		serial[64];	/* minimal unsigned bytes */
	size_t		n;
	int64_t		not_after;
};

static void
own(struct reportscan *rs, const struct der_cert *c, const uint8_t *der, size_t len)
{
	struct der_span s = der_serial_unsigned(c);
	struct own o;

	(void)seen(rs, der, len, 1);
	memset(&o, 0, sizeof(o));
	o.n = s.len < sizeof(o.serial) ? s.len : sizeof(o.serial);
	memcpy(o.serial, s.p, o.n);
	o.not_after = c->not_after;
	buf_add(&rs->owns, &o, sizeof(o));
}

/* A signed file's signer among the own certificates: why it is stale, or NULL. */
static const char *
stale_why(const struct reportscan *rs, const struct tlv *ser, char *why, size_t n)
{
	const struct own *o = (const struct own *)rs->owns.p;
	size_t i, k = rs->owns.len / sizeof(*o);
	const uint8_t *p = ser->val;
	size_t len = ser->len;
	char iso[32];

	for (; len > 1 && *p == 0; p++, len--)
		;
	for (i = 0; i < k; i++)
		if (o[i].n == len && memcmp(o[i].serial, p, len) == 0)
			break;
	if (i == k)
		return "its signer is no certificate of the store or cluster any more";
	if (o[i].not_after >= rs->ex->now)
		return NULL;
	snprintf(why, n, "its signer expired %s", when_iso(o[i].not_after, iso));
	return why;
}

/* Every signed file directly in dir (a node's tftp/): stale ones are findings. */
static void
stale_dir(struct reportscan *rs, const char *node, const char *dir)
{
	char **names, *path, why[96], hex[2 * 64 + 1];
	const char *w;
	struct ctl c;
	uint8_t *buf;
	size_t i, n, len, k;

	if (!path_isdir(dir) || path_list(dir, 0, &names, &n) != 0)
		return;
	for (i = 0; i < n; i++) {
		k = strlen(names[i]);
		if (k < 5 || strcmp(names[i] + k - 4, ".sgn") != 0 ||
		    (path = path_join(dir, names[i], NULL)) == NULL)
			continue;
		if (path_isreg(path) && (buf = io_slurp(path, IO_MAX, &len)) != NULL) {
			if (sgn_parse_any(&c, buf, len) != SGN_NONE && !c.damaged &&
			    c.hf[CTL_H_SERIAL].val != NULL && c.hf[CTL_H_SERIAL].len <= 64 &&
			    (w = stale_why(rs, &c.hf[CTL_H_SERIAL], why, sizeof(why))) != NULL)
				report_stale(rs->rep, node, path, out_hex(hex,
				    c.hf[CTL_H_SERIAL].val, c.hf[CTL_H_SERIAL].len, 1, 0), w);
			ctl_free(&c);
			free(buf);
		}
		free(path);
	}
	path_list_free(names, n);
}

/* The scanner's callback: one file's certificates, or its error. */
static void
onfile(void *arg, const struct scan_file *f)
{
	struct report_cert rc;
	const struct certfile_cert *sc;
	const char *why, *match, *unit;
	struct reportscan *rs = arg;
	char rb[32];
	size_t i;
	int served;

	if (f->skipped != NULL) {
		/* not trouble, but never silent: a link may stand for a certificate to watch */
		warnf("%s: %s, skipped", f->path, f->skipped);
		report_skip_file(rs->rep, f->path, f->skipped);
		return;
	}
	if (f->error != NULL) {
		warnf("%s: %s", f->path, f->error);
		report_error(rs->rep, f->path, f->error);
	}
	/* the store's units; a walked directory's names (an export); never a lone file's */
	unit = rs->in_store || strcmp(f->path, rs->operand) != 0 ? f->unit : NULL;
	/* a store's tftp/: what the node serves, no unit (CUCM has no unit "tftp") */
	served = rs->in_store && unit != NULL && strcmp(unit, "tftp") == 0;
	if (served && rs->no_tftp)
		return;
	for (i = 0; i < f->ncerts; i++) {
		sc = &f->certs[i];
		memset(&rc, 0, sizeof(rc));
		rc.file = f->path;
		rc.base = f->base;
		rc.index = sc->index;
		rc.count = f->count;
		rc.record = sc->record;
		rc.role = sc->record > 0 ? ctl_role_text(sc->function, rb, sizeof(rb)) : NULL;
		if (sc->source != NULL)
			sourced(rs, &rc, sc);
		rc.unit = served ? NULL : unit;
		rc.node = rs->node;
		if (served && sc->record > 0 && seen(rs, sc->der, sc->len, 1))
			continue;	/* reported once per certificate, not once per copy */
		if (rc.unit != NULL && store_is_own(unit, f->base))
			rc.type = "own-cert";
		else if (unit != NULL && store_is_trust(unit))
			rc.type = "trust-cert";
		rc.der = sc->der;
		rc.len = sc->len;
		rc.c = &sc->c;
		if ((why = excluded(rs, &rc, f->path, &match)) != NULL) {
			report_skip(rs->rep, &rc, why, match);
			continue;
		}
		if (rc.type != NULL && strcmp(rc.type, "own-cert") == 0 && rs->in_store)
			own(rs, &sc->c, sc->der, sc->len);
		rc.st = expiry_state(rs->ex, rc.unit, sc->c.not_before, sc->c.not_after);
		rc.days = expiry_days_left(rs->ex, sc->c.not_after);
		expiry_limits(rs->ex, rc.unit, &rc.warn, &rc.crit);
		judge(rs, &rc);
		report_cert(rs->rep, &rc);
	}
}

/* --exclude-serial: hex digits (":" between bytes allowed), as upper case without leading 0s. */
int
reportscan_serial(const char *s, char *buf, size_t size)
{
	size_t n = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	for (; *s != '\0'; s++) {
		if (*s == ':')
			continue;
		if (!isxdigit((unsigned char)*s) || n + 2 > size)
			return -1;
		if (n == 0 && *s == '0')
			continue;
		buf[n++] = (char)toupper((unsigned char)*s);
	}
	if (n == 0)
		buf[n++] = '0';
	buf[n] = '\0';
	return 0;
}

void
reportscan_init(struct reportscan *rs, struct report *rep, const struct expiry *ex)
{
	memset(rs, 0, sizeof(*rs));
	rs->rep = rep;
	rs->ex = ex;
}

int
reportscan_add(char ***v, size_t *n, const char *s)
{
	char **nv;

	if ((nv = realloc(*v, (*n + 1) * sizeof(**v))) == NULL)
		return -1;
	*v = nv;
	if ((nv[*n] = strdup(s)) == NULL)
		return -1;
	(*n)++;
	return 0;
}

static void
freelist(char **v, size_t n)
{
	while (n-- > 0)
		free(v[n]);
	free(v);
}

void
reportscan_free(struct reportscan *rs)
{
	freelist(rs->globs, rs->nglobs);
	freelist(rs->serials, rs->nserials);
	buf_free(&rs->src);
	buf_free(&rs->seen);
	buf_free(&rs->owns);
	rs->globs = rs->serials = NULL;
	rs->nglobs = rs->nserials = 0;
}

/* One operand: a file or a directory; what a lone file's parent is called is no unit. */
static void
operand(struct reportscan *rs, struct scan *sc, const char *path)
{
	rs->operand = path;
	scan_path(sc, path);
}

/* -s STORE (two levels: STORE/UNIT/FILE), then the operands; stdin when there is neither. */
static void
walk(struct reportscan *rs, struct scan *sc, const char *store, long depth, char **argv)
{
	struct lock lk = LOCK_ZERO;
	struct stat st;
	char *tftp;

	if (store != NULL) {
		if (stat(store, &st) != 0 || !S_ISDIR(st.st_mode)) {	/* a symlink is fine */
			warnf("%s: not a store directory", store);
			report_error(rs->rep, store, "not a store directory");
		} else if (lock_take(&lk, store, 0, LOCK_WAIT_DEFAULT, "cert-expiry") != 0) {
			report_error(rs->rep, store, "store busy");
		} else {	/* shared: never a change another tool has half done */
			sc->max_depth = depth >= 0 && depth < 2 ? (int)depth : 2;
			rs->operand = store;
			rs->in_store = 1;
			scan_path(sc, store);
			rs->in_store = 0;
			if ((tftp = path_join(store, "tftp", NULL)) != NULL)
				stale_dir(rs, NULL, tftp);
			free(tftp);
			sc->max_depth = (int)depth;
			lock_release(&lk);
		}
	} else if (*argv == NULL)
		operand(rs, sc, "-");
	for (; *argv != NULL; argv++)
		operand(rs, sc, *argv);
}

void
reportscan_walk(struct reportscan *rs, const char *pass, const char *store, long depth,
    char **argv)
{
	struct scan sc;

	scan_init(&sc, onfile, rs);
	sc.cf.pass = pass;
	sc.max_depth = (int)depth;
	walk(rs, &sc, store, depth, argv);
	scan_free(&sc);
}

/* One node's store as -s walks it, under its shared lock. */
static void
node_store(struct reportscan *rs, struct scan *sc, const char *dir)
{
	struct lock lk = LOCK_ZERO;

	if (lock_take(&lk, dir, 0, LOCK_WAIT_DEFAULT, "cert-expiry") != 0) {
		report_error(rs->rep, dir, "store busy");
		return;
	}
	rs->operand = dir;
	rs->in_store = 1;
	scan_path(sc, dir);
	rs->in_store = 0;
	lock_release(&lk);
}

void
reportscan_cluster(struct reportscan *rs, const char *pass, const struct cluster *c)
{
	struct scan sc;
	size_t i;

	scan_init(&sc, onfile, rs);
	sc.cf.pass = pass;
	sc.max_depth = 2;
	/* the units of every node first: a served record of any node's certificate is a copy */
	rs->no_tftp = 1;
	for (i = 0; i < c->n; i++) {
		rs->node = c->v[i].name;
		node_store(rs, &sc, c->v[i].dir);
	}
	rs->no_tftp = 0;
	for (i = 0; i < c->n; i++)
		stale_dir(rs, c->v[i].name, c->v[i].tftpdir);
	sc.max_depth = 1;	/* tftp/ itself: history/ holds what was served before */
	for (i = 0; i < c->n; i++) {
		rs->node = c->v[i].name;
		if (!path_isdir(c->v[i].tftpdir))
			continue;
		rs->operand = c->v[i].tftpdir;
		rs->in_store = 1;
		scan_path(&sc, c->v[i].tftpdir);
		rs->in_store = 0;
	}
	rs->node = NULL;
	scan_free(&sc);
}

/* The exit status: Nagios' codes with --nagios; kept and left-out certificates never count. */
int
reportscan_status(const struct report *rep, enum report_fmt fmt, int trouble)
{
	if (fmt == REPORT_NAGIOS)
		return trouble ? NAGIOS_UNKNOWN : (int)report_nagios_status(rep);
	if (trouble || rep->nerrors > 0)
		return EXIT_TROUBLE;
	return rep->n[EXPIRY_WARNING] + rep->n[EXPIRY_CRITICAL] + rep->n[EXPIRY_EXPIRED] +
	    rep->n[EXPIRY_NOTYET] + rep->nstale > 0 ? EXIT_FINDINGS : EXIT_OK;
}

