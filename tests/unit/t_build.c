/*
 * t_build.c: itl-build's byte layout (lib/build over lib/tl/ctlwrite), run in process as its
 * main runs it: certutils' layout against the goldens certutils d9db03e itself wrote
 * (tests/golden/itl-build.certutils-*, from tests/fixtures/certutils), ITL and .sgn, SHA-1 and
 * SHA-512;
 * and ctl-dump verifying certutils' own files with the fixture's signer.
 *
 * The goldens: certutils d9db03e (github.com/usecallmanagernz/certutils; Debian 12's python3 and
 * python3-cryptography 38.0.4), made once by hand from tests/fixtures/certutils, time pinned to
 * 1798761600 (in full: tests/fixtures/certutils/README.md):
 *   P='import time,sys,runpy; time.time=lambda: 1798761600; sys.argv=sys.argv[1:]; runpy.run_path(sys.argv[0], run_name="__main__")'
 *   python3 -c "$P" tlvfile -b -v 1.0 -d sha1 -s sast-both.pem -t tftp.pem -F ITLFile.tlv ITL-sha1.tlv
 *   python3 -c "$P" tlvfile -b -v 1.1 -d sha512 -s sast-both.pem -t tftp.pem -F ITLFile.tlv ITL-sha512.tlv
 *   python3 -c "$P" sgnfile -b -d sha1 -t tftp-both.pem SEP001122334455.cnf.xml    (then sha512)
 * (X-both.pem: X.pem then X.key.) Any change to the names, escapes, tag order or header breaks it.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "build/itlbuild.h"
#include "core/diag.h"
#include "store/lock.h"
#include "tl/ctl.h"
#include "test.h"
#include "unit.h"

#define C "tests/fixtures/certutils/"

/* The fixture TFTP certificate's subject as ctl-dump shows it (RFC 4514, escapes and all). */
#define TFTP_DN	"C=NZ,O=Lab\\, Inc.,OU=Voice\\+Video,CN=\\#tftp.lab.example\\;1\\ ," \
	"1.2.840.113549.1.9.1=tftp@lab.example,DC=lab,UID=tftp1"

/*
 * The file written at path is golden gold byte for byte (path removed), and ctl-dump
 * verifies the golden with signer, printing verified and line.
 */
static void
golden_read(const char *path, const char *gold, const char *signer, const char *verified,
    const char *line)
{
	struct ctldump d = { .mode = CTLDUMP_SHOW, .signerpath = signer };
	uint8_t *a, *g;
	size_t alen, glen;
	char *out, *err;

	a = t_read(path, &alen);
	g = t_read(gold, &glen);
	assert_mem(a, alen, g, glen);
	free(a);
	unlink(path);
	assert_int(t_ctldump_with(&d, g, glen, &out, &err), 0);
	free(g);
	assert_has(out, verified);
	assert_has(out, line);
	free(out);
	free(err);
}

