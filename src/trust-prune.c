/* trust-prune: take expired and superseded certificates out of trust stores, safely and undoably. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tl/ctlset.h"
#include "x509/der.h"
#include "core/diag.h"
#include "x509/expiry.h"
#include "store/issuer.h"
#include "core/json.h"
#include "store/lock.h"
#include "store/restore.h"
#include "store/txn.h"
#include "core/out.h"
#include "cucm/plan.h"
#include "prune/prune.h"
#include "prune/pruneout.h"
#include "store/trustset.h"
#include "core/when.h"

#define USAGE "usage: trust-prune [-ajnqv] [-e days] [-k file.tlv] [-s store] " \
	"[-u file.tlv] [--allow-mic-roots] [--now time] [--wait seconds]\n" \
	"                   [unit-trust ...]\n" \
	"       trust-prune [-fjnq] [-s store] [--now time] [--wait seconds] -r backup"

enum { OPT_NOW = 256, OPT_MIC, OPT_WAIT };

static int aflag, jflag, qflag, vflag, waitsec = LOCK_WAIT_DEFAULT;
static struct json js;
static struct pruneout po;

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
	    "  -a, --apply             move the selected files into STORE/.backup/ (default: dry run)\n"
	    "  -e, --expiring DAYS     select certificates expiring within DAYS days too\n"
	    "  -f, --force             --restore: put files back over ones changed since\n"
	    "  -j, --json              everything as one JSON document\n"
	    "  -k, --keep-in FILE      never select a certificate this CTL/ITL holds\n"
	    "  -n, --dry-run           say what would go, change nothing (the default)\n"
	    "  -q, --quiet             print nothing; the exit status says it all\n"
	    "  -r, --restore BACKUP    put back every file of a backup (either tool's)\n"
	    "  -s, --store DIR         the offline store (default: .)\n"
	    "  -u, --unused-by FILE    select only certificates this CTL/ITL does not hold\n"
	    "  -v, --verbose           also list what stays, and why\n"
	    "      --allow-mic-roots   let Cisco's bundled CAs go (never from CAPF-trust)\n"
	    "      --now TIME          reference time (YYYY-MM-DDTHH:MM:SSZ or @UNIX)\n"
	    "      --wait SECONDS      wait that long for a store another tool holds (10)\n"
	    "      --help, --version\n\n"
	    "Exit status: 0 nothing to prune (or done), 1 a dry run found certificates to\n"
	    "remove, 2 trouble.\n", USAGE);
	exit(EXIT_OK);
}

/* Select, and with --apply remove the selected files in one transaction. */
static int
prune(const char *store, char *const *units, const struct prune_opts *o)
{
	struct trust_set ts;
	struct issuer is = ISSUER_ZERO;
	struct lock lk = LOCK_ZERO;
	struct plan pl;
	struct txn t;
	long ngo = 0;
	size_t i;
	int trouble = 0;

	memset(&pl, 0, sizeof(pl));
	memset(&ts, 0, sizeof(ts));
	pl.mixed = 1;
	txn_init(&t, store, "trust-prune");
	/* a dry run reads under a shared lock: never a half-done change of another tool */
	if (lock_take(&lk, store, aflag, waitsec, "trust-prune") != 0 ||
	    trustset_read(&ts, store, units, aflag ? TRUSTSET_HASH : 0) != 0) {
		trouble = 1;
		goto out;
	}
	for (i = 0; i < ts.nfiles; i++) {
		trouble |= ts.files[i].inscope && ts.files[i].kind == TRUST_BAD;
		if (ts.files[i].inscope && ts.files[i].kind == TRUST_LINK && !qflag)
			warnf("%s: symbolic link: not followed, left in place", ts.files[i].path);
	}
	if ((ngo = prune_select(&ts, o, &is)) < 0) {
		trouble = 1;
		if (aflag)
			warnf("%s: nothing moved: the issuers of the own certificates are unknown",
			    store);
	} else if (aflag && ngo > 0) {
		if (pruneout_changes(&ts, &t) != 0 || txn_commit(&t, o->now) != 0) {
			trouble = 1;
			for (i = 0; i < ts.nfiles; i++)	/* nothing went: report nothing as gone */
				ts.files[i].go = ts.files[i].go == 1 ? 2 : ts.files[i].go;
		} else
			for (i = 0; i < t.n; i++)
				plan_add_path(&pl, t.ops[i].rel, 1);
	}
	lock_release(&lk);
	po.now = o->now;
	pruneout_report(&po, &ts, &is, &pl, t.backup);
out:
	lock_release(&lk);
	trustset_free(&ts);
	issuer_free(&is);
	txn_free(&t);
	return trouble ? EXIT_TROUBLE : !aflag && ngo > 0 ? EXIT_FINDINGS : EXIT_OK;
}

