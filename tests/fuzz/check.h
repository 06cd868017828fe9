/* check.h: properties of tool output for the fuzz targets: valid JSON, text safe for a terminal. */
#ifndef CTK_FUZZ_CHECK_H
#define CTK_FUZZ_CHECK_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/out.h"

/* 1 when p[0..n) is printable UTF-8 text, tabs and newlines (no escape sequence can hide in it). */
static inline int
check_text(const uint8_t *p, size_t n)
{
	size_t i = 0, k;

	while (i < n) {
		if (p[i] == '\n' || p[i] == '\t') {
			i++;
			continue;
		}
		if ((k = out_utf8len(p + i, n - i)) == 0)
			return 0;
		i += k;
	}
	return 1;
}

struct jcur {
	const uint8_t	*p, *end;
	int		 depth;
};

static inline int jvalue(struct jcur *c);

static inline void
jws(struct jcur *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
		c->p++;
}

static inline int
jlit(struct jcur *c, const char *s)
{
	size_t n = strlen(s);

	if ((size_t)(c->end - c->p) < n || memcmp(c->p, s, n) != 0)
		return 0;
	c->p += n;
	return 1;
}

static inline int
jstring(struct jcur *c)
{
	size_t k;
	int i;

	if (c->p >= c->end || *c->p++ != '"')
		return 0;
	while (c->p < c->end && *c->p != '"') {
		if (*c->p < 0x20)
			return 0;
		if (*c->p == '\\') {
			if (++c->p >= c->end)
				return 0;
			if (*c->p == 'u') {
				for (i = 1; i <= 4; i++)
					if (c->p + i >= c->end || strchr("0123456789abcdefABCDEF",
					    c->p[i]) == NULL || c->p[i] == '\0')
						return 0;
				c->p += 5;
			} else if (strchr("\"\\/bfnrt", *c->p) != NULL && *c->p != '\0')
				c->p++;
			else
				return 0;
			continue;
		}
		if (*c->p < 0x80) {
			c->p++;
			continue;
		}
		/* valid UTF-8 (C1 controls included: JSON allows them, out_utf8len does not) */
		if ((k = out_utf8len(c->p, (size_t)(c->end - c->p))) == 0 &&
		    !((size_t)(c->end - c->p) >= 2 && c->p[0] == 0xC2 && c->p[1] >= 0x80 &&
		    c->p[1] <= 0x9F))
			return 0;
		c->p += k ? k : 2;
	}
	return c->p < c->end && *c->p++ == '"';
}

static inline int
jnumber(struct jcur *c)
{
	const uint8_t *s = c->p;

	if (c->p < c->end && *c->p == '-')
		c->p++;
	if (c->p >= c->end || *c->p < '0' || *c->p > '9')
		return 0;
	if (*c->p == '0')
		c->p++;
	else
		while (c->p < c->end && *c->p >= '0' && *c->p <= '9')
			c->p++;
	if (c->p < c->end && *c->p == '.') {
		c->p++;
		if (c->p >= c->end || *c->p < '0' || *c->p > '9')
			return 0;
		while (c->p < c->end && *c->p >= '0' && *c->p <= '9')
			c->p++;
	}
	return c->p > s;
}

static inline int
jcontainer(struct jcur *c, uint8_t close, int obj)
{
	if (++c->depth > 64)
		return 0;
	c->p++;
	jws(c);
	if (c->p < c->end && *c->p == close) {
		c->p++;
		c->depth--;
		return 1;
	}
	for (;;) {
		jws(c);
		if (obj) {
			if (!jstring(c))
				return 0;
			jws(c);
			if (c->p >= c->end || *c->p++ != ':')
				return 0;
		}
		if (!jvalue(c))
			return 0;
		jws(c);
		if (c->p < c->end && *c->p == ',') {
			c->p++;
			continue;
		}
		if (c->p < c->end && *c->p == close) {
			c->p++;
			c->depth--;
			return 1;
		}
		return 0;
	}
}

static inline int
jvalue(struct jcur *c)
{
	jws(c);
	if (c->p >= c->end)
		return 0;
	switch (*c->p) {
	case '{':
		return jcontainer(c, '}', 1);
	case '[':
		return jcontainer(c, ']', 0);
	case '"':
		return jstring(c);
	case 't':
		return jlit(c, "true");
	case 'f':
		return jlit(c, "false");
	case 'n':
		return jlit(c, "null");
	default:
		return jnumber(c);
	}
}

/* 1 when p[0..n) is one JSON document per line (JSON Lines), at least one. */
static inline int
check_json_lines(const uint8_t *p, size_t n)
{
	struct jcur c = { p, p + n, 0 };
	int docs = 0;

	for (;;) {
		jws(&c);
		if (c.p == c.end)
			return docs > 0;
		if (!jvalue(&c))
			return 0;
		docs++;
	}
}

#endif
