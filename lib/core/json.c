/* json.c: compact JSON, one document per line, with commas managed by the writer. */
#include <math.h>
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
	sep(j);
	fputc(c, j->fp);
	j->first[j->depth] = 1;
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

void
json_end(struct json *j)
{
	if (j->depth == 0)
		return;
	j->depth--;
	fputc(j->kind[j->depth], j->fp);
	after(j);
}

/* Length of the bidi control (out_bidi: all 2 or 3 bytes in UTF-8) at p, its code point in *cp; or 0. */
static size_t
bidi(const uint8_t *p, size_t n, uint32_t *cp)
{
	if (n >= 2 && p[0] == 0xD8 && p[1] == 0x9C) {
		*cp = 0x061C;
		return 2;
	}
	if (n < 3 || p[0] != 0xE2 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80)
		return 0;
	*cp = (uint32_t)(p[0] & 0x0F) << 12 | (uint32_t)(p[1] & 0x3F) << 6 | (p[2] & 0x3F);
	return out_bidi(*cp) ? 3 : 0;
}

static void
rawstr(struct json *j, const uint8_t *p, size_t n)
{
	uint32_t cp;
	size_t i = 0, k;

	fputc('"', j->fp);
	while (i < n) {
		if (p[i] == '"' || p[i] == '\\') {
			fputc('\\', j->fp);
			fputc(p[i++], j->fp);
		} else if ((k = out_utf8len(p + i, n - i)) > 0) {
			fwrite(p + i, 1, k, j->fp);
			i += k;
		} else if ((k = bidi(p + i, n - i, &cp)) > 0) {
			/* the character itself, escaped: JSON keeps its meaning, a terminal its order */
			fprintf(j->fp, "\\u%04x", (unsigned)cp);
			i += k;
		} else
			fprintf(j->fp, "\\u%04x", p[i++]);
	}
	fputc('"', j->fp);
}

void
json_key(struct json *j, const char *key)
{
	sep(j);
	rawstr(j, (const uint8_t *)key, strlen(key));
	fputc(':', j->fp);
	j->afterkey = 1;
}

void
json_strn(struct json *j, const void *p, size_t n)
{
	sep(j);
	rawstr(j, p, n);
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
json_head(struct json *j)
{
	json_kstr(j, "tool", progname);
	json_kstr(j, "version", CTK_VERSION);
}
