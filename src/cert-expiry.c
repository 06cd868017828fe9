/* cert-expiry: every certificate of files, directories, stores and trust lists, by days left. */
#include <ctype.h>
#include <fnmatch.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "core/afile.h"
#include "cucm/cucm.h"
#include "cucm/impact.h"
#include "tl/ctl.h"
#include "x509/cert.h"
#include "x509/der.h"
#include "core/diag.h"
#include "x509/expiry.h"
#include "core/io.h"
#include "report/report.h"
#include "load/scan.h"
#include "store/lock.h"
#include "store/store.h"
#include "core/when.h"

#define USAGE "usage: cert-expiry [-ajqv]\n" \
    "           [--json-lines | --nagios | --prometheus | --alarm | --syslog]\n" \
    "           [-w days] [-c days] [-t unit=warn:crit] [-s store] [-o file]\n" \
    "           [--check-bundled] [--exclude glob] [--exclude-serial hex]\n" \
    "           [--max-depth n] [--password pass | --password-file file]\n" \
    "           [--node name] [--cluster name] [--now time] [file ...]"

enum {
	OPT_JSONL = 256, OPT_NAGIOS, OPT_PROM, OPT_ALARM, OPT_SYSLOG, OPT_NODE, OPT_CLUSTER,
	OPT_DEPTH, OPT_PASS, OPT_PASSFILE, OPT_NOW, OPT_VERSION, OPT_BUNDLED, OPT_EXCLUDE,
	OPT_EXSERIAL
};

/* What the scanner's callback needs besides the certificates. */
struct ctx {
	const char	*operand;	/* the operand being walked */
	int		 in_store;	/* walking -s STORE: the directory names are units */
	int		 check_bundled;
	char		**globs, **serials;	/* --exclude, --exclude-serial (upper case) */
	size_t		 nglobs, nserials;
	struct buf	 src;		/* a "Source:" line, parsed */
};

static struct expiry ex;
static struct report rep;
static struct ctx ctx;

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
	    "  -a, --all              table: list certificates outside the window, and kept ones\n"
	    "  -v, --verbose          table: add what breaks when it expires (always on a terminal)\n"
	    "      --check-bundled    alert on Cisco's bundled CAs too (else reported as kept)\n"
	    "      --exclude GLOB     leave out the files whose path matches GLOB (repeatable)\n"
	    "      --exclude-serial HEX  leave out the certificate with this serial (repeatable)\n"
	    "  -o, --output FILE      write to FILE atomically (temp file, then rename)\n"
	    "  -c, --critical DAYS    critical at DAYS or fewer days left (default 7)\n"
	    "  -w, --warning DAYS     warning at DAYS or fewer days left (default 30)\n"
	    "  -t, --threshold U=W:C  warning and critical days for store unit U\n"
	    "  -j, --json             one JSON document: every certificate, and errors\n"
	    "      --json-lines       one JSON object per certificate or error\n"
	    "      --nagios           Nagios plugin line; exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN\n"
	    "      --prometheus       node_exporter textfile-collector gauges\n"
	    "      --alarm            CUCM Certificate Monitor alarm lines\n"
	    "      --syslog           the alarm lines to syslog(3), facility local7\n"
	    "      --node NAME        NodeID of the alarms; node label of the gauges\n"
	    "      --cluster NAME     ClusterID of the alarms; cluster label of the gauges\n"
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

/* Its "Source:" line names the certificate as reading the file itself would have. */
static void
sourced(struct report_cert *rc, const struct certfile_cert *sc)
{
	const char *slash;

	if (reportbase_parse_label(sc->source, sc->sourcelen, &ctx.src, &rc->record,
	    &rc->role) != 0) {
		ctx.src.len = 0;
		ctx.src.err = 0;
		buf_add(&ctx.src, sc->source, sc->sourcelen);
		buf_addc(&ctx.src, '\0');
		if (ctx.src.err)
			return;
	}
	rc->file = (const char *)ctx.src.p;
	rc->base = (slash = strrchr(rc->file, '/')) != NULL ? slash + 1 : rc->file;
	rc->count = 1;		/* the line names this one certificate */
}

/* --exclude and --exclude-serial: the reason it is left out, or NULL. */
static const char *
excluded(const struct report_cert *rc, const char *path, const char **match)
{
	const char *s, *why = NULL;
	char *serial;
	size_t i;

	for (i = 0; i < ctx.nglobs; i++)
		if (fnmatch(ctx.globs[i], path, 0) == 0 || fnmatch(ctx.globs[i], rc->file, 0) == 0) {
			*match = ctx.globs[i];
			return "exclude";
		}
	if (ctx.nserials == 0 || (serial = reportbase_serial(rc)) == NULL)
		return NULL;
	for (s = serial; s[0] == '0' && s[1] != '\0'; s++)
		;
	for (i = 0; i < ctx.nserials && why == NULL; i++)
		if (strcmp(ctx.serials[i], s) == 0) {
			*match = ctx.serials[i];
			why = "exclude-serial";
		}
	free(serial);
	return why;
}

