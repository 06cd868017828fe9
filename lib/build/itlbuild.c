/* itlbuild.c: itl-build's runs: records collected, signed, checked as phones would, written; signed files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/afile.h"
#include "core/diag.h"
#include "core/io.h"
#include "core/json.h"
#include "core/when.h"
#include "cucm/clitl.h"
#include "cucm/cluster.h"
#include "cucm/clview.h"
#include "build/itlbuild.h"
#include "cucm/itlstore.h"
#include "cucm/phone.h"
#include "load/itlcerts.h"
#include "load/sgncert.h"
#include "store/lock.h"
#include "core/path.h"
#include "tl/ctljson.h"
#include "tl/ctlwritestream.h"
#include "tl/itlkey.h"
#include "tl/itlvalid.h"
#include "tl/sgnwrite.h"

/* Records from --resign, --store and the role options, in that order. */
static int
collect(const struct itlbuild *b, struct ctlw *w, const struct ctl *old)
{
	struct itlstore_opts so = { b->ctl, b->mixed, b->host, b->hasip ? b->nodeip : NULL };
	const char *why;
	size_t i;
	int warned = 0;

	/* itlstore_add looks back at every record before its own (duplicates) */
	ctlws_hold(w, b->store != NULL);
	for (i = 0; old != NULL && i < old->nrecs; i++)
		if (ctlw_add_raw(w, old, i, &why) != 0) {
			warnf("%s: %s", b->resign, why);
			return -1;
		}
	if (b->store != NULL && itlstore_add(w, b->store, &so) != 0)
		return -1;
	ctlws_hold(w, 0);
	for (i = 0; i < b->nspecs; i++) {
		if (b->specs[i].fn == CTL_FN_TVS && b->ctl && !warned++)
			warnf("warning: a TVS record in a CTL: CUCM never writes one");
		if (itlspec_add(w, &b->specs[i]) != 0)
			return -1;
	}
	if (w->nrec == 0) {
		warnf("%s: no records to write", b->resign);
		return -1;
	}
	return 0;
}

/* --signer's certificate into c, *want (NULL without --signer). 0, or -1 (diagnosed). */
static int
signer_cert(const struct itlbuild *b, struct itlcerts *c, const uint8_t **want, size_t *len)
{
	*want = NULL;
	*len = 0;
	if (b->signerpath == NULL)
		return 0;
	if (itlcerts_load(c, b->signerpath) != 0)
		return -1;
	*want = itlcerts_get(c, 0, len);
	return 0;
}

/* No record is the signer: say so. */
static void
no_signer(const struct itlbuild *b, const uint8_t *want)
{
	if (want != NULL)
		warnf("%s: not a SAST record that the key %s matches", b->signerpath,
		    io_name(b->keyspec));
	else
		warnf("%s: the key matches no SAST record: nothing could verify the file "
		    "(add its certificate with --sast)", io_name(b->keyspec));
}

/* The signing SAST record's index, or -1 (diagnosed). */
static int
find_signer(const struct itlbuild *b, const struct ctlw *w,
    const struct ctlw_key *key)
{
	struct itlcerts c = ITLCERTS_ZERO;
	const uint8_t *want;
	size_t len;
	int i = -1;

	if (signer_cert(b, &c, &want, &len) != 0)
		return -1;
	if ((i = ctlw_find_signer(w, key, want, len)) < 0)
		no_signer(b, want);
	itlcerts_free(&c);
	return i;
}

