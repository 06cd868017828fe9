/* out.c: escaping for text output: names in forensic files may hold any byte. */
#include <string.h>

#include "core/out.h"

char *
out_hex(char *out, const uint8_t *p, size_t n, int upper, char sep)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char *o = out;
	size_t i;

	for (i = 0; i < n; i++) {
		if (sep && i > 0)
			*o++ = sep;
		*o++ = digits[p[i] >> 4];
		*o++ = digits[p[i] & 15];
	}
	*o = '\0';
	return out;
}

int
out_bidi(uint32_t cp)
{
	return cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x2028 && cp <= 0x202E) ||
	    (cp >= 0x2066 && cp <= 0x2069);
}

size_t
out_utf8dec(const uint8_t *p, size_t n, uint32_t *cp)
{
	size_t len, i;

	if (n == 0)
		return 0;
	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if (p[0] >= 0xC2 && p[0] <= 0xDF) {
		len = 2;
		*cp = p[0] & 0x1F;
	} else if (p[0] >= 0xE0 && p[0] <= 0xEF) {
		len = 3;
		*cp = p[0] & 0x0F;
	} else if (p[0] >= 0xF0 && p[0] <= 0xF4) {
		len = 4;
		*cp = p[0] & 0x07;
	} else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		*cp = *cp << 6 | (p[i] & 0x3F);
	}
	/* overlong forms, surrogates and beyond U+10FFFF are not UTF-8 */
	if ((len == 3 && *cp < 0x800) || (len == 4 && *cp < 0x10000) ||
	    (*cp >= 0xD800 && *cp <= 0xDFFF) || *cp > 0x10FFFF)
		return 0;
	return len;
}

size_t
out_utf8len(const uint8_t *p, size_t n)
{
	uint32_t cp;
	size_t len = out_utf8dec(p, n, &cp);

	/*
	 * C0, DEL and C1 controls are refused, and so are the bidi controls: a
	 * U+202E in a name reorders what the terminal shows.
	 */
	if (len == 0 || cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || out_bidi(cp))
		return 0;
	return len;
}

int
out_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

void
out_text(FILE *fp, const void *vp, size_t n)
{
	const uint8_t *p = vp;
	size_t i = 0, k, run = 0;

	while (i < n) {
		if ((k = out_utf8len(p + i, n - i)) > 0) {
			i += k;
			continue;
		}
		fwrite(p + run, 1, i - run, fp);
		fprintf(fp, "\\x%02X", p[i]);
		run = ++i;
	}
	fwrite(p + run, 1, n - run, fp);
}

void
out_str(FILE *fp, const char *s)
{
	out_text(fp, s, strlen(s));
}

/* Bytes a POSIX shell takes as part of a word, unquoted, whatever the word's position. */
static const char sh_plain[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_./@%+=:,-";

void
out_sh(FILE *fp, const char *s)
{
	if (*s != '\0' && strspn(s, sh_plain) == strlen(s)) {
		fputs(s, fp);
		return;
	}
	fputc('\'', fp);
	for (; *s != '\0'; s++)
		if (*s == '\'')
			fputs("'\\''", fp);
		else
			fputc(*s, fp);
	fputc('\'', fp);
}
