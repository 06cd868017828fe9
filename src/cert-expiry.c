/* cert-expiry: every certificate of files, directories, stores and trust lists, by days left. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/crypto.h>

#include "tl/ctl.h"
#include "x509/der.h"
#include "core/diag.h"
#include "x509/expiry.h"
#include "core/io.h"
#include "report/report.h"
#include "load/scan.h"
#include "store/lock.h"
#include "store/store.h"
#include "core/when.h"

#define USAGE "usage: cert-expiry [-ajq]\n" \
    "           [--json-lines | --nagios | --prometheus | --alarm | --syslog]\n" \
    "           [-w days] [-c days] [-t unit=warn:crit] [-s store]\n" \
    "           [--max-depth n] [--password pass | --password-file file]\n" \
    "           [--node name] [--cluster name] [--now time] [file ...]"

enum {
	OPT_JSONL = 256, OPT_NAGIOS, OPT_PROM, OPT_ALARM, OPT_SYSLOG, OPT_NODE, OPT_CLUSTER,
	OPT_DEPTH, OPT_PASS, OPT_PASSFILE, OPT_NOW, OPT_VERSION
};

static struct expiry ex;
static struct report rep;

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
	    "  -a, --all              table: list certificates outside the window too\n"
	    "  -c, --critical DAYS    critical at DAYS or fewer days left (default 7)\n"
	    "  -w, --warning DAYS     warning at DAYS or fewer days left (default 30)\n"
	    "  -t, --threshold U=W:C  warning and critical days for store unit U\n"
	    "  -j, --json             one JSON document: every certificate, and errors\n"
	    "      --json-lines       one JSON object per certificate or error\n"
	    "      --nagios           Nagios plugin line; exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN\n"
	    "      --prometheus       node_exporter textfile-collector gauges\n"
	    "      --alarm            CUCM Certificate Monitor alarm lines\n"
	    "      --syslog           the alarm lines to syslog(3), facility local7\n"
	    "      --node NAME        NodeID of the alarms\n"
	    "      --cluster NAME     ClusterID of the alarms\n"
	    "  -s, --store DIR        the offline store: DIR/UNIT/FILE\n"
	    "      --max-depth N      descend at most N directory levels\n"
	    "      --password PASS    PKCS#12 password (also CERT_EXPIRY_PASSWORD)\n"
	    "      --password-file F  PKCS#12 password: the first line of F\n"
	    "      --now TIME         reference time (YYYY-MM-DDTHH:MM:SSZ or @SECONDS)\n"
	    "  -q, --quiet            print nothing; the exit status says it all\n"
	    "      --help, --version\n\n"
	    "Exit status: 0 nothing within the warning window, 1 a certificate in it, expired\n"
	    "or not yet valid, 2 trouble (a file could not be read; the rest is still checked).\n",
	    USAGE);
	exit(EXIT_OK);
}

static void
setfmt(enum report_fmt *fmt, enum report_fmt f)
{
	if (*fmt != REPORT_TABLE && *fmt != f &&
	    !(f == REPORT_SYSLOG && *fmt == REPORT_ALARM) &&
	    !(f == REPORT_ALARM && *fmt == REPORT_SYSLOG)) {
		warnf("-j, -q, --json-lines, --nagios, --prometheus and --alarm exclude each other");
		usage();
	}
	if (*fmt != REPORT_SYSLOG)
		*fmt = f;
}

static const char *
role(int function, char *buf, size_t n)
{
	const char *s = ctl_role_name(function);

	if (s != NULL)
		return s;
	snprintf(buf, n, "UNKNOWN-%d", function);
	return buf;
}

/* The scanner's callback: one file's certificates, or its error. */
static void
onfile(void *arg, const struct scan_file *f)
{
	struct report_cert rc;
	const struct certfile_cert *sc;
	char rb[32];
	size_t i;

	(void)arg;
	if (f->error != NULL) {
		warnf("%s: %s", f->path, f->error);
		report_error(&rep, f->path, f->error);
	}
	for (i = 0; i < f->ncerts; i++) {
		sc = &f->certs[i];
		memset(&rc, 0, sizeof(rc));
		rc.file = f->path;
		rc.base = f->base;
		rc.index = sc->index;
		rc.count = f->ncerts;
		rc.record = sc->record;
		rc.role = sc->record > 0 ? role(sc->function, rb, sizeof(rb)) : NULL;
		rc.unit = f->unit;
		if (f->unit != NULL && store_is_own(f->unit, f->base))
			rc.type = "own-cert";
		else if (f->unit != NULL && store_is_trust(f->unit))
			rc.type = "trust-cert";
		rc.der = sc->der;
		rc.len = sc->len;
		rc.c = &sc->c;
		rc.st = expiry_state(&ex, f->unit, sc->c.not_before, sc->c.not_after);
		rc.days = expiry_days_left(&ex, sc->c.not_after);
		expiry_limits(&ex, f->unit, &rc.warn, &rc.crit);
		report_cert(&rep, &rc);
	}
}

