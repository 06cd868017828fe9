/* ctl-dump: print CTL/ITL files as CUCM's show ctl/show itl does, as JSON or certificates; verify them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/diag.h"
#include "core/hash.h"
#include "core/io.h"
#include "core/json.h"
#include "core/opt.h"
#include "core/out.h"
#include "cucm/clview.h"
#include "cucm/cucm.h"
#include "cucm/phone.h"
#include "cucm/phonesgn.h"
#include "store/store.h"
#include "tl/ctl.h"
#include "tl/ctlbrief.h"
#include "tl/ctlcerts.h"
#include "tl/ctljson.h"
#include "tl/ctlshow.h"
#include "tl/sgn.h"
#include "load/sgncert.h"
#include "tl/sgnjson.h"
#include "tl/sgnshow.h"
#include "x509/der.h"

enum { SHOW, JSON, BRIEF, CERTS, EXTRACT, QUIET, PAYLOAD };

static int mode = SHOW, fflag, nfiles;
static const char *xdir, *oldpath, *signerpath;
static struct ctl old;
static uint8_t *oldbuf;
static struct sgn_cert signer = SGN_CERT_ZERO;
static struct json js;
static const char *clusterdir, *cucmver = "14";
static struct cluster cl;
static struct clview view;

enum { OPT_CERTS = OPT_TOOL, OPT_SIGNER, OPT_PAYLOAD };

static const struct opt opts[] = {
	{ "brief", 'b', NULL, "one tab-separated line per record", "Output", NULL, NULL },
	{ "certs", OPT_CERTS, NULL, "the embedded certificates as PEM", NULL, NULL, "-c" },
	{ "json", 0, NULL, "one JSON document per file", NULL, NULL, NULL },
	{ "quiet", 0, NULL, NULL, NULL, NULL, NULL },
	{ "extract", 'x', "DIR", "one PEM file per record into DIR", NULL, "dir", NULL },
	{ "force", 0, NULL, "let --extract replace existing files", NULL, NULL, NULL },
	{ "payload", OPT_PAYLOAD, NULL, "a signed file's payload, byte for byte, on stdout", NULL,
	    NULL, NULL },
	{ "trust", 't', "OLD", "would a phone holding the trust list OLD accept the file?",
	    "Checks", "tlv", NULL },
	{ "signer", OPT_SIGNER, "CERT", "check signed files (.sgn) with this certificate", NULL,
	    "file", NULL },
	{ "cluster", 0, NULL, "with -t: judge as a phone of that offline cluster (TVS too)", NULL,
	    NULL, NULL },
	{ "cucm-version", 0, "V", "the cluster's release (default 14)", NULL, NULL, NULL },
	{ NULL, 0, NULL, NULL, NULL, NULL, NULL }
};

static const struct opt_tool tool = {
	"usage: ctl-dump [-bjq | --certs | -x dir | --payload] [-f]\n"
	"                [-t old | --signer cert] [--cluster dir] [--cucm-version v]\n"
	"                [file ...]",
	"Exit status: 0 verified (and trusted), 1 not verified or not trusted, 2 trouble.\n"
	"Signed files: -t ITL asks whether a phone holding ITL accepts them.",
	"tlv", opts
};

static void
setmode(int m)
{
	if (mode != SHOW && mode != m) {
		warnf("-b, --certs, -j, -q, -x and --payload exclude each other");
		opt_usage();
	}
	mode = m;
}

/* --cluster: the phone rule with the TVS path (lib/cucm/phone). */
static int
cluster_trust(const struct ctl *c, struct ctljson_trust *tr)
{
	static struct phone_verdict pv;

	if (phone_judge_files(&old, c, &view, &pv) != 0) {
		pv.accepted = 0;
		snprintf(pv.reason, sizeof(pv.reason), "out of memory");
	}
	tr->cluster = 1;
	tr->record = pv.record;
	tr->path = pv.path;
	tr->via = pv.via[0] != '\0' ? pv.via : NULL;
	tr->reason = pv.reason;
	return tr->accepted = pv.accepted;
}

static const char *
base_name(const char *path)
{
	const char *b = strrchr(path, '/');

	return b != NULL ? b + 1 : path;
}

/*
 * A signed file: checked against --signer or --trust (the phone's direct rule,
 * and with --cluster the TVS path), then shown.
 */
