/* ctlcerts.h: the certificates a CTL/ITL holds, as PEM on a stream or one file per record. */
#ifndef CTK_CTLCERTS_H
#define CTK_CTLCERTS_H

#include <stdio.h>

#include "tl/ctl.h"

/*
 * Every record's CERTIFICATE as a PEM block on fp, in file order, each after an
 * RFC 7468 explanatory line "Source: NAME#N(ROLE)" that cert-expiry reads as its label.
 */
void ctlcerts_pem(FILE *fp, const struct ctl *c, const char *name);
/*
 * One PEM file per record with a certificate, written atomically into dir as
 * [prefix-]NN-ROLE-CN.pem (prefix NULL: none); an existing file is replaced
 * only when force is set. 0, or -1 after a diagnostic.
 */
int ctlcerts_extract(const struct ctl *c, const char *dir, const char *prefix, int force);

#endif
