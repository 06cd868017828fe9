/* cert-expiry: every certificate of files, directories, stores and trust lists, by days left. */
#include <ctype.h>
#include <fnmatch.h>
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
#include "core/opt.h"
#include "report/report.h"
#include "load/scan.h"
#include "store/lock.h"
#include "store/store.h"
#include "core/when.h"

enum {
	OPT_JSONL = OPT_TOOL, OPT_NAGIOS, OPT_PROM, OPT_ALARM, OPT_SYSLOG, OPT_NODE, OPT_DEPTH,
	OPT_PASS, OPT_PASSFILE, OPT_BUNDLED, OPT_EXCLUDE, OPT_EXSERIAL, OPT_THRESHOLD
};

static const struct opt opts[] = {
	{ "all", 'a', NULL, "table: list certificates outside the window, and kept ones",
	    "Window", NULL, NULL },
	{ "warning", 'w', "DAYS", "warning at DAYS or fewer days left (default 30)", NULL, NULL,
	    NULL },
	{ "critical", 'c', "DAYS", "critical at DAYS or fewer days left (default 7)", NULL, NULL,
	    NULL },
	{ "threshold", OPT_THRESHOLD, "U=W:C", "warning and critical days for store unit U", NULL,
	    NULL, "-t" },
	{ "now", 0, NULL, NULL, NULL, NULL, NULL },
	{ "check-bundled", OPT_BUNDLED, NULL, "alert on Cisco's bundled CAs too (else kept)", NULL,
	    NULL, NULL },
	{ "exclude", OPT_EXCLUDE, "GLOB", "leave out the files whose path matches GLOB", NULL,
	    NULL, NULL },
	{ "exclude-serial", OPT_EXSERIAL, "HEX", "leave out the certificate with this serial",
	    NULL, NULL, NULL },
	{ "json", 0, NULL, "one JSON document: every certificate, and errors", "Output", NULL,
	    NULL },
	{ "json-lines", OPT_JSONL, NULL, "one JSON object per certificate or error", NULL, NULL,
	    NULL },
	{ "nagios", OPT_NAGIOS, NULL,
	    "Nagios plugin output (exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN)", NULL, NULL,
	    NULL },
	{ "prometheus", OPT_PROM, NULL, "node_exporter textfile-collector gauges", NULL, NULL,
	    NULL },
	{ "alarm", OPT_ALARM, NULL, "CUCM Certificate Monitor alarm lines", NULL, NULL, NULL },
	{ "syslog", OPT_SYSLOG, NULL, "the alarm lines to syslog(3), facility local7", NULL, NULL,
	    NULL },
	{ "node", OPT_NODE, "NAME", "NodeID of the alarms; node label of the gauges", NULL, NULL,
	    NULL },
	{ "cluster", 0, "NAME", "ClusterID of the alarms; cluster label of the gauges", NULL, "=",
	    NULL },
	{ "verbose", 0, NULL, "table: add what breaks when it expires (always on a terminal)",
	    NULL, NULL, NULL },
	{ "quiet", 0, NULL, NULL, NULL, NULL, NULL },
	{ "output", 0, NULL, NULL, NULL, NULL, NULL },
	{ "store", 0, NULL, NULL, "Input", NULL, NULL },
	{ "max-depth", OPT_DEPTH, "N", "descend at most N directory levels", NULL, NULL, NULL },
	{ "password", OPT_PASS, "PASS", "PKCS#12 password (also CERT_EXPIRY_PASSWORD)", NULL,
	    NULL, NULL },
	{ "password-file", OPT_PASSFILE, "FILE", "PKCS#12 password: the first line of FILE", NULL,
	    "file", NULL },
	{ NULL, 0, NULL, NULL, NULL, NULL, NULL }
};

