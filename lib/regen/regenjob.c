/* regenjob.c: the per-unit steps of set cert regen, on the offline store layout of CUCM.md. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/afile.h"
#include "x509/cert.h"
#include "load/certfile.h"
#include "load/certx509.h"
#include "core/diag.h"
#include "core/io.h"
#include "tl/itlkey.h"
#include "core/out.h"
#include "regen/regenimport.h"
#include "regen/regenjob.h"
#include "regen/trustidx.h"
#include "store/backuplist.h"
#include "core/path.h"
#include "core/when.h"
#include "cucm/cucm.h"
#include "x509/dnkey.h"
#include "x509/expiry.h"

/* "STORE/UNIT/UNIT<ext>" (store NULL: relative to the store). */
static char *
unitfile(const struct profile *p, const char *store, const char *ext)
{
	char name[64];

	snprintf(name, sizeof(name), "%s%s", p->unit, ext);
	return store != NULL ? path_join(store, p->unit, name, NULL) :
	    path_join(p->unit, name, NULL);
}

/*
 * A key that does not match its certificate: a change stopped between the two
 * renames? Name the newest backup holding the unit's previous key, and the command.
 */
static void
mismatch(const struct regenjob *j, const char *store, const char *kpath, const char *cpath)
{
	struct backuplist l;
	const char *hit = NULL;
	char rel[160];
	size_t i, k;

	snprintf(rel, sizeof(rel), "%s/%s.key", j->p->unit, j->p->unit);
	if (backuplist_read(&l, store != NULL ? store : ".") == 0)
		for (i = l.n; i-- > 0 && hit == NULL;)
			for (k = 0; k < l.e[i].m.n && hit == NULL; k++)
				if (l.e[i].m.e[k].kind != TXN_PUT &&
				    strcmp(l.e[i].m.e[k].path, rel) == 0)
					hit = l.e[i].path;
	if (hit != NULL)
		warnf("%s: does not match %s (a change stopped half-way?): the previous pair is "
		    "in %s: cert-regen -s %s -y -r %s puts it back", kpath, cpath, hit,
		    store != NULL ? store : ".", hit);
	else
		warnf("%s: does not match %s", kpath, cpath);
	backuplist_free(&l);
}

/* The unit's certificate and key as they are; 0 or -1 (diagnosed). */
static int
load_old(struct regenjob *j, const char *store)
{
	char *cpath = unitfile(j->p, store, ".pem"), *kpath = unitfile(j->p, store, ".key");
	STACK_OF(X509) *sk = NULL;
	EVP_PKEY *key = NULL;
	int rc = -1;

	if (cpath == NULL || kpath == NULL) {
		warnf("%s: out of memory", store);
		goto out;
	}
	if (access(cpath, F_OK) == 0) {
		if ((sk = certx509_load_file(cpath, NULL)) == NULL)
			goto out;
		j->old = sk_X509_shift(sk);
	}
	if (access(kpath, F_OK) == 0) {
		if ((key = itlkey_load(kpath, NULL)) == NULL)
			goto out;
		if (j->old != NULL && !cert_key_matches(j->old, key)) {
			mismatch(j, store, kpath, cpath);
			goto out;
		}
	}
	rc = 0;
out:
	cert_free_all(sk);
	EVP_PKEY_free(key);
	free(cpath);
	free(kpath);
	return rc;
}

static int
settle_key(struct regenjob *j, const struct regenjob_opts *op)
{
	const char *why = NULL, *type = op->keytype;

	if (type == NULL && (op->curve != NULL || op->bits != 0))
		type = op->curve != NULL ? "ec" : "rsa";
	if (type != NULL) {
		if (regen_key_set(&j->k, type, (int)op->bits, op->curve, &why) == 0)
			return 0;
	} else if (j->old != NULL) {
		if (regen_key_of(j->old, &j->k) == 0)
			return 0;
		why = "the current key is neither RSA nor EC P-256/384/521: give --key-type";
	} else if (regen_key_set(&j->k, j->p->ec ? "ec" : "rsa", 0, NULL, &why) == 0)
		return 0;
	warnf("%s: %s", j->p->unit, why);
	return -1;
}