static int
set_opts(struct itlbuild *b, struct ctlw_opts *o, const struct ctl *old)
{
	const struct tlv *fn = old != NULL ? &old->hf[CTL_H_FILENAME] : NULL;
	const struct tlv *dg = old != NULL ? &old->hf[CTL_H_DIGEST] : NULL;
	int64_t t;

	memset(o, 0, sizeof(*o));
	o->filename = b->ctl ? "CTLFile.tlv" : "ITLFile.tlv";
	if (fn != NULL && fn->val != NULL && fn->len > 1 && fn->val[fn->len - 1] == '\0' &&
	    strlen((const char *)fn->val) == fn->len - 1u)
		o->filename = (const char *)fn->val;
	if (dg != NULL && dg->val != NULL && dg->len == 1 && b->digest_code < 0 &&
	    ctl_digest_name(dg->val[0]) != NULL && !b->digest_given)
		b->digest = ctl_digest_name(dg->val[0]);	/* --resign keeps the digest */
	o->digest = b->digest;
	o->digest_code = b->digest_code >= 0 ? b->digest_code :
	    strcmp(b->digest, "sha1") == 0 ? 1 : strcmp(b->digest, "sha256") == 0 ? 2 : 3;
	o->modulus_code = b->modcode;
	o->signer_version = b->sigver >= 0 ? (unsigned)b->sigver : old != NULL &&
	    old->hf[CTL_H_SIGNERVER].len == 2 ? tlv_u16(old->hf[CTL_H_SIGNERVER].val) : 0x100;
	if (when_now(b->nowopt, &t) != 0)
		return -1;
	if (t < 0 || t > 0xFFFFFFFFLL) {
		warnf("%s: not a time that fits the 32-bit TIMESTAMP: \"%s\"", b->nowopt != NULL ?
		    "--now" : "SOURCE_DATE_EPOCH", b->nowopt != NULL ? b->nowopt :
		    getenv("SOURCE_DATE_EPOCH") != NULL ? getenv("SOURCE_DATE_EPOCH") : "");
		return -1;
	}
	o->timestamp = (uint32_t)t;
	return 0;
}

/*
 * --cluster: one node's file into out, parsed into nc; or, with --all, every
 * TFTP node's. 0 (out and nc filled), 1 (--all done), -1 (diagnosed).
 */
/*
 * Every node store of c locked as cert-regen --cluster locks them (lock_all's
 * one order, --wait): exclusive when the run writes into the stores, shared
 * when it only reads them. lk has c->n slots. 0, or -1 with none held.
 */
static int
cluster_lock(const struct itlbuild *b, const struct cluster *c, int excl, struct lock *lk)
{
	const char **dirs;
	size_t i;
	int rc;

	if ((dirs = calloc(c->n, sizeof(*dirs))) == NULL) {
		warnf("%s: out of memory", c->dir);
		return -1;
	}
	for (i = 0; i < c->n; i++) {
		dirs[i] = c->v[i].dir;
		lk[i] = (struct lock)LOCK_ZERO;
	}
	rc = lock_all(lk, dirs, c->n, excl, b->wait, "itl-build");
	free(dirs);
	return rc;
}

static void
cluster_unlock(const struct cluster *c, struct lock *lk)
{
	size_t i;

	for (i = 0; lk != NULL && i < c->n; i++)
		lock_release(&lk[i]);
}

static int
cluster_build(struct itlbuild *b, struct ctlw_opts *o, struct buf *out, struct ctl *nc)
{
	struct cluster c;
	struct lock *lk = NULL;
	int i, mix, rc = -1;

	memset(&c, 0, sizeof(c));
	if (cluster_load(&c, b->clusterdir, b->cucmver) != 0 || set_opts(b, o, NULL) != 0)
		goto out;
	if ((lk = calloc(c.n + 1, sizeof(*lk))) == NULL) {
		warnf("%s: out of memory", c.dir);
		goto out;
	}
	if (cluster_lock(b, &c, b->all && !b->dry, lk) != 0) {
		free(lk);
		lk = NULL;
		goto out;
	}
	mix = b->mixed || cluster_mixed(&c);
	if (b->all)
		rc = clitl_serve(&c, o, mix, b->force, b->dry) == 0 ? 1 : -1;
	else if ((i = cluster_find(&c, b->nodename)) < 0)
		warnf("%s: no node %s in %s", b->nodename, b->nodename, c.nodesfile);
	else if (!c.v[i].tftp && !b->ctl)
		warnf("%s: not a TFTP node (no tftp in %s): it serves no ITL", b->nodename,
		    c.nodesfile);
	else if ((rc = clitl_build(&c, (size_t)i, b->ctl, mix, o, out)) == 0 &&
	    ctl_parse(nc, out->p, out->len) != 0) {
		warnf("%s: the file built does not parse: %s", b->clusterdir, nc->err);
		rc = -1;
	}
out:
	cluster_unlock(&c, lk);
	free(lk);
	cluster_free(&c);
	return rc;
}

