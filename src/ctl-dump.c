/* ctl-dump: print CTL/ITL files as CUCM's show ctl/show itl does, as JSON or certificates; verify them. */
#include <stdio.h>
#include <stdlib.h>

#include "core/diag.h"
#include "core/opt.h"
#include "dump/ctldump.h"
#include "cucm/cucm.h"
#include "tl/ctl.h"
#include "x509/der.h"

static struct ctldump d;	/* what the command line asks for, filled in place */

enum { OPT_CERTS = OPT_TOOL, OPT_SIGNER, OPT_PAYLOAD, OPT_COMPARE, OPT_PCAP, OPT_PHONEKEY };

static const struct opt opts[] = {
	{ "brief", 'b', NULL, "one tab-separated line per record", "Output", NULL, NULL },
	{ "certs", OPT_CERTS, NULL, "the embedded certificates as PEM", NULL, NULL, "-c" },
	{ "json", 0, NULL, "one JSON document per file", NULL, NULL, NULL },
	{ "quiet", 0, NULL, NULL, NULL, NULL, NULL },
	{ "extract", 'x', "DIR", "one PEM file per record into DIR", NULL, "dir", NULL },
	{ "force", 0, NULL, "let --extract replace existing files", NULL, NULL, NULL },
	{ "payload", OPT_PAYLOAD, NULL, "a signed file's payload, byte for byte, on stdout", NULL,
	    NULL, NULL },
	{ "phone-key", OPT_PHONEKEY, "KEY", "with --payload: decrypt .enc.sgn with the phone's key",
	    NULL, "file", NULL },
	{ "pcap", OPT_PCAP, "CAPTURE", "the trust files transferred (TFTP, HTTP) in a packet capture",
	    "Input", "file", NULL },
	{ "trust", 't', "OLD", "would a phone holding the trust list OLD accept the file?",
	    "Checks", "tlv", NULL },
	{ "signer", OPT_SIGNER, "CERT", "check signed files (.sgn) with this certificate", NULL,
	    "file", NULL },
	{ "cluster", 0, NULL, "with -t: judge as a phone of that offline cluster (TVS too)", NULL,
	    NULL, NULL },
	{ "cucm-version", 0, "V", "CUCM release 10.0 to 15 (default: served ITLs', else 14)",
	    NULL, NULL, NULL },
	{ "compare", OPT_COMPARE, "CAPTURE", "does the show itl/show ctl text CAPTURE list "
	    "exactly the file?", NULL, "file", NULL },
	{ NULL, 0, NULL, NULL, NULL, NULL, NULL }
};

static const struct opt_tool tool = {
	"usage: ctl-dump [-bjq | --certs | -x dir | --payload [--phone-key key]] [-f]\n"
	"                [-t old | --signer cert] [--cluster dir] [--cucm-version v]\n"
	"                [file ... | --pcap capture]\n"
	"       ctl-dump [-q] --compare capture file",
	"Exit status: 0 verified (and trusted), 1 not verified or not trusted, 2 trouble.\n"
	"Signed files: -t ITL asks whether a phone holding ITL accepts them.",
	"tlv", opts
};

static void
setmode(enum ctldump_mode m)
{
	if (d.mode != CTLDUMP_SHOW && d.mode != m) {
		warnf("-b, --certs, -j, -q, -x and --payload exclude each other");
		exit(opt_usage());
	}
	d.mode = m;
}

static int
options(int argc, char *argv[])
{
	int ch;

	while ((ch = opt_next(&tool, argc, argv)) != -1) {
		if (ch == OPT_EXIT)	/* --help, --version, or a bad option: done */
			exit(opt_status());
		switch (ch) {
		case 'b':
			setmode(CTLDUMP_BRIEF);
			break;
		case OPT_CERTS:
			setmode(CTLDUMP_CERTS);
			break;
		case 'f':
			d.force = 1;
			break;
		case 'j':
			setmode(CTLDUMP_JSON);
			break;
		case 'q':
			setmode(CTLDUMP_QUIET);
			break;
		case 't':
			d.oldpath = optarg;
			break;
		case OPT_CLUSTER:
			d.clusterdir = optarg;
			break;
		case OPT_CUCM_VERSION:
			(void)opt_check(cucm_version(optarg, &d.cucmver) == 0, CUCM_VERSION_WHAT,
			    optarg);
			break;
		case OPT_SIGNER:
			d.signerpath = optarg;
			break;
		case OPT_PAYLOAD:
			setmode(CTLDUMP_PAYLOAD);
			break;
		case OPT_COMPARE:
			d.compare = optarg;
			break;
		case OPT_PHONEKEY:
			d.phonekey = optarg;
			break;
		case OPT_PCAP:
			d.pcap = optarg;
			break;
		case 'x':
			setmode(CTLDUMP_EXTRACT);
			d.xdir = optarg;
			break;
		default:
			exit(opt_usage());
		}
	}
	return optind;
}

/* Options that go together, or exclude each other. */
static void
check_options(int argc)
{
	if (d.clusterdir != NULL && d.oldpath == NULL) {
		warnf("--cluster goes with --trust OLD");
		exit(opt_usage());
	}
	if (d.signerpath != NULL && d.oldpath != NULL) {
		warnf("--signer and --trust exclude each other");
		exit(opt_usage());
	}
	if (d.compare != NULL && (argc != 1 || d.oldpath != NULL || d.signerpath != NULL ||
	    d.clusterdir != NULL || (d.mode != CTLDUMP_SHOW && d.mode != CTLDUMP_QUIET))) {
		warnf("--compare takes one file, and -q alone of the other options");
		exit(opt_usage());
	}
	if (d.pcap != NULL && (argc > 0 || d.mode == CTLDUMP_PAYLOAD || d.compare != NULL)) {
		warnf("--pcap takes no file operands, no --payload and no --compare");
		exit(opt_usage());
	}
	if (d.phonekey != NULL && d.mode != CTLDUMP_PAYLOAD) {
		warnf("--phone-key goes with --payload");
		exit(opt_usage());
	}
	if (d.mode == CTLDUMP_PAYLOAD && argc > 1) {
		warnf("--payload takes one file: the payloads would run together");
		exit(opt_usage());
	}
}

int
main(int argc, char *argv[])
{
	int r, rc;

	setprogname(argv[0]);
	r = options(argc, argv);
	argc -= r;
	argv += r;
	d.nfiles = argc;
	d.out = stdout;
	check_options(argc);
	rc = ctldump_run(&d, argv);
	der_cleanup();
	ctl_verify_cleanup();
	if (diag_flush_stdout() != 0)
		return EXIT_TROUBLE;
	return rc;
}