static void
certutils_goldens(void)
{
	static const char *const digests[] = { "sha1", "sha512" };
	char dir[] = "/tmp/ctk-unit-build-XXXXXX", itl[128], xml[128], sgn[160], gold[128];
	char *files[2] = { xml, NULL };
	uint8_t *x;
	size_t xlen, i;
	struct itlspec sp[2];
	const char *why;
	FILE *fp;

	if (mkdtemp(dir) == NULL)
		t_fail(__FILE__, __LINE__, "mkdtemp");
	snprintf(xml, sizeof(xml), "%s/SEP001122334455.cnf.xml", dir);
	x = t_read(C "SEP001122334455.cnf.xml", &xlen);
	if ((fp = fopen(xml, "wb")) == NULL || fwrite(x, 1, xlen, fp) != xlen || fclose(fp) != 0)
		t_fail(__FILE__, __LINE__, "%s: cannot write", xml);
	free(x);
	snprintf(sgn, sizeof(sgn), "%s.sgn", xml);
	for (i = 0; i < 2; i++) {
		/* itl-build --layout certutils --signer-version V --digest D -k sast.key
		 *     --sast sast.pem --tftp tftp.pem --now @1798761600 -o ITL-D.tlv */
		struct itlbuild b = { .layout = CTLW_CERTUTILS, .digest_code = -1, .modcode = -1,
		    .sigver = i == 0 ? 0x100 : 0x101, .digest = digests[i], .digest_given = 1,
		    .keyspec = C "sast.key", .nowopt = "@1798761600", .outpath = itl, .specs = sp,
		    .nspecs = 2 };

		snprintf(itl, sizeof(itl), "%s/ITL-%s.tlv", dir, digests[i]);
		assert_int(itlspec_parse(&sp[0], CTL_FN_SAST, C "sast.pem", &why), 0);
		assert_int(itlspec_parse(&sp[1], CTL_FN_TFTP, C "tftp.pem", &why), 0);
		b.out = stdout;
		setprogname("itl-build");
		assert_int(itlbuild_run(&b), 0);
		setprogname("unit");
		itlspec_free(&sp[0]);
		itlspec_free(&sp[1]);
		snprintf(gold, sizeof(gold), "tests/golden/itl-build.certutils-%s.tlv", digests[i]);
		/* ctl-dump reads certutils' own file: verified with the fixture's signer, names as written */
		golden_read(itl, gold, C "sast.pem", "\nThe ITL file was verified successfully.\n",
		    "\n3\tSUBJECTNAME\t116\t" TFTP_DN "\n");
		/* itl-build --sign-file --layout certutils --digest D -k tftp.key --signer tftp.pem
		 *     --now @1798761600 SEP001122334455.cnf.xml (FILENAME: the output's name) */
		{
			struct itlbuild b2 = { .layout = CTLW_CERTUTILS, .digest_code = -1,
			    .modcode = -1, .sigver = -1, .digest = digests[i], .digest_given = 1,
			    .keyspec = C "tftp.key", .signerpath = C "tftp.pem",
			    .nowopt = "@1798761600", .files = files, .nfiles = 1 };

			b2.out = stdout;
			setprogname("itl-build");
			assert_int(itlbuild_sign_files(&b2), 0);
			setprogname("unit");
		}
		snprintf(gold, sizeof(gold), "tests/golden/itl-build.certutils-%s.sgn", digests[i]);
		golden_read(sgn, gold, C "tftp.pem", "\nThe signed file was verified successfully "
		    "(signer: " C "tftp.pem).\n", "\n4\tSIGNERNAME\t116\t" TFTP_DN "\n");
	}
	unlink(xml);
	rmdir(dir);
}

/* The temporary directory of a test and the fixture certificates made in it. */
static char tmp[64];

/* tmp/NAME, in one of 32 static buffers used in turn (a test holds a few at once). */
static const char *
at(const char *name)
{
	static char p[32][160];
	static int k;

	k = (k + 1) % 32;
	snprintf(p[k], sizeof(p[k]), "%s/%s", tmp, name);
	return p[k];
}

/*
 * The fixtures of tests/itl-build.bats' setup_file that these tests read, made in process:
 * sast (the certutils fixture's SAST and key), k1024 (CN=small) and k3072 (CN=odd), odd.pem
 * (attributes CUCM orders apart), tvs.pem and ccm.pem.
 */
static void
fixtures(void)
{
	strcpy(tmp, "/tmp/ctk-unit-build-XXXXXX");
	if (mkdtemp(tmp) == NULL)
		t_fail(__FILE__, __LINE__, "mkdtemp");
	t_mkcert(at("k1024.pem"), "CN=small", "tests/fixtures/keys/rsa1024-1.key",
	    "20240101000000Z", "20490101000000Z", 0x1024, 0);
	t_mkcert(at("k3072.pem"), "CN=odd", "tests/fixtures/keys/rsa3072-1.key",
	    "20240101000000Z", "20490101000000Z", 0x3072, 0);
	t_mkcert(at("odd.pem"), "C=DE/O=Org/OU=b/OU=a/CN=odd name/emailAddress=x@example.com/DC=corp",
	    C "sast.key", "20240101000000Z", "20490101000000Z", 0x0DD, 0);
	t_mkcert(at("tvs.pem"), "CN=tvs.example.com", "tests/fixtures/keys/rsa1024-2.key",
	    "20240101000000Z", "20490101000000Z", 0x7, 0);
	t_mkcert(at("ccm.pem"), "CN=ccm.example.com/OU=VTG/O=Acme", "tests/fixtures/keys/rsa1024-3.key",
	    "20240101000000Z", "20490101000000Z", 0xCC, 0);
	t_mkcert(at("other.pem"), "CN=other.example.com", "tests/fixtures/keys/rsa1024-4.key",
	    "20240101000000Z", "20490101000000Z", 0x07E, 0);
}

