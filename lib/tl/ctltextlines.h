/* ctltextlines.h: a terminal capture's text put back into the lines CUCM printed. */
#ifndef CTK_CTLTEXTLINES_H
#define CTK_CTLTEXTLINES_H

#include <stddef.h>
#include <stdint.h>

#include "tl/ctltext.h"

/*
 * buf into t->text and t->len (NUL-terminated): CRs at line ends dropped,
 * terminal-wrapped lines joined; t->segs maps it back. 0, or -1 out of memory.
 */
int ctltextlines_join(struct ctltext *t, const uint8_t *buf, size_t len);
/* A byte of t->text as the input's byte (*inoff) and line (*line, from 1). */
void ctltextlines_locate(const struct ctltext *t, size_t off, size_t *inoff, size_t *line);
/* Free what ctltextlines_join allocated. */
void ctltextlines_free(struct ctltext *t);

#endif
