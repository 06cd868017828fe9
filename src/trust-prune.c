/* trust-prune: take expired and superseded certificates out of trust stores, safely and undoably. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/backup.h"
#include "tl/ctlset.h"
#include "x509/der.h"
#include "core/diag.h"
#include "x509/expiry.h"
#include "store/issuer.h"
#include "core/json.h"
#include "store/manifest.h"
#include "core/out.h"
#include "cucm/plan.h"
#include "prune/prune.h"
#include "prune/pruneout.h"
#include "store/trustset.h"
#include "core/when.h"

#define USAGE "usage: trust-prune [-ajnqv] [-e days] [-k file.tlv] [-s store] " \
	"[-u file.tlv] [--allow-mic-roots] [--now time] [unit-trust ...]\n" \
	"       trust-prune [-jq] -r backup"

enum { OPT_NOW = 256, OPT_MIC };

static int aflag, jflag, qflag, vflag;
static struct json js;

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
	    "  -j, --json              everything as one JSON document\n"
	    "  -k, --keep-in FILE      never select a certificate this CTL/ITL holds\n"
	    "  -n, --dry-run           say what would go, change nothing (the default)\n"
	    "  -q, --quiet             print nothing; the exit status says it all\n"
	    "  -r, --restore BACKUP    put back every file of a backup directory\n"
	    "  -s, --store DIR         the offline store (default: .)\n"
	    "  -u, --unused-by FILE    select only certificates this CTL/ITL does not hold\n"
	    "  -v, --verbose           also list what stays, and why\n"
	    "      --allow-mic-roots   let Cisco's bundled CAs go (never from CAPF-trust)\n"
	    "      --now TIME          reference time (YYYY-MM-DDTHH:MM:SSZ or @UNIX)\n"
	    "      --help, --version\n\n"
	    "Exit status: 0 nothing to prune (or done), 1 a dry run found certificates to\n"
	    "remove, 2 trouble.\n", USAGE);
	exit(EXIT_OK);
}

/* What to do after the store changed: restarts, follow-ups (plan.h), replication. */
static void
notes(const struct plan *pl, const char *backup)
{
	if (jflag)
		pruneout_notes_json(&js, pl);
	else if (!qflag)
		pruneout_notes_text(stdout, pl, backup);
}

/* The certificates (and, verbose, the other entries) of the units in scope. */
static void
report(const struct trust_set *ts, const struct issuer *is, int moved_only)
{
	static const char *const kind[] = {
		"no-certificate", "private-key", "no-certificate", "symlink", "not-a-file", "damaged"
	};
	const struct trust_file *f;
	size_t i, k;

	if (jflag) {
		json_key(&js, "certificates");
		json_arr(&js);
	}
	for (i = 0; i < ts->nfiles; i++) {
		f = &ts->files[i];
		if (!f->inscope || (moved_only && f->go != 1))
			continue;
		for (k = f->first; k < f->first + f->ncerts; k++)
			if (jflag)
				pruneout_json(&js, ts, &ts->certs[k]);
			else if (!qflag && (f->go || vflag))
				pruneout_text(stdout, ts, &ts->certs[k]);
		if (f->ncerts == 0 && vflag && !qflag && !jflag) {
			out_str(stdout, f->unit);
			putchar('\t');
			out_str(stdout, f->name);
			printf("\t-\t-\t-\tkeep:%s\n", kind[f->kind]);
		}
	}
	if (!jflag)
		return;
	json_end(&js);
	json_key(&js, "skipped");
	json_arr(&js);
	for (i = 0; i < ts->nfiles; i++) {
		f = &ts->files[i];
		if (!f->inscope || f->ncerts > 0 || f->kind == TRUST_BAD)
			continue;
		json_obj(&js);
		json_kstr(&js, "unit", f->unit);
		json_kstr(&js, "file", f->name);
		json_kstr(&js, "why", f->why);
		json_end(&js);
	}
	json_end(&js);
	json_key(&js, "errors");
	json_arr(&js);
	for (i = 0; i < ts->nfiles + is->nbad; i++) {
		if (i < ts->nfiles && (!ts->files[i].inscope || ts->files[i].kind != TRUST_BAD))
			continue;
		json_obj(&js);
		json_kstr(&js, "path", i < ts->nfiles ? ts->files[i].path :
		    is->bad[i - ts->nfiles].path);
		json_kstr(&js, "error", i < ts->nfiles ? ts->files[i].why :
		    is->bad[i - ts->nfiles].why);
		json_end(&js);
	}
	json_end(&js);
}

/* Move the selected files; 0, or -1 when one could not be moved (the others still are). */
static int
apply(struct trust_set *ts, struct plan *pl, char **bdir)
{
	struct manifest m = MANIFEST_ZERO;
	const char *env = getenv("CTK_FAIL_AFTER");
	long fail_after = env != NULL ? strtol(env, NULL, 10) : -1, moved = 0;
	size_t i, k;
	int rc = -1;

	/* The manifest is on disk before the first file moves: a kill loses nothing. */
	if (pruneout_manifest(ts, &m) != 0 ||
	    (*bdir = backup_dir(ts->store, "trust-prune", time(NULL))) == NULL ||
	    manifest_write(*bdir, &m) != 0)
		goto out;
	rc = 0;
	for (i = 0, k = 0; i < ts->nfiles; i++) {
		if (ts->files[i].go != 1)
			continue;
		if (fail_after >= 0 && moved == fail_after)
			raise(SIGKILL);	/* CTK_FAIL_AFTER: the crash tests */
		if (manifest_move(ts->store, *bdir, &m.e[k++]) != 0) {
			ts->files[i].go = 2;
			rc = -1;
			continue;
		}
		moved++;
		plan_add(pl, ts->files[i].unit, 1);
	}
out:
	manifest_free(&m);
	return rc;
}