static void
rmfixtures(void)
{
	static const char *const f[] = { "k1024.pem", "k3072.pem", "odd.pem", "tvs.pem", "ccm.pem",
	    "a.tlv", "b.tlv", "c.tlv", "old.tlv", "other.pem", "new.tlv", "bad.tlv", NULL };
	size_t i;

	for (i = 0; f[i] != NULL; i++)
		unlink(at(f[i]));
	rmdir(tmp);
}

/* One record's argument for role fn into the next free spec of b (at most 4). */
static void
role(struct itlbuild *b, int fn, const char *arg)
{
	const char *why;

	if (itlspec_parse(&b->specs[b->nspecs++], fn, arg, &why) != 0)
		t_fail(__FILE__, __LINE__, "%s: %s", arg, why);
}

/*
 * itl-build's run of b (its options as its main would have set them; out: -o in tmp), its exit
 * status; *err what it said; the specs freed; *json ctl-dump -j of the file written (or NULL).
 */
static int
build(struct itlbuild *b, const char *out, char **err, char **json)
{
	char *o;
	uint8_t *f;
	size_t len, i;
	int rc;

	b->outpath = at(out);
	unlink(b->outpath);	/* a new file each time, as a shell's > gives */
	b->out = stdout;
	if (b->layout == 0 && b->digest_code == 0)	/* the option defaults, as main's */
		b->layout = b->digest_code = b->modcode = b->sigver = -1;
	if (b->digest == NULL)
		b->digest = "sha1";
	b->wait = LOCK_WAIT_DEFAULT;
	setprogname("itl-build");
	t_err_begin();
	rc = itlbuild_run(b);
	*err = t_err_end();
	setprogname("unit");
	for (i = 0; i < b->nspecs; i++)
		itlspec_free(&b->specs[i]);
	*json = NULL;
	if (access(b->outpath, F_OK) == 0) {
		f = t_read(b->outpath, &len);
		t_ctldump(f, len, CTLDUMP_JSON, json, &o);
		free(o);
		free(f);
	}
	return rc;
}

/* --digest sha256/sha512 verify; --digest-code writes the code asked for. */
static void
digests(void)
{
	static const char *const d[] = { "sha256", "sha512" };
	struct itlspec sp[4];
	char *err, *json, want[64];
	size_t i;

	fixtures();
	for (i = 0; i < 2; i++) {
		struct itlbuild b = { .specs = sp, .keyspec = C "sast.key", .digest = d[i],
		    .digest_given = 1 };

		role(&b, CTL_FN_SAST, C "sast.pem");
		assert_int(build(&b, "a.tlv", &err, &json), 0);
		snprintf(want, sizeof(want), "\"digest\":\"%s\",", d[i]);
		assert_has(json, want);
		assert_has(json, "\"signature\":{\"verified\":true,");
		free(err);
		free(json);
	}
	{
		struct itlbuild b = { .specs = sp, .keyspec = C "sast.key", .digest = "sha256",
		    .digest_given = 1, .layout = -1, .modcode = -1, .sigver = -1, .digest_code = 9 };

		role(&b, CTL_FN_SAST, C "sast.pem");
		assert_int(build(&b, "c.tlv", &err, &json), 0);
		assert_has(json, "\"digest\":9,");
		free(err);
		free(json);
	}
	rmfixtures();
}

/* SIGNATUREMODULUS from the key size; 3072 bits needs --modulus-code. */
static void
modulus(void)
{
	struct itlspec sp[4];
	char *err, *json;

	fixtures();
	{
		struct itlbuild b = { .specs = sp, .keyspec = "tests/fixtures/keys/rsa1024-1.key" };

		role(&b, CTL_FN_SAST, at("k1024.pem"));
		assert_int(build(&b, "a.tlv", &err, &json), 0);
		assert_has(json, "\"modulus\":1,\"signature_length\":128,");
		free(err);
		free(json);
	}
	{
		struct itlbuild b = { .specs = sp, .keyspec = "tests/fixtures/keys/rsa3072-1.key" };

		role(&b, CTL_FN_SAST, at("k3072.pem"));
		assert_int(build(&b, "b.tlv", &err, &json), 2);
		assert_true(json == NULL);	/* nothing written */
		assert_true(strncmp(err, "itl-build: tests/fixtures/keys/rsa3072-1.key: no "
		    "SIGNATUREMODULUS code is known for this key size", 96) == 0);
		free(err);
	}
	{
		struct itlbuild b = { .specs = sp, .keyspec = "tests/fixtures/keys/rsa3072-1.key",
		    .layout = -1, .digest_code = -1, .sigver = -1, .modcode = 4 };

		role(&b, CTL_FN_SAST, at("k3072.pem"));
		assert_int(build(&b, "b.tlv", &err, &json), 0);
		assert_has(json, "\"modulus\":4,\"signature_length\":384,");
		assert_has(json, "\"signature\":{\"verified\":true,");
		free(err);
		free(json);
	}
	rmfixtures();
}

