/* itl-build: build and sign ITL and CTL files that phones accept, byte-compatible with CUCM. */
#include <arpa/inet.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tl/ctlwrite.h"
#include "core/diag.h"
#include "tl/itlkey.h"
#include "build/itlspec.h"
#include "core/opt.h"
#include "store/lock.h"
#include "cucm/cucm.h"
#include "build/itlbuild.h"

enum {
	OPT_CTL = OPT_TOOL, OPT_MIXED, OPT_HOST, OPT_IP, OPT_ROLEN, OPT_SIGNER, OPT_RESIGN,
	OPT_LAYOUT, OPT_SIGNERVER, OPT_DIGEST, OPT_DIGESTCODE, OPT_MODCODE, OPT_MODULE, OPT_NODE,
	OPT_SIGNFILE, OPT_ENCRYPTFOR,
	OPT_ROLE	/* OPT_ROLE + i: roleopts[i] */
};

static const struct {
	const char	*name;
	int		 fn;
} roleopts[] = {
	{ "sast", CTL_FN_SAST }, { "ccm", CTL_FN_CCM }, { "tftp", CTL_FN_TFTP },
	{ "ccm-tftp", CTL_FN_CCM_TFTP }, { "capf", CTL_FN_CAPF }, { "tvs", CTL_FN_TVS },
	{ "srst", CTL_FN_SRST }, { "app-server", CTL_FN_APP },
};
#define NROLES (sizeof(roleopts) / sizeof(roleopts[0]))
#define ROLE(n, i, what) { n, OPT_ROLE + i, "CERT", what, NULL, "file", NULL }

static const char *const layouts[] = { "cucm", "certutils", NULL };
static const char *const digests[] = { "sha1", "sha256", "sha512", NULL };

static const struct opt opts[] = {
	{ "store", 0, NULL, "records from an offline store", "Records", NULL, NULL },
	{ "host", OPT_HOST, "NAME", "with -s: the node's DNSNAME", NULL, NULL, NULL },
	{ "ip", OPT_IP, "ADDR", "with -s: the node's IPADDRESS", NULL, NULL, NULL },
	{ "mixed", OPT_MIXED, NULL, "with -s: mixed mode (the CallManager record is CCM+TFTP)",
	    NULL, NULL, NULL },
	{ "wait", 0, NULL, "with -s or --cluster: wait that long for a store another tool holds (10)", NULL,
	    NULL, NULL },
	ROLE("sast", 0, "a SAST record: CERT[,dns=NAME][,ip=A.B.C.D]"),
	ROLE("ccm", 1, "a CCM record (the same form)"),
	ROLE("tftp", 2, "a TFTP record"),
	ROLE("ccm-tftp", 3, "a CCM+TFTP record"),
	ROLE("capf", 4, "a CAPF record"),
	ROLE("tvs", 5, "a TVS record"),
	ROLE("srst", 6, "an SRST record"),
	ROLE("app-server", 7, "an application server record"),
	{ "role", OPT_ROLEN, "N=CERT", "a record with FUNCTION code N", NULL, NULL, NULL },
	{ "resign", OPT_RESIGN, "FILE", "keep FILE's records byte for byte, sign anew", NULL,
	    "tlv", NULL },
	{ "cluster", 0, NULL, "an offline cluster (DIR/nodes, one store per node)", "Cluster",
	    NULL, NULL },
	{ "node", OPT_NODE, "NAME", "that TFTP node's ITL (--ctl: the cluster's CTL)", NULL, NULL,
	    NULL },
	{ "all", 'a', NULL, "every TFTP node's tftp/ITLFile.tlv (and CTLFile.tlv in mixed mode)",
	    NULL, NULL, NULL },
	{ "cucm-version", 0, "V", "CUCM release 10.0 to 15 (default: served ITLs', else 14)", NULL, NULL,
	    NULL },
	{ "key", 'k', "KEY", "signing key: PEM/DER file or pkcs11: URI", "Signing", "file", NULL },
	{ "signer", OPT_SIGNER, "CERT", "which SAST record signs (--sign-file: the signer)", NULL,
	    "file", NULL },
	{ "pkcs11-module", OPT_MODULE, "FILE", "the PKCS#11 module for pkcs11: keys", NULL,
	    "file", NULL },
	{ "trust", 't', "OLD", "refuse unless a phone holding the trust list OLD accepts the file",
	    NULL, "tlv", "--trusted" },
	{ "sign-file", OPT_SIGNFILE, NULL, "sign each operand into FILE.sgn (-o: one file)", NULL,
	    NULL, NULL },
	{ "encrypt-for", OPT_ENCRYPTFOR, "PHONE", "--sign-file: encrypt for the phone's certificate "
	    "(FILE.enc.sgn)", NULL, "file", NULL },
	{ "ctl", OPT_CTL, NULL, "build a CTL (default: an ITL)", "Layout", NULL, NULL },
	{ "layout", OPT_LAYOUT, "NAME", "cucm or certutils", NULL, "=cucm certutils", NULL },
	{ "signer-version", OPT_SIGNERVER, "V", "certutils header tag 0x1C: 1.0 or 1.1", NULL,
	    "=1.0 1.1", NULL },
	{ "digest", OPT_DIGEST, "NAME", "sha1 (default), sha256 or sha512", NULL,
	    "=sha1 sha256 sha512", NULL },
	{ "digest-code", OPT_DIGESTCODE, "N", "the DIGESTALGORTITHM code to write", NULL, NULL,
	    NULL },
	{ "modulus-code", OPT_MODCODE, "N", "the SIGNATUREMODULUS code to write", NULL, NULL,
	    NULL },
	{ "now", 0, NULL, "the TIMESTAMP, and when records are checked for validity", NULL, NULL,
	    "--timestamp" },
	{ "output", 0, NULL, NULL, "Output", NULL, NULL },
	{ "force", 0, NULL, "replace FILE; write despite --trust", NULL, NULL, NULL },
	{ "dry-run", 0, NULL, "build and check, write nothing", NULL, NULL, NULL },
	{ "json", 0, NULL, "summary of the file written, as JSON, on stdout", NULL, NULL, NULL },
	{ NULL, 0, NULL, NULL, NULL, NULL, NULL }
};

