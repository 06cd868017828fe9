/* trust-prune: take expired and superseded certificates out of trust stores, safely and undoably. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tl/ctlset.h"
#include "x509/der.h"
#include "core/diag.h"
#include "core/json.h"
#include "store/lock.h"
#include "core/opt.h"
#include "cucm/cluster.h"
#include "cucm/cucm.h"
#include "prune/prunecl.h"
#include "prune/pruneout.h"
#include "prune/prunerun.h"
#include "core/when.h"

enum { OPT_MIC = OPT_TOOL, OPT_APPLY, OPT_KEEPIN, OPT_LIST, OPT_DELETE };

static const struct opt opts[] = {
	{ "store", 0, NULL, "the offline store (default: .)", "Selection", NULL, NULL },
	{ "cluster", 0, NULL, "every node's stores of an offline cluster", NULL, NULL,
	    NULL },
	{ "cucm-version", 0, NULL, NULL, NULL, NULL, NULL },
	{ "expiring", 'e', "DAYS", "select certificates expiring within DAYS days too", NULL,
	    NULL, NULL },
	{ "keep-in", OPT_KEEPIN, "FILE", "never select a certificate this CTL/ITL holds", NULL,
	    "tlv", "-k" },
	{ "unused-by", 'u', "FILE", "select only certificates this CTL/ITL does not hold", NULL,
	    "tlv", NULL },
	{ "allow-mic-roots", OPT_MIC, NULL, "let Cisco's bundled CAs go (never from CAPF-trust)",
	    NULL, NULL, NULL },
	{ "now", 0, NULL, NULL, NULL, NULL, NULL },
	{ "dry-run", 0, NULL, "say what would go, change nothing (the default)", "Action", NULL,
	    NULL },
	{ "apply", OPT_APPLY, NULL, "move the selected files into STORE/.backup/", NULL, NULL,
	    "-a" },
	{ "restore", 'r', "BACKUP", "put back every file of a backup (either tool's; last: the "
	    "newest not undone)", NULL, "dir", NULL },
	{ "delete", OPT_DELETE, "UNIT-trust/FILE", "remove this one certificate file (every "
	    "node's copy with --cluster)", NULL, NULL, NULL },
	{ "list-backups", OPT_LIST, NULL, "list the store's backups, oldest first", NULL, NULL,
	    NULL },
	{ "force", 0, NULL, "-r: over changed files, a node alone; --delete: protected", NULL,
	    NULL, NULL },
	{ "wait", 0, NULL, NULL, NULL, NULL, NULL },
	{ "json", 0, NULL, "everything as one JSON document", "Output", NULL, NULL },
	{ "quiet", 0, NULL, NULL, NULL, NULL, NULL },
	{ "verbose", 0, NULL, "also list what stays, and why", NULL, NULL, NULL },
	{ NULL, 0, NULL, NULL, NULL, NULL, NULL }
};

static const struct opt_tool tool = {
	"usage: trust-prune [-jnqv] [--apply] [-e days] [--keep-in file.tlv]\n"
	"                   [-s store | --cluster dir] [-u file.tlv] [--allow-mic-roots]\n"
	"                   [--cucm-version v] [--now time] [--wait seconds]\n"
	"                   [unit-trust ...]\n"
	"       trust-prune [-fjnq] [-s store | --cluster dir] [--keep-in file.tlv]\n"
	"                   [--allow-mic-roots] [--cucm-version v] [--now time]\n"
	"                   [--wait seconds] --delete unit-trust/file\n"
	"       trust-prune [-fjnq] [-s store | --cluster dir] [--cucm-version v]\n"
	"                   [--now time] [--wait seconds] -r backup|last\n"
	"       trust-prune [-j] [-s store] --list-backups",
	"Exit status: 0 nothing to prune (or done), 1 a dry run found certificates to\n"
	"remove, 2 trouble.",
	"trust-unit", opts
};

static struct json js;
static struct pruneout po;

/* What the command line asks for. */
struct args {
	struct prune_opts o;
	const char *store, *backup, *now, *cluster, *del, *cucmver;
	char **kpaths, **upaths;
	int nk, nu, nflag, sflag, fflag, list;
	int aflag, jflag, qflag, vflag;	/* --apply, -j, -q, -v */
	int waitsec;			/* --wait */
};

static void
options(struct args *a, int argc, char *argv[])
{
	int ch;

	while ((ch = opt_next(&tool, argc, argv)) != -1) {
		if (ch == OPT_EXIT)	/* --help, --version, or a bad option: done */
			exit(opt_status());
		switch (ch) {
		case OPT_APPLY:
			a->aflag = 1;
			break;
		case 'e':
			a->o.window = opt_days(optarg);
			break;
		case 'f':
			a->fflag = 1;
			break;
		case 'j':
			a->jflag = 1;
			break;
		case OPT_KEEPIN:
			a->kpaths[a->nk++] = optarg;
			break;
		case 'n':
			a->nflag = 1;
			break;
		case 'q':
			a->qflag = 1;
			break;
		case 'r':
			a->backup = optarg;
			break;
		case 's':
			a->store = optarg;
			a->sflag = 1;
			break;
		case 'u':
			a->upaths[a->nu++] = optarg;
			break;
		case 'v':
			a->vflag = 1;
			break;
		case OPT_MIC:
			a->o.allow_mic_roots = 1;
			break;
		case OPT_LIST:
			a->list = 1;
			break;
		case OPT_DELETE:
			a->del = optarg;
			break;
		case OPT_CLUSTER:
			a->cluster = optarg;
			break;
		case OPT_CUCM_VERSION:
			a->cucmver = opt_check(cucm_version(optarg, &po.version) == 0,
			    CUCM_VERSION_WHAT, optarg);
			break;
		case OPT_NOW:
			a->now = opt_time(optarg);
			break;
		case OPT_WAIT:
			a->waitsec = (int)opt_num(optarg, 0, LOCK_WAIT_MAX);
			break;
		default:
			exit(opt_usage());
		}
	}
}