static int
settle_subject(struct regenjob *j, const struct regenjob_opts *op)
{
	char cn[256], tag[9];
	const char *why = "out of memory";
	X509_NAME *n = NULL;

	snprintf(tag, sizeof(tag), "%02x%02x%02x%02x", j->r.serial[0], j->r.serial[1],
	    j->r.serial[2], j->r.serial[3]);
	if (op->subject != NULL) {
		j->subject = regen_name(op->subject, &why);
	} else if (j->old != NULL) {
		if (op->host != NULL || (j->p->cn == PROFILE_CN_CAPF && !op->keep))
			j->subject = regen_name_cn(X509_get_subject_name(j->old),
			    profile_cn(j->p, op->host != NULL ? op->host : "", tag, cn, sizeof(cn)));
		else
			j->subject = X509_NAME_dup(X509_get_subject_name(j->old));
	} else if (op->host != NULL) {
		if ((n = X509_NAME_new()) != NULL)
			j->subject = regen_name_cn(n, profile_cn(j->p, op->host, tag, cn,
			    sizeof(cn)));
		X509_NAME_free(n);
	} else
		why = "no certificate in the store: give --subject or --host";
	if (j->subject == NULL) {
		warnf("%s: %s", j->p->unit, why);
		return -1;
	}
	j->r.subject = j->subject;
	return 0;
}

/*
 * Days of validity: --days, else CUCM's five years; ITLRecovery's by release
 * (CUCM.md): 20 years from 12.0 to 14 (the 12.0 security guide), 5 before
 * 12.0 and, by default, at 15 (which offers 5, 10, 15 or 20: --years).
 */
static void
settle_days(struct regenjob *j, const struct regenjob_opts *op)
{
	int v = CUCM_VERSION_OR_DEFAULT(op->version);

	j->r.days = op->days != 0 ? op->days : 1825;
	j->days_from = op->days != 0 ? "--days" : "default";
	if (j->p->cn != PROFILE_CN_ITLREC)
		return;
	if (op->years != 0) {
		j->r.days = 365 * op->years;
		j->days_from = "--years";
	} else if (op->days == 0) {
		j->r.days = v >= 120 && v < 150 ? 365 * 20 : 1825;
		j->days_from = v < 120 ? "release before 12.0" : v < 150 ? "release 12.0 to 14" :
		    "release 15";
	}
}

int
regenjob_load(struct regenjob *j, const char *store, const char *unit,
    const struct regenjob_opts *op)
{
	char iso[32];
	int64_t na;
	int i, n = 0;

	memset(j, 0, sizeof(*j));
	if ((j->p = profile_get(unit)) == NULL) {
		warnf("%s: unknown unit (CallManager, CallManager-ECDSA, CAPF, ipsec, "
		    "ITLRecovery, tomcat, tomcat-ECDSA, TVS)", unit);
		return -1;
	}
	if (load_old(j, store) != 0 || settle_key(j, op) != 0 ||
	    regen_serial(j->r.serial) != 0 || settle_subject(j, op) != 0)
		return -1;
	j->r.not_before = op->now;
	settle_days(j, op);
	if (expiry_not_after(j->r.not_before, j->r.days, &na) != 0) {
		warnf("%s: valid %lld days from %s would end after 9999-12-31T23:59:59Z, "
		    "the last time X.509 can encode", unit, (long long)j->r.days,
		    when_iso(j->r.not_before, iso));
		return -1;
	}
	j->r.bc = op->bc != NULL ? op->bc : j->p->bc;
	j->r.ku = op->ku != NULL ? op->ku : j->p->ku;
	j->r.eku = op->eku != NULL ? op->eku : j->p->eku;
	j->r.san = op->san;
	if (op->san == NULL && j->old != NULL &&
	    (i = X509_get_ext_by_NID(j->old, NID_subject_alt_name, -1)) >= 0)
		j->r.san_ext = X509_get_ext(j->old, i);	/* borrowed from j->old */
	if (op->ntrust >= 0)
		for (i = 0; i < op->ntrust; i++)
			j->trust[n++] = op->trust[i];
	else
		for (i = 0; i < 2 && j->p->trust[i] != NULL; i++)
			j->trust[n++] = j->p->trust[i];
	j->trust[n] = NULL;
	return 0;
}

int
regenjob_build(struct regenjob *j, int csr)
{
	const char *md = regen_digest(&j->k);

	if ((j->key = regen_keygen(&j->k)) == NULL)
		return -1;
	if (csr)
		j->csr = regen_csr(&j->r, j->key, md);
	else
		j->cert = regen_cert(&j->r, j->key, md);
	return (csr ? (void *)j->csr : (void *)j->cert) != NULL ? 0 : -1;
}

