/* ctl-dump: print CTL/ITL files as CUCM's show ctl/show itl does, as JSON or certificates; verify them. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/x509.h>

#include "core/afile.h"
#include "x509/cert.h"
#include "tl/ctl.h"
#include "tl/ctljson.h"
#include "tl/ctlshow.h"
#include "x509/der.h"
#include "core/diag.h"
#include "core/hash.h"
#include "core/io.h"
#include "core/json.h"
#include "core/out.h"
#include "x509/pem.h"
#include "store/store.h"
#include "core/when.h"
#include "cucm/clview.h"
#include "cucm/phone.h"

#define USAGE "usage: ctl-dump [-bcjq] [-f] [-t oldfile] [-x dir] [--cluster dir]\n" \
	"                [--cucm-version v] [file ...]"

enum { SHOW, JSON, BRIEF, CERTS, EXTRACT, QUIET };

static int mode = SHOW, fflag, nfiles;
static const char *xdir, *oldpath;
static struct ctl old;
static uint8_t *oldbuf;
static struct json js;
static const char *clusterdir, *cucmver = "14";
static struct cluster cl;
static struct clview view;

enum { OPT_CLUSTER = 256, OPT_CUCMVER };

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
	    "  -b, --brief        one tab-separated line per record\n"
	    "  -c, --certs        the embedded certificates as PEM\n"
	    "  -f, --force        let --extract replace existing files\n"
	    "  -j, --json         one JSON document per file\n"
	    "  -q, --quiet        print nothing; the exit status says it all\n"
	    "  -t, --trust OLD    would a phone holding OLD accept the file?\n"
	    "  -x, --extract DIR  one PEM file per record into DIR\n"
	    "      --cluster DIR  with -t: judge as a phone of that offline cluster (TVS too)\n"
	    "      --cucm-version V  the cluster's release (default 14)\n"
	    "      --help, --version\n\n"
	    "Exit status: 0 verified (and trusted), 1 not verified or not trusted, 2 trouble.\n",
	    USAGE);
	exit(EXIT_OK);
}

static void
setmode(int m)
{
	if (mode != SHOW && mode != m) {
		warnf("-b, -c, -j, -q and -x exclude each other");
		usage();
	}
	mode = m;
}

/* CN of a record's certificate (sanitised for file names when safe is set). */
static void
record_cn(const struct ctl_rec *r, const struct der_cert *dc, int ok, char *cn, size_t n,
    int safe)
{
	const unsigned char *p;
	X509_NAME *name;
	char *s;

	cn[0] = '\0';
	if (ok) {
		p = dc->subject.p;
		if ((name = d2i_X509_NAME(NULL, &p, (long)dc->subject.len)) != NULL) {
			cert_cn(name, cn, n);
			X509_NAME_free(name);
		}
	}
	if (cn[0] == '\0' && r->f[CTL_R_DNS].val != NULL)
		snprintf(cn, n, "%.*s", (int)ctl_strlen(&r->f[CTL_R_DNS]),
		    (const char *)r->f[CTL_R_DNS].val);
	for (s = cn; safe && *s != '\0'; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		    (*s >= '0' && *s <= '9') || *s == '.' || *s == '-' || *s == '_'))
			*s = '_';
}

static const char *
role(const struct ctl_rec *r, char *buf, size_t n)
{
	const char *s = ctl_role_name(r->function);

	if (s != NULL)
		return s;
	snprintf(buf, n, "UNKNOWN-%d", r->function);
	return buf;
}