/* Put back what a backup of either tool recorded (-n: say what would be). */
static int
restore(const char *bdir, const char *store, int dry, int force, int64_t now)
{
	struct restore r;
	struct lock lk = LOCK_ZERO;
	struct plan pl;
	struct txn t;
	size_t i;
	int rc = EXIT_TROUBLE;

	memset(&pl, 0, sizeof(pl));
	pl.mixed = 1;
	txn_init(&t, ".", "trust-prune");
	if (restore_open(&r, bdir, store) != 0 ||
	    lock_take(&lk, r.store, !dry, waitsec, "trust-prune") != 0)
		goto out;
	txn_free(&t);
	txn_init(&t, r.store, "trust-prune");
	if (restore_plan(&r, &t, force) != 0 || (!dry && txn_commit(&t, now) != 0))
		goto out;
	lock_release(&lk);
	for (i = 0; i < t.n; i++)
		plan_add_path(&pl, t.ops[i].rel, t.ops[i].kind == TXN_REMOVE);
	po.apply = !dry;
	pruneout_restore(&po, &r, &t, &pl);
	rc = EXIT_OK;
out:
	lock_release(&lk);
	restore_free(&r);
	txn_free(&t);
	return rc;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "apply", no_argument, NULL, 'a' },
		{ "expiring", required_argument, NULL, 'e' },
		{ "force", no_argument, NULL, 'f' },
		{ "json", no_argument, NULL, 'j' },
		{ "keep-in", required_argument, NULL, 'k' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "restore", required_argument, NULL, 'r' },
		{ "store", required_argument, NULL, 's' },
		{ "unused-by", required_argument, NULL, 'u' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "allow-mic-roots", no_argument, NULL, OPT_MIC },
		{ "now", required_argument, NULL, OPT_NOW },
		{ "wait", required_argument, NULL, OPT_WAIT },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct ctlset keepin = CTLSET_ZERO, unusedby = CTLSET_ZERO;
	struct prune_opts o;
	const char *store = ".", *backup = NULL, *now = NULL;
	char **kpaths, **upaths;
	int ch, nk = 0, nu = 0, nflag = 0, sflag = 0, fflag = 0, i, rc = EXIT_TROUBLE;

	setprogname(argv[0]);
	memset(&o, 0, sizeof(o));
	if ((kpaths = calloc((size_t)argc + 1, sizeof(*kpaths))) == NULL ||
	    (upaths = calloc((size_t)argc + 1, sizeof(*upaths))) == NULL)
		dief(EXIT_TROUBLE, "out of memory");
	while ((ch = getopt_long(argc, argv, "ae:fhjk:nqr:s:u:vV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'a':
			aflag = 1;
			break;
		case 'e':
			if (expiry_days(optarg, &o.window) != 0) {
				warnf("%s: not a number of days", optarg);
				usage();
			}
			break;
		case 'f':
			fflag = 1;
			break;
		case 'j':
			jflag = 1;
			break;
		case 'k':
			kpaths[nk++] = optarg;
			break;
		case 'n':
			nflag = 1;
			break;
		case 'q':
			qflag = 1;
			break;
		case 'r':
			backup = optarg;
			break;
		case 's':
			store = optarg;
			sflag = 1;
			break;
		case 'u':
			upaths[nu++] = optarg;
			break;
		case 'v':
			vflag = 1;
			break;
		case OPT_MIC:
			o.allow_mic_roots = 1;
			break;
		case OPT_NOW:
			now = optarg;
			break;
		case OPT_WAIT:
			if (lock_wait_arg(optarg, &waitsec) != 0) {
				warnf("%s: --wait takes seconds (0 to 86400)", optarg);
				usage();
			}
			break;
		case 'h':
			help();
		case 'V':
			printf("trust-prune ctlkit %s\n", CTK_VERSION);
			rc = EXIT_OK;
			goto out;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if ((aflag && nflag) || (fflag && backup == NULL) || (backup != NULL && (aflag ||
	    nk || nu || argc || o.window || o.allow_mic_roots))) {
		warnf("%s", backup != NULL ? "--restore takes no selection options" :
		    "--apply and --dry-run exclude each other");
		usage();
	}
	json_init(&js, stdout);
	po.j = &js, po.json = jflag, po.quiet = qflag, po.verbose = vflag, po.apply = aflag;
	o.all = vflag || jflag;
	if (when_now(now, &o.now) != 0)
		goto out;
	for (i = 0; i < nk; i++)
		if (ctlset_add(&keepin, kpaths[i]) != 0)
			goto out;
	for (i = 0; i < nu; i++)
		if (ctlset_add(&unusedby, upaths[i]) != 0)
			goto out;
	o.keepin = nk > 0 ? &keepin : NULL;
	o.unusedby = nu > 0 ? &unusedby : NULL;
	rc = backup != NULL ? restore(backup, sflag ? store : NULL, nflag, fflag, o.now) :
	    prune(store, argv, &o);
out:
	ctlset_free(&keepin);
	ctlset_free(&unusedby);
	free(kpaths);
	free(upaths);
	der_cleanup();
	if (diag_flush_stdout() != 0)
		return EXIT_TROUBLE;
	return rc;
}