static int
dump_sgn(const char *name, const struct ctl *c)
{
	struct sgn_verdict v;
	size_t off, len;

	memset(&v, 0, sizeof(v));
	v.src = signerpath != NULL ? io_name(signerpath) : oldpath != NULL ? io_name(oldpath) : NULL;
	v.by_cert = signerpath != NULL;
	if (!c->damaged && signerpath != NULL)
		sgn_verify_cert(c, signer.key, signer.der, signer.len, &v);
	else if (!c->damaged && oldpath != NULL && clusterdir != NULL) {
		if (phonesgn_judge(&old, c, &view, &v) != 0) {
			warnf("%s: out of memory", name);
			return EXIT_TROUBLE;
		}
	} else if (!c->damaged && oldpath != NULL)
		sgn_accepts(&old, c, &v);
	if (mode == SHOW)
		sgnshow_print(stdout, c, &v);
	else if (mode == JSON)
		sgnjson_print(&js, c, name, &v);
	if (c->damaged) {
		warnf("%s: %s at byte %zu", name, c->err, c->err_off);
		return EXIT_TROUBLE;
	}
	if (mode == PAYLOAD && sgn_kind(c) == SGN_ENCRYPTED) {
		warnf("%s: the payload is encrypted (version 2.0): only the phone's key decrypts it",
		    name);
		return EXIT_TROUBLE;
	}
	if (v.checked && !v.verified && mode != SHOW && mode != JSON && mode != QUIET)
		warnf("%s: %s: %s", name, v.by_cert ? "not verified" : "a phone would reject it",
		    v.error);
	if (mode == BRIEF)
		sgnshow_brief(stdout, c, &v, name);
	else if (mode == PAYLOAD && (!v.checked || v.verified)) {
		off = sgn_payload(c, &len);
		fwrite(c->buf + off, 1, len, stdout);
	}
	return v.checked && !v.verified ? EXIT_FINDINGS : EXIT_OK;
}

/* The verdict line of a trust list judged against --trust (and --cluster). */
static void
trust_line(const char *name, const struct ctljson_trust *tr, int trusted)
{
	printf("%s %s: ", trusted ? "ACCEPTED" : "REJECTED", name);
	if (tr->cluster && tr->path != NULL)
		printf("%s%s: ", strcmp(tr->path, "tvs") == 0 ? "through TVS via " :
		    "directly", tr->via != NULL ? tr->via : "");
	out_str(stdout, tr->reason);
	if (tr->record >= 0)
		printf(" (record #%d of %s)", tr->record + 1, io_name(oldpath));
	putchar('\n');
}

/* A trust list: verified, and with --trust judged as a rollover from the old one. */
static int
dump_tl(const char *path, const struct ctl *c)
{
	const char *name = io_name(path), *why = NULL;
	struct ctljson_trust tr = { .record = -1, .old = oldpath };
	struct ctl_verify v = { 0, -1, NULL };
	struct stat st;
	time_t mt;
	int itl, trusted = 1;

	itl = ctl_is_itl(c, path);
	if (!c->damaged) {
		ctl_verify(c, &v);
		if (oldpath != NULL && clusterdir != NULL) {
			trusted = cluster_trust(c, &tr);
		} else if (oldpath != NULL) {
			trusted = ctl_trusts(&old, c, &tr.record, &tr.reason) && v.verified;
			if (!v.verified && tr.record >= 0)
				tr.reason = "the signature does not verify";
			tr.accepted = trusted;
		}
	}
	mt = strcmp(path, "-") != 0 && stat(path, &st) == 0 ? st.st_mtime : 0;
	switch (mode) {
	case SHOW:
		ctlshow_print(stdout, c, itl, mt ? &mt : NULL, c->damaged ? NULL : &v);
		break;
	case JSON:
		ctljson_print(&js, c, name, itl, c->damaged ? NULL : &v,
		    oldpath != NULL && !c->damaged ? &tr : NULL);
		break;
	case BRIEF:
		ctlbrief_print(stdout, c, name);
		break;
	case CERTS:
		ctlcerts_pem(stdout, c, name);
		break;
	case EXTRACT:
		if (ctlcerts_extract(c, xdir, nfiles > 1 ? base_name(path) : NULL, fflag) != 0)
			why = "cannot extract";
		break;
	case PAYLOAD:
		warnf("%s: not a signed file (a trust list has no payload)", name);
		return EXIT_TROUBLE;
	}
	if (c->damaged) {
		warnf("%s: %s at byte %zu", name, c->err, c->err_off);
		return EXIT_TROUBLE;
	}
	if (why != NULL)
		return EXIT_TROUBLE;
	if (!v.verified && mode != SHOW && mode != JSON && mode != QUIET)
		warnf("%s: not verified: %s", name, v.error);
	if (oldpath != NULL && (mode == SHOW || mode == BRIEF))
		trust_line(name, &tr, trusted);
	else if (oldpath != NULL && !trusted && mode != JSON && mode != QUIET)
		warnf("%s: a phone holding %s would reject it: %s", name, io_name(oldpath),
		    tr.reason);
	return v.verified && trusted ? EXIT_OK : EXIT_FINDINGS;
}

