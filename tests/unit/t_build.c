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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "build/itlbuild.h"
#include "core/diag.h"
#include "tl/ctl.h"
#include "test.h"
#include "unit.h"

#define C "tests/fixtures/certutils/"

static void
certutils_goldens(void)
{
	static const char *const digests[] = { "sha1", "sha512" };
	char dir[] = "/tmp/ctk-unit-build-XXXXXX", itl[128], xml[128], sgn[160], gold[128];
	char *files[2] = { xml, NULL }, *out, *err;
	uint8_t *a, *g, *x;
	size_t alen, glen, xlen, i;
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
		a = t_read(itl, &alen);
		g = t_read(gold, &glen);
		assert_mem(a, alen, g, glen);
		free(a);
		unlink(itl);
		/* ctl-dump reads certutils' own file: verified with the fixture's signer, names as written */
		{
			struct ctldump d = { .mode = CTLDUMP_SHOW, .signerpath = C "sast.pem" };

			assert_int(t_ctldump_with(&d, g, glen, &out, &err), 0);
			assert_has(out, "\nThe ITL file was verified successfully.\n");
			assert_has(out, "\n3\tSUBJECTNAME\t116\tC=NZ,O=Lab\\, Inc.,OU=Voice\\+Video,"
			    "CN=\\#tftp.lab.example\\;1\\ ,1.2.840.113549.1.9.1=tftp@lab.example,DC=lab,"
			    "UID=tftp1\n");
			free(out);
			free(err);
		}
		free(g);
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
		a = t_read(sgn, &alen);
		g = t_read(gold, &glen);
		assert_mem(a, alen, g, glen);
		free(a);
		unlink(sgn);
		{
			struct ctldump d = { .mode = CTLDUMP_SHOW, .signerpath = C "tftp.pem" };

			assert_int(t_ctldump_with(&d, g, glen, &out, &err), 0);
			assert_has(out, "\nThe signed file was verified successfully (signer: " C
			    "tftp.pem).\n");
			assert_has(out, "\n4\tSIGNERNAME\t116\tC=NZ,O=Lab\\, Inc.,OU=Voice\\+Video,"
			    "CN=\\#tftp.lab.example\\;1\\ ,1.2.840.113549.1.9.1=tftp@lab.example,DC=lab,"
			    "UID=tftp1\n");
			free(out);
			free(err);
		}
		free(g);
	}
	unlink(xml);
	rmdir(dir);
}

const struct t_case t_build[] = {
	{ "build: --layout certutils writes what certutils d9db03e writes, ITL and .sgn, SHA-1 and SHA-512 (goldens)", certutils_goldens },
	{ NULL, NULL }
};