char *
regenjob_trustname(const X509 *x, int capf, char *out, size_t outlen)
{
	char cn[200], *serial;
	size_t i, k;

	cert_cn(X509_get_subject_name(x), cn, sizeof(cn));
	if (cn[0] == '\0')
		snprintf(cn, sizeof(cn), "cert");
	/* One printable file name in one directory: control bytes (C1 too), bad UTF-8, / and .. go. */
	for (i = 0; cn[i] != '\0'; i += k) {
		k = out_utf8len((const uint8_t *)cn + i, strlen(cn + i));
		if (k == 0 || (k == 1 && strchr(" /\\", cn[i]) != NULL) ||
		    (i == 0 && cn[i] == '.') || (cn[i] == '.' && cn[i + 1] == '.')) {
			cn[i] = '_';
			k = 1;
		}
	}
	if (capf)
		snprintf(out, outlen, "%s.pem", cn);
	else {
		/* CUCM names trust files with the serial in lower case. */
		if ((serial = cert_serial_text(x, 0)) == NULL)
			return NULL;
		/* At most 128 digits (a 64-byte serial), so that ".pem" fits in a 255-byte name. */
		snprintf(out, outlen, "%s_%.128s.pem", cn, serial);
		free(serial);
	}
	return out;
}

/* A subject to find namesakes of: its DER and its dnkey (err set: no key, no filter). */
struct subj {
	const unsigned char	*der;
	size_t			 len;
	struct buf		 key;
};

static void
subj_init(struct subj *s, const X509 *x)
{
	memset(s, 0, sizeof(*s));
	if (X509_NAME_get0_der(X509_get_subject_name(x), &s->der, &s->len) != 1 ||
	    dnkey_make(s->der, s->len, &s->key) != 0)
		s->key.err = 1;
}

/*
 * Is buf[0..len), one certificate, a namesake of s? Read with certfile, no
 * OpenSSL object built: 2 surely (the same DER subject), 0 surely not (X509_NAME_cmp
 * would say they differ: dnkey), 1 maybe (ask X509_NAME_cmp).
 */
static int
namesake(const uint8_t *buf, size_t len, const struct subj *s)
{
	struct certfile cf;
	struct buf k = BUF_ZERO;
	const struct der_span *d;
	int r = 1;

	certfile_init(&cf, NULL, CERTFILE_AUX);
	if (certfile_read(&cf, buf, len, 1) != NULL || cf.ncerts != 1) {
		certfile_free(&cf);
		return 0;	/* not the one certificate X509_NAME_cmp would have been asked about */
	}
	d = &cf.certs[0].c.subject;
	if (s->der != NULL && d->len == s->len && memcmp(d->p, s->der, s->len) == 0)
		r = 2;
	else if (!s->key.err && dnkey_make(d->p, d->len, &k) == 0)
		r = k.len == s->key.len && memcmp(k.p, s->key.p, k.len) == 0;
	buf_drop(&k);
	certfile_free(&cf);
	return r;
}

/*
 * Is the file at path, one certificate, a namesake of x? Asked when the DER
 * names and their keys leave it open (namesake 1): X509_NAME_cmp decides.
 */
static int
namesake_x509(const char *path, const X509 *x)
{
	STACK_OF(X509) *sk = NULL;
	const char *why;
	uint8_t *buf;
	size_t len;
	int r = 0;

	if ((buf = io_slurp(path, IO_MAX, &len)) == NULL)
		return 0;
	r = certx509_load(buf, len, NULL, &sk, &why) == 1 && sk_X509_num(sk) == 1 &&
	    X509_NAME_cmp(X509_get_subject_name(sk_X509_value(sk, 0)),
	    X509_get_subject_name(x)) == 0;
	cert_free_all(sk);
	free(buf);
	return r;
}

/* namesake() from an index entry: the same answers, from what the entry kept. */
static int
namesake_ent(const struct trustidx_ent *e, const struct subj *s)
{
	if (e->subject == NULL)
		return 0;
	if (s->der != NULL && e->slen == s->len && memcmp(e->subject, s->der, s->len) == 0)
		return 2;
	if (!s->key.err && !e->key.err)
		return e->key.len == s->key.len && memcmp(e->key.p, s->key.p, s->key.len) == 0;
	return 1;
}

/* Name ts/name in gone. 0, or -1 out of memory. */
static int
goes(STACK_OF(OPENSSL_STRING) *gone, const char *ts, const char *name)
{
	char *rel = path_join(ts, name, NULL);

	if (rel == NULL || sk_OPENSSL_STRING_push(gone, rel) <= 0) {
		free(rel);
		return -1;
	}
	return 0;
}