/* The signing key (-k, else the store's) into *pkey and key. 0, or -1 (diagnosed). */
static int
load_key(struct itlbuild *b, struct ctlw_key *key, EVP_PKEY **pkey)
{
	const char *why;
	char *skey = NULL;
	int rc = -1;

	if (b->keyspec == NULL && (b->keyspec = skey = itlstore_key(b->store)) == NULL)
		return -1;
	if ((*pkey = itlkey_load(b->keyspec, b->module)) == NULL)
		goto out;
	if (ctlw_key_init(key, *pkey, &why) != 0) {
		warnf("%s: %s", io_name(b->keyspec), why);
		goto out;
	}
	rc = 0;
out:
	if (b->keyspec == skey)
		b->keyspec = NULL;
	free(skey);
	return rc;
}

/* The records collected (--resign, --store, roles) in memory, signed into out, parsed into nc. */
static int
sign_tl(struct itlbuild *b, struct ctlw *w, const struct ctl *old, struct ctlw_key *key,
    EVP_PKEY **pkey, struct ctlw_opts *o, struct buf *out, struct ctl *nc)
{
	const char *why;
	int i;

	ctlw_init(w, b->layout);
	if (collect(b, w, old) != 0 || load_key(b, key, pkey) != 0)
		return -1;
	if ((i = find_signer(b, w, key)) < 0 || set_opts(b, o, old) != 0)
		return -1;
	o->signer = (size_t)i;
	if (ctlw_sign(w, o, key, out, nc, &why) != 0) {
		warnf("%s: %s", io_name(b->keyspec), why);
		return -1;
	}
	return 0;
}

/*
 * The same written to the temp file of af as the records are made (no copy of
 * the file in memory: its pages cost more than the signature), read back into
 * s->map and parsed into nc. The key, --signer and the options are read before
 * the records, which name the signer as they come. 0, or -1 (diagnosed; af
 * aborted by the caller).
 */
static int
sign_tl_stream(struct itlbuild *b, struct ctlw *w, const struct ctl *old, struct ctlw_key *key,
    EVP_PKEY **pkey, struct ctlw_opts *o, struct afile *af, struct ctlws *s, struct ctl *nc)
{
	struct itlcerts c = ITLCERTS_ZERO;
	const uint8_t *want;
	const char *why = NULL;
	size_t len;
	int rc = -1, r;

	ctlw_init(w, b->layout);
	if (load_key(b, key, pkey) != 0 || signer_cert(b, &c, &want, &len) != 0 ||
	    set_opts(b, o, old) != 0 || afile_start(af, b->outpath, AFILE_MODE_DEFAULT, 1) != 0)
		goto out;
	if (ctlws_begin(s, w, fileno(af->fp), o, key, want, len) != 0) {
		warnf("%s: out of memory", b->outpath);
		goto out;
	}
	if (collect(b, w, old) != 0)
		goto out;
	if ((r = ctlws_end(s, w, nc, &why)) > 0)
		no_signer(b, want);
	else if (r < 0 && why == NULL)
		warnf("%s:", b->outpath);	/* errno: the write */
	else if (r < 0)
		warnf("%s: %s", io_name(b->keyspec), why);
	else
		rc = 0;
out:
	w->added = NULL;
	w->stream = NULL;
	itlcerts_free(&c);
	return rc;
}

/* What phones will do with a file written anyway (--force) although they reject it. */
static const char forced[] = "writing anyway (--force); phones holding it keep it and reject "
    "signed configuration files until a TVS vouches for the new signer or the trust list is "
    "deleted on each phone";

/*
 * --trust: the one verdict (lib/cucm/phone), with --cluster the TVS path too.
 * 1 accepted, 0 not (said why, and what --force means), -1 trouble (diagnosed).
 */