static const struct opt_tool tool = {
	"usage: itl-build [-fjn] [-k key] [-o file] [-s store] [--host name] [--ip addr]\n"
	"                 [--mixed] [--ctl] [--resign file] [-t old] [--signer cert]\n"
	"                 [--sast | --ccm | --tftp | --ccm-tftp | --capf | --tvs |\n"
	"                 --srst | --app-server cert[,dns=name][,ip=addr] ...]\n"
	"                 [--role n=cert ...] [--layout cucm|certutils]\n"
	"                 [--signer-version 1.0|1.1] [--digest sha1|sha256|sha512]\n"
	"                 [--digest-code n] [--modulus-code n] [--now time]\n"
	"                 [--wait seconds] [--pkcs11-module file]\n"
	"       itl-build [-fjn] [-o file] --cluster dir --node name | -a [--ctl]\n"
	"                 [--mixed] [--cucm-version v] [-t old] [--wait seconds]\n"
	"       itl-build --sign-file [-fjn] -k key --signer cert [--encrypt-for phone]\n"
	"                 [-o file] file ...\n"
	"       itl-build --sign-file [-fjn] --cluster dir --node name\n"
	"                 [--encrypt-for phone] [--wait seconds] file ...",
	"Exit status: 0 written, 1 refused by --trust, 2 trouble.",
	"file", opts
};

static struct itlbuild b = { .layout = -1, .digest_code = -1, .modcode = -1, .sigver = -1,
	.digest = "sha1", .wait = LOCK_WAIT_DEFAULT };
static char nowbuf[32];		/* --timestamp N, the old spelling, as --now @N */
static int signfile;

/* A role option: fn >= 0, or --role N=CERT (fn < 0). */
static void
add_spec(int fn, const char *opt, const char *arg)
{
	struct itlspec *v;
	const char *why;

	if ((v = realloc(b.specs, (b.nspecs + 1) * sizeof(*v))) == NULL) {
		warnf("out of memory");
		exit(EXIT_TROUBLE);
	}
	b.specs = v;
	v = &b.specs[b.nspecs++];
	if ((fn >= 0 ? itlspec_parse(v, fn, arg, &why) : itlspec_parse_role(v, arg, &why)) != 0) {
		warnf("--%s %s: %s", opt, arg, why);
		exit(opt_usage());
	}
}