/* The files of dir (ts) with x's subject other than name, into gone: read from the directory. */
static int
namesakes_dir(const char *dir, const char *ts, const char *name, const struct subj *xs,
    const X509 *x, STACK_OF(OPENSSL_STRING) *gone)
{
	char **names = NULL, *path = NULL;
	uint8_t *buf;
	size_t i, n = 0, len;
	int m, rc = -1;

	if (path_isdir(dir) && path_list(dir, 0, &names, &n) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		free(path);
		path = NULL;
		if (strcmp(names[i], name) == 0 || strstr(names[i], ".tmp.") != NULL ||
		    (path = path_join(dir, names[i], NULL)) == NULL || !path_isreg(path))
			continue;
		if ((buf = io_slurp(path, IO_MAX, &len)) == NULL)
			continue;
		/* an OpenSSL object only for a name that may match in another form */
		m = namesake(buf, len, xs);
		free(buf);
		if ((m == 2 || (m == 1 && namesake_x509(path, x))) && goes(gone, ts, names[i]) != 0)
			goto out;
	}
	rc = 0;
out:
	free(path);
	path_list_free(names, n);
	return rc;
}

/* The same from the index ix of that directory (loaded first when it is not). */
static int
namesakes_idx(struct trustidx *ix, const char *store, const char *ts, const char *name,
    const struct subj *xs, const X509 *x, STACK_OF(OPENSSL_STRING) *gone)
{
	char *path;
	size_t i;
	int m;

	if (ix->dir == NULL && trustidx_load(ix, store, ts) != 0)
		return -1;
	for (i = 0; i < ix->n; i++) {
		if (strcmp(ix->e[i].name, name) == 0 || (m = namesake_ent(&ix->e[i], xs)) == 0)
			continue;
		if (m == 1) {
			if ((path = path_join(ix->dir, ix->e[i].name, NULL)) == NULL)
				return -1;
			m = namesake_x509(path, x) ? 2 : 0;
			free(path);
		}
		if (m == 2 && goes(gone, ts, ix->e[i].name) != 0)
			return -1;
	}
	return 0;
}

/*
 * Put x into trust store ts; unless keep, older certificates with its subject
 * leave (read from the directory, or from ix, its index, when given).
 */
static int
trust_copy(struct txn *t, const X509 *x, const char *ts, int capf, int keep,
    STACK_OF(OPENSSL_STRING) *gone, struct trustidx *ix)
{
	char name[256], *rel = NULL, *dir = NULL, *pem = NULL;
	struct subj xs;
	size_t len;
	int rc = -1;

	subj_init(&xs, x);
	if (regenjob_trustname(x, capf, name, sizeof(name)) == NULL ||
	    (rel = path_join(ts, name, NULL)) == NULL || (dir = path_join(t->store, ts, NULL)) ==
	    NULL || (pem = regen_pem('c', x, &len)) == NULL ||
	    txn_put(t, rel, pem, len, AFILE_MODE_DEFAULT) != 0)
		goto out;
	if (!keep && (ix != NULL ? namesakes_idx(ix, t->store, ts, name, &xs, x, gone) :
	    namesakes_dir(dir, ts, name, &xs, x, gone)) != 0)
		goto out;
	rc = 0;
out:
	if (rc != 0)
		warnf("%s: cannot plan the trust copy", ts);
	buf_drop(&xs.key);
	free(pem);
	free(dir);
	free(rel);
	return rc;
}

static int
put_key(struct txn *t, const char *rel, EVP_PKEY *key)
{
	size_t len;
	char *pem = regen_pem('k', key, &len);
	int rc;

	if (pem == NULL) {
		warnf("%s: cannot encode the key", rel);
		return -1;
	}
	rc = txn_put(t, rel, pem, len, 0600);
	OPENSSL_cleanse(pem, len);
	free(pem);
	return rc;
}