static int
trust_check(const struct itlbuild *b, const struct ctl *nc, struct ctljson_trust *tr,
    struct phone_verdict *pv)
{
	struct cluster c;
	struct clview w;
	struct ctl oc, hc;
	uint8_t *buf = NULL, *hbuf = NULL;
	const char *old = io_name(b->trusted);
	int ok = -1, cl = b->clusterdir != NULL;

	memset(&c, 0, sizeof(c));
	memset(&w, 0, sizeof(w));
	memset(&oc, 0, sizeof(oc));
	memset(&hc, 0, sizeof(hc));
	memset(tr, 0, sizeof(*tr));
	tr->old = b->trusted;
	tr->record = -1;
	/* with --cluster in mixed mode, phones hold the served CTL beside the ITL */
	if (ctl_load(b->trusted, &buf, &oc) != 0 || (cl && (cluster_load(&c, b->clusterdir,
	    b->cucmver) != 0 || clview_load(&w, &c, b->mixed || cluster_mixed(&c)) != 0 ||
	    cluster_ctl_held(&c, &hbuf, &hc) != 0)))
		goto out;
	if (phone_judge_files(&oc, hbuf != NULL ? &hc : NULL, nc, cl ? &w : NULL, pv) != 0) {
		warnf("%s: out of memory", old);
		goto out;
	}
	tr->accepted = ok = pv->accepted;
	tr->record = pv->record;
	tr->reason = pv->reason;
	tr->cluster = cl;
	tr->path = pv->path;
	tr->via = pv->via[0] != '\0' ? pv->via : NULL;
	tr->stranded = pv->stranded;
	if (!ok && !b->force)
		warnf("%s: a phone holding it would reject the new file: %s; nothing written",
		    old, pv->reason);
	else if (!ok)
		warnf("warning: %s: %s: %s", old, pv->reason, forced);
	else if (pv->notvs)
		warnf("warning: %s: %s", old, pv->reason);
out:
	if (w.c != NULL)
		clview_free(&w);
	cluster_free(&c);
	ctl_free(&oc);
	ctl_free(&hc);
	free(buf);
	free(hbuf);
	return ok;
}

/*
 * The file built, out[0..len): validity warnings, --trust, written (af: its
 * temp file committed; else out written), and -j's summary.
 */
static int
emit(const struct itlbuild *b, const struct ctl *nc, const uint8_t *out, size_t len,
    struct afile *af, const struct ctlw_opts *o, int64_t now)
{
	struct ctljson_trust tr = { .record = -1 };
	struct phone_verdict pv;
	struct ctl_verify v;
	struct json j;
	int i;

	(void)itlvalid_warn(nc, now);
	if (ctl_is_itl(nc, NULL))
		clitl_size_warn(b->nodename != NULL ? b->nodename : io_name(b->outpath),
		    nc->nrecs, len);
	if (b->json)
		ctl_verify(nc, &v);
	if (b->trusted != NULL && (i = trust_check(b, nc, &tr, &pv)) != 1 &&
	    (i < 0 || !b->force))
		return i < 0 ? EXIT_TROUBLE : EXIT_FINDINGS;
	if (!b->dry && (af != NULL ? afile_commit(af, b->force) :
	    afile_write(b->outpath, out, len, AFILE_MODE_DEFAULT, b->force)) != 0)
		return EXIT_TROUBLE;
	if (b->json) {
		json_init(&j, b->out);
		json_obj(&j);
		json_head(&j);
		ctljson_members(&j, nc, b->dry && strcmp(b->outpath, "-") == 0 ? o->filename :
		    b->outpath, ctl_is_itl(nc, NULL), &v, b->trusted != NULL ? &tr : NULL);
		itlvalid_json(&j, nc, now);
		json_end(&j);
	}
	return EXIT_OK;
}