/* --sign-file: the operands are the files to sign. */
static void
sign_options(int argc, char *argv[])
{
	b.files = argv;
	b.nfiles = argc;
	if (b.nfiles == 0) {
		warnf("--sign-file: no file to sign");
		exit(opt_usage());
	}
	if (b.nspecs > 0 || b.store != NULL || b.resign != NULL || b.trusted != NULL || b.ctl ||
	    b.all) {
		warnf("--sign-file signs files: records, --store, --resign, --trust, --ctl and "
		    "--all build trust lists");
		exit(opt_usage());
	}
	if (b.clusterdir != NULL && (b.nodename == NULL || b.keyspec != NULL ||
	    b.signerpath != NULL || b.outpath != NULL)) {
		warnf("--sign-file --cluster takes --node NAME (its CallManager signs into its "
		    "tftp/), no -k, --signer or -o");
		exit(opt_usage());
	}
	if (b.clusterdir == NULL && (b.keyspec == NULL || b.signerpath == NULL)) {
		warnf("--sign-file needs -k KEY and --signer CERT (the certificate phones check)");
		exit(opt_usage());
	}
	if (b.outpath != NULL && b.nfiles > 1) {
		warnf("-o names one output: with several files each goes to FILE.sgn");
		exit(opt_usage());
	}
	if (b.json && !b.dry && b.outpath != NULL && strcmp(b.outpath, "-") == 0) {
		warnf("--json needs a file output or --dry-run: the file itself goes to stdout");
		exit(opt_usage());
	}
}

/* The options that take a value and check it. */
static void
option_arg(int ch, char *arg)
{
	int maj, min, n;

	if (ch >= OPT_ROLE && ch < OPT_ROLE + (int)NROLES) {
		add_spec(roleopts[ch - OPT_ROLE].fn, roleopts[ch - OPT_ROLE].name, arg);
		return;
	}
	switch (ch) {
	case OPT_ROLEN:
		add_spec(-1, "role", arg);
		break;
	case OPT_CUCM_VERSION:
		(void)opt_check(cucm_version(arg, &b.cucmver) == 0, CUCM_VERSION_WHAT, arg);
		break;
	case OPT_NOW:
		/* --timestamp, the old spelling, took bare Unix seconds */
		if (opt_was_old() && arg[0] != '\0' && strspn(arg, "0123456789") == strlen(arg) &&
		    strlen(arg) < sizeof(nowbuf) - 1) {
			snprintf(nowbuf, sizeof(nowbuf), "@%s", arg);
			arg = nowbuf;
		}
		b.nowopt = opt_time(arg);
		break;
	case OPT_WAIT:
		b.wait = (int)opt_num(arg, 0, LOCK_WAIT_MAX);
		break;
	case OPT_IP:
		if (inet_pton(AF_INET, arg, b.nodeip) != 1)
			exit(opt_bad("not an IPv4 address: \"%s\"", arg));
		b.hasip = 1;
		break;
	case OPT_LAYOUT:
		b.layout = opt_word(arg, layouts) == 0 ? CTLW_CUCM : CTLW_CERTUTILS;
		break;
	case OPT_SIGNERVER:
		if (sscanf(arg, "%d.%d%n", &maj, &min, &n) != 2 || arg[n] != '\0' || maj < 0 ||
		    maj > 255 || min < 0 || min > 255)
			exit(opt_bad("not MAJOR.MINOR, e.g. 1.0 or 1.1: \"%s\"", arg));
		b.sigver = maj << 8 | min;
		break;
	case OPT_DIGEST:
		b.digest = digests[opt_word(arg, digests)];
		b.digest_given = 1;
		break;
	case OPT_DIGESTCODE:
	case OPT_MODCODE:
		*(ch == OPT_MODCODE ? &b.modcode : &b.digest_code) = (int)opt_num(arg, 0, 255);
		break;
	default:
		exit(opt_usage());
	}
}