static const struct opt_tool tool = {
	"usage: cert-expiry [-ajqv]\n"
	"           [--json-lines | --nagios | --prometheus | --alarm | --syslog]\n"
	"           [-w days] [-c days] [--threshold unit=warn:crit] [-s store] [-o file]\n"
	"           [--check-bundled] [--exclude glob] [--exclude-serial hex]\n"
	"           [--max-depth n] [--password pass | --password-file file]\n"
	"           [--node name] [--cluster name] [--now time] [file ...]",
	"Exit status: 0 nothing within the warning window, 1 a certificate in it, expired\n"
	"or not yet valid, 2 trouble (a file could not be read; the rest is still checked).",
	"file", opts
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

static void
setfmt(enum report_fmt *fmt, enum report_fmt f)
{
	if (*fmt != REPORT_TABLE && *fmt != f &&
	    !(f == REPORT_SYSLOG && *fmt == REPORT_ALARM) &&
	    !(f == REPORT_ALARM && *fmt == REPORT_SYSLOG)) {
		warnf("-j, -q, --json-lines, --nagios, --prometheus and --alarm exclude each other");
		opt_usage();
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

/* A Cisco bundled CA past its warning date is kept, as trust-prune keeps it. */
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
	if (*s != '\0')
		opt_bad("not a serial number in hex: \"%s\"", arg);
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

/* What the command line asks for. */
struct args {
	enum report_fmt	 fmt;
	const char	*nowopt, *passopt, *passfile, *store, *node, *cluster, *output;
	int64_t		 warn, crit;
	long		 depth;
	int		 aflag, vflag;
};

/* The options that take a value. */
static void
option_arg(struct args *a, int ch, const char *arg)
{
	switch (ch) {
	case 'c': a->crit = opt_days(arg); break;
	case 'w': a->warn = opt_days(arg); break;
	case OPT_THRESHOLD:
		if (expiry_rule_add(&ex, arg) != 0)
			opt_bad("not UNIT=WARN:CRIT with WARN >= CRIT: \"%s\"", arg);
		break;
	case 'o': a->output = arg; break;
	case 's': a->store = arg; break;
	case OPT_EXCLUDE: addopt(&ctx.globs, &ctx.nglobs, arg); break;
	case OPT_EXSERIAL: addopt(&ctx.serials, &ctx.nserials, serial_opt(arg)); break;
	case OPT_NODE: a->node = arg; break;
	case OPT_CLUSTER: a->cluster = arg; break;
	case OPT_DEPTH: a->depth = opt_num(arg, 0, 4096); break;
	case OPT_PASS: a->passopt = arg; break;
	case OPT_PASSFILE: a->passfile = arg; break;
	case OPT_NOW: a->nowopt = opt_time(arg); break;
	default: opt_usage();
	}
}

static void
options(struct args *a, int argc, char *argv[])
{
	int ch;

	while ((ch = opt_next(&tool, argc, argv)) != -1) {
		switch (ch) {
		case 'a': a->aflag = 1; break;
		case 'v': a->vflag = 1; break;
		case OPT_BUNDLED: ctx.check_bundled = 1; break;
		case 'j': setfmt(&a->fmt, REPORT_JSON); break;
		case 'q': setfmt(&a->fmt, REPORT_QUIET); break;
		case OPT_JSONL: setfmt(&a->fmt, REPORT_JSONL); break;
		case OPT_NAGIOS: setfmt(&a->fmt, REPORT_NAGIOS); break;
		case OPT_PROM: setfmt(&a->fmt, REPORT_PROM); break;
		case OPT_ALARM: setfmt(&a->fmt, REPORT_ALARM); break;
		case OPT_SYSLOG: setfmt(&a->fmt, REPORT_SYSLOG); break;
		default: option_arg(a, ch, optarg);
		}
	}
	if (a->passopt != NULL && a->passfile != NULL) {
		warnf("--password and --password-file exclude each other");
		opt_usage();
	}
}

/* The thresholds and the reference time; 0, or -1 (diagnosed). */
static int
thresholds(const struct args *a)
{
	if (when_now(a->nowopt, &ex.now) != 0)
		return -1;
	if (a->warn >= 0)
		ex.warn = a->warn;
	if (a->crit >= 0)
		ex.crit = a->crit;
	if (ex.warn < ex.crit) {
		warnf("warning (%g days) must be at least critical (%g days)",
		    (double)ex.warn / 86400, (double)ex.crit / 86400);
		opt_usage();
	}
	return 0;
}

/* Walk, report, and write -o FILE; the exit status. */
static int
run(const struct args *a, const char *pass, int argc, char **argv)
{
	enum report_fmt fmt = a->fmt;
	struct afile af;
	struct scan sc;
	int rc, trouble, nosyslog = 0;

	if (a->output != NULL && afile_open(&af, a->output, AFILE_MODE_DEFAULT) != 0)
		return fmt == REPORT_NAGIOS ? NAGIOS_UNKNOWN : EXIT_TROUBLE;
	if (report_init(&rep, fmt, a->output != NULL ? af.fp : stdout, &ex) != 0) {
		/* no syslog: say so, and print the table of what would have gone */
		nosyslog = 1;
		report_free(&rep);
		report_init(&rep, fmt = REPORT_TABLE, a->output != NULL ? af.fp : stdout, &ex);
	}
	rep.all = a->aflag;
	rep.verbose = a->vflag || (a->output == NULL && isatty(STDOUT_FILENO));
	rep.node = a->node;
	rep.cluster = a->cluster;
	scan_init(&sc, onfile, NULL);
	sc.cf.pass = pass;
	sc.max_depth = (int)a->depth;
	walk(&sc, a->store, a->depth, argc, argv);
	trouble = report_end(&rep) != 0;
	if (trouble)
		warnf("out of memory");
	if (a->output != NULL && (trouble ? (afile_abort(&af), -1) : afile_commit(&af, 1)) != 0)
		trouble = 1;
	if (diag_flush_stdout() != 0 || rep.syslog_failed || nosyslog)
		trouble = 1;
	rc = status(fmt, trouble);
	report_free(&rep);
	scan_free(&sc);
	return rc;
}

int
main(int argc, char *argv[])
{
	struct args a = { .fmt = REPORT_TABLE, .warn = -1, .crit = -1, .depth = -1 };
	char *pass = NULL;
	int rc;

	setprogname(argv[0]);
	expiry_init(&ex, 0);
	options(&a, argc, argv);
	argc -= optind;
	argv += optind;
	if (thresholds(&a) != 0)
		return EXIT_TROUBLE;
	if ((pass = password(a.passopt, a.passfile)) == NULL && a.passfile != NULL)
		return a.fmt == REPORT_NAGIOS ? NAGIOS_UNKNOWN : EXIT_TROUBLE;
	rc = run(&a, pass, argc, argv);
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