/* --cluster (prune, --delete, -r) and --delete: every node's store, or -s alone. */
static int
nodes_run(struct args *a, char **units)
{
	struct prunecl_opts co = { .cluster = a->cluster, .del = a->del, .force = a->fflag,
	    .wait = a->waitsec };
	struct prunecl_node one = { NULL, a->store }, *v = &one;
	struct cluster c;
	size_t i, n = 1;
	int rc = EXIT_TROUBLE;

	memset(&c, 0, sizeof(c));
	if (a->cluster != NULL) {
		if (cluster_load(&c, a->cluster, po.version) != 0 ||
		    (v = calloc(c.n + 1, sizeof(*v))) == NULL)
			goto out;
		for (i = 0; i < c.n; i++)
			v[i] = (struct prunecl_node){ c.v[i].name, c.v[i].dir };
		n = c.n;
		co.mixed = cluster_mixed(&c);
	} else
		co.mixed = prunerun_mixed(a->store);
	po.apply = a->del != NULL || a->backup != NULL ? !a->nflag : a->aflag;
	if (a->backup != NULL)
		rc = prunecl_restore(&po, v, n, a->backup, &co, a->o.now);
	else
		rc = prunecl_run(&po, v, n, units, &a->o, &co);
out:
	if (v != &one)
		free(v);
	cluster_free(&c);
	return rc;
}

int
main(int argc, char *argv[])
{
	struct ctlset keepin = CTLSET_ZERO, unusedby = CTLSET_ZERO;
	struct args a = { .store = ".", .waitsec = LOCK_WAIT_DEFAULT };
	int i, rc = EXIT_TROUBLE;

	setprogname(argv[0]);
	if ((a.kpaths = calloc((size_t)argc + 1, sizeof(*a.kpaths))) == NULL ||
	    (a.upaths = calloc((size_t)argc + 1, sizeof(*a.upaths))) == NULL) {
		warnf("out of memory");
		free(a.kpaths);
		return EXIT_TROUBLE;
	}
	options(&a, argc, argv);
	argc -= optind;
	argv += optind;
	if ((a.cluster != NULL && (a.sflag || a.list)) || (a.del != NULL && (a.aflag ||
	    a.backup != NULL || a.list || argc || a.nu || a.o.window))) {
		warnf("%s", a.cluster != NULL && (a.sflag || a.list) ? "--cluster goes without -s "
		    "and --list-backups" : "--delete acts at once (-n shows it): no selection, "
		    "--apply or --restore");
		exit(opt_usage());
	}
	if ((a.aflag && a.nflag) || (a.fflag && a.backup == NULL && a.del == NULL) || ((a.backup != NULL ||
	    a.list) && (a.aflag || a.nk || a.nu || argc || a.o.window || a.o.allow_mic_roots)) ||
	    (a.list && (a.backup != NULL || a.nflag || a.fflag))) {
		warnf("%s", a.list ? "--list-backups goes alone (with -s, -j)" :
		    a.backup != NULL ? "--restore takes no selection options" :
		    a.fflag && !(a.aflag && a.nflag) ? "--force goes with --restore" :
		    "--apply and --dry-run exclude each other");
		exit(opt_usage());
	}
	json_init(&js, stdout);
	po.out = stdout, po.j = &js, po.json = a.jflag, po.quiet = a.qflag, po.verbose = a.vflag;
	po.apply = a.aflag;
	a.o.all = a.vflag || a.jflag;
	if (when_now(a.now, &a.o.now) != 0)
		goto out;
	for (i = 0; i < a.nk; i++)
		if (ctlset_add(&keepin, a.kpaths[i]) != 0)
			goto out;
	for (i = 0; i < a.nu; i++)
		if (ctlset_add(&unusedby, a.upaths[i]) != 0)
			goto out;
	a.o.keepin = a.nk > 0 ? &keepin : NULL;
	a.o.unusedby = a.nu > 0 ? &unusedby : NULL;
	if (a.cluster != NULL || a.del != NULL)
		rc = nodes_run(&a, argv);
	else if (a.list)
		rc = prunerun_list(&po, a.store);
	else if (a.backup != NULL) {
		po.apply = !a.nflag;
		rc = prunerun_restore(&po, a.backup, a.sflag ? a.store : NULL, a.fflag, a.o.now,
		    a.waitsec);
	} else
		rc = prunerun(&po, a.store, argv, &a.o, a.waitsec);
out:
	ctlset_free(&keepin);
	ctlset_free(&unusedby);
	free(a.kpaths);
	free(a.upaths);
	der_cleanup();
	if (diag_flush_stdout() != 0)
		return EXIT_TROUBLE;
	return rc;
}
