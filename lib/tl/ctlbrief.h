/* ctlbrief.h: a parsed CTL/ITL as ctl-dump --brief prints it: one tab-separated line per record. */
#ifndef CTK_CTLBRIEF_H
#define CTK_CTLBRIEF_H

#include <stddef.h>
#include <stdio.h>

#include "tl/ctl.h"

/*
 * One line per record of c: index, role, CN, serial, notAfter, certificate
 * SHA-256, name (the fields a record has not are "-").
 */
void ctlbrief_print(FILE *fp, const struct ctl *c, const char *name);
/*
 * The CN of record r's certificate, else its DNSNAME, into cn[0..n) ("" when
 * neither); safe replaces every byte but [A-Za-z0-9._-] with '_' (file names).
 */
void ctlbrief_cn(const struct ctl_rec *r, char *cn, size_t n, int safe);
/* The record's role name ("SAST" ...), or "UNKNOWN-<code>" written into buf. */
const char *ctlbrief_role(const struct ctl_rec *r, char *buf, size_t n);

#endif