/* Options that go together, or exclude each other, when building a trust list. */
static void
check_options(int argc, char *argv[])
{
	const char *why = NULL;

	if (b.outpath == NULL)
		b.outpath = "-";
	if (optind != argc) {
		warnf("unexpected operand '%s'", argv[optind]);
		exit(opt_usage());
	}
	if (b.clusterdir != NULL) {
		if (b.nspecs != 0 || b.store != NULL || b.resign != NULL || b.keyspec != NULL ||
		    b.host != NULL || b.hasip || b.signerpath != NULL ||
		    (b.nodename == NULL) == !b.all ||
		    (b.all && (strcmp(b.outpath, "-") != 0 || b.json || b.trusted != NULL)))
			why = "--cluster takes --node NAME or --all, and no records or key";
	} else if (b.nodename != NULL || b.all)
		why = "--node and --all go with --cluster";
	else if (b.nspecs == 0 && b.store == NULL && b.resign == NULL)
		why = "no records: give --store, --resign or certificates by role";
	if (why == NULL && b.store == NULL && b.clusterdir == NULL &&
	    (b.host != NULL || b.hasip || b.mixed))
		why = "--host, --ip and --mixed go with --store";
	if (why == NULL && b.keyspec == NULL && b.store == NULL && b.clusterdir == NULL)
		why = "no signing key: give -k KEY";
	if (why == NULL && b.json && !b.dry && strcmp(b.outpath, "-") == 0)
		why = "--json needs -o FILE or --dry-run: the file itself goes to stdout";
	if (why != NULL) {
		warnf("%s", why);
		exit(opt_usage());
	}
}

static void
options(int argc, char *argv[])
{
	/* Options that only set a flag or keep their argument. */
	static const struct {
		int		  ch;
		int		 *flag;
		const char	**arg;
	} simple[] = {
		{ 'f', &b.force, NULL }, { 'j', &b.json, NULL }, { 'n', &b.dry, NULL },
		{ OPT_CTL, &b.ctl, NULL }, { OPT_MIXED, &b.mixed, NULL },
		{ 'k', NULL, &b.keyspec }, { 'o', NULL, &b.outpath }, { 's', NULL, &b.store },
		{ OPT_HOST, NULL, &b.host }, { OPT_SIGNER, NULL, &b.signerpath },
		{ OPT_RESIGN, NULL, &b.resign }, { 't', NULL, &b.trusted },
		{ OPT_MODULE, NULL, &b.module },
		{ OPT_CLUSTER, NULL, &b.clusterdir }, { OPT_NODE, NULL, &b.nodename },
		{ 'a', &b.all, NULL },
		{ OPT_SIGNFILE, &signfile, NULL }, { OPT_ENCRYPTFOR, NULL, &b.encryptfor },
	};
	size_t r;
	int ch;

	while ((ch = opt_next(&tool, argc, argv)) != -1) {
		if (ch == OPT_EXIT)	/* --help, --version, or a bad option: done */
			exit(opt_status());
		for (r = 0; r < sizeof(simple) / sizeof(simple[0]) && simple[r].ch != ch; r++)
			continue;
		if (r == sizeof(simple) / sizeof(simple[0]))
			option_arg(ch, optarg);
		else if (simple[r].flag != NULL)
			*simple[r].flag = 1;
		else
			*simple[r].arg = optarg;
	}
	if (b.encryptfor != NULL && !signfile) {
		warnf("--encrypt-for goes with --sign-file");
		exit(opt_usage());
	}
	if (signfile)
		sign_options(argc - optind, argv + optind);
	else
		check_options(argc, argv);
}

int
main(int argc, char *argv[])
{
	size_t i;
	int rc;

	setprogname(argv[0]);
	/*
	 * The run's large buffers (the certificate files read whole, the check's
	 * parse) from the heap, kept when freed: each phase reuses the pages the
	 * last one let go instead of faulting in fresh ones (glibc maps blocks
	 * over 128 KiB on their own and unmaps them on free). The process's
	 * allocator is main's to tune, not the library's.
	 */
	(void)mallopt(M_MMAP_THRESHOLD, 16 << 20);
	(void)mallopt(M_TRIM_THRESHOLD, 32 << 20);
	b.out = stdout;
	options(argc, argv);
	rc = signfile ? itlbuild_sign_files(&b) : itlbuild_run(&b);
	for (i = 0; i < b.nspecs; i++)
		itlspec_free(&b.specs[i]);
	free(b.specs);
	itlkey_cleanup();
	if (diag_flush_stdout() != 0)
		rc = EXIT_TROUBLE;
	return rc;
}