/* CUCM's names put CN;OU;O;L;ST;C first, then the other attributes in DER order. */
static void
cucm_names(void)
{
	struct itlspec sp[4];
	struct itlbuild b = { .specs = sp, .keyspec = C "sast.key" };
	char *err, *json;

	fixtures();
	role(&b, CTL_FN_SAST, C "sast.pem");
	role(&b, CTL_FN_CCM, at("odd.pem"));
	assert_int(build(&b, "a.tlv", &err, &json), 0);
	assert_has(json, "\"subject\":\"CN=odd name;OU=b;OU=a;O=Org;C=DE;emailAddress=x@example.com;DC=corp\",");
	free(err);
	free(json);
	rmfixtures();
}

/* A TVS record in a CTL is written when asked, with a warning. */
static void
tvs_in_ctl(void)
{
	struct itlspec sp[4];
	struct itlbuild b = { .specs = sp, .keyspec = C "sast.key", .ctl = 1 };
	char *err, *json;

	fixtures();
	role(&b, CTL_FN_SAST, C "sast.pem");
	role(&b, CTL_FN_TVS, at("tvs.pem"));
	assert_int(build(&b, "c.tlv", &err, &json), 0);
	assert_str(err, "itl-build: warning: a TVS record in a CTL: CUCM never writes one\n");
	assert_has(json, "\"type\":\"CTL\",");
	assert_true(strstr(json, "\"index\":2,") != NULL);
	assert_has(strstr(json, "\"index\":2,"), "\"role\":\"TVS\",");
	free(err);
	free(json);
	rmfixtures();
}

/* --resign keeps the file's digest and FILENAME unless told otherwise. */
static void
resign_keeps(void)
{
	struct itlspec sp[4];
	char *err, *json;

	fixtures();
	{
		struct itlbuild b = { .specs = sp, .keyspec = C "sast.key", .ctl = 1,
		    .digest = "sha512", .digest_given = 1 };

		role(&b, CTL_FN_SAST, C "sast.pem");
		role(&b, CTL_FN_CCM, at("ccm.pem"));
		assert_int(build(&b, "old.tlv", &err, &json), 0);
		free(err);
		free(json);
	}
	{
		struct itlbuild b = { .specs = sp, .keyspec = C "sast.key", .resign = at("old.tlv") };

		assert_int(build(&b, "a.tlv", &err, &json), 0);
		assert_has(json, "\"type\":\"CTL\",");
		assert_has(json, "\"digest\":\"sha512\",");
		assert_has(json, "\"filename\":\"CTLFile.tlv\",");
		assert_has(json, "\"signature\":{\"verified\":true,");
		free(err);
		free(json);
	}
	{
		struct itlbuild b = { .specs = sp, .keyspec = C "sast.key", .resign = at("old.tlv"),
		    .digest = "sha1", .digest_given = 1 };

		assert_int(build(&b, "b.tlv", &err, &json), 0);
		assert_has(json, "\"digest\":\"sha1\",");
		free(err);
		free(json);
	}
	rmfixtures();
}

