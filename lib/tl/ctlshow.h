/* ctlshow.h: a parsed CTL/ITL in the layout of CUCM's `show ctl` / `show itl`. */
#ifndef CTK_CTLSHOW_H
#define CTK_CTLSHOW_H

#include <stdio.h>
#include <time.h>

#include "tl/ctl.h"

/*
 * Print c as CUCM does: checksums, length, mtime (when mtime is not NULL, in
 * local time), the header table, each record, the SAST lines and the verdict
 * (v NULL: the file is damaged, print what was parsed and the parse error line).
 */
void ctlshow_print(FILE *fp, const struct ctl *c, int itl, const time_t *mtime,
    const struct ctl_verify *v);

/*
 * Version, HeaderLength and the header table (BYTEPOS TAG LENGTH VALUE) of
 * c. values: c is a signed file, whose table also shows
 * FILENAME, TIMESTAMP (UTC), the digest name, the algorithm codes and the
 * encryption fields of version 2.0.
 */
void ctlshow_header(FILE *fp, const struct ctl *c, int values);

/*
 * The TAG column of tag in a header (rec 0) or a record (rec 1), with the tabs
 * that follow it ("CANAME\t\t"); NULL for a tag CUCM prints as UNKNOWN.
 */
const char *ctlshow_tagname(int tag, int rec);
/* A SIGNATURE value as CUCM dumps it below its row: 8 bytes a line, "%-4x" cells. */
void ctlshow_sigdump(FILE *fp, const uint8_t *p, size_t n);

#endif
