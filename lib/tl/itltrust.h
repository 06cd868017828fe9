/* itltrust.h: would a phone holding the old trust list accept the new one (FORMAT.md section 4)? */
#ifndef CTK_ITLTRUST_H
#define CTK_ITLTRUST_H

#include <stdint.h>

#include "tl/ctl.h"
#include "tl/ctljson.h"

/*
 * 1 when a phone holding the file oldpath accepts nc (its signer is a SAST
 * record of oldpath, by serial and issuer); 0 when not, after a diagnostic
 * saying why and, when force is set, what phones will do once it is written
 * anyway; -1 on trouble (diagnosed). *tr is filled for ctljson_print.
 */
int itltrust_check(const char *oldpath, const struct ctl *nc, int force,
    struct ctljson_trust *tr);

#endif
