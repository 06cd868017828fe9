/*
 * t_ctl.c: trust lists as ctl-dump shows them (lib/dump/ctldump over lib/tl): the genuine
 * samples' views against their goldens, the demo files', escaped names, unknown tags, and the
 * malformed corpus (corpus.c), each variant damaged at a byte inside it, its JSON valid.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/pem.h>
#include <openssl/x509.h>

#include "core/diag.h"
#include "tl/ctl.h"
#include "corpus.h"
#include "test.h"
#include "unit.h"

int
t_ctldump(const uint8_t *buf, size_t len, enum ctldump_mode mode, char **out, char **err)
{
	struct ctldump d = { .cucmver = 0 };	/* not given */

	d.mode = mode;
	return t_ctldump_with(&d, buf, len, out, err);
}

int
t_ctldump_with(struct ctldump *dp, const uint8_t *buf, size_t len, char **out, char **err)
{
	struct ctldump d = *dp;
	struct t_mem m;
	FILE *in = tmpfile();
	int saved = dup(0), rc;

	if (in == NULL || saved < 0 || fwrite(buf, 1, len, in) != len || fflush(in) != 0 ||
	    lseek(fileno(in), 0, SEEK_SET) != 0 || dup2(fileno(in), 0) < 0)
		abort();
	d.out = t_mem_open(&m);
	d.nfiles = 1;
	setprogname("ctl-dump");	/* diagnostics and JSON name the tool, as ctl-dump's do */
	t_err_begin();
	rc = ctldump_open(&d) != 0 ? EXIT_TROUBLE : ctldump_file(&d, "-");
	ctldump_close(&d);
	*err = t_err_end();
	setprogname("unit");
	*out = t_mem_close(&m);
	dup2(saved, 0);
	close(saved);
	fclose(in);
	return rc;
}

/* The last line of text (without its newline), in a static buffer. */
static const char *
last_line(const char *text)
{
	static char line[512];
	size_t n = strlen(text), b;

	while (n > 0 && text[n - 1] == '\n')
		n--;
	for (b = n; b > 0 && text[b - 1] != '\n'; b--)
		;
	snprintf(line, sizeof(line), "%.*s", (int)(n - b), text + b);
	return line;
}

/* Check the view of one genuine sample (show layout, and JSON) against its goldens. */
static void
sample(const char *name, const char *gold_show, const char *gold_json, const char *verdict)
{
	uint8_t *buf;
	size_t len;
	char *out, *err;

	buf = t_read(t_shared(name), &len);
	assert_int(t_ctldump(buf, len, CTLDUMP_SHOW, &out, &err), 0);
	assert_golden(out, gold_show);
	assert_str(err, "");
	assert_str(last_line(out), verdict);
	free(out);
	free(err);
	assert_int(t_ctldump(buf, len, CTLDUMP_JSON, &out, &err), 0);
	assert_int(t_json_lines(out, strlen(out)), 1);
	assert_golden(out, gold_json);
	assert_str(err, "");
	free(out);
	free(err);
	free(buf);
}

static void
genuine_ctl(void)
{
	sample("CTLFile-cucm10.tlv", "ctl-dump.cucm10.show", "ctl-dump.cucm10.json",
	    "The CTL file was verified successfully.");
}

static void
genuine_itl(void)
{
	sample("ITLFile-certutils.tlv", "ctl-dump.certutils.show", "ctl-dump.certutils.json",
	    "The ITL file was verified successfully.");
}

/* The demo CTL (samples/, the project's own) with a patch at off, shown as mode. */
static int
demo(size_t off, const char *bytes, size_t n, enum ctldump_mode mode, char **out, char **err)
{
	uint8_t *buf;
	size_t len;
	int rc;

	buf = t_read("samples/CTLFile-demo.tlv", &len);
	assert_true(off + n <= len);
	memcpy(buf + off, bytes, n);
	rc = t_ctldump(buf, len, mode, out, err);
	free(buf);
	return rc;
}

static void
demo_json(void)
{
	char *out, *err;

	assert_int(demo(0, "", 0, CTLDUMP_JSON, &out, &err), 0);
	assert_int(t_json_lines(out, strlen(out)), 1);
	assert_golden(out, "ctl-dump.demo.json");
	assert_str(err, "");
	free(out);
	free(err);
}

/* The DNSNAME of record 1 (byte 372): ESC [1m, 0xFF, LF, BEL, a lone lead byte. */
static const char evil[] = "\x1b[1m\xff\n\a\xc3";