static int
prune(const char *store, char *const *units, const struct prune_opts *o)
{
	struct trust_set ts;
	struct issuer is = ISSUER_ZERO;
	struct plan pl;
	char *bdir = NULL, t[32];
	long ngo = 0;
	size_t i;
	int trouble = 0;

	memset(&pl, 0, sizeof(pl));
	pl.mixed = 1;
	if (trustset_read(&ts, store, units, aflag ? TRUSTSET_HASH : 0) != 0) {
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
	} else if (aflag && ngo > 0 && apply(&ts, &pl, &bdir) != 0)
		trouble = 1;
	if (jflag) {
		json_obj(&js);
		json_kstr(&js, "store", store);
		json_kstr(&js, "now", when_iso(o->now, t));
		json_kstr(&js, "mode", aflag ? "apply" : "dry-run");
		json_kstr(&js, "backup", bdir);
	}
	report(&ts, &is, aflag);
	if (pl.n > 0)
		notes(&pl, bdir);
	if (jflag)
		json_end(&js);
out:
	trustset_free(&ts);
	issuer_free(&is);
	free(bdir);
	return trouble ? EXIT_TROUBLE : !aflag && ngo > 0 ? EXIT_FINDINGS : EXIT_OK;
}

static int
restore(const char *bdir)
{
	static const char *const state[] = { "restored", "in-place", "refused", "lost", "failed" };
	struct manifest m = MANIFEST_ZERO;
	struct plan pl;
	enum manifest_state st;
	const char *why;
	char *store, **units = NULL;
	size_t i;
	int rc = EXIT_OK;

	memset(&pl, 0, sizeof(pl));
	pl.mixed = 1;
	if ((store = manifest_store(bdir)) == NULL || manifest_read(bdir, &m) != 0 ||
	    (units = calloc(m.n + 1, sizeof(*units))) == NULL) {
		rc = EXIT_TROUBLE;
		goto out;
	}
	if (jflag) {
		json_obj(&js);
		json_kstr(&js, "backup", bdir);
		json_kstr(&js, "store", store);
		json_key(&js, "files");
		json_arr(&js);
	}
	for (i = 0; i < m.n; i++) {
		if ((st = manifest_restore(store, bdir, &m.e[i], &why)) >= MANIFEST_REFUSED) {
			warnf("%s/%s: %s", store, m.e[i].path, why);
			rc = EXIT_TROUBLE;
		}
		if (st == MANIFEST_RESTORED && (units[i] = strdup(m.e[i].path)) != NULL) {
			units[i][strcspn(units[i], "/")] = '\0';
			plan_add(&pl, units[i], 0);
		}
		if (jflag) {
			json_obj(&js);
			json_kstr(&js, "path", m.e[i].path);
			json_kstr(&js, "state", state[st]);
			if (st >= MANIFEST_REFUSED)
				json_kstr(&js, "error", why);
			json_end(&js);
		} else if (!qflag && st < MANIFEST_REFUSED) {
			printf("%s\t", state[st]);
			out_str(stdout, m.e[i].path);
			putchar('\n');
		}
	}
	if (jflag)
		json_end(&js);
	if (pl.n > 0)
		notes(&pl, NULL);
	if (jflag)
		json_end(&js);
out:
	for (i = 0; units != NULL && i < m.n; i++)
		free(units[i]);
	free(units);
	manifest_free(&m);
	free(store);
	return rc;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "apply", no_argument, NULL, 'a' },
		{ "expiring", required_argument, NULL, 'e' },
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
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct ctlset keepin = CTLSET_ZERO, unusedby = CTLSET_ZERO;
	struct prune_opts o;
	const char *store = ".", *backup = NULL, *now = NULL;
	char **kpaths, **upaths;
	int ch, nk = 0, nu = 0, nflag = 0, sflag = 0, i, rc = EXIT_TROUBLE;

	setprogname(argv[0]);
	memset(&o, 0, sizeof(o));
	if ((kpaths = calloc((size_t)argc + 1, sizeof(*kpaths))) == NULL ||
	    (upaths = calloc((size_t)argc + 1, sizeof(*upaths))) == NULL)
		dief(EXIT_TROUBLE, "out of memory");
	while ((ch = getopt_long(argc, argv, "ae:hjk:nqr:s:u:vV", longopts, NULL)) != -1) {
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
	if ((aflag && nflag) || (backup != NULL && (aflag || nflag || sflag || nk || nu ||
	    argc || o.window || o.allow_mic_roots))) {
		warnf("%s", backup != NULL ? "--restore takes no selection options" :
		    "--apply and --dry-run exclude each other");
		usage();
	}
	json_init(&js, stdout);
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
	rc = backup != NULL ? restore(backup) : prune(store, argv, &o);
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
