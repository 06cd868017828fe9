/* cert-regen.c: regenerate CUCM service certificates in an offline store, as set cert regen does. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/x509.h>

#include "core/afile.h"
#include "core/diag.h"
#include "cucm/clmember.h"
#include "cucm/clplan.h"
#include "cucm/cluster.h"
#include "cucm/cucm.h"
#include "cucm/plan.h"
#include "core/json.h"
#include "core/opt.h"
#include "regen/clrun.h"
#include "regen/clcheck.h"
#include "regen/clrunbook.h"
#include "regen/clundo.h"
#include "regen/regenjob.h"
#include "regen/regenout.h"
#include "regen/regenrun.h"
#include "store/backuplist.h"
#include "store/lock.h"
#include "store/restore.h"
#include "tl/itlkey.h"
#include "x509/cert.h"
#include "store/txn.h"
#include "core/when.h"

#define MAXJOBS 16

enum { OPT_SUBJECT = OPT_TOOL, OPT_SAN, OPT_HOST, OPT_KEYTYPE, OPT_BITS, OPT_CURVE,
	OPT_DAYS, OPT_YEARS, OPT_CSR, OPT_IMPORT, OPT_BC, OPT_KU, OPT_EKU, OPT_TRUST, OPT_MIXED,
	OPT_KEEP, OPT_CHAIN, OPT_PLAN, OPT_LIST, OPT_RUNBOOK, OPT_CHECK };

static struct {
	const char	*store, *now, *subject, *san, *host, *keytype, *curve, *import;
	const char	*restore, *output, *bc, *ku, *eku, *chain, *cluster;
	char		*trustv[REGENJOB_TRUST];	/* --trust-stores, split */
	int		 ntrust;			/* -1: not given; 0: none */
	long		 bits, days, years;
	int		 csr, dry, force, json, quiet, yes, mixed, keep, sflag, version, wait, plan;
	int		 list, runbook, check;
	int64_t		 t;
} o = { .store = ".", .wait = LOCK_WAIT_DEFAULT, .ntrust = -1 };	/* version 0: not given */