static void
brief(const struct ctl *c, const char *name)
{
	struct der_cert dc;
	const struct tlv *ct;
	char cn[256], iso[32], hex[2 * HASH_MAX + 1], ser[2 * 64 + 1], rb[32];
	struct der_span s;
	size_t i;
	int ok;

	for (i = 0; i < c->nrecs; i++) {
		ct = &c->recs[i].f[CTL_R_CERT];
		ok = ct->val != NULL && der_cert_parse(ct->val, ct->len, &dc) == NULL;
		record_cn(&c->recs[i], &dc, ok, cn, sizeof(cn), 0);
		printf("%zu\t%s\t", i + 1, role(&c->recs[i], rb, sizeof(rb)));
		out_str(stdout, cn[0] ? cn : "-");
		if (ok) {
			s = der_serial_unsigned(&dc);
			printf("\t%s\t%s\t%s\t", out_hex(ser, s.p, s.len < 64 ? s.len : 64, 1, 0),
			    when_iso(dc.not_after, iso),
			    hash_hex("sha256", ct->val, ct->len, 1, hex) ? hex : "-");
		} else
			printf("\t-\t-\t-\t");
		out_str(stdout, name);
		putchar('\n');
	}
}

static int
certs(const struct ctl *c, const char *path)
{
	const char *base = strrchr(path, '/');
	struct afile af;
	struct buf src = BUF_ZERO;
	char cn[256], rb[32], fname[512], *full;
	size_t i;
	int rc = 0;

	base = base != NULL ? base + 1 : path;
	for (i = 0; i < c->nrecs; i++) {
		const struct tlv *ct = &c->recs[i].f[CTL_R_CERT];
		struct der_cert dc;

		if (ct->val == NULL)
			continue;
		if (mode == CERTS) {
			/* the explanatory line names file, record and role (cert-expiry reads it) */
			src.len = 0;
			buf_printf(&src, "%s#%zu(%s)", io_name(path), i + 1, role(&c->recs[i], rb, sizeof(rb)));
			pem_write_source(stdout, src.err ? "" : (const char *)src.p);
			pem_write(stdout, "CERTIFICATE", ct->val, ct->len);
			continue;
		}
		record_cn(&c->recs[i], &dc, der_cert_parse(ct->val, ct->len, &dc) == NULL,
		    cn, sizeof(cn), 1);
		snprintf(fname, sizeof(fname), "%s%s%02zu-%s-%s.pem", nfiles > 1 ? base : "",
		    nfiles > 1 ? "-" : "", i + 1, role(&c->recs[i], rb, sizeof(rb)),
		    cn[0] ? cn : "nocn");
		if ((full = store_join(xdir, fname, NULL)) == NULL ||
		    afile_open(&af, full, AFILE_MODE_DEFAULT) != 0) {
			free(full);
			buf_free(&src);
			return -1;
		}
		pem_write(af.fp, "CERTIFICATE", ct->val, ct->len);
		if (afile_commit(&af, fflag) != 0)
			rc = -1;
		free(full);
	}
	buf_free(&src);
	return rc;
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

static int
dump(const char *path)
{
	const char *name = io_name(path), *why = NULL;
	struct ctljson_trust tr = { .record = -1, .old = oldpath };
	struct ctl_verify v = { 0, -1, NULL };
	struct ctl c;
	struct stat st;
	time_t mt;
	uint8_t *buf;
	size_t len;
	int rc, itl, trusted = 1;

	if ((buf = io_slurp(path, IO_MAX, &len)) == NULL)
		return EXIT_TROUBLE;
	ctl_parse(&c, buf, len);
	itl = ctl_is_itl(&c, path);
	if (!c.damaged) {
		ctl_verify(&c, &v);
		if (oldpath != NULL && clusterdir != NULL) {
			trusted = cluster_trust(&c, &tr);
		} else if (oldpath != NULL) {
			trusted = ctl_trusts(&old, &c, &tr.record, &tr.reason) && v.verified;
			if (!v.verified && tr.record >= 0)
				tr.reason = "the signature does not verify";
			tr.accepted = trusted;
		}
	}
	mt = strcmp(path, "-") != 0 && stat(path, &st) == 0 ? st.st_mtime : 0;
	switch (mode) {
	case SHOW:
		ctlshow_print(stdout, &c, itl, mt ? &mt : NULL, c.damaged ? NULL : &v);
		break;
	case JSON:
		ctljson_print(&js, &c, name, itl, c.damaged ? NULL : &v,
		    oldpath != NULL && !c.damaged ? &tr : NULL);
		break;
	case BRIEF:
		brief(&c, name);
		break;
	case CERTS:
	case EXTRACT:
		if (certs(&c, path) != 0)
			why = "cannot extract";
		break;
	}
	if (c.damaged) {
		warnf("%s: %s at byte %zu", name, c.err, c.err_off);
		rc = EXIT_TROUBLE;
	} else if (why != NULL)
		rc = EXIT_TROUBLE;
	else {
		if (!v.verified && mode != SHOW && mode != JSON && mode != QUIET)
			warnf("%s: not verified: %s", name, v.error);
		if (oldpath != NULL && (mode == SHOW || mode == BRIEF)) {
			printf("%s %s: ", trusted ? "ACCEPTED" : "REJECTED", name);
			if (tr.cluster && tr.path != NULL)
				printf("%s%s: ", strcmp(tr.path, "tvs") == 0 ? "through TVS via " :
				    "directly", tr.via != NULL ? tr.via : "");
			out_str(stdout, tr.reason);
			if (tr.record >= 0)
				printf(" (record #%d of %s)", tr.record + 1, io_name(oldpath));
			putchar('\n');
		} else if (oldpath != NULL && !trusted && mode != JSON && mode != QUIET)
			warnf("%s: a phone holding %s would reject it: %s", name,
			    io_name(oldpath), tr.reason);
		rc = v.verified && trusted ? EXIT_OK : EXIT_FINDINGS;
	}
	ctl_free(&c);
	free(buf);
	return rc;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "brief", no_argument, NULL, 'b' },
		{ "certs", no_argument, NULL, 'c' },
		{ "extract", required_argument, NULL, 'x' },
		{ "force", no_argument, NULL, 'f' },
		{ "json", no_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "trust", required_argument, NULL, 't' },
		{ "cluster", required_argument, NULL, OPT_CLUSTER },
		{ "cucm-version", required_argument, NULL, OPT_CUCMVER },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int ch, r, rc = EXIT_OK;

	setprogname(argv[0]);
	while ((ch = getopt_long(argc, argv, "bcfjqt:x:hV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'b':
			setmode(BRIEF);
			break;
		case 'c':
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
		case OPT_CUCMVER:
			cucmver = optarg;
			break;
		case 'x':
			setmode(EXTRACT);
			xdir = optarg;
			break;
		case 'h':
			help();
		case 'V':
			printf("ctl-dump ctlkit %s\n", CTK_VERSION);
			return EXIT_OK;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	nfiles = argc;
	json_init(&js, stdout);
	if (mode == EXTRACT && !store_isdir(xdir)) {
		warnf("%s: not a directory", xdir);
		return EXIT_TROUBLE;
	}
	if (clusterdir != NULL && oldpath == NULL) {
		warnf("--cluster goes with --trust OLD");
		usage();
	}
	if ((oldpath != NULL && ctl_load(oldpath, &oldbuf, &old) != 0) || (clusterdir != NULL &&
	    (cluster_load(&cl, clusterdir, cucmver) != 0 ||
	    clview_load(&view, &cl, cluster_mixed(&cl)) != 0)))
		rc = EXIT_TROUBLE;
	else if (argc == 0)
		rc = dump("-");
	else
		for (; *argv != NULL; argv++)	/* a damaged file does not stop the others */
			if ((r = dump(*argv)) > rc)
				rc = r;
	ctl_free(&old);
	free(oldbuf);
	if (view.c != NULL)
		clview_free(&view);
	cluster_free(&cl);
	der_cleanup();
	ctl_verify_cleanup();
	if (diag_flush_stdout() != 0)
		return EXIT_TROUBLE;
	return rc;
}
