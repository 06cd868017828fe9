/* itl-build: build and sign ITL and CTL files that phones accept, byte-compatible with CUCM. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/afile.h"
#include "tl/ctl.h"
#include "tl/ctljson.h"
#include "tl/ctlwrite.h"
#include "core/diag.h"
#include "core/io.h"
#include "load/itlcerts.h"
#include "tl/itlkey.h"
#include "tl/itlspec.h"
#include "cucm/itlstore.h"
#include "tl/itltrust.h"
#include "tl/sgnwrite.h"
#include "store/store.h"
#include "core/json.h"
#include "core/opt.h"
#include "core/when.h"
#include "store/lock.h"
#include "tl/itlvalid.h"
#include "cucm/clitl.h"
#include "cucm/cluster.h"
#include "cucm/cucm.h"

enum {
	OPT_CTL = OPT_TOOL, OPT_MIXED, OPT_HOST, OPT_IP, OPT_ROLEN, OPT_SIGNER, OPT_RESIGN,
	OPT_LAYOUT, OPT_SIGNERVER, OPT_DIGEST, OPT_DIGESTCODE, OPT_MODCODE, OPT_MODULE, OPT_NODE,
	OPT_SIGNFILE,
	OPT_ROLE	/* OPT_ROLE + i: roleopts[i] */
};

static const struct {
	const char	*name;
	int		 fn;
} roleopts[] = {
	{ "sast", CTL_FN_SAST }, { "ccm", CTL_FN_CCM }, { "tftp", CTL_FN_TFTP },
	{ "ccm-tftp", CTL_FN_CCM_TFTP }, { "capf", CTL_FN_CAPF }, { "tvs", CTL_FN_TVS },
	{ "srst", CTL_FN_SRST }, { "app-server", CTL_FN_APP },
};
#define NROLES (sizeof(roleopts) / sizeof(roleopts[0]))
#define ROLE(n, i, what) { n, OPT_ROLE + i, "CERT", what, NULL, "file", NULL }

static const char *const layouts[] = { "cucm", "certutils", NULL };
static const char *const digests[] = { "sha1", "sha256", "sha512", NULL };

