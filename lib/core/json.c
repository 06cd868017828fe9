/* json.c: compact JSON, one document per line, with commas managed by the writer. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/diag.h"
#include "core/json.h"
#include "core/out.h"

void
json_init(struct json *j, FILE *fp)
{
	memset(j, 0, sizeof(*j));
	j->fp = fp;
}

/* Before any value: a comma when it is not the first member, unless it follows a key. */
static void
sep(struct json *j)
{
	if (j->afterkey) {
		j->afterkey = 0;
		return;
	}
	if (j->depth > 0 && j->depth <= JSON_DEPTH) {
		if (!j->first[j->depth - 1])
			fputc(',', j->fp);
		j->first[j->depth - 1] = 0;
		j->nel[j->depth - 1]++;
	}
}

static void
after(struct json *j)
{
	if (j->depth == 0)
		fputc('\n', j->fp);
}

static void
begin(struct json *j, int c)
{
	if (j->depth >= JSON_DEPTH)
		return;
	j->akey[j->depth] = c == '[' && j->afterkey ? j->key : NULL;
	sep(j);
	fputc(c, j->fp);
	j->first[j->depth] = 1;
	j->nel[j->depth] = 0;
	j->kind[j->depth] = c == '{' ? '}' : ']';
	j->depth++;
}

void
json_obj(struct json *j)
{
	begin(j, '{');
}

void
json_arr(struct json *j)
{
	begin(j, '[');
}

/* After a keyed array whose elements held invalid UTF-8: "NAME_hex":[null,"HEX",...]. */
static void
array_hex(struct json *j)
{
	const char *p = j->ahex, *end = j->ahex + j->ahexlen;
	size_t i, n = j->nel[j->depth];
	char *q;

	fprintf(j->fp, ",\"%s_hex\":[", j->akey[j->depth]);
	for (i = 0; i < n; i++) {
		fputs(i > 0 ? "," : "", j->fp);
		if (p < end && strtoul(p, &q, 10) == i) {
			p = q + 1;
			q = memchr(p, '\n', (size_t)(end - p));
			fprintf(j->fp, "\"%.*s\"", (int)(q - p), p);
			p = q + 1;
		} else
			fputs("null", j->fp);
	}
	fputc(']', j->fp);
	free(j->ahex);
	j->ahex = NULL;
	j->ahexlen = 0;
}

void
json_end(struct json *j)
{
	if (j->depth == 0)
		return;
	j->depth--;
	fputc(j->kind[j->depth], j->fp);
	if (j->ahex != NULL && j->ahexdepth == j->depth)
		array_hex(j);
	after(j);
}

/* Element i of the keyed array open at this level held invalid bytes: note them for array_hex. */
static void
array_note(struct json *j, const uint8_t *p, size_t n)
{
	size_t d = (size_t)j->depth - 1, need;
	char *a;

	if (j->ahex != NULL && j->ahexdepth != j->depth - 1)
		return;	/* one keyed array at a time: an inner one's outer is left as is */
	need = j->ahexlen + 24 + 2 * n;
	if ((a = realloc(j->ahex, need)) == NULL)
		return;
	j->ahex = a;
	j->ahexdepth = (int)d;
	j->ahexlen += (size_t)sprintf(a + j->ahexlen, "%zu ", j->nel[d] - 1);
	out_hex(a + j->ahexlen, p, n, 1, 0);
	j->ahexlen += 2 * n;
	a[j->ahexlen++] = '\n';
}

/*
 * p[0..n) as a JSON string: valid UTF-8 as is, '"' and '\\' escaped, control
 * characters (C0, DEL, C1) and bidi controls as \\u of their code point (JSON
 * keeps their meaning, a terminal its order), each invalid byte as U+FFFD.
 * Returns the number of invalid bytes.
 */