/* A Cisco bundled CA past its warning date is kept, as trust-prune keeps it (CUCM.md). */
static void
judge(struct report_cert *rc)
{
	char cn[256] = "";

	if (rc->role != NULL && strcmp(rc->role, "SAST") == 0)
		cert_cn_der(rc->c->subject.p, rc->c->subject.len, cn, sizeof(cn));
	rc->impact = rc->role != NULL ? impact_of_role(rc->role, cn) : impact_of_unit(rc->unit);
	if (ctx.check_bundled || rc->st == EXPIRY_OK || rc->st == EXPIRY_NOTYET ||
	    (rc->type != NULL && strcmp(rc->type, "own-cert") == 0))
		return;
	if (cucm_is_bundled_ca(cert_cn_der(rc->c->subject.p, rc->c->subject.len, cn,
	    sizeof(cn))))
		rc->st = EXPIRY_KEPT;
}

/* The scanner's callback: one file's certificates, or its error. */
static void
onfile(void *arg, const struct scan_file *f)
{
	struct report_cert rc;
	const struct certfile_cert *sc;
	const char *why, *match, *unit;
	char rb[32];
	size_t i;

	(void)arg;
	if (f->skipped != NULL) {
		/* not trouble, but never silent: a link may stand for a certificate to watch */
		warnf("%s: %s, skipped", f->path, f->skipped);
		report_skip_file(&rep, f->path, f->skipped);
		return;
	}
	if (f->error != NULL) {
		warnf("%s: %s", f->path, f->error);
		report_error(&rep, f->path, f->error);
	}
	/* the store's units; a walked directory's names (an export); never a lone file's */
	unit = ctx.in_store || strcmp(f->path, ctx.operand) != 0 ? f->unit : NULL;
	for (i = 0; i < f->ncerts; i++) {
		sc = &f->certs[i];
		memset(&rc, 0, sizeof(rc));
		rc.file = f->path;
		rc.base = f->base;
		rc.index = sc->index;
		rc.count = f->count;
		rc.record = sc->record;
		rc.role = sc->record > 0 ? ctl_role_text(sc->function, rb, sizeof(rb)) : NULL;
		if (sc->source != NULL)
			sourced(&rc, sc);
		rc.unit = unit;
		if (unit != NULL && store_is_own(unit, f->base))
			rc.type = "own-cert";
		else if (unit != NULL && store_is_trust(unit))
			rc.type = "trust-cert";
		rc.der = sc->der;
		rc.len = sc->len;
		rc.c = &sc->c;
		if ((why = excluded(&rc, f->path, &match)) != NULL) {
			report_skip(&rep, &rc, why, match);
			continue;
		}
		rc.st = expiry_state(&ex, unit, sc->c.not_before, sc->c.not_after);
		rc.days = expiry_days_left(&ex, sc->c.not_after);
		expiry_limits(&ex, unit, &rc.warn, &rc.crit);
		judge(&rc);
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
	if ((buf = io_slurp_flags(file, 4096, &len, IO_STREAM)) == NULL)
		return NULL;
	k = strcspn((char *)buf, "\r\n");
	OPENSSL_cleanse(buf + k, len - k);
	return (char *)buf;
}

/* Append s (copied) to a list an option repeats; out of memory ends the run. */
static void
addopt(char ***v, size_t *n, const char *s)
{
	char **nv;

	if ((nv = realloc(*v, (*n + 1) * sizeof(**v))) == NULL || (nv[*n] = strdup(s)) == NULL) {
		if (nv != NULL)
			*v = nv;
		warnf("out of memory");
		exit(EXIT_TROUBLE);
	}
	*v = nv;
	(*n)++;
}

static void
freeopts(char **v, size_t n)
{
	while (n-- > 0)
		free(v[n]);
	free(v);
}

/* --exclude-serial: hex digits (":" between bytes allowed), as upper case without leading 0s. */
static const char *
serial_opt(const char *s)
{
	static char buf[2 * 64 + 1];
	const char *arg = s;
	size_t n = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	for (; *s != '\0'; s++) {
		if (*s == ':')
			continue;
		if (!isxdigit((unsigned char)*s) || n + 1 >= sizeof(buf))
			break;
		if (n == 0 && *s == '0')
			continue;
		buf[n++] = (char)toupper((unsigned char)*s);
	}
	if (*s != '\0') {
		warnf("%s: not a serial number in hex", arg);
		usage();
	}
	if (n == 0)
		buf[n++] = '0';
	buf[n] = '\0';
	return buf;
}

/* One operand: a file or a directory; what a lone file's parent is called is no unit. */
static void
operand(struct scan *sc, const char *path)
{
	ctx.operand = path;
	scan_path(sc, path);
}

/* -s STORE (two levels: STORE/UNIT/FILE), then the operands; stdin when there is neither. */
static void
walk(struct scan *sc, const char *store, long depth, int argc, char **argv)
{
	struct lock lk = LOCK_ZERO;
	struct stat st;

	if (store != NULL) {
		if (stat(store, &st) != 0 || !S_ISDIR(st.st_mode)) {	/* a symlink is fine */
			warnf("%s: not a store directory", store);
			report_error(&rep, store, "not a store directory");
		} else if (lock_take(&lk, store, 0, LOCK_WAIT_DEFAULT, "cert-expiry") != 0) {
			report_error(&rep, store, "store busy");
		} else {	/* shared: never a change another tool has half done */
			sc->max_depth = depth >= 0 && depth < 2 ? (int)depth : 2;
			ctx.operand = store;
			ctx.in_store = 1;
			scan_path(sc, store);
			ctx.in_store = 0;
			sc->max_depth = (int)depth;
			lock_release(&lk);
		}
	} else if (argc == 0)
		operand(sc, "-");
	for (; *argv != NULL; argv++)
		operand(sc, *argv);
}

/* The exit status: Nagios' codes with --nagios; kept and left-out certificates never count. */
static int
status(enum report_fmt fmt, int trouble)
{
	if (fmt == REPORT_NAGIOS)
		return trouble ? NAGIOS_UNKNOWN : (int)report_nagios_status(&rep);
	if (trouble || rep.nerrors > 0)
		return EXIT_TROUBLE;
	return rep.n[EXPIRY_WARNING] + rep.n[EXPIRY_CRITICAL] + rep.n[EXPIRY_EXPIRED] +
	    rep.n[EXPIRY_NOTYET] > 0 ? EXIT_FINDINGS : EXIT_OK;
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
		{ "verbose", no_argument, NULL, 'v' },
		{ "output", required_argument, NULL, 'o' },
		{ "check-bundled", no_argument, NULL, OPT_BUNDLED },
		{ "exclude", required_argument, NULL, OPT_EXCLUDE },
		{ "exclude-serial", required_argument, NULL, OPT_EXSERIAL },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 }
	};
	enum report_fmt fmt = REPORT_TABLE;
	const char *nowopt = NULL, *passopt = NULL, *passfile = NULL, *store = NULL;
	const char *node = NULL, *cluster = NULL, *output = NULL;
	struct afile af;
	struct scan sc;
	int64_t now, warn = -1, crit = -1;
	char *pass = NULL, *end;
	long depth = -1;
	int ch, aflag = 0, vflag = 0, rc, trouble, nosyslog = 0;

	setprogname(argv[0]);
	expiry_init(&ex, 0);
	while ((ch = getopt_long(argc, argv, "ac:hjo:qs:t:vw:", longopts, NULL)) != -1) {
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
				warnf("%s: not UNIT=WARN:CRIT with WARN >= CRIT", optarg);
				usage();
			}
			break;
		case 'j':
			setfmt(&fmt, REPORT_JSON);
			break;
		case 'q':
			setfmt(&fmt, REPORT_QUIET);
			break;
		case 'v':
			vflag = 1;
			break;
		case 'o':
			output = optarg;
			break;
		case OPT_BUNDLED:
			ctx.check_bundled = 1;
			break;
		case OPT_EXCLUDE:
			addopt(&ctx.globs, &ctx.nglobs, optarg);
			break;
		case OPT_EXSERIAL:
			addopt(&ctx.serials, &ctx.nserials, serial_opt(optarg));
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
	if (ex.warn < ex.crit) {
		warnf("warning (%g days) must be at least critical (%g days)",
		    (double)ex.warn / 86400, (double)ex.crit / 86400);
		usage();
	}
	if ((pass = password(passopt, passfile)) == NULL && passfile != NULL)
		return fmt == REPORT_NAGIOS ? NAGIOS_UNKNOWN : EXIT_TROUBLE;

	if (output != NULL && afile_open(&af, output, AFILE_MODE_DEFAULT) != 0)
		return fmt == REPORT_NAGIOS ? NAGIOS_UNKNOWN : EXIT_TROUBLE;
	if (report_init(&rep, fmt, output != NULL ? af.fp : stdout, &ex) != 0) {
		/* no syslog: say so, and print the table of what would have gone */
		nosyslog = 1;
		report_free(&rep);
		report_init(&rep, fmt = REPORT_TABLE, output != NULL ? af.fp : stdout, &ex);
	}
	rep.all = aflag;
	rep.verbose = vflag || (output == NULL && isatty(STDOUT_FILENO));
	rep.node = node;
	rep.cluster = cluster;
	scan_init(&sc, onfile, NULL);
	sc.cf.pass = pass;
	sc.max_depth = (int)depth;
	walk(&sc, store, depth, argc, argv);
	trouble = report_end(&rep) != 0;
	if (trouble)
		warnf("out of memory");
	if (output != NULL && (trouble ? (afile_abort(&af), -1) : afile_commit(&af, 1)) != 0)
		trouble = 1;
	if (diag_flush_stdout() != 0 || rep.syslog_failed || nosyslog)
		trouble = 1;
	rc = status(fmt, trouble);
	report_free(&rep);
	scan_free(&sc);
	expiry_free(&ex);
	freeopts(ctx.globs, ctx.nglobs);
	freeopts(ctx.serials, ctx.nserials);
	buf_free(&ctx.src);
	der_cleanup();
	if (pass != NULL) {
		OPENSSL_cleanse(pass, strlen(pass));
		free(pass);
	}
	return rc;
}