static const struct opt opts[] = {
	{ "store", 0, NULL, "records from an offline store", "Records", NULL, NULL },
	{ "host", OPT_HOST, "NAME", "with -s: the node's DNSNAME", NULL, NULL, NULL },
	{ "ip", OPT_IP, "ADDR", "with -s: the node's IPADDRESS", NULL, NULL, NULL },
	{ "mixed", OPT_MIXED, NULL, "with -s: mixed mode (the CallManager record is CCM+TFTP)",
	    NULL, NULL, NULL },
	{ "wait", 0, NULL, "with -s: wait that long for a store another tool holds (10)", NULL,
	    NULL, NULL },
	ROLE("sast", 0, "a SAST record: CERT[,dns=NAME][,ip=A.B.C.D]"),
	ROLE("ccm", 1, "a CCM record (the same form)"),
	ROLE("tftp", 2, "a TFTP record"),
	ROLE("ccm-tftp", 3, "a CCM+TFTP record"),
	ROLE("capf", 4, "a CAPF record"),
	ROLE("tvs", 5, "a TVS record"),
	ROLE("srst", 6, "an SRST record"),
	ROLE("app-server", 7, "an application server record"),
	{ "role", OPT_ROLEN, "N=CERT", "a record with FUNCTION code N", NULL, NULL, NULL },
	{ "resign", OPT_RESIGN, "FILE", "keep FILE's records byte for byte, sign anew", NULL,
	    "tlv", NULL },
	{ "cluster", 0, NULL, "an offline cluster (DIR/nodes, one store per node)", "Cluster",
	    NULL, NULL },
	{ "node", OPT_NODE, "NAME", "that TFTP node's ITL (--ctl: the cluster's CTL)", NULL, NULL,
	    NULL },
	{ "all", 'a', NULL, "every TFTP node's tftp/ITLFile.tlv (and CTLFile.tlv in mixed mode)",
	    NULL, NULL, NULL },
	{ "cucm-version", 0, "V", "11.5, 12.5, 14 ...: ITLRecovery signs from 12.0", NULL, NULL,
	    NULL },
	{ "key", 'k', "KEY", "signing key: PEM/DER file or pkcs11: URI", "Signing", "file", NULL },
	{ "signer", OPT_SIGNER, "CERT", "which SAST record signs (--sign-file: the signer)", NULL,
	    "file", NULL },
	{ "pkcs11-module", OPT_MODULE, "FILE", "the PKCS#11 module for pkcs11: keys", NULL,
	    "file", NULL },
	{ "trust", 't', "OLD", "refuse unless a phone holding the trust list OLD accepts the file",
	    NULL, "tlv", "--trusted" },
	{ "sign-file", OPT_SIGNFILE, NULL, "sign each operand into FILE.sgn (-o: one file)", NULL,
	    NULL, NULL },
	{ "ctl", OPT_CTL, NULL, "build a CTL (default: an ITL)", "Layout", NULL, NULL },
	{ "layout", OPT_LAYOUT, "NAME", "cucm or certutils", NULL, "=cucm certutils", NULL },
	{ "signer-version", OPT_SIGNERVER, "V", "certutils header tag 0x1C: 1.0 or 1.1", NULL,
	    "=1.0 1.1", NULL },
	{ "digest", OPT_DIGEST, "NAME", "sha1 (default), sha256 or sha512", NULL,
	    "=sha1 sha256 sha512", NULL },
	{ "digest-code", OPT_DIGESTCODE, "N", "the DIGESTALGORTITHM code to write", NULL, NULL,
	    NULL },
	{ "modulus-code", OPT_MODCODE, "N", "the SIGNATUREMODULUS code to write", NULL, NULL,
	    NULL },
	{ "now", 0, NULL, "the TIMESTAMP, and when records are checked for validity", NULL, NULL,
	    "--timestamp" },
	{ "output", 0, NULL, NULL, "Output", NULL, NULL },
	{ "force", 0, NULL, "replace FILE; write despite --trust", NULL, NULL, NULL },
	{ "dry-run", 0, NULL, "build and check, write nothing", NULL, NULL, NULL },
	{ "json", 0, NULL, "summary of the file written, as JSON, on stdout", NULL, NULL, NULL },
	{ NULL, 0, NULL, NULL, NULL, NULL, NULL }
};

static const struct opt_tool tool = {
	"usage: itl-build [-fjn] [-k key] [-o file] [-s store] [--host name] [--ip addr]\n"
	"                 [--mixed] [--ctl] [--resign file] [-t old] [--signer cert]\n"
	"                 [--sast | --ccm | --tftp | --ccm-tftp | --capf | --tvs | --srst |\n"
	"                 --app-server cert[,dns=name][,ip=addr] ...] [--role n=cert ...]\n"
	"                 [--layout cucm|certutils] [--signer-version 1.0|1.1]\n"
	"                 [--digest sha1|sha256|sha512] [--digest-code n] [--modulus-code n]\n"
	"                 [--now time] [--wait seconds] [--pkcs11-module file]\n"
	"       itl-build [-fjn] [-o file] --cluster dir --node name | -a [--ctl] [--mixed]\n"
	"                 [--cucm-version v] [-t old]\n"
	"       itl-build --sign-file [-fjn] -k key --signer cert [-o file] file ...\n"
	"       itl-build --sign-file [-fjn] --cluster dir --node name file ...",
	"Exit status: 0 written, 1 refused by --trust, 2 trouble.",
	"file", opts
};

static struct itlspec *specs;
static size_t nspecs;
static int fflag, jflag, nflag, ctlflag, mixed, layout = -1, digest_code = -1;
static int modcode = -1, sigver = -1, hasip, digest_given, allflag, signfile;
static char **files;
static int nfiles;
static uint8_t nodeip[4];
static const char *keyspec, *outpath, *store, *host, *signerpath, *resign, *trusted;
static const char *digest = "sha1", *module, *nowopt;
static char nowbuf[32];		/* --timestamp N, the old spelling, as --now @N */
static int waitsec = LOCK_WAIT_DEFAULT;
static const char *clusterdir, *nodename, *cucmver = "14";

