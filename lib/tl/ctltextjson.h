/* ctltextjson.h: a listing read from a capture as one JSON document, in ctljson's keys. */
#ifndef CTK_CTLTEXTJSON_H
#define CTK_CTLTEXTJSON_H

#include "core/json.h"
#include "tl/ctltext.h"

/*
 * One document for l, the n-th listing (from 1) of the capture file: ctljson's
 * keys where the text holds their value, "capture" (listing, line, what text
 * cannot carry) and "cucm" (the verdict CUCM printed) instead of "signature".
 */
void ctltextjson_print(struct json *j, const struct ctltext *t, const struct ctltext_list *l,
    const char *file, size_t n);

#endif