static const struct opt opts[] = {
	{ "store", 0, NULL, "the offline store (default: .)", "Store", NULL, NULL },
	{ "dry-run", 0, NULL, NULL, NULL, NULL, NULL },
	{ "yes", 0, NULL, "no confirmation prompt (as the CUCM CLI asks)", NULL, NULL, NULL },
	{ "force", 0, NULL, "go on past a safety refusal; replace FILE", NULL, NULL, NULL },
	{ "now", 0, NULL, NULL, NULL, NULL, NULL },
	{ "restore", 'r', "BACKUP", "put back the files of a backup directory (last: the newest "
	    "not undone); with --cluster: the run's steps back to STEP", NULL, "dir", NULL },
	{ "list-backups", OPT_LIST, NULL, "list the store's backups, oldest first", NULL, NULL,
	    NULL },
	{ "wait", 0, NULL, NULL, NULL, NULL, NULL },
	{ "mixed", OPT_MIXED, NULL, "the cluster is in mixed mode (plan: CTL update)", NULL,
	    NULL, NULL },
	{ "trust-stores", OPT_TRUST, "LIST", "trust stores that get a copy (default: CUCM's; "
	    "none: no copy)", NULL, NULL, "--trust" },
	{ "cucm-version", 0, "V", "CUCM release 10.0 to 15 (default: served ITLs', else 14)", NULL,
	    NULL, NULL },
	{ "cluster", 0, NULL, "a whole offline cluster: plan (-n, --plan) or run (-y)", "Cluster",
	    NULL, NULL },
	{ "plan", OPT_PLAN, NULL, "with --cluster: print the safe order, change nothing", NULL,
	    NULL, NULL },
	{ "runbook", OPT_RUNBOOK, NULL, "with --cluster: the safe order as the commands to type "
	    "on the live cluster, and the checks", NULL, NULL, NULL },
	{ "check", OPT_CHECK, "STEP", "with --cluster: judge what the live cluster serves after "
	    "step STEP (node:unit ...)", NULL, NULL, NULL },
	{ "csr", OPT_CSR, NULL, "a key and a CSR instead of a self-signed certificate",
	    "Certificate", NULL, NULL },
	{ "output", 0, NULL, "write the CSR to FILE atomically (default: stdout)", NULL, NULL,
	    NULL },
	{ "import", OPT_IMPORT, "CERT", "install CERT, signed for the pending CSR", NULL, "file",
	    NULL },
	{ "chain", OPT_CHAIN, "FILE", "with --import: the CA certificates that issued CERT", NULL,
	    "file", NULL },
	{ "subject", OPT_SUBJECT, "DN", "subject, as /C=US/O=Example/CN=host", NULL, NULL, NULL },
	{ "keep-subject", OPT_KEEP, NULL, "keep the current certificate's subject and SANs",
	    NULL, NULL, NULL },
	{ "san", OPT_SAN, "LIST", "subjectAltName, e.g. DNS:cucm1,IP:10.0.0.1", NULL, NULL,
	    NULL },
	{ "host", OPT_HOST, "NAME", "the node's host name (CN and DNS SAN)", NULL, NULL, NULL },
	{ "key-type", OPT_KEYTYPE, "TYPE", "rsa or ec", NULL, "=rsa ec", NULL },
	{ "bits", OPT_BITS, "N", "RSA key size (default 2048)", NULL, "=2048 3072 4096", NULL },
	{ "curve", OPT_CURVE, "NAME", "EC curve: P-256 (default), P-384 or P-521", NULL,
	    "=P-256 P-384 P-521", NULL },
	{ "days", OPT_DAYS, "N", "validity in days (default 1825)", NULL, NULL, NULL },
	{ "years", OPT_YEARS, "N", "ITLRecovery validity: 5, 10, 15 or 20 years", NULL,
	    "=5 10 15 20", NULL },
	{ "basic-constraints", OPT_BC, "VALUE", "basicConstraints, OpenSSL syntax", NULL, NULL,
	    NULL },
	{ "key-usage", OPT_KU, "VALUE", "keyUsage, OpenSSL syntax", NULL, NULL, NULL },
	{ "ext-key-usage", OPT_EKU, "VALUE", "extendedKeyUsage, OpenSSL syntax", NULL, NULL,
	    NULL },
	{ "json", 0, NULL, "what was done (or would be) as one JSON document", "Output", NULL,
	    NULL },
	{ "quiet", 0, NULL, NULL, NULL, NULL, NULL },
	{ NULL, 0, NULL, NULL, NULL, NULL, NULL }
};

static const struct opt_tool tool = {
	"usage: cert-regen [-fjnqy] [-s store] [--csr | --import cert] [-o file]\n"
	"                  [--now time] [--subject dn] [--san list] [--host name]\n"
	"                  [--keep-subject] [--key-type rsa|ec] [--bits n] [--curve name]\n"
	"                  [--days n] [--years n] [--basic-constraints value]\n"
	"                  [--key-usage value] [--ext-key-usage value]\n"
	"                  [--trust-stores list] [--mixed] [--chain file]\n"
	"                  [--cucm-version v] [--wait seconds] unit ...\n"
	"       cert-regen [-fjnqy] [-s store] [--now time] [--wait seconds]\n"
	"                  -r backup|last\n"
	"       cert-regen [-j] [-s store] --list-backups\n"
	"       cert-regen [-jnqy] --cluster dir [--plan] [--cucm-version v] [--mixed]\n"
	"                  [--now time] [unit | node:unit ...]\n"
	"       cert-regen [-jq] --cluster dir --runbook [--cucm-version v] [--mixed]\n"
	"                  [unit | node:unit ...]\n"
	"       cert-regen [-jq] --cluster dir --check step [--cucm-version v]\n"
	"                  [--now time] [--wait seconds] node:unit ...\n"
	"       cert-regen [-fnqy] --cluster dir [--cucm-version v] [--mixed]\n"
	"                  [--now time] [--wait seconds] -r step|last",
	"Exit status: 0 done (or, with -n, nothing went wrong planning it), 1 a cluster\n"
	"plan that is not safe, a cluster step not undone or a --check that says stop,\n"
	"2 trouble: nothing was changed, or the store is as it was before the run.",
	"unit", opts
};