int
itlbuild_run(struct itlbuild *b)
{
	struct ctlw w;
	struct ctlw_opts o;
	struct ctl old, nc;
	struct buf out = BUF_ZERO;
	struct ctlw_key key;
	struct lock lk = LOCK_ZERO;
	struct afile af;
	struct ctlws s;
	EVP_PKEY *pkey = NULL;
	int64_t now;
	uint8_t *oldbuf = NULL;
	const struct ctl *po;
	int rc = EXIT_TROUBLE, i, stream;

	memset(&old, 0, sizeof(old));
	memset(&nc, 0, sizeof(nc));
	memset(&key, 0, sizeof(key));
	memset(&w, 0, sizeof(w));
	memset(&af, 0, sizeof(af));
	memset(&s, 0, sizeof(s));
	if (when_now(b->nowopt, &now) != 0)
		return EXIT_TROUBLE;
	if (b->clusterdir != NULL) {
		ctlw_init(&w, CTLW_CUCM);
		if ((i = cluster_build(b, &o, &out, &nc)) != 0)
			rc = i > 0 ? EXIT_OK : EXIT_TROUBLE;
		else
			rc = emit(b, &nc, out.p, out.len, NULL, &o, now);
		goto out;
	}
	if (b->resign != NULL && ctl_load(b->resign, &oldbuf, &old) != 0)
		goto out0;
	/* a shared lock: never the records of a change another tool has half done */
	if (b->store != NULL && lock_take(&lk, b->store, 0, b->wait, "itl-build") != 0)
		goto out0;
	po = b->resign != NULL ? &old : NULL;
	if (b->layout < 0)
		b->layout = po != NULL && po->hf[CTL_H_SIGNERVER].val != NULL ?
		    CTLW_CERTUTILS : CTLW_CUCM;
	/* a file is written as it is built; stdout and --dry-run take the file in memory */
	stream = !b->dry && strcmp(b->outpath, "-") != 0;
	if (stream ? sign_tl_stream(b, &w, po, &key, &pkey, &o, &af, &s, &nc) == 0 :
	    sign_tl(b, &w, po, &key, &pkey, &o, &out, &nc) == 0) {
		lock_release(&lk);
		rc = stream ? emit(b, &nc, s.map, s.len, &af, &o, now) :
		    emit(b, &nc, out.p, out.len, NULL, &o, now);
	}
	if (af.tmp != NULL)	/* not committed: refused or trouble */
		afile_abort(&af);
out:
	ctl_free(&nc);
	ctlws_free(&s);
	ctlw_free(&w);
	ctlw_key_free(&key);
	EVP_PKEY_free(pkey);
	buf_drop(&out);	/* the signed trust list: public bytes, no wipe */
out0:
	lock_release(&lk);
	ctl_free(&old);
	free(oldbuf);
	return rc;
}

/*
 * --sign-file --cluster: the node's CallManager pair signs (what CUCM's TFTP
 * signs with) into its tftp/ directory. 0, or -1 after a diagnostic.
 */
static int
sign_cluster(const struct itlbuild *b, struct cluster *c, char **key, char **cert,
    const char **dir)
{
	size_t n;
	int i;

	if (cluster_load(c, b->clusterdir, b->cucmver) != 0)
		return -1;
	if ((i = cluster_find(c, b->nodename)) < 0) {
		warnf("%s: no node %s in %s", b->nodename, b->nodename, c->nodesfile);
		return -1;
	}
	if (!c->v[i].tftp) {
		warnf("%s: not a TFTP node (no tftp in %s): it serves no signed files",
		    b->nodename, c->nodesfile);
		return -1;
	}
	n = strlen(c->v[i].dir) + sizeof("/CallManager/CallManager.key");
	if ((*key = malloc(n)) == NULL || (*cert = malloc(n)) == NULL) {
		warnf("out of memory");
		return -1;
	}
	snprintf(*key, n, "%s/CallManager/CallManager.key", c->v[i].dir);
	snprintf(*cert, n, "%s/CallManager/CallManager.pem", c->v[i].dir);
	*dir = c->v[i].tftpdir;
	if (!b->dry && path_mkdirs(*dir, 0755) != 0 && !path_isdir(*dir)) {	/* as --all */
		warnf("%s:", *dir);
		return -1;
	}
	return 0;
}

