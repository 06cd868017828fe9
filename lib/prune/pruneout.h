/* pruneout.h: a certificate of a prune, described: a TSV line, a JSON object, a manifest entry. */
#ifndef CTK_PRUNEOUT_H
#define CTK_PRUNEOUT_H

#include <stdio.h>

#include "core/json.h"
#include "store/manifest.h"
#include "cucm/plan.h"
#include "store/trustset.h"

/* unit, file, subject, serial, notAfter, reasons (prune_why): one tab-separated line. */
void pruneout_text(FILE *fp, const struct trust_set *ts, const struct trust_cert *c);
/* The same and more (notBefore, each reason and protection, what it names) as an object. */
void pruneout_json(struct json *j, const struct trust_set *ts, const struct trust_cert *c);
/* One manifest entry for each file that goes (its first certificate describes it). 0 or -1 (diagnosed). */
int pruneout_manifest(const struct trust_set *ts, struct manifest *m);
/*
 * After a change: "backup:" (when backup is not NULL), "changed:" per store,
 * plan_text()'s "restart:" and "next:" lines, then the stores CUCM replicates to
 * every node and those with no known restart, as "next:" lines.
 */
void pruneout_notes_text(FILE *fp, const struct plan *pl, const char *backup);
/* The same as "changed", plan_json()'s "restarts" and "followups", and "replicated" members. */
void pruneout_notes_json(struct json *j, const struct plan *pl);

#endif