/* --trust OLD: refused (exit 1, nothing written) unless a phone holding OLD would accept. */
static void
trust(void)
{
	struct itlspec sp[4];
	struct t_mem m;
	char *err, *json, *out, want[256];
	uint8_t *f;
	size_t len;
	int rc;

	fixtures();
	{	/* old.tlv: sast signs; k1024 a SAST record too */
		struct itlbuild b = { .specs = sp, .keyspec = C "sast.key", .nowopt = "@1720000000" };

		role(&b, CTL_FN_SAST, C "sast.pem");
		role(&b, CTL_FN_SAST, at("k1024.pem"));
		role(&b, CTL_FN_CCM, at("ccm.pem"));
		assert_int(build(&b, "old.tlv", &err, &json), 0);
		free(err);
		free(json);
	}
	{	/* signed by k1024, a SAST record of old.tlv: accepted, and a phone says so */
		struct itlbuild b = { .specs = sp, .keyspec = "tests/fixtures/keys/rsa1024-1.key",
		    .trusted = at("old.tlv") };
		struct ctldump d = { .mode = CTLDUMP_QUIET, .oldpath = at("old.tlv") };

		role(&b, CTL_FN_SAST, at("k1024.pem"));
		role(&b, CTL_FN_CCM, at("ccm.pem"));
		rc = build(&b, "new.tlv", &err, &json);
		if (rc != 0)
			t_fail(__FILE__, __LINE__, "exit %d: %s", rc, err);
		assert_str(err, "");
		free(err);
		free(json);
		f = t_read(at("new.tlv"), &len);
		assert_int(t_ctldump_with(&d, f, len, &out, &err), 0);
		free(f);
		free(out);
		free(err);
	}
	{	/* signed by a key old.tlv does not know: refused, the reason on stderr */
		struct itlbuild b = { .specs = sp, .keyspec = "tests/fixtures/keys/rsa1024-4.key",
		    .trusted = at("old.tlv") };

		role(&b, CTL_FN_SAST, at("other.pem"));
		assert_int(build(&b, "bad.tlv", &err, &json), 1);
		assert_true(json == NULL);
		snprintf(want, sizeof(want), "itl-build: %s: a phone holding it would reject the new "
		    "file: ", at("old.tlv"));
		assert_true(strncmp(err, want, strlen(want)) == 0);
		assert_true(strlen(err) > 18 && strcmp(err + strlen(err) - 18, "; nothing written\n") == 0);
		free(err);
	}
	{	/* --force writes anyway and says what phones will do */
		struct itlbuild b = { .specs = sp, .keyspec = "tests/fixtures/keys/rsa1024-4.key",
		    .trusted = at("old.tlv"), .force = 1 };

		role(&b, CTL_FN_SAST, at("other.pem"));
		assert_int(build(&b, "bad.tlv", &err, &json), 0);
		assert_true(json != NULL);
		assert_has(err, "writing anyway (--force); phones holding it keep it and reject signed "
		    "configuration");
		free(err);
		free(json);
	}
	{	/* --dry-run --json reports the check */
		struct itlbuild b = { .specs = sp, .keyspec = "tests/fixtures/keys/rsa1024-1.key",
		    .trusted = at("old.tlv"), .dry = 1, .json = 1 };

		role(&b, CTL_FN_SAST, at("k1024.pem"));
		b.layout = b.digest_code = b.modcode = b.sigver = -1;
		b.digest = "sha1";
		b.outpath = "-";
		b.out = t_mem_open(&m);
		setprogname("itl-build");
		assert_int(itlbuild_run(&b), 0);
		setprogname("unit");
		itlspec_free(&sp[0]);
		out = t_mem_close(&m);
		assert_true(strstr(out, "\"trust\":{") != NULL);
		assert_has(strstr(out, "\"trust\":{"), "\"accepted\":true,");
		assert_true(strchr(strstr(out, "\"trust\":{"), '}') > strstr(strstr(out, "\"trust\":{"), "\"accepted\":true,"));
		free(out);
	}
	{	/* an OLD that is no trust list: trouble, named */
		struct itlbuild b = { .specs = sp, .keyspec = "tests/fixtures/keys/rsa1024-1.key",
		    .trusted = C "SEP001122334455.cnf.xml" };

		role(&b, CTL_FN_SAST, at("k1024.pem"));
		assert_int(build(&b, "c.tlv", &err, &json), 2);
		assert_true(strncmp(err, "itl-build: " C "SEP001122334455.cnf.xml: ", 50) == 0);
		free(err);
		free(json);
	}
	rmfixtures();
}

