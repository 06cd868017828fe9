/* sgnshow.h: a signed TFTP file in the layout of CUCM's `show itl`, then its payload and verdict. */
#ifndef CTK_SGNSHOW_H
#define CTK_SGNSHOW_H

#include <stdio.h>

#include "tl/sgn.h"

/*
 * Print the signed file c: checksums and length, the header table (ctlshow),
 * the payload's length and digests, the encryption fields of a version 2.0
 * file, and the verdict (v NULL: damaged; v->checked 0: not checked).
 */
void sgnshow_print(FILE *fp, const struct ctl *c, const struct sgn_verdict *v);
/*
 * The --brief line: verdict, signer serial, FILENAME, payload length, name;
 * judged with a cluster, a sixth field: "direct", "tvs via NODE" or "-".
 */
void sgnshow_brief(FILE *fp, const struct ctl *c, const struct sgn_verdict *v,
    const char *name);
/* The verdict word of the --brief line: ACCEPTED/REJECTED (trust list), VERIFIED/FAILED, UNCHECKED. */
const char *sgnshow_word(const struct sgn_verdict *v);

#endif
