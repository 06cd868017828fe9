/* cert-expiry: every certificate of files, directories, stores and trust lists, by days left. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "x509/der.h"
#include "core/diag.h"
#include "x509/expiry.h"
#include "core/io.h"
#include "core/opt.h"
#include "report/reportcmd.h"
#include "report/reportscan.h"
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
	{ "cluster", 0, "NAME", "ClusterID of the alarms, cluster label of the gauges; a "
	    "cluster directory (NAME/nodes): every node walked", NULL, "=", NULL },
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
	"or not yet valid, 2 trouble (a file could not be read; the rest is still\n"
	"checked).",
	"file", opts
};

static struct reportcmd cmd;	/* what the command line asks for, filled in place */

static void
setfmt(enum report_fmt *fmt, enum report_fmt f)
{
	if (*fmt != REPORT_TABLE && *fmt != f &&
	    !(f == REPORT_SYSLOG && *fmt == REPORT_ALARM) &&
	    !(f == REPORT_ALARM && *fmt == REPORT_SYSLOG)) {
		warnf("-j, -q, --json-lines, --nagios, --prometheus and --alarm exclude each other");
		exit(opt_usage());
	}
	if (*fmt != REPORT_SYSLOG)
		*fmt = f;
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
	if (reportscan_add(v, n, s) != 0) {
		warnf("out of memory");
		exit(EXIT_TROUBLE);
	}
}

/* --exclude-serial's value, in the form serials are compared in. */
static const char *
serial_opt(const char *s)
{
	static char buf[2 * 64 + 1];

	if (reportscan_serial(s, buf, sizeof(buf)) != 0)
		exit(opt_bad("not a serial number in hex: \"%s\"", s));
	return buf;
}

/* The options read before they go into cmd: the clock, the thresholds, the password. */
struct args {
	const char	*nowopt, *passopt, *passfile;
	int64_t		 warn, crit;
};

/* The options that take a value. */
static void
option_arg(struct args *a, int ch, const char *arg)
{
	switch (ch) {
	case 'c': a->crit = opt_days(arg); break;
	case 'w': a->warn = opt_days(arg); break;
	case OPT_THRESHOLD:
		if (expiry_rule_add(&cmd.ex, arg) != 0)
			exit(opt_bad("not UNIT=WARN:CRIT with WARN >= CRIT: \"%s\"", arg));
		break;
	case 'o': cmd.output = arg; break;
	case 's': cmd.store = arg; break;
	case OPT_EXCLUDE: addopt(&cmd.rs.globs, &cmd.rs.nglobs, arg); break;
	case OPT_EXSERIAL: addopt(&cmd.rs.serials, &cmd.rs.nserials, serial_opt(arg)); break;
	case OPT_NODE: cmd.node = arg; break;
	case OPT_CLUSTER: cmd.cluster = arg; break;
	case OPT_DEPTH: cmd.depth = opt_num(arg, 0, 4096); break;
	case OPT_PASS: a->passopt = arg; break;
	case OPT_PASSFILE: a->passfile = arg; break;
	case OPT_NOW: a->nowopt = opt_time(arg); break;
	default: exit(opt_usage());
	}
}

static void
options(struct args *a, int argc, char *argv[])
{
	int ch;

	while ((ch = opt_next(&tool, argc, argv)) != -1) {
		if (ch == OPT_EXIT)	/* --help, --version, or a bad option: done */
			exit(opt_status());
		switch (ch) {
		case 'a': cmd.all = 1; break;
		case 'v': cmd.verbose = 1; break;
		case OPT_BUNDLED: cmd.rs.check_bundled = 1; break;
		case 'j': setfmt(&cmd.fmt, REPORT_JSON); break;
		case 'q': setfmt(&cmd.fmt, REPORT_QUIET); break;
		case OPT_JSONL: setfmt(&cmd.fmt, REPORT_JSONL); break;
		case OPT_NAGIOS: setfmt(&cmd.fmt, REPORT_NAGIOS); break;
		case OPT_PROM: setfmt(&cmd.fmt, REPORT_PROM); break;
		case OPT_ALARM: setfmt(&cmd.fmt, REPORT_ALARM); break;
		case OPT_SYSLOG: setfmt(&cmd.fmt, REPORT_SYSLOG); break;
		default: option_arg(a, ch, optarg);
		}
	}
	if (a->passopt != NULL && a->passfile != NULL) {
		warnf("--password and --password-file exclude each other");
		exit(opt_usage());
	}
}

/* The thresholds and the reference time; 0, or -1 (diagnosed). */
static int
thresholds(const struct args *a)
{
	struct expiry *ex = &cmd.ex;

	if (when_now(a->nowopt, &ex->now) != 0)
		return -1;
	if (a->warn >= 0)
		ex->warn = a->warn;
	if (a->crit >= 0)
		ex->crit = a->crit;
	if (ex->warn < ex->crit) {
		warnf("warning (%g days) must be at least critical (%g days)",
		    (double)ex->warn / 86400, (double)ex->crit / 86400);
		exit(opt_usage());
	}
	return 0;
}

int
main(int argc, char *argv[])
{
	struct args a = { .warn = -1, .crit = -1 };
	char *pass = NULL;
	int status;

	setprogname(argv[0]);
	reportcmd_init(&cmd);
	options(&a, argc, argv);
	argv += optind;
	if (thresholds(&a) != 0)
		return EXIT_TROUBLE;
	if ((pass = password(a.passopt, a.passfile)) == NULL && a.passfile != NULL)
		return cmd.fmt == REPORT_NAGIOS ? NAGIOS_UNKNOWN : EXIT_TROUBLE;
	cmd.pass = pass;
	status = reportcmd(&cmd, argv, stdout);
	reportcmd_free(&cmd);
	der_cleanup();
	if (pass != NULL) {
		OPENSSL_cleanse(pass, strlen(pass));
		free(pass);
	}
	return status;
}