/* A role option: fn >= 0, or --role N=CERT (fn < 0). */
static void
add_spec(int fn, const char *opt, const char *arg)
{
	struct itlspec *v;
	const char *why;

	if ((v = realloc(specs, (nspecs + 1) * sizeof(*v))) == NULL)
		dief(EXIT_TROUBLE, "out of memory");
	specs = v;
	v = &specs[nspecs++];
	if ((fn >= 0 ? itlspec_parse(v, fn, arg, &why) : itlspec_parse_role(v, arg, &why)) != 0) {
		warnf("--%s %s: %s", opt, arg, why);
		opt_usage();
	}
}

/* Records from --resign, --store and the role options, in that order. */
static int
collect(struct ctlw *w, const struct ctl *old)
{
	struct itlstore_opts so = { ctlflag, mixed, host, hasip ? nodeip : NULL };
	const char *why;
	size_t i;
	int warned = 0;

	for (i = 0; old != NULL && i < old->nrecs; i++)
		if (ctlw_add_raw(w, old, i, &why) != 0) {
			warnf("%s: %s", resign, why);
			return -1;
		}
	if (store != NULL && itlstore_add(w, store, &so) != 0)
		return -1;
	for (i = 0; i < nspecs; i++) {
		if (specs[i].fn == CTL_FN_TVS && ctlflag && !warned++)
			warnf("warning: a TVS record in a CTL: CUCM never writes one");
		if (itlcerts_add(w, &specs[i]) != 0)
			return -1;
	}
	if (w->nrec == 0) {
		warnf("%s: no records to write", resign);
		return -1;
	}
	return 0;
}

/* The signing SAST record's index, or -1 (diagnosed). */
static int
find_signer(const struct ctlw *w, const struct ctlw_key *key)
{
	struct itlcerts c = ITLCERTS_ZERO;
	const uint8_t *want = NULL;
	size_t len = 0;
	int i = -1;

	if (signerpath != NULL) {
		if (itlcerts_load(&c, signerpath) != 0)
			return -1;
		want = itlcerts_get(&c, 0, &len);
	}
	if ((i = ctlw_find_signer(w, key, want, len)) < 0 && want != NULL)
		warnf("%s: not a SAST record that the key %s matches", signerpath,
		    io_name(keyspec));
	else if (i < 0)
		warnf("%s: the key matches no SAST record: nothing could verify the file "
		    "(add its certificate with --sast)", io_name(keyspec));
	itlcerts_free(&c);
	return i;
}

