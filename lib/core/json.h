/* json.h: a streaming JSON writer whose output is valid whatever bytes it is given. */
#ifndef CTK_JSON_H
#define CTK_JSON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_DEPTH 32

struct json {
	FILE	*fp;
	int	 depth;
	int	 first[JSON_DEPTH];	/* no member written yet at this level */
	char	 kind[JSON_DEPTH];	/* '}' or ']': what closes this level */
	int	 afterkey;		/* a key was written: the value needs no comma */
	const char *key;		/* that key (borrowed), for a NAME_hex sibling */
	const char *akey[JSON_DEPTH];	/* the key of the array open at this level */
	size_t	 nel[JSON_DEPTH];	/* elements written at this level */
	char	*ahex;			/* NAME_hex of the innermost keyed array: "i HEX\n"... */
	size_t	 ahexlen;
	int	 ahexdepth;		/* the level ahex belongs to */
};

/* Nesting deeper than JSON_DEPTH is a caller's bug and is ignored. */
/* Start a writer on fp; each top-level value ends with a newline (JSON Lines). */
void json_init(struct json *j, FILE *fp);
void json_obj(struct json *j);		/* { */
void json_arr(struct json *j);		/* [ */
void json_end(struct json *j);		/* } or ] */
void json_key(struct json *j, const char *key);
/*
 * Strings: valid UTF-8 as is (control and bidi characters as \uXXXX of their
 * code point); each invalid byte as U+FFFD and, for an object member NAME,
 * a sibling member NAME_hex with the original bytes in upper-case hex; for an
 * element of an array NAME, a sibling NAME_hex after the array: an array of
 * the same length, null for each valid element, else its bytes in hex.
 */
void json_str(struct json *j, const char *s);	/* NULL writes null */
void json_strn(struct json *j, const void *p, size_t n);
void json_hex(struct json *j, const uint8_t *p, size_t n);	/* upper-case hex string */
void json_int(struct json *j, long long v);
void json_num(struct json *j, double v);	/* fixed, 6 decimals at most */
void json_bool(struct json *j, int v);
void json_null(struct json *j);
/* "tool" and "version": the first keys of every document a tool writes. */
void json_head(struct json *j);
/* key + value shorthands */
void json_kstr(struct json *j, const char *key, const char *s);
void json_kint(struct json *j, const char *key, long long v);
void json_kbool(struct json *j, const char *key, int v);
/* key + the items of a ", "-separated list as an array of strings ("" is []). */
void json_klist(struct json *j, const char *key, const char *list);

#endif
