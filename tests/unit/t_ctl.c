/*
 * t_ctl.c: trust lists as ctl-dump shows them (lib/dump/ctldump over lib/tl): the genuine
 * samples' views against their goldens, the demo files', escaped names, unknown tags, and the
 * malformed corpus (corpus.c), each variant damaged at a byte inside it, its JSON valid.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/diag.h"
#include "tl/ctl.h"
#include "corpus.h"
#include "test.h"
#include "unit.h"

int
t_ctldump(const uint8_t *buf, size_t len, enum ctldump_mode mode, char **out, char **err)
{
	struct ctldump d = { .cucmver = 0 };	/* not given */
	struct t_mem m;
	FILE *in = tmpfile();
	int saved = dup(0), rc;

	if (in == NULL || saved < 0 || fwrite(buf, 1, len, in) != len || fflush(in) != 0 ||
	    lseek(fileno(in), 0, SEEK_SET) != 0 || dup2(fileno(in), 0) < 0)
		abort();
	d.out = t_mem_open(&m);
	d.mode = mode;
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
	{ NULL, NULL }
};
