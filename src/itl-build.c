/* itl-build: build and sign ITL and CTL files that phones accept, byte-compatible with CUCM. */
#include <arpa/inet.h>
#include <getopt.h>
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
#include "core/when.h"
#include "store/lock.h"
#include "tl/itlvalid.h"
#include "cucm/clitl.h"
#include "cucm/cluster.h"

#define USAGE "usage: itl-build [-fjn] [-k key] [-o file] [-s store] [--ctl] [--resign file]\n" \
	"                 [--trusted oldfile] [--now time] [--wait seconds]\n" \
	"                 [--role cert[,dns=name][,ip=addr] ...]\n" \
	"       itl-build [-fjn] [-o file] --cluster dir --node name | --all [--ctl] [--mixed]\n" \
	"                 [--cucm-version v] [--trusted oldfile]\n" \
	"       itl-build --sign-file [-fjn] -k key --signer cert [-o file] file ...\n" \
	"       itl-build --sign-file [-fjn] --cluster dir --node name file ..."

enum {
	OPT_CTL = 256, OPT_MIXED, OPT_HOST, OPT_IP, OPT_ROLEN, OPT_SIGNER, OPT_RESIGN,
	OPT_TRUSTED, OPT_LAYOUT, OPT_SIGNERVER, OPT_DIGEST, OPT_DIGESTCODE, OPT_MODCODE,
	OPT_TIMESTAMP, OPT_MODULE, OPT_CLUSTER, OPT_NODE, OPT_ALL, OPT_CUCMVER, OPT_NOW, OPT_WAIT,
	OPT_SIGNFILE, OPT_ROLE	/* OPT_ROLE + i: roleopts[i] */
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
#define NFIXED 30	/* options before the role options in longopts[] */

static struct itlspec *specs;
static size_t nspecs;
static int fflag, jflag, nflag, ctlflag, mixed, layout = -1, digest_code = -1;
static int modcode = -1, sigver = -1, hasip, digest_given, allflag, signfile;
static char **files;
static int nfiles;
static uint8_t nodeip[4];
static const char *keyspec, *outpath, *store, *host, *signerpath, *resign, *trusted;
static const char *digest = "sha1", *module, *tsopt, *nowopt;
static int waitsec = LOCK_WAIT_DEFAULT;
static const char *clusterdir, *nodename, *cucmver = "14";

static _Noreturn void
usage(void)
{
	fprintf(stderr, "%s\n", USAGE);
	exit(EXIT_TROUBLE);
}

static _Noreturn void
help(void)
{
	printf("%s\n\n"
	    "  -k, --key KEY            signing key: PEM/DER file or pkcs11: URI\n"
	    "  -o, --output FILE        write FILE atomically (default: stdout)\n"
	    "  -f, --force              replace FILE; write despite --trusted\n"
	    "  -j, --json               summary of the file written, as JSON, on stdout\n"
	    "  -n, --dry-run            build and check, write nothing\n"
	    "  -s, --store DIR          records from an offline store (--host, --ip, --mixed)\n"
	    "      --ctl                build a CTL (default: an ITL)\n"
	    "      --sast, --ccm, --tftp, --ccm-tftp, --capf, --tvs, --srst, --app-server\n"
	    "                           CERT[,dns=NAME][,ip=A.B.C.D]: records in that role\n"
	    "      --role N=CERT[,...]  records with FUNCTION code N\n"
	    "      --signer CERT        which SAST record signs\n"
	    "      --resign FILE        keep FILE's records byte for byte, sign anew\n"
	    "      --trusted OLD        refuse unless a phone holding OLD accepts the file\n"
	    "      --layout cucm|certutils, --signer-version 1.0|1.1\n"
	    "      --digest sha1|sha256|sha512, --digest-code N, --modulus-code N\n"
	    "      --now TIME           validity warnings at TIME (default: the clock)\n"
	    "      --wait SECONDS       wait for a store another tool is changing (10)\n"
	    "      --timestamp UNIX, --pkcs11-module FILE, --help, --version\n"
	    "      --cluster DIR        an offline cluster (CLUSTER/nodes, one store per node)\n"
	    "      --node NAME          that TFTP node's ITL (--ctl: the cluster's CTL)\n"
	    "      --all                every TFTP node's tftp/ITLFile.tlv (and CTLFile.tlv\n"
	    "                           in mixed mode), each written atomically\n"
	    "      --cucm-version V     11.5, 12.5, 14 ...: ITLRecovery signs from 12.0\n"
	    "      --sign-file          sign each file into FILE.sgn (-o: one file), signed\n"
	    "                           by -k KEY, the key of --signer CERT; with --cluster\n"
	    "                           and --node, by the node's CallManager into its tftp/\n\n"
	    "Exit status: 0 written, 1 refused by --trusted, 2 trouble.\n", USAGE);
	exit(EXIT_OK);
}

static int
parse_num(const char *s, long lo, long hi, long *v)
{
	char *end;

	*v = strtol(s, &end, 10);
	return *s != '\0' && *end == '\0' && *v >= lo && *v <= hi ? 0 : -1;
}

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
		usage();
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
	if (tsopt != NULL) {
		char at[32];

		snprintf(at, sizeof(at), "%s%s", strspn(tsopt, "0123456789") ==
		    strlen(tsopt) ? "@" : "", tsopt);
		if (when_parse(at, &t) != 0)
			t = -1;
	} else if (when_now(NULL, &t) != 0)
		return -1;
	if (t < 0 || t > 0xFFFFFFFFLL) {
		warnf("timestamp '%s': want Unix seconds that fit 32 bits",
		    tsopt != NULL ? tsopt : "SOURCE_DATE_EPOCH");
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

static int
build(void)
{
	struct ctlw w;
	struct ctlw_opts o;
	struct ctl old, nc;
	struct ctl_verify v;
	struct ctljson_trust tr = { .record = -1 };
	struct buf out = BUF_ZERO;
	struct json j;
	struct ctlw_key key;
	struct lock lk = LOCK_ZERO;
	EVP_PKEY *pkey = NULL;
	int64_t now;
	uint8_t *oldbuf = NULL;
	char *skey = NULL;
	const char *why;
	int rc = EXIT_TROUBLE, i;

	memset(&old, 0, sizeof(old));
	memset(&nc, 0, sizeof(nc));
	memset(&key, 0, sizeof(key));
	if (when_now(nowopt, &now) != 0)
		return EXIT_TROUBLE;
	if (clusterdir != NULL) {
		ctlw_init(&w, CTLW_CUCM);
		if ((i = cluster_build(&o, &out, &nc)) != 0) {
			rc = i > 0 ? EXIT_OK : EXIT_TROUBLE;
			goto out;
		}
		goto check;
	}
	if (resign != NULL && ctl_load(resign, &oldbuf, &old) != 0)
		goto out0;
	/* a shared lock: never the records of a change another tool has half done */
	if (store != NULL && lock_take(&lk, store, 0, waitsec, "itl-build") != 0)
		goto out0;
	if (layout < 0)
		layout = resign != NULL && old.hf[CTL_H_SIGNERVER].val != NULL ?
		    CTLW_CERTUTILS : CTLW_CUCM;
	ctlw_init(&w, layout);
	if (collect(&w, resign != NULL ? &old : NULL) != 0)
		goto out;
	if (keyspec == NULL && (keyspec = skey = itlstore_key(store)) == NULL)
		goto out;
	if ((pkey = itlkey_load(keyspec, module)) == NULL)
		goto out;
	if (ctlw_key_init(&key, pkey, &why) != 0) {
		warnf("%s: %s", io_name(keyspec), why);
		goto out;
	}
	if ((i = find_signer(&w, &key)) < 0 || set_opts(&o, resign != NULL ? &old : NULL) != 0)
		goto out;
	o.signer = (size_t)i;
	if (ctlw_sign(&w, &o, &key, &out, &nc, &why) != 0) {
		warnf("%s: %s", io_name(keyspec), why);
		goto out;
	}
check:
	lock_release(&lk);
	(void)itlvalid_warn(&nc, now);
	if (jflag)
		ctl_verify(&nc, &v);
	if (trusted != NULL && (i = itltrust_check(trusted, &nc, fflag, &tr)) != 1) {
		if (i < 0 || !fflag) {
			rc = i < 0 ? EXIT_TROUBLE : EXIT_FINDINGS;
			goto out;
		}
	}
	if (!nflag && afile_write(outpath, out.p, out.len, AFILE_MODE_DEFAULT, fflag) != 0)
		goto out;
	if (jflag) {
		json_init(&j, stdout);
		json_obj(&j);
		ctljson_members(&j, &nc, nflag && strcmp(outpath, "-") == 0 ? o.filename :
		    outpath, ctl_is_itl(&nc, NULL), &v, trusted != NULL ? &tr : NULL);
		itlvalid_json(&j, &nc, now);
		json_end(&j);
	}
	rc = EXIT_OK;
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
	free(skey);
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
		usage();
	}
	if (nspecs > 0 || store != NULL || resign != NULL || trusted != NULL || ctlflag ||
	    allflag) {
		warnf("--sign-file signs files: records, --store, --resign, --trusted, --ctl and "
		    "--all build trust lists");
		usage();
	}
	if (clusterdir != NULL && (nodename == NULL || keyspec != NULL || signerpath != NULL ||
	    outpath != NULL)) {
		warnf("--sign-file --cluster takes --node NAME (its CallManager signs into its "
		    "tftp/), no -k, --signer or -o");
		usage();
	}
	if (clusterdir == NULL && (keyspec == NULL || signerpath == NULL)) {
		warnf("--sign-file needs -k KEY and --signer CERT (the certificate phones check)");
		usage();
	}
	if (outpath != NULL && nfiles > 1) {
		warnf("-o names one output: with several files each goes to FILE.sgn");
		usage();
	}
	if (jflag && !nflag && outpath != NULL && strcmp(outpath, "-") == 0) {
		warnf("--json needs a file output or --dry-run: the file itself goes to stdout");
		usage();
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

static void
options(int argc, char *argv[])
{
	static struct option longopts[NFIXED + NROLES + 1] = {
		{ "key", required_argument, NULL, 'k' },
		{ "output", required_argument, NULL, 'o' },
		{ "force", no_argument, NULL, 'f' },
		{ "json", no_argument, NULL, 'j' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "store", required_argument, NULL, 's' },
		{ "ctl", no_argument, NULL, OPT_CTL },
		{ "mixed", no_argument, NULL, OPT_MIXED },
		{ "host", required_argument, NULL, OPT_HOST },
		{ "ip", required_argument, NULL, OPT_IP },
		{ "role", required_argument, NULL, OPT_ROLEN },
		{ "signer", required_argument, NULL, OPT_SIGNER },
		{ "resign", required_argument, NULL, OPT_RESIGN },
		{ "trusted", required_argument, NULL, OPT_TRUSTED },
		{ "layout", required_argument, NULL, OPT_LAYOUT },
		{ "signer-version", required_argument, NULL, OPT_SIGNERVER },
		{ "digest", required_argument, NULL, OPT_DIGEST },
		{ "digest-code", required_argument, NULL, OPT_DIGESTCODE },
		{ "modulus-code", required_argument, NULL, OPT_MODCODE },
		{ "timestamp", required_argument, NULL, OPT_TIMESTAMP },
		{ "pkcs11-module", required_argument, NULL, OPT_MODULE },
		{ "now", required_argument, NULL, OPT_NOW },
		{ "wait", required_argument, NULL, OPT_WAIT },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "cluster", required_argument, NULL, OPT_CLUSTER },
		{ "node", required_argument, NULL, OPT_NODE },
		{ "all", no_argument, NULL, OPT_ALL },
		{ "cucm-version", required_argument, NULL, OPT_CUCMVER },
		{ "sign-file", no_argument, NULL, OPT_SIGNFILE },
	};
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
		{ OPT_RESIGN, NULL, &resign }, { OPT_TRUSTED, NULL, &trusted },
		{ OPT_MODULE, NULL, &module }, { OPT_TIMESTAMP, NULL, &tsopt },
		{ OPT_NOW, NULL, &nowopt },
		{ OPT_CLUSTER, NULL, &clusterdir }, { OPT_NODE, NULL, &nodename },
		{ OPT_ALL, &allflag, NULL }, { OPT_CUCMVER, NULL, &cucmver },
		{ OPT_SIGNFILE, &signfile, NULL },
	};
	size_t r;
	long v;
	int ch, maj, min, n;

	for (r = 0; r < NROLES; r++)	/* --sast, --ccm ...: one option per role */
		longopts[NFIXED + r] = (struct option){ roleopts[r].name, required_argument,
		    NULL, OPT_ROLE + (int)r };
	while ((ch = getopt_long(argc, argv, "fjk:no:s:", longopts, NULL)) != -1) {
		for (r = 0; r < sizeof(simple) / sizeof(simple[0]) && simple[r].ch != ch; r++)
			continue;
		if (r < sizeof(simple) / sizeof(simple[0])) {
			if (simple[r].flag != NULL)
				*simple[r].flag = 1;
			else
				*simple[r].arg = optarg;
			continue;
		}
		if (ch >= OPT_ROLE && ch < OPT_ROLE + (int)NROLES) {
			add_spec(roleopts[ch - OPT_ROLE].fn, roleopts[ch - OPT_ROLE].name, optarg);
			continue;
		}
		switch (ch) {
		case OPT_WAIT:
			if (lock_wait_arg(optarg, &waitsec) != 0) {
				warnf("%s: --wait takes seconds (0 to 86400)", optarg);
				usage();
			}
			break;
		case OPT_ROLEN:
			add_spec(-1, "role", optarg);
			break;
		case OPT_IP:
			if (inet_pton(AF_INET, optarg, nodeip) != 1) {
				warnf("--ip %s: not an IPv4 address", optarg);
				usage();
			}
			hasip = 1;
			break;
		case OPT_LAYOUT:
			if (strcmp(optarg, "cucm") == 0)
				layout = CTLW_CUCM;
			else if (strcmp(optarg, "certutils") == 0)
				layout = CTLW_CERTUTILS;
			else {
				warnf("--layout %s: want cucm or certutils", optarg);
				usage();
			}
			break;
		case OPT_SIGNERVER:
			if (sscanf(optarg, "%d.%d%n", &maj, &min, &n) != 2 ||
			    optarg[n] != '\0' || maj < 0 || maj > 255 || min < 0 || min > 255) {
				warnf("--signer-version %s: want MAJOR.MINOR, e.g. 1.0 or 1.1",
				    optarg);
				usage();
			}
			sigver = maj << 8 | min;
			break;
		case OPT_DIGEST:
			if (strcmp(optarg, "sha1") && strcmp(optarg, "sha256") &&
			    strcmp(optarg, "sha512")) {
				warnf("--digest %s: want sha1, sha256 or sha512", optarg);
				usage();
			}
			digest = optarg;
			digest_given = 1;
			break;
		case OPT_DIGESTCODE:
		case OPT_MODCODE:
			if (parse_num(optarg, 0, 255, &v) != 0) {
				warnf("%s %s: want a number 0-255", ch == OPT_MODCODE ?
				    "--modulus-code" : "--digest-code", optarg);
				usage();
			}
			*(ch == OPT_MODCODE ? &modcode : &digest_code) = (int)v;
			break;
		case 'h':
			help();
		case 'V':
			printf("itl-build ctlkit %s\n", CTK_VERSION);
			exit(diag_flush_stdout() == 0 ? EXIT_OK : EXIT_TROUBLE);
		default:
			usage();
		}
	}
	if (signfile) {
		sign_options(argc - optind, argv + optind);
		return;
	}
	if (outpath == NULL)
		outpath = "-";
	if (optind != argc) {
		warnf("unexpected operand '%s'", argv[optind]);
		usage();
	}
	if (clusterdir != NULL) {
		if (nspecs != 0 || store != NULL || resign != NULL || keyspec != NULL ||
		    host != NULL || hasip || signerpath != NULL || (nodename == NULL) == !allflag ||
		    (allflag && (strcmp(outpath, "-") != 0 || jflag || trusted != NULL))) {
			warnf("--cluster takes --node NAME or --all, and no records or key");
			usage();
		}
	} else if (nodename != NULL || allflag) {
		warnf("--node and --all go with --cluster");
		usage();
	} else if (nspecs == 0 && store == NULL && resign == NULL) {
		warnf("no records: give --store, --resign or certificates by role");
		usage();
	}
	if (store == NULL && clusterdir == NULL && (host != NULL || hasip || mixed)) {
		warnf("--host, --ip and --mixed go with --store");
		usage();
	}
	if (keyspec == NULL && store == NULL && clusterdir == NULL) {
		warnf("no signing key: give -k KEY");
		usage();
	}
	if (jflag && !nflag && strcmp(outpath, "-") == 0) {
		warnf("--json needs -o FILE or --dry-run: the file itself goes to stdout");
		usage();
	}
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
