/* trust-prune: take expired and superseded certificates out of trust stores, safely and undoably. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "x509/der.h"
#include "core/diag.h"
#include "store/lock.h"
#include "core/opt.h"
#include "cucm/cucm.h"
#include "prune/prunecmd.h"

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

static void
options(struct prunecmd *a, int argc, char *argv[])
{
	int ch;

	while ((ch = opt_next(&tool, argc, argv)) != -1) {
		if (ch == OPT_EXIT)	/* --help, --version, or a bad option: done */
			exit(opt_status());
		switch (ch) {
		case OPT_APPLY:
			a->apply = 1;
			break;
		case 'e':
			a->o.window = opt_days(optarg);
			break;
		case 'f':
			a->force = 1;
			break;
		case 'j':
			a->json = 1;
			break;
		case OPT_KEEPIN:
			a->keepin[a->nk++] = optarg;
			break;
		case 'n':
			a->dry = 1;
			break;
		case 'q':
			a->quiet = 1;
			break;
		case 'r':
			a->backup = optarg;
			break;
		case 's':
			a->store = optarg;
			a->sflag = 1;
			break;
		case 'u':
			a->unusedby[a->nu++] = optarg;
			break;
		case 'v':
			a->verbose = 1;
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
			(void)opt_check(cucm_version(optarg, &a->version) == 0,
			    CUCM_VERSION_WHAT, optarg);
			break;
		case OPT_NOW:
			a->now = opt_time(optarg);
			break;
		case OPT_WAIT:
			a->wait = (int)opt_num(optarg, 0, LOCK_WAIT_MAX);
			break;
		default:
			exit(opt_usage());
		}
	}
}

/* Options that go together, or exclude each other; argc: the operands. */
static void
check_options(const struct prunecmd *a, int argc)
{
	if ((a->cluster != NULL && (a->sflag || a->list)) || (a->del != NULL && (a->apply ||
	    a->backup != NULL || a->list || argc || a->nu || a->o.window))) {
		warnf("%s", a->cluster != NULL && (a->sflag || a->list) ? "--cluster goes without -s "
		    "and --list-backups" : "--delete acts at once (-n shows it): no selection, "
		    "--apply or --restore");
		exit(opt_usage());
	}
	if ((a->apply && a->dry) || (a->force && a->backup == NULL && a->del == NULL) ||
	    ((a->backup != NULL || a->list) && (a->apply || a->nk || a->nu || argc ||
	    a->o.window || a->o.allow_mic_roots)) ||
	    (a->list && (a->backup != NULL || a->dry || a->force))) {
		warnf("%s", a->list ? "--list-backups goes alone (with -s, -j)" :
		    a->backup != NULL ? "--restore takes no selection options" :
		    a->force && !(a->apply && a->dry) ? "--force goes with --restore" :
		    "--apply and --dry-run exclude each other");
		exit(opt_usage());
	}
}

int
main(int argc, char *argv[])
{
	struct prunecmd a = { .store = ".", .wait = LOCK_WAIT_DEFAULT };
	int rc;

	setprogname(argv[0]);
	if ((a.keepin = calloc((size_t)argc + 1, sizeof(*a.keepin))) == NULL ||
	    (a.unusedby = calloc((size_t)argc + 1, sizeof(*a.unusedby))) == NULL) {
		warnf("out of memory");
		free(a.keepin);
		return EXIT_TROUBLE;
	}
	options(&a, argc, argv);
	argc -= optind;
	argv += optind;
	check_options(&a, argc);
	rc = prunecmd(&a, argv, stdout);
	free(a.keepin);
	free(a.unusedby);
	der_cleanup();
	if (diag_flush_stdout() != 0)
		return EXIT_TROUBLE;
	return rc;
}