/* The options that take a value: each into its place in o. */
static void
option_arg(int ch, char *arg)
{
	switch (ch) {
	case 'o': o.output = arg; break;
	case 'r': o.restore = arg; break;
	case 's': o.store = arg; o.sflag = 1; break;
	case OPT_NOW: o.now = opt_time(arg); break;
	case OPT_SUBJECT: o.subject = arg; break;
	case OPT_SAN: o.san = arg; break;
	case OPT_HOST: o.host = arg; break;
	case OPT_KEYTYPE: o.keytype = arg; break;
	case OPT_BITS: o.bits = opt_num(arg, 1024, 16384); break;
	case OPT_CURVE: o.curve = arg; break;
	case OPT_DAYS: o.days = opt_num(arg, 1, 365L * 100); break;
	case OPT_YEARS:
		if ((o.years = opt_num(arg, 5, 20)) % 5 != 0)
			exit(opt_bad("not 5, 10, 15 or 20: \"%s\"", arg));
		break;
	case OPT_IMPORT: o.import = arg; break;
	case OPT_CHAIN: o.chain = arg; break;
	case OPT_CUCM_VERSION:
		(void)opt_check(cucm_version(arg, &o.version) == 0, CUCM_VERSION_WHAT, arg);
		break;
	case OPT_WAIT: o.wait = (int)opt_num(arg, 0, LOCK_WAIT_MAX); break;
	case OPT_BC: o.bc = arg; break;
	case OPT_KU: o.ku = arg; break;
	case OPT_EKU: o.eku = arg; break;
	case OPT_TRUST:
		/* "none": no copy at all; the names point into argv, which outlives the jobs */
		o.ntrust = strcmp(arg, "none") == 0 ? 0 : opt_list(arg, o.trustv, REGENJOB_TRUST);
		break;
	case OPT_CLUSTER: o.cluster = arg; break;
	case OPT_CHECK: o.check = (int)opt_num(arg, 1, 999); break;
	default: exit(opt_usage());
	}
}

/* Options that go together, or exclude each other. */
static void
check_options(int argc)
{
	if (o.runbook && (o.cluster == NULL || o.plan || o.dry || o.yes))
		exit(opt_usage());
	if (o.check && (o.cluster == NULL || o.plan || o.dry || o.yes || o.force || o.mixed ||
	    o.runbook || o.restore != NULL))
		exit(opt_usage());
	if (o.cluster != NULL) {
		if (o.csr || o.import != NULL || o.output != NULL || o.list ||
		    o.sflag || o.years != 0 || o.subject != NULL || o.host != NULL ||
		    o.chain != NULL ||
		    (o.restore != NULL && (optind != argc || o.plan || o.json || o.runbook)))
			exit(opt_usage());
		return;
	}
	if (o.plan || (o.list && (o.restore != NULL || optind != argc || o.dry || o.force)))
		exit(opt_usage());
	if ((o.csr && o.import != NULL) || (o.restore != NULL && optind != argc) ||
	    (o.restore == NULL && !o.list && optind == argc) || (o.output != NULL && !o.csr) ||
	    (o.chain != NULL && o.import == NULL))
		exit(opt_usage());
}

static void
options(int argc, char *argv[])
{
	int ch;

	while ((ch = opt_next(&tool, argc, argv)) != -1) {
		if (ch == OPT_EXIT)	/* --help, --version, or a bad option: done */
			exit(opt_status());
		switch (ch) {
		case 'f': o.force = 1; break;
		case 'j': o.json = 1; break;
		case 'n': o.dry = 1; break;
		case 'q': o.quiet = 1; break;
		case 'y': o.yes = 1; break;
		case OPT_KEEP: o.keep = 1; break;
		case OPT_CSR: o.csr = 1; break;
		case OPT_MIXED: o.mixed = 1; break;
		case OPT_PLAN: o.plan = 1; break;
		case OPT_LIST: o.list = 1; break;
		case OPT_RUNBOOK: o.runbook = 1; break;
		default: option_arg(ch, optarg);
		}
	}
	check_options(argc);
}

static struct regenrun rr;	/* o as the run in lib takes it */