/* Where file goes: -o, dir/<base>.sgn (--cluster), or NULL (beside it). */
static char *
sign_out(const struct itlbuild *b, const char *file, const char *dir, int *err)
{
	const char *base = strrchr(file, '/') != NULL ? strrchr(file, '/') + 1 : file;
	size_t n;
	char *p = NULL;

	*err = 0;
	if (b->outpath != NULL)
		return strdup(b->outpath);
	if (dir == NULL)
		return NULL;
	n = strlen(dir) + strlen(base) + 6;
	if ((p = malloc(n + 4)) == NULL)
		*err = 1;
	else
		snprintf(p, n + 4, "%s/%s%s", dir, base, b->encryptfor != NULL ? ".enc.sgn" : ".sgn");
	return p;
}

int
itlbuild_sign_files(struct itlbuild *b)
{
	struct itlcerts c = ITLCERTS_ZERO;
	struct afbatch ab = AFBATCH_ZERO;
	struct cluster cl;
	struct lock *lk = NULL;
	struct sgnw_signer sg;
	struct sgn_cert phone = SGN_CERT_ZERO;
	struct ctlw_opts o;
	struct ctlw_key key;
	struct json j;
	EVP_PKEY *pkey = NULL;
	const uint8_t *der;
	const char *why, *dir = NULL;
	char *ckey = NULL, *ccert = NULL, *out;
	size_t len;
	int i, err, rc = EXIT_TROUBLE;

	memset(&key, 0, sizeof(key));
	memset(&sg, 0, sizeof(sg));
	memset(&cl, 0, sizeof(cl));
	json_init(&j, b->out);
	if (b->clusterdir != NULL && sign_cluster(b, &cl, &ckey, &ccert, &dir) != 0)
		goto out;
	/* it writes into the node's tftp/: the locks cert-regen --cluster takes */
	if (b->clusterdir != NULL && ((lk = calloc(cl.n + 1, sizeof(*lk))) == NULL ||
	    cluster_lock(b, &cl, !b->dry, lk) != 0)) {
		if (lk == NULL)
			warnf("%s: out of memory", cl.dir);
		free(lk);
		lk = NULL;
		goto out;
	}
	if (b->clusterdir != NULL) {
		b->keyspec = ckey;
		b->signerpath = ccert;
	}
	if (itlcerts_load(&c, b->signerpath) != 0 ||
	    (pkey = itlkey_load(b->keyspec, b->module)) == NULL)
		goto out;
	der = itlcerts_get(&c, 0, &len);
	if (ctlw_key_init(&key, pkey, &why) != 0) {
		warnf("%s: %s", io_name(b->keyspec), why);
		goto out;
	}
	if (sgnw_signer_init(&sg, der, len, b->layout == CTLW_CERTUTILS ? CTLW_CERTUTILS :
	    CTLW_CUCM, &key, &why) != 0) {
		warnf("%s: %s", io_name(b->signerpath), why);
		goto out;
	}
	if (set_opts(b, &o, NULL) != 0 ||
	    (b->encryptfor != NULL && sgn_cert_load(&phone, b->encryptfor) != 0))
		goto out;
	o.encrypt_for = phone.key;
	rc = EXIT_OK;
	for (i = 0; i < b->nfiles; i++) {	/* one bad file does not stop the others */
		out = sign_out(b, b->files[i], dir, &err);
		if (err || sgnw_file(&sg, &o, &key, b->files[i], out, b->force, b->dry,
		    b->json ? &j : NULL, &ab) != 0)
			rc = EXIT_TROUBLE;
		if (err)
			warnf("out of memory");
		free(out);
	}
	afbatch_end(&ab);	/* each directory read once for leftovers, fsync'd once */
out:
	sgn_cert_free(&phone);
	sgnw_signer_free(&sg);
	ctlw_key_free(&key);
	EVP_PKEY_free(pkey);
	itlcerts_free(&c);
	if (b->clusterdir != NULL) {
		cluster_unlock(&cl, lk);
		cluster_free(&cl);
	}
	free(lk);
	free(ckey);
	free(ccert);
	return rc;
}

