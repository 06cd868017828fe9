/*
 * t_capture.c: what ctl-dump's run (lib/dump over lib/tl) makes of damaged input that is not a
 * whole trust list: show itl / show ctl listings read back from text (ctltext): text that is
 * neither, damaged listings named at their byte and line, the cap on listings (the listing is
 * ctl-dump's own of the demo ITL, samples/, damaged here); signed files (sgn) cut short.
 */
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "unit.h"

/* ctl-dump's listing of the demo ITL (malloc'd). */
static char *
listing(void)
{
	uint8_t *buf;
	size_t len;
	char *out, *err;

	buf = t_read("samples/ITLFile-demo.tlv", &len);
	assert_int(t_ctldump(buf, len, CTLDUMP_SHOW, &out, &err), 0);
	free(buf);
	free(err);
	return out;
}

/* The start of the k-th line (1-based) that starts with prefix; *line its number. */
static char *
nth_row(char *text, const char *prefix, int k, int *line)
{
	char *p = text;
	int n = 1;

	for (; *p != '\0'; n++) {
		if (strncmp(p, prefix, strlen(prefix)) == 0 && --k == 0) {
			*line = n;
			return p;
		}
		if ((p = strchr(p, '\n')) == NULL)
			break;
		p++;
	}
	t_fail(__FILE__, __LINE__, "no row \"%s\"", prefix);
}

/* text read back by ctl-dump (mode), its exit status; *err what it said. */
static int
readback(const char *text, enum ctldump_mode mode, char **out, char **err)
{
	return t_ctldump((const uint8_t *)text, strlen(text), mode, out, err);
}

static void
damaged_listings(void)
{
	char *itl = listing(), *t, *p, *out, *err, want[256];
	size_t off;
	int n, i;

	/* text that is neither a trust list nor a listing */
	assert_int(readback("hello\nthis is a log of something else\n", CTLDUMP_SHOW, &out, &err), 2);
	assert_str(out, "");
	assert_str(err, "ctl-dump: <stdin>: not a CTL/ITL file nor a show itl/show ctl capture\n");
	free(out);
	free(err);
	/* the second record's serial not hex: byte and line named */
	t = strdup(itl);
	p = nth_row(t, "6\tSERIALNUMBER", 2, &n);
	off = (size_t)(p - t);
	for (i = 0; p[i] != '\n' && !(p[i] == '\t' && strspn(p + i + 1, "0123456789ABCDEF") >= 2 &&
	    p[i + 3] == ':'); i++)
		;
	assert_true(p[i] == '\t');
	memcpy(p + i + 1, "ZZ", 2);
	assert_int(readback(t, CTLDUMP_SHOW, &out, &err), 2);
	assert_str(out, "");
	snprintf(want, sizeof(want), "ctl-dump: <stdin>: not a serial number (AA:BB:...) at byte "
	    "%zu (line %d)\n", off + 18, n);
	assert_str(err, want);
	free(out);
	free(err);
	free(t);
	/* a row of the header's tags inside a record: "6\tSERIALNUMBER" becomes "14\tFILENAME" */
	t = malloc(strlen(itl) + 1);
	p = nth_row(itl, "6\tSERIALNUMBER", 2, &n);
	off = (size_t)(p - itl);
	memcpy(t, itl, off);
	strcpy(t + off, "14\tFILENAME");
	strcat(t, p + strlen("6\tSERIALNUMBER"));
	assert_int(readback(t, CTLDUMP_SHOW, &out, &err), 2);
	snprintf(want, sizeof(want), "ctl-dump: <stdin>: a record row FILENAME is not a tag CUCM "
	    "prints there at byte %zu (line %d)\n", off, n);
	assert_str(err, want);
	free(out);
	free(err);
	free(t);
	/* a signature dump shorter than its row says: the line after the row left out */
	t = strdup(itl);
	p = strchr(nth_row(t, "12\tSIGNATURE\t", 1, &n), '\n') + 1;
	memmove(p, strchr(p, '\n') + 1, strlen(strchr(p, '\n') + 1) + 1);
	assert_int(readback(t, CTLDUMP_SHOW, &out, &err), 2);
	assert_true(strncmp(err, "ctl-dump: <stdin>: signature dump of ", 37) == 0);
	assert_has(err, " bytes, the row says ");
	assert_has(strstr(err, " bytes, the row says "), " at byte ");
	assert_has(strstr(err, " at byte "), " (line ");
	assert_true(strcmp(err + strlen(err) - 2, ")\n") == 0);
	free(out);
	free(err);
	free(t);
	/* more listings than the cap: refused, nothing grows without bound */
	t = malloc(260 * 22 + 1);
	for (*t = '\0', i = 0; i < 260; i++)
		strcat(t, "Length of ITL file: 0\n");
	assert_int(readback(t, CTLDUMP_QUIET, &out, &err), 2);
	assert_has(err, "more than 256 listings at byte ");
	free(out);
	free(err);
	free(t);
	free(itl);
}

/* A signed file cut short: exit 2 at a byte, what parsed shown, no payload; --trust alike. */
static void
damaged_sgn(void)
{
	static const uint8_t hl[] = { 1, 0, 2, 1, 0, 2, 0, 2, 0xff, 0xff };
	struct ctldump d = { .mode = CTLDUMP_BRIEF, .oldpath = "samples/ITLFile-demo.tlv" };
	uint8_t *good;
	size_t len;
	char *out, *err;

	/* a file itl-build wrote (certutils' layout; the golden of tests/itl-build.bats) */
	good = t_read("tests/golden/itl-build.certutils-sha1.sgn", &len);
	assert_true(len > 100);
	assert_int(t_ctldump(good, 100, CTLDUMP_SHOW, &out, &err), 2);
	assert_true(strncmp(err, "ctl-dump: <stdin>: ", 19) == 0);
	assert_has(err, " at byte ");
	assert_true(strlen(out) >= 31 && strcmp(out + strlen(out) - 31, "Error parsing the signed file.\n") == 0);
	free(out);
	free(err);
	assert_int(t_ctldump(good, 100, CTLDUMP_JSON, &out, &err), 2);
	assert_has(out, "\"type\":\"SGN\",");
	assert_has(out, "\"error\":{\"message\":\"");
	assert_has(strstr(out, "\"error\":{"), "\"offset\":");
	assert_true(strstr(out, "\"offset\":-") == NULL);
	assert_true(strstr(out, "\"payload\"") == NULL);
	assert_int(t_json_lines(out, strlen(out)), 1);
	free(out);
	free(err);
	/* --brief --trust ITL: nothing on stdout */
	assert_int(t_ctldump_with(&d, good, 100, &out, &err), 2);
	assert_str(out, "");
	free(out);
	free(err);
	free(good);
	/* a header length past the end of the file */
	assert_int(t_ctldump(hl, sizeof(hl), CTLDUMP_SHOW, &out, &err), 2);
	assert_str(err, "ctl-dump: <stdin>: header length 65535 past the end of the file (10 bytes) at byte 5\n");
	free(out);
	free(err);
}

const struct t_case t_capture[] = {
	{ "capture: text that is neither, and damaged listings, exit 2 saying where", damaged_listings },
	{ "capture: a damaged signed file exits 2 with the byte offset; a truncated header", damaged_sgn },
	{ NULL, NULL }
};
