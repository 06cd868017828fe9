/* ctltextcmp.h: does a capture's listing list exactly a trust list's records and checksums? */
#ifndef CTK_CTLTEXTCMP_H
#define CTK_CTLTEXTCMP_H

#include <stddef.h>

#include "tl/ctl.h"
#include "tl/ctltext.h"

/* The listing of t to hold against a file of kind itl: the last one of that kind, or NULL. */
const struct ctltext_list *ctltextcmp_pick(const struct ctltext *t, int itl);
/*
 * Is l the listing of c (parsed, not damaged)? Each record's role, serial,
 * issuer and certificate SHA-1, then the file's MD5 and SHA-1. 0 the same; 1
 * not, the first difference in why (n bytes); -1 out of memory.
 */
int ctltextcmp(const struct ctltext *t, const struct ctltext_list *l, const struct ctl *c,
    char *why, size_t n);

#endif