/* --dry-run --json: the summary ctl-dump would print, nothing written; -j -o FILE: its SHA-1. */
static void
dry_json(void)
{
	struct itlspec sp[4];
	struct t_mem m;
	char key[4096], pem[4096], w[160], *out, *err, hex[41];
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen, i;
	uint8_t *f;
	size_t len;
	DIR *dp;
	struct dirent *e;
	int back = open(".", O_RDONLY | O_DIRECTORY), n = 0;

	fixtures();
	t_mkcert(at("sast.pem"), "CN=sast.example.com", C "sast.key", "20240101000000Z",
	    "20490101000000Z", 0x5A, 0);
	if (realpath(C "sast.key", key) == NULL || realpath(at("sast.pem"), pem) == NULL)
		abort();
	snprintf(w, sizeof(w), "%s", at("w"));
	if (back < 0 || mkdir(w, 0700) != 0 || chdir(w) != 0)
		t_fail(__FILE__, __LINE__, "%s: cannot make", w);
	{
		struct itlbuild b = { .specs = sp, .keyspec = key, .nowopt = "@1720000000", .dry = 1,
		    .json = 1, .layout = -1, .digest_code = -1, .modcode = -1, .sigver = -1,
		    .digest = "sha1", .outpath = "-" };

		role(&b, CTL_FN_SAST, pem);
		b.out = t_mem_open(&m);
		setprogname("itl-build");
		t_err_begin();
		assert_int(itlbuild_run(&b), 0);
		err = t_err_end();
		setprogname("unit");
		itlspec_free(&sp[0]);
		out = t_mem_close(&m);
		assert_str(err, "");
		assert_has(out, "\"file\":\"ITLFile.tlv\",\"type\":\"ITL\",");
		assert_has(out, "\"timestamp\":1720000000,");
		assert_has(out, "\"signature\":{\"verified\":true,");
		assert_true(strstr(out, "\"index\":1,") != NULL);
		assert_has(strstr(out, "\"index\":1,"), "\"role\":\"SAST\",");
		free(out);
		free(err);
	}
	if ((dp = opendir(".")) == NULL)
		abort();
	while ((e = readdir(dp)) != NULL)
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(dp);
	assert_int(n, 0);	/* nothing written */
	{
		struct itlbuild b = { .specs = sp, .keyspec = key, .nowopt = "@1720000000", .json = 1,
		    .layout = -1, .digest_code = -1, .modcode = -1, .sigver = -1, .digest = "sha1",
		    .outpath = "x.tlv" };

		role(&b, CTL_FN_SAST, pem);
		b.out = t_mem_open(&m);
		setprogname("itl-build");
		assert_int(itlbuild_run(&b), 0);
		setprogname("unit");
		itlspec_free(&sp[0]);
		out = t_mem_close(&m);
		assert_has(out, "\"file\":\"x.tlv\",");
		f = t_read("x.tlv", &len);
		if (EVP_Digest(f, len, md, &mdlen, EVP_sha1(), NULL) != 1)
			abort();
		for (i = 0; i < mdlen; i++)
			sprintf(hex + 2 * i, "%02X", md[i]);
		assert_has(out, hex);
		assert_true(strstr(out, "\"sha1\":\"") != NULL);
		assert_int(strncmp(strstr(out, "\"sha1\":\"") + 8, hex, 40), 0);
		free(f);
		free(out);
		unlink("x.tlv");
	}
	if (fchdir(back) != 0)
		abort();
	close(back);
	rmdir(w);
	unlink(at("sast.pem"));
	rmfixtures();
}

const struct t_case t_build[] = {
	{ "build: --dry-run --json prints the summary ctl-dump would, writes nothing", dry_json },
	{ "build: --trust refuses (exit 1, nothing written) unless a phone holding OLD would accept", trust },
	{ "build: --digest sha256/sha512 verify; --digest-code writes the code asked for", digests },
	{ "build: SIGNATUREMODULUS from the key size; 3072 bits needs --modulus-code", modulus },
	{ "build: CUCM names put CN;OU;O;L;ST;C first, then other attributes in DER order", cucm_names },
	{ "build: a TVS record in a CTL is written when asked, with a warning", tvs_in_ctl },
	{ "build: --resign keeps the file's digest and FILENAME unless told otherwise", resign_keeps },
	{ "build: --layout certutils writes what certutils d9db03e writes, ITL and .sgn, SHA-1 and SHA-512 (goldens)", certutils_goldens },
	{ NULL, NULL }
};
