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
 * Length of the valid, printable UTF-8 sequence at p (1 for printable ASCII),
 * or 0 for a control byte (C0, DEL, C1) or invalid UTF-8.
 */
size_t out_utf8len(const uint8_t *p, size_t n);
/* Print p[0..n) with every byte that out_utf8len() rejects written as \xNN. */
void out_text(FILE *fp, const void *p, size_t n);
/* out_text of a NUL-terminated string. */
void out_str(FILE *fp, const char *s);

#endif