static void
escaped_names(void)
{
	char *out, *err;

	assert_int(demo(372, evil, 8, CTLDUMP_SHOW, &out, &err), 1);
	assert_has(out, "2\tDNSNAME\t\t9\t\\x1B[1m\\xFF\\x0A\\x07\\xC3\n");
	assert_true(strchr(out, '\x1b') == NULL);
	free(out);
	free(err);
	assert_int(demo(372, evil, 8, CTLDUMP_JSON, &out, &err), 1);
	assert_int(t_json_lines(out, strlen(out)), 1);
	assert_has(out, "\"dns\":\"\\u001b[1m\\ufffd\\u000a\\u0007\\ufffd\",\"dns_hex\":\"1B5B316DFF0A07C3\"");
	free(out);
	free(err);
	assert_int(demo(372, evil, 8, CTLDUMP_BRIEF, &out, &err), 1);
	assert_true(strchr(out, '\x1b') == NULL);
	free(out);
	free(err);
}

static void
unknown_tags(void)
{
	uint8_t *buf;
	size_t len;
	char *out, *err;

	/*
	 * Record 3 starts at 364+1438+1474 = 3276; its FUNCTION value sits after RECORDLENGTH,
	 * DNSNAME (3+9) and SUBJECTNAME (3+12): 3276+5+12+15+3 = 3311. The DNSNAME tag of
	 * record 2 (1802+5) becomes an unknown tag 0x42.
	 */
	buf = t_read("samples/CTLFile-demo.tlv", &len);
	buf[3311] = 0x00;
	buf[3312] = 0x63;
	buf[1807] = 0x42;
	assert_int(t_ctldump(buf, len, CTLDUMP_SHOW, &out, &err), 1);
	assert_has(out, "4\tFUNCTION\t2\t99");
	assert_has(out, "66\tUNKNOWN\t\t9\t6375636d2d70756200");
	free(out);
	free(err);
	assert_int(t_ctldump(buf, len, CTLDUMP_JSON, &out, &err), 1);
	assert_int(t_json_lines(out, strlen(out)), 1);
	assert_has(out, "\"function\":99,\"role\":\"UNKNOWN-99\"");
	assert_has(out, "\"unknown\":[{\"tag\":66");
	/* record 2 (the second "index") has no "dns" left */
	{
		const char *r2 = strstr(out, "\"index\":2"), *r3 = strstr(out, "\"index\":3");

		assert_true(r2 != NULL && r3 != NULL);
		assert_true(strstr(r2, "\"dns\"") == NULL || strstr(r2, "\"dns\"") > r3);
	}
	free(out);
	free(err);
	free(buf);
}

struct corpus_run {
	int	 n, json;
	char	 bad[256];
};

/* The demo CTL: a byte of its signature (at 120 of 83..338) or of its TIMESTAMP (360) changed. */
static void
bad_signature(void)
{
	char *out, *err;

	assert_int(demo(120, "", 1, CTLDUMP_SHOW, &out, &err), 1);
	assert_true(strcmp(last_line(out), "The CTL file could not be verified: the signature does not match.") == 0);
	assert_str(err, "");
	free(out);
	free(err);
	assert_int(demo(120, "", 1, CTLDUMP_JSON, &out, &err), 1);
	assert_has(out, "\"signature\":{\"verified\":false,\"record\":1,\"error\":\"the signature does not match\"}");
	free(out);
	free(err);
	assert_int(demo(120, "", 1, CTLDUMP_BRIEF, &out, &err), 1);
	assert_str(err, "ctl-dump: <stdin>: not verified: the signature does not match\n");
	free(out);
	free(err);
	assert_int(demo(120, "", 1, CTLDUMP_QUIET, &out, &err), 1);
	assert_str(out, "");
	free(out);
	free(err);
	/* a covered byte outside the signature breaks it too: it is not cut out */
	assert_int(demo(360, "", 1, CTLDUMP_BRIEF, &out, &err), 1);
	assert_str(err, "ctl-dump: <stdin>: not verified: the signature does not match\n");
	free(out);
	free(err);
}

