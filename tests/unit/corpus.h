/* corpus.h: malformed variants of a valid CTL/ITL file, for the unit tests and tests/bin/mkcorpus. */
#ifndef CTK_UNIT_CORPUS_H
#define CTK_UNIT_CORPUS_H
#include <stddef.h>
#include <stdint.h>

/* emit(arg, kind, at, bytes, len): one variant; kind and at name it ("trunc", 700). */
typedef void corpus_emit(void *arg, const char *kind, size_t at, const uint8_t *p, size_t n);
/*
 * Every variant of seed that breaks the structure (not just the signature): empty, truncated
 * (every byte of the header, then a stride through the records, never on a boundary), header
 * and record lengths zero, odd, past the end, fields past their record, a wrong first record
 * tag, and 20 random files that cannot start a header. Positions come from lib's own parser
 * of the seed. Returns how many, or -1 when the seed does not parse.
 */
int corpus_make(const uint8_t *seed, size_t len, corpus_emit *emit, void *arg);
#endif
