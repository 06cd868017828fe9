/* ctltextshow.h: a listing read from a capture, in ctlshow's layout or one line per record. */
#ifndef CTK_CTLTEXTSHOW_H
#define CTK_CTLTEXTSHOW_H

#include <stdio.h>

#include "tl/ctltext.h"

/* What a capture cannot carry, said after every listing shown (its last line). */
extern const char ctltextshow_note[];

/*
 * l as ctlshow prints a file, so that ctl-dump's own listing reads back to the
 * same bytes, then ctltextshow_note on a line of its own.
 */
void ctltextshow_print(FILE *fp, const struct ctltext *t, const struct ctltext_list *l);
/* ctl-dump --brief's line per record: index, role, CN, serial, "-" for what text lacks, name. */
void ctltextshow_brief(FILE *fp, const struct ctltext *t, const struct ctltext_list *l,
    const char *name);

#endif
