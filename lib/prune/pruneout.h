/* pruneout.h: trust-prune's results: certificates as TSV or JSON, the changes for the manifest, restores, notes. */
#ifndef CTK_PRUNEOUT_H
#define CTK_PRUNEOUT_H

#include <stdio.h>

#include "core/json.h"
#include <stdint.h>

#include "store/issuer.h"
#include "store/restore.h"
#include "store/txn.h"
#include "cucm/plan.h"
#include "store/trustset.h"

/* 1 when CUCM copies the trust store unit to every node of the cluster (CUCM.md). */
int pruneout_replicated(const char *unit);
/* unit, file, subject, serial, notAfter, reasons (prune_why): one tab-separated line. */
void pruneout_text(FILE *fp, const struct trust_set *ts, const struct trust_cert *c);
/* The same and more (notBefore, each reason and protection, what it names) as an object. */
void pruneout_json(struct json *j, const struct trust_set *ts, const struct trust_cert *c);
/*
 * Add to t the removal of each file that goes, checked against the SHA-256 it
 * was judged by (TRUSTSET_HASH), with its first certificate described for the
 * manifest's readers. 0 or -1 (diagnosed).
 */
int pruneout_changes(const struct trust_set *ts, struct txn *t);

struct pruneout {
	FILE		*out;		/* text: stdout */
	struct json	*j;		/* json set: one JSON document there */
	int		 json, quiet, verbose;
	int		 apply;		/* --apply (or a restore that is not a dry run) */
	int64_t		 now;
	int		 version;	/* --cucm-version in tenths; 0: not given */
};

/*
 * The certificates of ts in scope as pruneout_report prints them (moved_only:
 * those that go; verbose: every one), each line after "NODE<TAB>" when node is
 * not NULL; or as its "certificates", "skipped" and "errors" members.
 */
void pruneout_certs_text(FILE *fp, const char *node, const struct trust_set *ts, int moved_only,
    int verbose);
void pruneout_certs_json(struct json *j, const struct trust_set *ts, const struct issuer *is,
    int moved_only);
/*
 * Before 11.0 (po->version), when pl removed certificates from a replicated
 * store: the "next:" lines of CSCto86463 (Certificate Change Notification
 * copies a deletion back from the other nodes); or as a "cluster_followups" member.
 */
void pruneout_ccn_text(FILE *fp, const struct pruneout *po, const struct plan *pl);
void pruneout_ccn_json(struct json *j, const struct pruneout *po, const struct plan *pl);

/*
 * trust-prune's result: the certificates in scope (those that went, with
 * --apply; the kept ones too, verbose) as TSV lines or one JSON document with
 * "certificates", "skipped" and "errors", then the notes when pl names a change.
 */
void pruneout_report(const struct pruneout *po, const struct trust_set *ts,
    const struct issuer *is, const struct plan *pl, const char *backup);
/*
 * A restore's result: "STATE<TAB>PATH" per manifest entry (restore_state_name;
 * "would be ..." for a dry run), "backup: DIR" (the restore's own backup), the
 * notes; or the same as one JSON document.
 */
void pruneout_restore(const struct pruneout *po, const struct restore *r, const struct txn *t,
    const struct plan *pl);
/*
 * After a change: "backup:" (when backup is not NULL), "changed:" per store,
 * plan_text()'s "restart:" and "next:" lines, then the stores CUCM replicates to
 * every node and those with no known restart, as "next:" lines.
 */
void pruneout_notes_text(FILE *fp, const struct plan *pl, const char *backup);
/* The same as "changed", plan_json()'s "restarts" and "followups", and "replicated" members. */
void pruneout_notes_json(struct json *j, const struct plan *pl);

#endif
