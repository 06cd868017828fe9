/* cert-regen.c: regenerate CUCM service certificates in an offline store, as set cert regen does. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/diag.h"
#include "core/opt.h"
#include "cucm/cucm.h"
#include "regen/regencmd.h"
#include "regen/regenrun.h"
#include "store/lock.h"

enum { OPT_SUBJECT = OPT_TOOL, OPT_SAN, OPT_HOST, OPT_KEYTYPE, OPT_BITS, OPT_CURVE,
	OPT_DAYS, OPT_YEARS, OPT_CSR, OPT_IMPORT, OPT_BC, OPT_KU, OPT_EKU, OPT_TRUST, OPT_MIXED,
	OPT_KEEP, OPT_CHAIN, OPT_PLAN, OPT_LIST, OPT_RUNBOOK, OPT_CHECK };

/* What the command line asks for: the run's options, filled in place (lib/regen/regenopts.h). */
static struct regenopts o = { .run = { .store = ".", .job = { .ntrust = -1 } },
	.wait = LOCK_WAIT_DEFAULT };

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
	case 's': o.run.store = arg; o.sflag = 1; break;
	case OPT_NOW: o.now = opt_time(arg); break;
	case OPT_SUBJECT: o.run.job.subject = arg; break;
	case OPT_SAN: o.run.job.san = arg; break;
	case OPT_HOST: o.run.job.host = arg; break;
	case OPT_KEYTYPE: o.run.job.keytype = arg; break;
	case OPT_BITS: o.run.job.bits = opt_num(arg, 1024, 16384); break;
	case OPT_CURVE: o.run.job.curve = arg; break;
	case OPT_DAYS: o.run.job.days = opt_num(arg, 1, 365L * 100); break;
	case OPT_YEARS:
		if ((o.run.job.years = opt_num(arg, 5, 20)) % 5 != 0)
			exit(opt_bad("not 5, 10, 15 or 20: \"%s\"", arg));
		break;
	case OPT_IMPORT: o.run.import = arg; break;
	case OPT_CHAIN: o.run.chain = arg; break;
	case OPT_CUCM_VERSION:
		(void)opt_check(cucm_version(arg, &o.run.job.version) == 0, CUCM_VERSION_WHAT, arg);
		break;
	case OPT_WAIT: o.wait = (int)opt_num(arg, 0, LOCK_WAIT_MAX); break;
	case OPT_BC: o.run.job.bc = arg; break;
	case OPT_KU: o.run.job.ku = arg; break;
	case OPT_EKU: o.run.job.eku = arg; break;
	case OPT_TRUST:
		/* "none": no copy at all; the names point into argv, which outlives the jobs */
		o.run.job.ntrust = strcmp(arg, "none") == 0 ? 0 :
		    opt_list(arg, o.run.job.trust, REGENJOB_TRUST);
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
	const struct regenrun *r = &o.run;

	if (o.runbook && (o.cluster == NULL || o.plan || o.dry || o.yes))
		exit(opt_usage());
	if (o.check && (o.cluster == NULL || o.plan || o.dry || o.yes || r->force || r->mixed ||
	    o.runbook || o.restore != NULL))
		exit(opt_usage());
	if (o.cluster != NULL) {
		if (r->csr || r->import != NULL || o.output != NULL || o.list ||
		    o.sflag || r->job.years != 0 || r->job.subject != NULL ||
		    r->job.host != NULL || r->chain != NULL ||
		    (o.restore != NULL && (optind != argc || o.plan || o.json || o.runbook)))
			exit(opt_usage());
		return;
	}
	if (o.plan || (o.list && (o.restore != NULL || optind != argc || o.dry || r->force)))
		exit(opt_usage());
	if ((r->csr && r->import != NULL) || (o.restore != NULL && optind != argc) ||
	    (o.restore == NULL && !o.list && optind == argc) || (o.output != NULL && !r->csr) ||
	    (r->chain != NULL && r->import == NULL))
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
		case 'f': o.run.force = 1; break;
		case 'j': o.json = 1; break;
		case 'n': o.dry = 1; break;
		case 'q': o.quiet = 1; break;
		case 'y': o.yes = 1; break;
		case OPT_KEEP: o.run.job.keep = 1; break;
		case OPT_CSR: o.run.csr = 1; break;
		case OPT_MIXED: o.run.mixed = 1; break;
		case OPT_PLAN: o.plan = 1; break;
		case OPT_LIST: o.list = 1; break;
		case OPT_RUNBOOK: o.runbook = 1; break;
		default: option_arg(ch, optarg);
		}
	}
	check_options(argc);
}

int
main(int argc, char *argv[])
{
	int n;

	setprogname(argv[0]);
	/* each line out as it is printed: a log of a killed run shows how far it got */
	setvbuf(stdout, NULL, _IOLBF, 0);
	options(argc, argv);
	n = argc - optind;
	argv += optind;
	if (o.cluster == NULL && !o.list) {
		if (n > REGENCMD_MAXJOBS || ((o.run.csr || o.run.import != NULL) && n != 1))
			exit(opt_usage());
		if (o.run.job.years != 0 && !regenrun_named(argv, n, "ITLRecovery")) {
			warnf("--years: only ITLRecovery takes years");
			exit(opt_usage());
		}
	}
	return regencmd(&o, argv, n, stdout);
}