/* rr from the options, the reference time included. */
static void
runopts(void)
{
	struct regenjob_opts *op = &rr.job;
	int i;

	rr.store = o.store, rr.import = o.import, rr.chain = o.chain, rr.csr = o.csr;
	rr.force = o.force, rr.mixed = o.mixed, rr.version = o.version != 0 ? o.version : CUCM_VERSION_DEFAULT;
	op->subject = o.subject, op->san = o.san, op->host = o.host, op->keytype = o.keytype;
	op->curve = o.curve, op->bc = o.bc, op->ku = o.ku, op->eku = o.eku, op->bits = o.bits;
	op->days = o.days, op->years = o.years, op->version = o.version, op->keep = o.keep, op->now = o.t;
	op->ntrust = o.ntrust;
	for (i = 0; i < o.ntrust; i++)
		op->trust[i] = o.trustv[i];
}

/* Ask as the CUCM CLI does; 0 when the answer is yes. */
static int
confirm(const char *warning, const char *const *units, int n, const char *what)
{
	char line[16];
	int i;

	if (o.yes || o.dry)
		return 0;
	if (!isatty(STDIN_FILENO)) {
		warnf("%s: no terminal to confirm on: nothing changed (use --yes)", o.store);
		return -1;
	}
	for (i = 0; i < n; i++)
		fprintf(stderr, "WARNING: This operation will %s %s\n", warning, units[i]);
	fprintf(stderr, "Proceed with %s (yes|no)? ", what);
	if (fgets(line, sizeof(line), stdin) == NULL || strcmp(line, "yes\n") != 0) {
		warnf("%s: not confirmed: nothing changed", o.store);
		return -1;
	}
	return 0;
}

/* A CA-signed certificate regenerated: said by name, whatever --yes (the CLI's warning is generic). */
static void
ca_signed(struct regenjob *r, int n)
{
	char *issuer;
	int i;

	for (i = 0; i < n && !o.csr && o.import == NULL; i++) {
		/* self-issued by name: CUCM's profiles leave keyCertSign out of most units */
		if (r[i].old == NULL || X509_NAME_cmp(X509_get_issuer_name(r[i].old),
		    X509_get_subject_name(r[i].old)) == 0)
			continue;
		issuer = cert_name_text(X509_get_issuer_name(r[i].old));
		warnf("%s: its certificate is CA-signed (issuer %s): it is replaced by a "
		    "self-signed one (--csr, then --import, to keep it CA-signed)", r[i].p->unit,
		    issuer != NULL ? issuer : "?");
		free(issuer);
	}
}

/* The question the CUCM CLI asks before a restore, an import or a regeneration. */
static int
confirmed(char **units, int n)
{
	if (o.restore != NULL)
		return confirm("put back the files saved in", &o.restore, 1, "restore");
	if (o.csr)	/* a CSR changes nothing the services use */
		return 0;
	return confirm("overwrite any CA signed certificate previously imported for",
	    (const char *const *)units, n, o.import != NULL ? "import" : "regeneration");
}

/* -o FILE for the CSR: opened (not over an existing file without --force); 0 or -1. */
static int
open_output(struct afile *af)
{
	if (o.output == NULL || strcmp(o.output, "-") == 0 || o.dry)
		return 0;
	if (!o.force && access(o.output, F_OK) == 0) {
		warnf("%s: exists (use --force to replace it)", o.output);
		return -1;
	}
	return afile_open(af, o.output, AFILE_MODE_DEFAULT);
}

/* --runbook: the plan as the steps to carry out on the live cluster; 0, 1 (no safe order), 2. */
static int
runbook(const struct clplan *p)
{
	struct clrunbook rb;
	struct json j;
	int rc = EXIT_TROUBLE;

	if (clrunbook_make(&rb, p, o.cluster) == 0) {
		if (o.json) {
			json_init(&j, stdout);
			clrunbook_json(&rb, &j);
		} else if (!o.quiet)
			clrunbook_text(&rb, stdout);
		rc = p->safe ? EXIT_OK : EXIT_FINDINGS;
	}
	clrunbook_free(&rb);
	return rc;
}

/* --check STEP: what the live cluster serves after a step, judged; adopted when it checks out. */
static int
check(struct cluster *c, char **ops, int n)
{
	struct clcheck k;
	struct json j;
	int rc = EXIT_TROUBLE;

	if (clcheck_run(&k, c, o.check, ops, n, o.t, o.wait) == 0) {
		if (o.json) {
			json_init(&j, stdout);
			clcheck_json(&k, &j);
		} else if (!o.quiet)
			clcheck_text(&k, stdout);
		rc = k.verdict;
	}
	clcheck_free(&k);
	return diag_flush_stdout() == 0 ? rc : EXIT_TROUBLE;
}