/* Cut short or empty: what parsed is printed, the byte named, exit 2. */
static void
damaged(void)
{
	uint8_t *buf;
	size_t len;
	char *out, *err;

	buf = t_read("samples/CTLFile-demo.tlv", &len);
	assert_int(t_ctldump(buf, 2000, CTLDUMP_SHOW, &out, &err), 2);
	assert_str(err, "ctl-dump: <stdin>: record 2 length 1474 past the end of the file at byte 1802\n");
	assert_has(out, "CTL Record #:1");
	assert_str(last_line(out), "Error parsing the CTL File.");
	free(out);
	free(err);
	assert_int(t_ctldump(buf, 2000, CTLDUMP_JSON, &out, &err), 2);
	assert_has(out, "\"error\":{\"message\":\"record 2 length 1474 past the end of the file\",\"offset\":1802}");
	assert_true(strstr(out, "\"signature\"") == NULL);
	/* two records: the whole first and the cut second */
	assert_true(strstr(out, "\"index\":2,") != NULL && strstr(out, "\"index\":3,") == NULL);
	assert_int(t_json_lines(out, strlen(out)), 1);
	free(out);
	free(err);
	assert_int(t_ctldump(buf, 0, CTLDUMP_SHOW, &out, &err), 2);
	assert_str(err, "ctl-dump: <stdin>: empty file at byte 0\n");
	assert_has(out, "Length of CTL file: 0");
	free(out);
	free(err);
	free(buf);
}

/* The certificates of ctl-dump --certs output (PEM), as OpenSSL reads them; n of them. */
static size_t
pem_certs(const char *pem, X509 **x, size_t max)
{
	BIO *b = BIO_new_mem_buf(pem, -1);
	size_t n = 0;

	while (n < max && (x[n] = PEM_read_bio_X509(b, NULL, NULL, NULL)) != NULL)
		n++;
	BIO_free(b);
	return n;
}

static int
starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* --brief: one line of seven tab-separated fields per record; the SHA-256 OpenSSL's. */
static void
brief(void)
{
	X509 *x[8];
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen, i;
	char *out, *err, *certs, hexmd[2 * EVP_MAX_MD_SIZE + 1], *l, line[4][512];
	size_t n, k;

	assert_int(demo(0, "", 0, CTLDUMP_BRIEF, &out, &err), 0);
	assert_str(err, "");
	free(err);
	for (n = 0, l = out; *l != '\0' && n < 4; n++, l = strchr(l, '\n') + 1) {
		snprintf(line[n], sizeof(line[n]), "%.*s", (int)strcspn(l, "\n"), l);
		for (k = 0, i = 0; line[n][i] != '\0'; i++)
			k += line[n][i] == '\t';
		assert_int((long long)k, 6);
	}
	assert_int((long long)n, 4);
	assert_str(l, "");
	assert_true(starts(line[0], "1\tSAST\t"));
	assert_true(starts(line[1], "2\tSAST\t"));
	assert_true(starts(line[2], "3\tCCM+TFTP\t"));
	assert_true(starts(line[3], "4\tCAPF\tCAPF-47f9f689\t47F9F6897FAE474440899B2107855B05\t"));
	assert_int(demo(0, "", 0, CTLDUMP_CERTS, &certs, &err), 0);
	free(err);
	assert_int((long long)pem_certs(certs, x, 8), 4);
	if (X509_digest(x[3], EVP_sha256(), md, &mdlen) != 1)
		abort();
	for (i = 0; i < mdlen; i++)
		sprintf(hexmd + 2 * i, "%02X", md[i]);
	/* the sixth column */
	for (l = line[3], k = 0; k < 5; k++)
		l = strchr(l, '\t') + 1;
	assert_int(strncmp(l, hexmd, strlen(hexmd)), 0);
	assert_true(l[strlen(hexmd)] == '\t');
	for (k = 0; k < 4; k++)
		X509_free(x[k]);
	free(certs);
	free(out);
}

/* --certs: every embedded certificate as PEM; its SHA-1 as show ctl prints it. */
static void
certs_pem(void)
{
	X509 *x[8];
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen, i;
	char *out, *err, *show, *p, want[128], subj[256];
	size_t k;

	assert_int(demo(0, "", 0, CTLDUMP_CERTS, &out, &err), 0);
	assert_int((long long)pem_certs(out, x, 8), 4);
	for (k = 0, p = out; (p = strstr(p, "BEGIN CERTIFICATE")) != NULL; k++)
		p++;
	free(out);
	free(err);
	assert_int((long long)k, 4);
	if (X509_digest(x[1], EVP_sha1(), md, &mdlen) != 1)
		abort();
	for (i = 0; i < mdlen; i++)
		sprintf(want + 3 * i, "%02X ", md[i]);
	strcpy(want + 3 * mdlen, "(SHA1 Hash HEX)");
	assert_int(demo(0, "", 0, CTLDUMP_SHOW, &show, &err), 0);
	assert_has(show, want);
	X509_NAME_oneline(X509_get_subject_name(x[1]), subj, sizeof(subj));
	assert_has(subj, "ITLRECOVERY_cucm-pub");
	for (k = 0; k < 4; k++)
		X509_free(x[k]);
	free(show);
	free(err);
}