/* The PKCS#12 password: --password, else the first line of --password-file, else the env. */
static char *
password(const char *opt, const char *file)
{
	uint8_t *buf;
	size_t len, k;

	if (opt != NULL)
		return strdup(opt);
	if (file == NULL)
		return (opt = getenv("CERT_EXPIRY_PASSWORD")) != NULL ? strdup(opt) : NULL;
	if ((buf = io_slurp(file, 4096, &len)) == NULL)
		return NULL;
	k = strcspn((char *)buf, "\r\n");
	OPENSSL_cleanse(buf + k, len - k);
	return (char *)buf;
}

static void
days_opt(const char *s, int64_t *secs)
{
	if (expiry_days(s, secs) != 0) {
		warnf("%s: not a number of days", s);
		usage();
	}
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "critical", required_argument, NULL, 'c' },
		{ "warning", required_argument, NULL, 'w' },
		{ "threshold", required_argument, NULL, 't' },
		{ "json", no_argument, NULL, 'j' },
		{ "json-lines", no_argument, NULL, OPT_JSONL },
		{ "nagios", no_argument, NULL, OPT_NAGIOS },
		{ "prometheus", no_argument, NULL, OPT_PROM },
		{ "alarm", no_argument, NULL, OPT_ALARM },
		{ "syslog", no_argument, NULL, OPT_SYSLOG },
		{ "node", required_argument, NULL, OPT_NODE },
		{ "cluster", required_argument, NULL, OPT_CLUSTER },
		{ "store", required_argument, NULL, 's' },
		{ "max-depth", required_argument, NULL, OPT_DEPTH },
		{ "password", required_argument, NULL, OPT_PASS },
		{ "password-file", required_argument, NULL, OPT_PASSFILE },
		{ "now", required_argument, NULL, OPT_NOW },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 }
	};
	enum report_fmt fmt = REPORT_TABLE;
	const char *nowopt = NULL, *passopt = NULL, *passfile = NULL, *store = NULL;
	const char *node = NULL, *cluster = NULL;
	struct scan sc;
	struct stat st;
	int64_t now, warn = -1, crit = -1;
	struct lock lk = LOCK_ZERO;
	char *pass = NULL, *end;
	long depth = -1;
	int ch, aflag = 0, rc, trouble;

	setprogname(argv[0]);
	expiry_init(&ex, 0);
	while ((ch = getopt_long(argc, argv, "ac:hjqs:t:w:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'a':
			aflag = 1;
			break;
		case 'c':
			days_opt(optarg, &crit);
			break;
		case 'w':
			days_opt(optarg, &warn);
			break;
		case 't':
			if (expiry_rule_add(&ex, optarg) != 0) {
				warnf("%s: not UNIT=WARN:CRIT", optarg);
				usage();
			}
			break;
		case 'j':
			setfmt(&fmt, REPORT_JSON);
			break;
		case 'q':
			setfmt(&fmt, REPORT_QUIET);
			break;
		case 's':
			store = optarg;
			break;
		case OPT_JSONL:
			setfmt(&fmt, REPORT_JSONL);
			break;
		case OPT_NAGIOS:
			setfmt(&fmt, REPORT_NAGIOS);
			break;
		case OPT_PROM:
			setfmt(&fmt, REPORT_PROM);
			break;
		case OPT_ALARM:
			setfmt(&fmt, REPORT_ALARM);
			break;
		case OPT_SYSLOG:
			setfmt(&fmt, REPORT_SYSLOG);
			break;
		case OPT_NODE:
			node = optarg;
			break;
		case OPT_CLUSTER:
			cluster = optarg;
			break;
		case OPT_DEPTH:
			depth = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || depth < 0 || depth > 4096) {
				warnf("%s: not a directory depth", optarg);
				usage();
			}
			break;
		case OPT_PASS:
			passopt = optarg;
			break;
		case OPT_PASSFILE:
			passfile = optarg;
			break;
		case OPT_NOW:
			nowopt = optarg;
			break;
		case OPT_VERSION:
			printf("cert-expiry ctlkit %s\n", CTK_VERSION);
			return diag_flush_stdout() == 0 ? EXIT_OK : EXIT_TROUBLE;
		case 'h':
			help();
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (passopt != NULL && passfile != NULL) {
		warnf("--password and --password-file exclude each other");
		usage();
	}
	if (when_now(nowopt, &now) != 0)
		return EXIT_TROUBLE;
	ex.now = now;
	if (warn >= 0)
		ex.warn = warn;
	if (crit >= 0)
		ex.crit = crit;
	if ((pass = password(passopt, passfile)) == NULL && passfile != NULL)
		return fmt == REPORT_NAGIOS ? 3 : EXIT_TROUBLE;

	report_init(&rep, fmt, stdout, &ex);
	rep.all = aflag;
	rep.node = node;
	rep.cluster = cluster;
	scan_init(&sc, onfile, NULL);
	sc.cf.pass = pass;
	sc.max_depth = (int)depth;
	if (store != NULL) {
		if (stat(store, &st) != 0 || !S_ISDIR(st.st_mode)) {	/* a symlink is fine */
			warnf("%s: not a store directory", store);
			report_error(&rep, store, "not a store directory");
		} else if (lock_take(&lk, store, 0, LOCK_WAIT_DEFAULT, "cert-expiry") != 0) {
			report_error(&rep, store, "store busy");
		} else {	/* shared: never a change another tool has half done */
			sc.max_depth = depth >= 0 && depth < 2 ? (int)depth : 2;
			scan_path(&sc, store);	/* STORE/UNIT/FILE */
			sc.max_depth = (int)depth;
			lock_release(&lk);
		}
	} else if (argc == 0)
		scan_path(&sc, "-");
	for (; *argv != NULL; argv++)
		scan_path(&sc, *argv);
	trouble = report_end(&rep) != 0;
	if (trouble)
		warnf("out of memory");
	if (diag_flush_stdout() != 0)
		trouble = 1;
	if (fmt == REPORT_NAGIOS)
		rc = trouble ? 3 : report_nagios_status(&rep);
	else if (trouble || rep.nerrors > 0)
		rc = EXIT_TROUBLE;
	else
		rc = rep.n[EXPIRY_WARNING] + rep.n[EXPIRY_CRITICAL] + rep.n[EXPIRY_EXPIRED] +
		    rep.n[EXPIRY_NOTYET] > 0 ? EXIT_FINDINGS : EXIT_OK;
	report_free(&rep);
	scan_free(&sc);
	expiry_free(&ex);
	der_cleanup();
	if (pass != NULL) {
		OPENSSL_cleanse(pass, strlen(pass));
		free(pass);
	}
	return rc;
}
