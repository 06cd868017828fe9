/* itlvalid.h: the records of a CTL/ITL whose certificate is expired or not yet valid at a time. */
#ifndef CTK_ITLVALID_H
#define CTK_ITLVALID_H

#include <stdint.h>

#include "core/json.h"
#include "tl/ctl.h"

/*
 * One diagnostic "warning: record N (SUBJECT): certificate expired on T" (or
 * "not valid before T") per such record of c at now: phones still load them,
 * administrators must know. Returns how many there are.
 */
size_t itlvalid_warn(const struct ctl *c, int64_t now);
/* The same as a "not_valid" array member: {record, subject, state, not_before, not_after}. */
void itlvalid_json(struct json *j, const struct ctl *c, int64_t now);

#endif