static void
corpus_one(void *arg, const char *kind, size_t at, const uint8_t *p, size_t n)
{
	struct corpus_run *r = arg;
	struct ctl c;
	char *out, *err, want[64];
	int rc, text;

	if (r->bad[0] != '\0')
		return;
	/* the parser: damaged, at a byte inside the file (or 0 for an empty one) */
	rc = ctl_parse(&c, p, n);
	if (rc != -1 || !c.damaged || c.err[0] == '\0' || c.err_off > n || c.oom)
		snprintf(r->bad, sizeof(r->bad), "%s-%zu: parse %d, damaged %d, \"%s\" at byte %zu", kind,
		    at, rc, c.damaged, c.err, c.err_off);
	ctl_free(&c);
	if (r->bad[0] != '\0')
		return;
	/*
	 * ctl-dump -j: exit 2, one diagnostic naming the byte, at most one valid JSON document;
	 * a file of text (random-1 is "A") is no trust list nor capture: said so, no offset
	 */
	rc = t_ctldump(p, n, CTLDUMP_JSON, &out, &err);
	text = strcmp(err, "ctl-dump: <stdin>: not a CTL/ITL file nor a show itl/show ctl capture\n") == 0;
	snprintf(want, sizeof(want), text ? "" : " at byte ");
	if (rc != EXIT_TROUBLE || strncmp(err, "ctl-dump: <stdin>: ", 19) != 0 || strstr(err, want) == NULL ||
	    strchr(err, '\n') != err + strlen(err) - 1 || t_json_lines(out, strlen(out)) < 0 ||
	    t_json_lines(out, strlen(out)) > 1)
		snprintf(r->bad, sizeof(r->bad), "%s-%zu: exit %d, %s%s", kind, at, rc, err, out);
	r->json += t_json_lines(out, strlen(out)) == 1;
	free(out);
	free(err);
	/* the show layout: what parsed, then the parse error line (text: nothing) */
	rc = t_ctldump(p, n, CTLDUMP_SHOW, &out, &err);
	if (rc != EXIT_TROUBLE || strcmp(last_line(out), text ? "" : "Error parsing the CTL File.") != 0)
		snprintf(r->bad, sizeof(r->bad), "%s-%zu: show exit %d, last line %s", kind, at, rc,
		    last_line(out));
	free(out);
	free(err);
	r->n++;
}

static void
malformed_corpus(void)
{
	struct corpus_run r = { 0, 0, "" };
	uint8_t *seed;
	size_t len;
	int n;

	seed = t_read("samples/CTLFile-demo.tlv", &len);
	n = corpus_make(seed, len, corpus_one, &r);
	free(seed);
	if (r.bad[0] != '\0')
		t_fail(__FILE__, __LINE__, "%s", r.bad);
	assert_true(n >= 200);
	assert_int(r.n, n);
	assert_true(r.json >= 100);
}

const struct t_case t_ctl[] = {
	{ "ctl: the genuine CUCM CTL shows as show ctl and as JSON (goldens), verified", genuine_ctl },
	{ "ctl: the certutils ITL (tag 0x1C, other tag orders, no DNS/IP) shows as show itl and JSON (goldens)", genuine_itl },
	{ "ctl: the demo CTL's JSON (golden)", demo_json },
	{ "ctl: control bytes and invalid UTF-8 in names are escaped in text, valid in JSON", escaped_names },
	{ "ctl: unknown tags and function codes are shown, never fatal", unknown_tags },
	{ "ctl: a malformed corpus of 200+ variants: each damaged at a byte, exit 2, one diagnostic, JSON valid", malformed_corpus },
	{ "ctl: a signature that does not verify is a finding (exit 1), not trouble", bad_signature },
	{ "ctl: damaged files print what parsed, name the byte, exit 2", damaged },
	{ "ctl: --brief prints one tab-separated line per record, the certificate's SHA-256", brief },
	{ "ctl: --certs writes every embedded certificate as PEM, SHA-1 as show ctl prints it", certs_pem },
	{ NULL, NULL }
};
