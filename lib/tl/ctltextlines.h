/* ctltextlines.h: a terminal capture's text put back into the lines CUCM printed. */
#ifndef CTK_CTLTEXTLINES_H
#define CTK_CTLTEXTLINES_H

#include <stddef.h>
#include <stdint.h>

/* Where a piece of the joined text came from (opaque). */
struct ctltext_seg;

/*
 * buf into *text and *tlen (malloc'd, NUL-terminated): CRs at line ends dropped,
 * terminal-wrapped lines joined; *segs (malloc'd, *nsegs of them) maps it back.
 * 0, or -1 out of memory (what was allocated is in *text and *segs: free them).
 */
int ctltextlines_join(const uint8_t *buf, size_t len, char **text, size_t *tlen,
    struct ctltext_seg **segs, size_t *nsegs);
/* A byte of the joined text as the input's byte (*inoff) and line (*line, from 1). */
void ctltextlines_locate(const struct ctltext_seg *segs, size_t nsegs, size_t off, size_t *inoff,
    size_t *line);

#endif