static int
set_opts(struct ctlw_opts *o, const struct ctl *old)
{
	const struct tlv *fn = old != NULL ? &old->hf[CTL_H_FILENAME] : NULL;
	const struct tlv *dg = old != NULL ? &old->hf[CTL_H_DIGEST] : NULL;
	int64_t t;

	memset(o, 0, sizeof(*o));
	o->filename = ctlflag ? "CTLFile.tlv" : "ITLFile.tlv";
	if (fn != NULL && fn->val != NULL && fn->len > 1 && fn->val[fn->len - 1] == '\0' &&
	    strlen((const char *)fn->val) == fn->len - 1u)
		o->filename = (const char *)fn->val;
	if (dg != NULL && dg->val != NULL && dg->len == 1 && digest_code < 0 &&
	    ctl_digest_name(dg->val[0]) != NULL && !digest_given)
		digest = ctl_digest_name(dg->val[0]);	/* --resign keeps the digest */
	o->digest = digest;
	o->digest_code = digest_code >= 0 ? digest_code : strcmp(digest, "sha1") == 0 ? 1 :
	    strcmp(digest, "sha256") == 0 ? 2 : 3;
	o->modulus_code = modcode;
	o->signer_version = sigver >= 0 ? (unsigned)sigver : old != NULL &&
	    old->hf[CTL_H_SIGNERVER].len == 2 ? tlv_u16(old->hf[CTL_H_SIGNERVER].val) : 0x100;
	if (when_now(nowopt, &t) != 0)
		return -1;
	if (t < 0 || t > 0xFFFFFFFFLL) {
		warnf("%s: not a time that fits the 32-bit TIMESTAMP: \"%s\"", nowopt != NULL ?
		    "--now" : "SOURCE_DATE_EPOCH", nowopt != NULL ? nowopt :
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
static int
cluster_build(struct ctlw_opts *o, struct buf *out, struct ctl *nc)
{
	struct cluster c;
	int i, mix, rc = -1;

	if (cluster_load(&c, clusterdir, cucmver) != 0 || set_opts(o, NULL) != 0)
		goto out;
	mix = mixed || cluster_mixed(&c);
	if (allflag)
		rc = clitl_serve(&c, o, mix, fflag, nflag) == 0 ? 1 : -1;
	else if ((i = cluster_find(&c, nodename)) < 0)
		warnf("%s: no node %s in %s", nodename, nodename, c.nodesfile);
	else if (!c.v[i].tftp && !ctlflag)
		warnf("%s: not a TFTP node (no tftp in %s): it serves no ITL", nodename,
		    c.nodesfile);
	else if ((rc = clitl_build(&c, (size_t)i, ctlflag, mix, o, out)) == 0 &&
	    ctl_parse(nc, out->p, out->len) != 0) {
		warnf("%s: the file built does not parse: %s", clusterdir, nc->err);
		rc = -1;
	}
out:
	cluster_free(&c);
	return rc;
}

/* Sign the records collected (--resign, --store, roles) into out, parsed into nc. */
static int
sign_tl(struct ctlw *w, const struct ctl *old, struct ctlw_key *key, EVP_PKEY **pkey,
    struct ctlw_opts *o, struct buf *out, struct ctl *nc)
{
	const char *why;
	char *skey = NULL;
	int i, rc = -1;

	if (layout < 0)
		layout = old != NULL && old->hf[CTL_H_SIGNERVER].val != NULL ?
		    CTLW_CERTUTILS : CTLW_CUCM;
	ctlw_init(w, layout);
	if (collect(w, old) != 0)
		goto out;
	if (keyspec == NULL && (keyspec = skey = itlstore_key(store)) == NULL)
		goto out;
	if ((*pkey = itlkey_load(keyspec, module)) == NULL)
		goto out;
	if (ctlw_key_init(key, *pkey, &why) != 0) {
		warnf("%s: %s", io_name(keyspec), why);
		goto out;
	}
	if ((i = find_signer(w, key)) < 0 || set_opts(o, old) != 0)
		goto out;
	o->signer = (size_t)i;
	if (ctlw_sign(w, o, key, out, nc, &why) != 0) {
		warnf("%s: %s", io_name(keyspec), why);
		goto out;
	}
	rc = 0;
out:
	if (keyspec == skey)
		keyspec = NULL;
	free(skey);
	return rc;
}

/* The file built: validity warnings, --trust, written, and -j's summary. */
static int
emit(const struct ctl *nc, const struct buf *out, const struct ctlw_opts *o, int64_t now)
{
	struct ctljson_trust tr = { .record = -1 };
	struct ctl_verify v;
	struct json j;
	int i;

	(void)itlvalid_warn(nc, now);
	if (jflag)
		ctl_verify(nc, &v);
	if (trusted != NULL && (i = itltrust_check(trusted, nc, fflag, &tr)) != 1 &&
	    (i < 0 || !fflag))
		return i < 0 ? EXIT_TROUBLE : EXIT_FINDINGS;
	if (!nflag && afile_write(outpath, out->p, out->len, AFILE_MODE_DEFAULT, fflag) != 0)
		return EXIT_TROUBLE;
	if (jflag) {
		json_init(&j, stdout);
		json_obj(&j);
		json_head(&j);
		ctljson_members(&j, nc, nflag && strcmp(outpath, "-") == 0 ? o->filename :
		    outpath, ctl_is_itl(nc, NULL), &v, trusted != NULL ? &tr : NULL);
		itlvalid_json(&j, nc, now);
		json_end(&j);
	}
	return EXIT_OK;
}

static int
build(void)
{
	struct ctlw w;
	struct ctlw_opts o;
	struct ctl old, nc;
	struct buf out = BUF_ZERO;
	struct ctlw_key key;
	struct lock lk = LOCK_ZERO;
	EVP_PKEY *pkey = NULL;
	int64_t now;
	uint8_t *oldbuf = NULL;
	int rc = EXIT_TROUBLE, i;

	memset(&old, 0, sizeof(old));
	memset(&nc, 0, sizeof(nc));
	memset(&key, 0, sizeof(key));
	memset(&w, 0, sizeof(w));
	if (when_now(nowopt, &now) != 0)
		return EXIT_TROUBLE;
	if (clusterdir != NULL) {
		ctlw_init(&w, CTLW_CUCM);
		if ((i = cluster_build(&o, &out, &nc)) != 0)
			rc = i > 0 ? EXIT_OK : EXIT_TROUBLE;
		else
			rc = emit(&nc, &out, &o, now);
		goto out;
	}
	if (resign != NULL && ctl_load(resign, &oldbuf, &old) != 0)
		goto out0;
	/* a shared lock: never the records of a change another tool has half done */
	if (store != NULL && lock_take(&lk, store, 0, waitsec, "itl-build") != 0)
		goto out0;
	if (sign_tl(&w, resign != NULL ? &old : NULL, &key, &pkey, &o, &out, &nc) == 0) {
		lock_release(&lk);
		rc = emit(&nc, &out, &o, now);
	}
out:
	ctl_free(&nc);
	ctlw_free(&w);
	ctlw_key_free(&key);
	EVP_PKEY_free(pkey);
	buf_free(&out);
out0:
	lock_release(&lk);
	ctl_free(&old);
	free(oldbuf);
	return rc;
}

/* --sign-file: the operands are the files to sign. */
static void
sign_options(int argc, char *argv[])
{
	files = argv;
	nfiles = argc;
	if (nfiles == 0) {
		warnf("--sign-file: no file to sign");
		opt_usage();
	}
	if (nspecs > 0 || store != NULL || resign != NULL || trusted != NULL || ctlflag ||
	    allflag) {
		warnf("--sign-file signs files: records, --store, --resign, --trust, --ctl and "
		    "--all build trust lists");
		opt_usage();
	}
	if (clusterdir != NULL && (nodename == NULL || keyspec != NULL || signerpath != NULL ||
	    outpath != NULL)) {
		warnf("--sign-file --cluster takes --node NAME (its CallManager signs into its "
		    "tftp/), no -k, --signer or -o");
		opt_usage();
	}
	if (clusterdir == NULL && (keyspec == NULL || signerpath == NULL)) {
		warnf("--sign-file needs -k KEY and --signer CERT (the certificate phones check)");
		opt_usage();
	}
	if (outpath != NULL && nfiles > 1) {
		warnf("-o names one output: with several files each goes to FILE.sgn");
		opt_usage();
	}
	if (jflag && !nflag && outpath != NULL && strcmp(outpath, "-") == 0) {
		warnf("--json needs a file output or --dry-run: the file itself goes to stdout");
		opt_usage();
	}
}

/*
 * --sign-file --cluster: the node's CallManager pair signs (what CUCM's TFTP
 * signs with) into its tftp/ directory. 0, or -1 after a diagnostic.
 */
static int
sign_cluster(struct cluster *c, char **key, char **cert, const char **dir)
{
	size_t n;
	int i;

	if (cluster_load(c, clusterdir, cucmver) != 0)
		return -1;
	if ((i = cluster_find(c, nodename)) < 0) {
		warnf("%s: no node %s in %s", nodename, nodename, c->nodesfile);
		return -1;
	}
	if (!c->v[i].tftp) {
		warnf("%s: not a TFTP node (no tftp in %s): it serves no signed files", nodename,
		    c->nodesfile);
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
	if (!nflag && store_mkdirs(*dir, 0755) != 0 && !store_isdir(*dir)) {	/* as --all */
		warnf("%s:", *dir);
		return -1;
	}
	return 0;
}

/* Where file goes: -o, dir/<base>.sgn (--cluster), or NULL (beside it). */
static char *
sign_out(const char *file, const char *dir, int *err)
{
	const char *b = strrchr(file, '/') != NULL ? strrchr(file, '/') + 1 : file;
	size_t n;
	char *p = NULL;

	*err = 0;
	if (outpath != NULL)
		return strdup(outpath);
	if (dir == NULL)
		return NULL;
	n = strlen(dir) + strlen(b) + 6;
	if ((p = malloc(n)) == NULL)
		*err = 1;
	else
		snprintf(p, n, "%s/%s.sgn", dir, b);
	return p;
}

/* Sign every file of --sign-file with one key load. */
static int
sign_files(void)
{
	struct itlcerts c = ITLCERTS_ZERO;
	struct cluster cl;
	struct sgnw_signer sg;
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
	json_init(&j, stdout);
	if (clusterdir != NULL && sign_cluster(&cl, &ckey, &ccert, &dir) != 0)
		goto out;
	if (clusterdir != NULL) {
		keyspec = ckey;
		signerpath = ccert;
	}
	if (itlcerts_load(&c, signerpath) != 0 || (pkey = itlkey_load(keyspec, module)) == NULL)
		goto out;
	der = itlcerts_get(&c, 0, &len);
	if (ctlw_key_init(&key, pkey, &why) != 0) {
		warnf("%s: %s", io_name(keyspec), why);
		goto out;
	}
	if (sgnw_signer_init(&sg, der, len, layout == CTLW_CERTUTILS ? CTLW_CERTUTILS :
	    CTLW_CUCM, &key, &why) != 0) {
		warnf("%s: %s", io_name(signerpath), why);
		goto out;
	}
	if (set_opts(&o, NULL) != 0)
		goto out;
	rc = EXIT_OK;
	for (i = 0; i < nfiles; i++) {	/* one bad file does not stop the others */
		out = sign_out(files[i], dir, &err);
		if (err || sgnw_file(&sg, &o, &key, files[i], out, fflag, nflag,
		    jflag ? &j : NULL) != 0)
			rc = EXIT_TROUBLE;
		if (err)
			warnf("out of memory");
		free(out);
	}
out:
	sgnw_signer_free(&sg);
	ctlw_key_free(&key);
	EVP_PKEY_free(pkey);
	itlcerts_free(&c);
	if (clusterdir != NULL)
		cluster_free(&cl);
	free(ckey);
	free(ccert);
	return rc;
}

/* The options that take a value and check it. */
static void
option_arg(int ch, char *arg)
{
	int maj, min, n;

	if (ch >= OPT_ROLE && ch < OPT_ROLE + (int)NROLES) {
		add_spec(roleopts[ch - OPT_ROLE].fn, roleopts[ch - OPT_ROLE].name, arg);
		return;
	}
	switch (ch) {
	case OPT_ROLEN:
		add_spec(-1, "role", arg);
		break;
	case OPT_CUCM_VERSION:
		cucmver = opt_check(cucm_version(arg, &maj) == 0, CUCM_VERSION_WHAT, arg);
		break;
	case OPT_NOW:
		/* --timestamp, the old spelling, took bare Unix seconds */
		if (opt_was_old() && arg[0] != '\0' && strspn(arg, "0123456789") == strlen(arg) &&
		    strlen(arg) < sizeof(nowbuf) - 1) {
			snprintf(nowbuf, sizeof(nowbuf), "@%s", arg);
			arg = nowbuf;
		}
		nowopt = opt_time(arg);
		break;
	case OPT_WAIT:
		waitsec = (int)opt_num(arg, 0, LOCK_WAIT_MAX);
		break;
	case OPT_IP:
		if (inet_pton(AF_INET, arg, nodeip) != 1)
			opt_bad("not an IPv4 address: \"%s\"", arg);
		hasip = 1;
		break;
	case OPT_LAYOUT:
		layout = opt_word(arg, layouts) == 0 ? CTLW_CUCM : CTLW_CERTUTILS;
		break;
	case OPT_SIGNERVER:
		if (sscanf(arg, "%d.%d%n", &maj, &min, &n) != 2 || arg[n] != '\0' || maj < 0 ||
		    maj > 255 || min < 0 || min > 255)
			opt_bad("not MAJOR.MINOR, e.g. 1.0 or 1.1: \"%s\"", arg);
		sigver = maj << 8 | min;
		break;
	case OPT_DIGEST:
		digest = digests[opt_word(arg, digests)];
		digest_given = 1;
		break;
	case OPT_DIGESTCODE:
	case OPT_MODCODE:
		*(ch == OPT_MODCODE ? &modcode : &digest_code) = (int)opt_num(arg, 0, 255);
		break;
	default:
		opt_usage();
	}
}

/* Options that go together, or exclude each other, when building a trust list. */
static void
check_options(int argc, char *argv[])
{
	const char *why = NULL;

	if (outpath == NULL)
		outpath = "-";
	if (optind != argc) {
		warnf("unexpected operand '%s'", argv[optind]);
		opt_usage();
	}
	if (clusterdir != NULL) {
		if (nspecs != 0 || store != NULL || resign != NULL || keyspec != NULL ||
		    host != NULL || hasip || signerpath != NULL || (nodename == NULL) == !allflag ||
		    (allflag && (strcmp(outpath, "-") != 0 || jflag || trusted != NULL)))
			why = "--cluster takes --node NAME or --all, and no records or key";
	} else if (nodename != NULL || allflag)
		why = "--node and --all go with --cluster";
	else if (nspecs == 0 && store == NULL && resign == NULL)
		why = "no records: give --store, --resign or certificates by role";
	if (why == NULL && store == NULL && clusterdir == NULL && (host != NULL || hasip || mixed))
		why = "--host, --ip and --mixed go with --store";
	if (why == NULL && keyspec == NULL && store == NULL && clusterdir == NULL)
		why = "no signing key: give -k KEY";
	if (why == NULL && jflag && !nflag && strcmp(outpath, "-") == 0)
		why = "--json needs -o FILE or --dry-run: the file itself goes to stdout";
	if (why != NULL) {
		warnf("%s", why);
		opt_usage();
	}
}

static void
options(int argc, char *argv[])
{
	/* Options that only set a flag or keep their argument. */
	static const struct {
		int		  ch;
		int		 *flag;
		const char	**arg;
	} simple[] = {
		{ 'f', &fflag, NULL }, { 'j', &jflag, NULL }, { 'n', &nflag, NULL },
		{ OPT_CTL, &ctlflag, NULL }, { OPT_MIXED, &mixed, NULL },
		{ 'k', NULL, &keyspec }, { 'o', NULL, &outpath }, { 's', NULL, &store },
		{ OPT_HOST, NULL, &host }, { OPT_SIGNER, NULL, &signerpath },
		{ OPT_RESIGN, NULL, &resign }, { 't', NULL, &trusted },
		{ OPT_MODULE, NULL, &module },
		{ OPT_CLUSTER, NULL, &clusterdir }, { OPT_NODE, NULL, &nodename },
		{ 'a', &allflag, NULL },
		{ OPT_SIGNFILE, &signfile, NULL },
	};
	size_t r;
	int ch;

	while ((ch = opt_next(&tool, argc, argv)) != -1) {
		for (r = 0; r < sizeof(simple) / sizeof(simple[0]) && simple[r].ch != ch; r++)
			continue;
		if (r == sizeof(simple) / sizeof(simple[0]))
			option_arg(ch, optarg);
		else if (simple[r].flag != NULL)
			*simple[r].flag = 1;
		else
			*simple[r].arg = optarg;
	}
	if (signfile)
		sign_options(argc - optind, argv + optind);
	else
		check_options(argc, argv);
}

int
main(int argc, char *argv[])
{
	size_t i;
	int rc;

	setprogname(argv[0]);
	options(argc, argv);
	rc = signfile ? sign_files() : build();
	for (i = 0; i < nspecs; i++)
		itlspec_free(&specs[i]);
	free(specs);
	itlkey_cleanup();
	if (diag_flush_stdout() != 0)
		rc = EXIT_TROUBLE;
	return rc;
}
