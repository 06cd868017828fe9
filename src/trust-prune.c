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
#include "prune/pruneout.h"
#include "prune/prunerun.h"
#include "core/when.h"

enum { OPT_MIC = OPT_TOOL, OPT_APPLY, OPT_KEEPIN, OPT_LIST };

static const struct opt opts[] = {
	{ "store", 0, NULL, "the offline store (default: .)", "Selection", NULL, NULL },
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
	{ "list-backups", OPT_LIST, NULL, "list the store's backups, oldest first", NULL, NULL,
	    NULL },
	{ "force", 0, NULL, "--restore: over files changed since; a cluster's node alone", NULL,
	    NULL, NULL },
	{ "wait", 0, NULL, NULL, NULL, NULL, NULL },
	{ "json", 0, NULL, "everything as one JSON document", "Output", NULL, NULL },
	{ "quiet", 0, NULL, NULL, NULL, NULL, NULL },
	{ "verbose", 0, NULL, "also list what stays, and why", NULL, NULL, NULL },
	{ NULL, 0, NULL, NULL, NULL, NULL, NULL }
};

static const struct opt_tool tool = {
	"usage: trust-prune [-jnqv] [--apply] [-e days] [--keep-in file.tlv] [-s store]\n"
	"                   [-u file.tlv] [--allow-mic-roots] [--now time]\n"
	"                   [--wait seconds] [unit-trust ...]\n"
	"       trust-prune [-fjnq] [-s store] [--now time] [--wait seconds]\n"
	"                   -r backup|last\n"
	"       trust-prune [-j] [-s store] --list-backups",
	"Exit status: 0 nothing to prune (or done), 1 a dry run found certificates to\n"
	"remove, 2 trouble.",
	"trust-unit", opts
};

static int aflag, jflag, qflag, vflag, waitsec = LOCK_WAIT_DEFAULT;
static struct json js;
static struct pruneout po;

/* What the command line asks for. */
struct args {
	struct prune_opts o;
	const char *store, *backup, *now;
	char **kpaths, **upaths;
	int nk, nu, nflag, sflag, fflag, list;
};

static void
options(struct args *a, int argc, char *argv[])
{
	int ch;

	while ((ch = opt_next(&tool, argc, argv)) != -1) {
		switch (ch) {
		case OPT_APPLY:
			aflag = 1;
			break;
		case 'e':
			a->o.window = opt_days(optarg);
			break;
		case 'f':
			a->fflag = 1;
			break;
		case 'j':
			jflag = 1;
			break;
		case OPT_KEEPIN:
			a->kpaths[a->nk++] = optarg;
			break;
		case 'n':
			a->nflag = 1;
			break;
		case 'q':
			qflag = 1;
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
			vflag = 1;
			break;
		case OPT_MIC:
			a->o.allow_mic_roots = 1;
			break;
		case OPT_LIST:
			a->list = 1;
			break;
		case OPT_NOW:
			a->now = opt_time(optarg);
			break;
		case OPT_WAIT:
			waitsec = (int)opt_num(optarg, 0, LOCK_WAIT_MAX);
			break;
		default:
			opt_usage();
		}
	}
}

int
main(int argc, char *argv[])
{
	struct ctlset keepin = CTLSET_ZERO, unusedby = CTLSET_ZERO;
	struct args a = { .store = "." };
	int i, rc = EXIT_TROUBLE;

	setprogname(argv[0]);
	if ((a.kpaths = calloc((size_t)argc + 1, sizeof(*a.kpaths))) == NULL ||
	    (a.upaths = calloc((size_t)argc + 1, sizeof(*a.upaths))) == NULL)
		dief(EXIT_TROUBLE, "out of memory");
	options(&a, argc, argv);
	argc -= optind;
	argv += optind;
	if ((aflag && a.nflag) || (a.fflag && a.backup == NULL) || ((a.backup != NULL ||
	    a.list) && (aflag || a.nk || a.nu || argc || a.o.window || a.o.allow_mic_roots)) ||
	    (a.list && (a.backup != NULL || a.nflag || a.fflag))) {
		warnf("%s", a.list ? "--list-backups goes alone (with -s, -j)" :
		    a.backup != NULL ? "--restore takes no selection options" :
		    a.fflag && !(aflag && a.nflag) ? "--force goes with --restore" :
		    "--apply and --dry-run exclude each other");
		opt_usage();
	}
	json_init(&js, stdout);
	po.j = &js, po.json = jflag, po.quiet = qflag, po.verbose = vflag, po.apply = aflag;
	a.o.all = vflag || jflag;
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
	if (a.list)
		rc = prunerun_list(&po, a.store);
	else if (a.backup != NULL) {
		po.apply = !a.nflag;
		rc = prunerun_restore(&po, a.backup, a.sflag ? a.store : NULL, a.fflag, a.o.now,
		    waitsec);
	} else
		rc = prunerun(&po, a.store, argv, &a.o, waitsec);
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