static int
dump(const char *path)
{
	struct ctl c;
	uint8_t *buf;
	size_t len;
	int rc;

	if ((buf = io_slurp(path, IO_MAX, &len)) == NULL)
		return EXIT_TROUBLE;
	if (sgn_parse_any(&c, buf, len) != SGN_NONE)
		rc = dump_sgn(io_name(path), &c);
	else if (c.oom) {
		/* Printing what was parsed would need memory too: stop here, and say so. */
		warnf("%s: %s at byte %zu", io_name(path), c.err, c.err_off);
		rc = EXIT_TROUBLE;
	} else
		rc = dump_tl(path, &c);
	ctl_free(&c);
	free(buf);
	return rc;
}

static int
options(int argc, char *argv[])
{
	int ch, v;

	while ((ch = opt_next(&tool, argc, argv)) != -1) {
		switch (ch) {
		case 'b':
			setmode(BRIEF);
			break;
		case OPT_CERTS:
			setmode(CERTS);
			break;
		case 'f':
			fflag = 1;
			break;
		case 'j':
			setmode(JSON);
			break;
		case 'q':
			setmode(QUIET);
			break;
		case 't':
			oldpath = optarg;
			break;
		case OPT_CLUSTER:
			clusterdir = optarg;
			break;
		case OPT_CUCM_VERSION:
			cucmver = opt_check(cucm_version(optarg, &v) == 0, CUCM_VERSION_WHAT,
			    optarg);
			break;
		case OPT_SIGNER:
			signerpath = optarg;
			break;
		case OPT_PAYLOAD:
			setmode(PAYLOAD);
			break;
		case 'x':
			setmode(EXTRACT);
			xdir = optarg;
			break;
		default:
			opt_usage();
		}
	}
	return optind;
}

/* Options that go together, or exclude each other. */
static void
check_options(int argc)
{
	if (clusterdir != NULL && oldpath == NULL) {
		warnf("--cluster goes with --trust OLD");
		opt_usage();
	}
	if (signerpath != NULL && oldpath != NULL) {
		warnf("--signer and --trust exclude each other");
		opt_usage();
	}
	if (mode == PAYLOAD && argc > 1) {
		warnf("--payload takes one file: the payloads would run together");
		opt_usage();
	}
}

int
main(int argc, char *argv[])
{
	int r, rc = EXIT_OK;

	setprogname(argv[0]);
	r = options(argc, argv);
	argc -= r;
	argv += r;
	nfiles = argc;
	check_options(argc);
	json_init(&js, stdout);
	/* Fetched now, while memory is plentiful: OpenSSL's fetch does not survive a failed malloc. */
	if (hash_md("md5") == NULL || hash_md("sha1") == NULL || hash_md("sha256") == NULL) {
		warnssl("fetching the digests");
		return EXIT_TROUBLE;
	}
	if (mode == EXTRACT && !store_isdir(xdir)) {
		warnf("%s: not a directory", xdir);
		return EXIT_TROUBLE;
	}
	if ((oldpath != NULL && ctl_load(oldpath, &oldbuf, &old) != 0) || (clusterdir != NULL &&
	    (cluster_load(&cl, clusterdir, cucmver) != 0 ||
	    clview_load(&view, &cl, cluster_mixed(&cl)) != 0)))
		rc = EXIT_TROUBLE;
	else if (signerpath != NULL && sgn_cert_load(&signer, signerpath) != 0)
		rc = EXIT_TROUBLE;
	else if (argc == 0)
		rc = dump("-");
	else
		for (; *argv != NULL; argv++)	/* a damaged file does not stop the others */
			if ((r = dump(*argv)) > rc)
				rc = r;
	ctl_free(&old);
	free(oldbuf);
	sgn_cert_free(&signer);
	if (view.c != NULL)
		clview_free(&view);
	cluster_free(&cl);
	der_cleanup();
	ctl_verify_cleanup();
	if (diag_flush_stdout() != 0)
		return EXIT_TROUBLE;
	return rc;
}