/* --cluster -r STEP|last: the run's steps undone, last first (lib/regen/clundo). */
static int
cluster_undo(const struct cluster *c, const struct clrun_opts *ro)
{
	struct clundo_opts uo = { .mixed = ro->mixed, .dry = o.dry, .force = o.force,
	    .now = ro->now, .out = ro->out, .wait = o.wait };
	int v = EXIT_TROUBLE;

	o.store = o.cluster;	/* the directory confirm() names */
	if (confirm("put back, step by step, the certificates of the last run on", &o.cluster,
	    1, "the undo") == 0 && (v = clundo(c, o.restore, &uo)) >= 0)
		v = v == 0 ? EXIT_OK : EXIT_FINDINGS;
	else
		v = EXIT_TROUBLE;
	return diag_flush_stdout() == 0 ? v : EXIT_TROUBLE;
}

/* --cluster: plan (--plan, -n) or run (-y) a whole-cluster rollover; the work is in lib. */
static int
cluster(char **ops, int n)
{
	struct ctlw_opts tl = { .digest = "sha1", .digest_code = 1, .modulus_code = -1,
	    .signer_version = 0x100 };
	struct clrun_opts ro = { .tl = &tl, .out = stdout, .wait = o.wait };
	struct cluster c;
	struct clplan p;
	struct json j;
	int v, rc = EXIT_TROUBLE;

	memset(&p, 0, sizeof(p));
	memset(&c, 0, sizeof(c));
	if (when_now(o.now, &o.t) != 0 || cluster_load(&c, o.cluster, o.version) != 0)
		goto out;
	if (o.t < 0 || o.t > 0xFFFFFFFFLL) {
		warnf("--now: the trust lists' TIMESTAMP holds 32-bit Unix seconds only");
		goto out;
	}
	ro.mixed = o.mixed || cluster_mixed(&c);
	ro.now = o.t;
	tl.timestamp = (uint32_t)o.t;
	if (o.quiet && (ro.out = fopen("/dev/null", "w")) == NULL) {
		warnf("/dev/null:");
		goto out;
	}
	if (o.restore != NULL) {
		rc = cluster_undo(&c, &ro);
		goto out;
	}
	if (o.check) {
		rc = check(&c, ops, n);
		goto out;
	}
	if (clplan_make(&p, &c, ro.mixed, ops, n) != 0)
		goto out;
	if (o.runbook)
		rc = runbook(&p);
	else if (o.plan || o.dry || !p.safe) {
		if (o.json) {
			json_init(&j, stdout);
			clplan_json(&p, &j);
		} else if (!o.quiet)
			clplan_text(&p, stdout);
		rc = p.safe ? EXIT_OK : EXIT_FINDINGS;
	} else {
		o.store = o.cluster;	/* the directory confirm() names */
		if (o.json) {	/* the run as one JSON document instead of the text */
			json_init(&j, stdout);
			ro.js = &j;
		}
		if (confirm("regenerate, node by node, the certificates of", &o.cluster, 1,
		    "the cluster rollover") == 0 && (v = clrun(&c, &p, &ro)) >= 0)
			rc = v == 0 ? EXIT_OK : EXIT_FINDINGS;
	}
	if (diag_flush_stdout() != 0)
		rc = EXIT_TROUBLE;
out:
	if (ro.out != stdout && ro.out != NULL)
		fclose(ro.out);
	clplan_free(&p);
	cluster_free(&c);
	itlkey_cleanup();
	return rc;
}

/* --list-backups: the store's backups, oldest first, as text or JSON. */
static int
list_backups(void)
{
	struct backuplist l;
	struct json j;
	int rc = EXIT_TROUBLE;

	if (backuplist_read(&l, o.store) == 0) {
		json_init(&j, stdout);
		if (o.json)
			backuplist_json(&l, &j);
		else
			backuplist_text(&l, stdout);
		rc = l.ndamaged > 0 ? EXIT_TROUBLE : EXIT_OK;
	}
	backuplist_free(&l);
	return diag_flush_stdout() == 0 ? rc : EXIT_TROUBLE;
}