static size_t
rawstr(struct json *j, const uint8_t *p, size_t n)
{
	uint32_t cp;
	size_t i = 0, k, bad = 0;

	fputc('"', j->fp);
	while (i < n) {
		if (p[i] == '"' || p[i] == '\\') {
			fputc('\\', j->fp);
			fputc(p[i++], j->fp);
		} else if ((k = out_utf8len(p + i, n - i)) > 0) {
			fwrite(p + i, 1, k, j->fp);
			i += k;
		} else if ((k = out_utf8dec(p + i, n - i, &cp)) > 0) {
			fprintf(j->fp, "\\u%04x", (unsigned)cp);
			i += k;
		} else {
			fputs("\\ufffd", j->fp);
			i++;
			bad++;
		}
	}
	fputc('"', j->fp);
	return bad;
}

void
json_key(struct json *j, const char *key)
{
	size_t n = strlen(key);

	sep(j);
	rawstr(j, (const uint8_t *)key, n);
	fputc(':', j->fp);
	j->afterkey = 1;
	j->key = key;
}

void
json_strn(struct json *j, const void *p, size_t n)
{
	const char *key = j->afterkey ? j->key : NULL;
	size_t bad;
	char hexkey[96];

	sep(j);
	bad = rawstr(j, p, n);
	/* what the file held, exactly: NAME_hex beside NAME (ctlkit(7), JSON) */
	if (bad > 0 && key != NULL && strlen(key) + sizeof("_hex") <= sizeof(hexkey)) {
		snprintf(hexkey, sizeof(hexkey), "%s_hex", key);
		json_key(j, hexkey);
		json_hex(j, p, n);
	} else if (bad > 0 && key == NULL && j->depth > 0 && j->depth <= JSON_DEPTH &&
	    j->kind[j->depth - 1] == ']' && j->akey[j->depth - 1] != NULL)
		array_note(j, p, n);
	j->key = NULL;
	after(j);
}

void
json_str(struct json *j, const char *s)
{
	if (s == NULL)
		json_null(j);
	else
		json_strn(j, s, strlen(s));
}

void
json_hex(struct json *j, const uint8_t *p, size_t n)
{
	static const char d[] = "0123456789ABCDEF";
	size_t i;

	sep(j);
	fputc('"', j->fp);
	for (i = 0; i < n; i++) {
		fputc(d[p[i] >> 4], j->fp);
		fputc(d[p[i] & 15], j->fp);
	}
	fputc('"', j->fp);
	after(j);
}

void
json_int(struct json *j, long long v)
{
	sep(j);
	fprintf(j->fp, "%lld", v);
	after(j);
}

void
json_num(struct json *j, double v)
{
	char s[64];
	size_t n;

	sep(j);
	if (!isfinite(v)) {
		fputs("null", j->fp);
		after(j);
		return;
	}
	/* %.6f then trim zeros: stable across libcs, never an exponent. */
	snprintf(s, sizeof(s), "%.6f", v);
	n = strlen(s);
	while (n > 0 && s[n - 1] == '0')
		s[--n] = '\0';
	if (n > 0 && s[n - 1] == '.')
		s[--n] = '\0';
	fputs(strcmp(s, "-0") == 0 ? "0" : s, j->fp);
	after(j);
}

void
json_bool(struct json *j, int v)
{
	sep(j);
	fputs(v ? "true" : "false", j->fp);
	after(j);
}

void
json_null(struct json *j)
{
	sep(j);
	fputs("null", j->fp);
	after(j);
}

void
json_kstr(struct json *j, const char *key, const char *s)
{
	json_key(j, key);
	json_str(j, s);
}

void
json_kint(struct json *j, const char *key, long long v)
{
	json_key(j, key);
	json_int(j, v);
}

void
json_kbool(struct json *j, const char *key, int v)
{
	json_key(j, key);
	json_bool(j, v);
}

void
json_klist(struct json *j, const char *key, const char *s)
{
	const char *e;

	json_key(j, key);
	json_arr(j);
	for (; *s != '\0'; s = *e != '\0' ? e + 2 : e) {
		if ((e = strstr(s, ", ")) == NULL)
			e = s + strlen(s);
		json_strn(j, s, (size_t)(e - s));
	}
	json_end(j);
}

void
json_head(struct json *j)
{
	json_kstr(j, "tool", progname);
	json_kstr(j, "version", CTK_VERSION);
}
