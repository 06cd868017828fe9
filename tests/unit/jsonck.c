/* jsonck.c: is a text valid JSON Lines (RFC 8259 values, one per line)? What jq -e . checks, in process. */
#include <string.h>

#include "unit.h"

struct jp {
	const char	*s, *e;
	int		 depth;
};

static int value(struct jp *p);

static void
ws(struct jp *p)
{
	while (p->s < p->e && (*p->s == ' ' || *p->s == '\t' || *p->s == '\r'))
		p->s++;
}

static int
lit(struct jp *p, const char *w)
{
	size_t n = strlen(w);

	if ((size_t)(p->e - p->s) < n || memcmp(p->s, w, n) != 0)
		return 0;
	p->s += n;
	return 1;
}

/* A string: no raw control byte, only JSON's escapes, valid UTF-8 (shortest form, no surrogates). */
static int
string(struct jp *p)
{
	const unsigned char *s = (const unsigned char *)p->s + 1, *e = (const unsigned char *)p->e;
	int i, n;

	while (s < e && *s != '"') {
		if (*s < 0x20)
			return 0;
		if (*s == '\\') {
			if (++s == e)
				return 0;
			if (*s == 'u') {
				for (i = 1; i <= 4; i++)
					if (s + i >= e || strchr("0123456789abcdefABCDEF", s[i]) == NULL)
						return 0;
				s += 5;
			} else if (strchr("\"\\/bfnrt", *s) != NULL && *s)
				s++;
			else
				return 0;
			continue;
		}
		n = *s < 0x80 ? 0 : (*s & 0xE0) == 0xC0 && *s >= 0xC2 ? 1 : (*s & 0xF0) == 0xE0 ? 2 :
		    (*s & 0xF8) == 0xF0 && *s <= 0xF4 ? 3 : -1;
		if (n < 0 || e - s <= n)
			return 0;
		for (i = 1; i <= n; i++)
			if ((s[i] & 0xC0) != 0x80)
				return 0;
		if ((n == 2 && ((*s == 0xE0 && s[1] < 0xA0) || (*s == 0xED && s[1] >= 0xA0))) ||
		    (n == 3 && ((*s == 0xF0 && s[1] < 0x90) || (*s == 0xF4 && s[1] >= 0x90))))
			return 0;
		s += n + 1;
	}
	if (s == e)
		return 0;
	p->s = (const char *)s + 1;
	return 1;
}

static int
number(struct jp *p)
{
	const char *s = p->s;

	if (s < p->e && *s == '-')
		s++;
	if (s == p->e || *s < '0' || *s > '9')
		return 0;
	if (*s == '0')
		s++;
	else
		while (s < p->e && *s >= '0' && *s <= '9')
			s++;
	if (s < p->e && *s == '.') {
		if (++s == p->e || *s < '0' || *s > '9')
			return 0;
		while (s < p->e && *s >= '0' && *s <= '9')
			s++;
	}
	if (s < p->e && (*s == 'e' || *s == 'E')) {
		if (++s < p->e && (*s == '+' || *s == '-'))
			s++;
		if (s == p->e || *s < '0' || *s > '9')
			return 0;
		while (s < p->e && *s >= '0' && *s <= '9')
			s++;
	}
	p->s = s;
	return 1;
}

/* The members of an object (obj) or array, after its opening bracket. */
static int
members(struct jp *p, int obj)
{
	char close = obj ? '}' : ']';

	if (++p->depth > 64)
		return 0;
	ws(p);
	if (p->s < p->e && *p->s == close) {
		p->s++;
		p->depth--;
		return 1;
	}
	for (;;) {
		ws(p);
		if (obj) {
			if (p->s == p->e || *p->s != '"' || !string(p))
				return 0;
			ws(p);
			if (p->s == p->e || *p->s++ != ':')
				return 0;
		}
		if (!value(p))
			return 0;
		ws(p);
		if (p->s == p->e)
			return 0;
		if (*p->s == close) {
			p->s++;
			p->depth--;
			return 1;
		}
		if (*p->s++ != ',')
			return 0;
	}
}

static int
value(struct jp *p)
{
	ws(p);
	if (p->s == p->e)
		return 0;
	switch (*p->s) {
	case '{':
		p->s++;
		return members(p, 1);
	case '[':
		p->s++;
		return members(p, 0);
	case '"':
		return string(p);
	case 't':
		return lit(p, "true");
	case 'f':
		return lit(p, "false");
	case 'n':
		return lit(p, "null");
	default:
		return number(p);
	}
}

int
t_json_lines(const char *s, size_t n)
{
	struct jp p = { s, s + n, 0 };
	int docs = 0;

	while (p.s < p.e) {
		if (!value(&p))
			return -1;
		ws(&p);
		if (p.s == p.e || *p.s++ != '\n')
			return -1;
		docs++;
	}
	return docs;
}