/* --restore: the changes that put the backup's files back, into t. 0 or -1 (diagnosed). */
static int
restore_prepare(struct restore *rs, struct txn *t, struct plan *pl, struct lock *lk)
{
	char *path;
	size_t k;
	int rc;

	/* -r last: the newest backup of cert-regen not undone yet */
	if ((path = backuplist_resolve(o.restore, o.store, "cert-regen")) == NULL)
		return -1;
	rc = restore_open(rs, path, o.sflag ? o.store : NULL);
	free(path);
	o.restore = rs->backup;	/* what the prompt and the report name */
	if (rc != 0 || (!o.force && clmember_refuse(rs->store, "cert-regen") != 0) ||
	    !regenrun_store_ok(&rr, rs->store, pl) ||
	    lock_take(lk, rs->store, !o.dry, o.wait, "cert-regen") != 0)
		return -1;
	txn_free(t);
	txn_init(t, rs->store, "cert-regen");
	if (restore_plan(rs, t, o.force) != 0)
		return -1;
	for (k = 0; k < t->n; k++)
		plan_add_path(pl, t->ops[k].rel, t->ops[k].kind == TXN_REMOVE);
	return 0;
}

int
main(int argc, char *argv[])
{
	struct regenjob r[MAXJOBS];
	struct restore rs;
	struct lock lk = LOCK_ZERO;
	struct plan pl = { .n = 0, .version = o.version };
	char *csr = NULL;
	struct regenout ro;
	struct afile af;
	struct txn t;
	size_t len = 0;
	int i, n, rc = EXIT_TROUBLE;

	setprogname(argv[0]);
	/* each line out as it is printed: a log of a killed run shows how far it got */
	setvbuf(stdout, NULL, _IOLBF, 0);
	options(argc, argv);
	n = argc - optind;
	argv += optind;
	if (o.cluster != NULL)
		return cluster(argv, n);
	if (o.list)
		return list_backups();
	memset(r, 0, sizeof(r));
	memset(&af, 0, sizeof(af));
	memset(&rs, 0, sizeof(rs));
	if (n > MAXJOBS || ((o.csr || o.import != NULL) && n != 1))
		exit(opt_usage());
	if (o.years != 0 && !regenrun_named(argv, n, "ITLRecovery")) {
		warnf("--years: only ITLRecovery takes years");
		exit(opt_usage());
	}
	txn_init(&t, o.store, "cert-regen");
	if (when_now(o.now, &o.t) != 0)
		goto out;
	runopts();
	if (regenrun_refused(&rr, argv, n) != 0)
		goto out;
	if (o.restore != NULL) {
		if (restore_prepare(&rs, &t, &pl, &lk) != 0)
			goto out;
	} else if (!regenrun_store_ok(&rr, o.store, &pl) ||
	    lock_take(&lk, o.store, !o.dry, o.wait, "cert-regen") != 0 ||
	    regenrun_prepare(&rr, argv, n, r, &t, &pl) != 0)
		goto out;
	if (o.restore == NULL)
		ca_signed(r, n);
	if (confirmed(argv, n) != 0)
		goto out;
	if (o.csr && (csr = regen_pem('r', r[0].csr, &len)) == NULL)
		goto out;
	if (open_output(&af) != 0)
		goto out;
	if (!o.dry && txn_commit(&t, o.t) != 0)
		goto out;
	lock_release(&lk);
	if (af.fp != NULL && (fwrite(csr, 1, len, af.fp) != len || afile_commit(&af, o.force)))
		goto out;
	ro.out = stdout, ro.store = t.store, ro.restored = o.restore, ro.csr = csr, ro.dry = o.dry;
	if (o.csr && !o.dry && (o.output == NULL || strcmp(o.output, "-") == 0) && !o.json)
		fputs(o.quiet ? "" : csr, stdout);
	else if (!o.quiet)
		(o.json ? regenout_json : regenout_text)(&ro, r, n, &t, &pl);
	rc = diag_flush_stdout() == 0 ? EXIT_OK : EXIT_TROUBLE;
out:
	lock_release(&lk);
	afile_abort(&af);
	for (i = 0; i < n; i++)
		regenjob_free(&r[i]);
	txn_free(&t);
	restore_free(&rs);
	free(csr);
	return rc;
}
