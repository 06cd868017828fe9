/* out.h: text output that can never break a line, a TSV field or a terminal. */
#ifndef CTK_OUT_H
#define CTK_OUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * Hex of p[0..n) into out; sep 0 for none, else one separator byte between
 * bytes (out needs 3n+1 bytes, or 2n+1 without sep). Returns out.
 */
char *out_hex(char *out, const uint8_t *p, size_t n, int upper, char sep);
/*
 * 1 for the bidi and line-breaking format controls: U+061C, U+200E, U+200F,
 * U+2028..U+202E (line and paragraph separators, embeddings, overrides) and
 * U+2066..U+2069 (isolates).
 */
int out_bidi(uint32_t cp);
/* Length of the valid UTF-8 sequence at p (any code point, controls too), its code point in *cp; or 0. */
size_t out_utf8dec(const uint8_t *p, size_t n, uint32_t *cp);
/*
 * Length of the valid, printable UTF-8 sequence at p (1 for printable ASCII),
 * or 0 for a control byte (C0, DEL, C1), a bidi control (out_bidi) or invalid UTF-8.
 */
size_t out_utf8len(const uint8_t *p, size_t n);
/* The value of a hex digit (either case), or -1: out_hex read back. */
int out_hexval(int c);
/* Print p[0..n) with every byte that out_utf8len() rejects written as \xNN. */
void out_text(FILE *fp, const void *p, size_t n);
/* out_text of a NUL-terminated string. */
void out_str(FILE *fp, const char *s);
/*
 * s as one word a POSIX shell reads back as s: as it is when every byte is
 * plain (letters, digits, _./@%+=:,-), else in single quotes, each ' as '\''.
 * A line break stays one (the caller refuses what is not out_utf8len-printable).
 */
void out_sh(FILE *fp, const char *s);

#endif