/* The new key, the certificate x, the trust copies of x, then the removals. */
static int
changes(struct regenjob *j, struct txn *t, const char *keyrel, X509 *x, int copies)
{
	STACK_OF(OPENSSL_STRING) *gone = sk_OPENSSL_STRING_new_null();
	char *crel = unitfile(j->p, NULL, ".pem"), *pem = NULL, *s;
	size_t len;
	int i, capf = j->p->cn == PROFILE_CN_CAPF, rc = -1;

	if (gone == NULL || crel == NULL || (pem = regen_pem('c', x, &len)) == NULL) {
		warnf("%s: out of memory", j->p->unit);
		goto out;
	}
	for (i = 0; copies && j->trust[i] != NULL; i++)
		if (trust_copy(t, x, j->trust[i], capf, capf, gone,
		    strcmp(j->trust[i], "CallManager-trust") == 0 ? j->cmtrust : NULL) != 0)
			goto out;
	if ((keyrel != NULL && put_key(t, keyrel, j->key) != 0) ||
	    txn_put(t, crel, pem, len, AFILE_MODE_DEFAULT) != 0)
		goto out;
	for (i = 0; i < sk_OPENSSL_STRING_num(gone); i++)
		if (txn_remove(t, sk_OPENSSL_STRING_value(gone, i)) != 0)
			goto out;
	rc = 0;
out:
	while ((s = sk_OPENSSL_STRING_pop(gone)) != NULL)
		free(s);
	sk_OPENSSL_STRING_free(gone);
	free(crel);
	free(pem);
	return rc;
}

int
regenjob_changes(struct regenjob *j, struct txn *t, int csr)
{
	char *krel = unitfile(j->p, NULL, csr ? ".csr.key" : ".key");
	int rc = -1;

	if (krel == NULL)
		warnf("%s: out of memory", j->p->unit);
	else if (csr)
		rc = put_key(t, krel, j->key);
	else
		rc = changes(j, t, krel, j->cert, 1);
	free(krel);
	return rc;
}

int
regenjob_copy(const struct regenjob *j, struct txn *t, const char *ts, struct trustidx *ix)
{
	STACK_OF(OPENSSL_STRING) *gone = sk_OPENSSL_STRING_new_null();
	int capf = j->p->cn == PROFILE_CN_CAPF, i, rc = -1;
	char *s;

	if (gone != NULL && trust_copy(t, j->cert, ts, capf, capf, gone, ix) == 0)
		for (rc = 0, i = 0; rc == 0 && i < sk_OPENSSL_STRING_num(gone); i++)
			rc = txn_remove(t, sk_OPENSSL_STRING_value(gone, i));
	while (gone != NULL && (s = sk_OPENSSL_STRING_pop(gone)) != NULL)
		free(s);
	sk_OPENSSL_STRING_free(gone);
	return rc;
}

int
regenjob_import(struct regenjob *j, const char *store, const char *certfile,
    const char *chainfile, int64_t now, struct txn *t)
{
	char *pending = unitfile(j->p, store, ".csr.key"), *current = unitfile(j->p, store, ".key");
	char *prel = unitfile(j->p, NULL, ".csr.key"), *krel = unitfile(j->p, NULL, ".key");
	char ts[64];
	int i, rc = -1;

	if (pending == NULL || current == NULL || prel == NULL || krel == NULL)
		goto out;
	j->pending = access(pending, F_OK) == 0;
	if ((j->key = itlkey_load(j->pending ? pending : current, NULL)) == NULL ||
	    (j->chain = certx509_load_file(certfile, NULL)) == NULL)
		goto out;
	for (i = 0; i < sk_X509_num(j->chain) && j->leaf == NULL; i++)
		if (cert_key_matches(sk_X509_value(j->chain, i), j->key))
			j->leaf = sk_X509_delete(j->chain, i);
	if (j->leaf == NULL) {
		warnf("%s: no certificate for the key in %s", io_name(certfile),
		    j->pending ? pending : current);
		goto out;
	}
	snprintf(ts, sizeof(ts), "%s-trust", j->p->rsa_unit);
	if ((chainfile != NULL && regenimport_chain(j->chain, chainfile) != 0) ||
	    regenimport_check(j->leaf, j->chain, store, ts, now, io_name(certfile)) != 0)
		goto out;
	j->trust[0] = NULL;
	if (changes(j, t, j->pending ? krel : NULL, j->leaf, 0) != 0 ||
	    (j->pending && txn_remove(t, prel) != 0))
		goto out;
	for (i = 0; j->p->cn != PROFILE_CN_ITLREC && i < sk_X509_num(j->chain); i++)
		if (trust_copy(t, sk_X509_value(j->chain, i), ts, 0, 1, NULL, NULL) != 0)
			goto out;
	rc = 0;
out:
	free(pending);
	free(current);
	free(prel);
	free(krel);
	return rc;
}

void
regenjob_free(struct regenjob *j)
{
	X509_free(j->old);
	X509_NAME_free(j->subject);
	EVP_PKEY_free(j->key);
	X509_free(j->cert);
	X509_REQ_free(j->csr);
	X509_free(j->leaf);
	cert_free_all(j->chain);
	memset(j, 0, sizeof(*j));
}
