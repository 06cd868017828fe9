/* pruneout.c: the words trust-prune uses for a certificate, in every form it prints or stores. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cucm/cucm.h"
#include "core/diag.h"
#include "core/out.h"
#include "prune/prune.h"
#include "prune/pruneout.h"
#include "core/when.h"
#include "core/path.h"

void
pruneout_text(FILE *fp, const struct trust_set *ts, const struct trust_cert *c)
{
	const struct trust_file *f = &ts->files[c->file];
	char na[32], why[160], *subj = trustset_subject(c), *serial = trustset_serial(c);

	out_str(fp, f->unit);
	fputc('\t', fp);
	out_str(fp, f->name);
	fputc('\t', fp);
	out_str(fp, subj != NULL ? subj : "");
	fprintf(fp, "\t%s\t%s\t%s\n", serial != NULL ? serial : "?",
	    when_iso(c->dc.not_after, na), prune_why(c, why, sizeof(why)));
	free(subj);
	free(serial);
}

static void
bits(struct json *j, const char *key, unsigned mask, const char *(*name)(unsigned))
{
	unsigned b;

	json_key(j, key);
	json_arr(j);
	for (b = 1; b != 0 && b <= mask; b <<= 1)
		if (mask & b)
			json_str(j, name(b));
	json_end(j);
}

void
pruneout_json(struct json *j, const struct trust_set *ts, const struct trust_cert *c)
{
	const struct trust_file *f = &ts->files[c->file];
	char t[32], *subj = trustset_subject(c), *serial = trustset_serial(c);

	json_obj(j);
	json_kstr(j, "unit", f->unit);
	json_kstr(j, "file", f->name);
	json_kint(j, "index", (long long)(c - ts->certs - f->first) + 1);
	json_kstr(j, "subject", subj);
	json_kstr(j, "serial", serial);
	json_kstr(j, "not_before", when_iso(c->dc.not_before, t));
	json_kstr(j, "not_after", when_iso(c->dc.not_after, t));
	json_kbool(j, "selected", f->go == 1);
	bits(j, "reasons", c->sel, prune_sel_name);
	bits(j, "keep", c->keep, prune_keep_name);
	if (c->sel & PRUNE_SUPERSEDED)
		json_kstr(j, "superseded_by", ts->files[ts->certs[c->by].file].name);
	if (c->issuer_of != NULL)
		json_kstr(j, "issuer_of", c->issuer_of);
	if (c->held_by != NULL)
		json_kstr(j, "held_by", c->held_by);
	json_end(j);
	free(subj);
	free(serial);
}

int
pruneout_changes(const struct trust_set *ts, struct txn *t)
{
	const struct trust_file *f;
	const struct trust_cert *c;
	char na[32], why[160], *subj = NULL, *rel = NULL, *serial = NULL, *note;
	size_t i;
	int rc = 0;

	for (i = 0; i < ts->nfiles && rc == 0; i++) {
		if (ts->files[i].go != 1)
			continue;
		f = &ts->files[i];
		c = &ts->certs[f->first];
		subj = trustset_subject(c);
		rel = path_join(f->unit, f->name, NULL);
		serial = trustset_serial(c);
		note = NULL;
		if (subj != NULL && serial != NULL &&
		    (note = malloc(strlen(subj) + strlen(serial) + 400)) != NULL)
			sprintf(note, "%s; serial %s; notAfter %s; %s", subj, serial,
			    when_iso(c->dc.not_after, na), prune_why(c, why, sizeof(why)));
		if (note == NULL || rel == NULL) {
			warnf("%s: out of memory", ts->store);
			rc = -1;
		} else	/* the file must still be the one read: trust-prune judged those bytes */
			rc = txn_remove_read(t, rel, f->sha256, note);
		free(subj);
		free(serial);
		free(rel);
		free(note);
	}
	return rc;
}

static const char *const kinds[] = {
	"no-certificate", "private-key", "no-certificate", "symlink", "not-a-file", "damaged"
};

static void
report_text(FILE *fp, const char *node, const struct trust_set *ts, int moved_only, int verbose)
{
	const struct trust_file *f;
	size_t i, k;

	for (i = 0; i < ts->nfiles; i++) {
		f = &ts->files[i];
		if (!f->inscope || (moved_only && f->go != 1))
			continue;
		for (k = f->first; k < f->first + f->ncerts; k++)
			if (f->go || verbose) {
				if (node != NULL)
					fprintf(fp, "%s\t", node);
				pruneout_text(fp, ts, &ts->certs[k]);
			}
		if (f->ncerts == 0 && verbose) {
			if (node != NULL)
				fprintf(fp, "%s\t", node);
			out_str(fp, f->unit);
			fputc('\t', fp);
			out_str(fp, f->name);
			fprintf(fp, "\t-\t-\t-\tkeep:%s\n", kinds[f->kind]);
		}
	}
}

static void
report_json(struct json *j, const struct trust_set *ts, const struct issuer *is, int moved_only)
{
	const struct trust_file *f;
	size_t i, k;

	json_key(j, "certificates");
	json_arr(j);
	for (i = 0; i < ts->nfiles; i++) {
		f = &ts->files[i];
		if (f->inscope && (!moved_only || f->go == 1))
			for (k = f->first; k < f->first + f->ncerts; k++)
				pruneout_json(j, ts, &ts->certs[k]);
	}
	json_end(j);
	json_key(j, "skipped");
	json_arr(j);
	for (i = 0; i < ts->nfiles; i++) {
		f = &ts->files[i];
		if (!f->inscope || f->ncerts > 0 || f->kind == TRUST_BAD)
			continue;
		json_obj(j);
		json_kstr(j, "unit", f->unit);
		json_kstr(j, "file", f->name);
		json_kstr(j, "why", f->why);
		json_end(j);
	}
	json_end(j);
	json_key(j, "errors");
	json_arr(j);
	for (i = 0; i < ts->nfiles + is->nbad; i++) {
		if (i < ts->nfiles && (!ts->files[i].inscope || ts->files[i].kind != TRUST_BAD))
			continue;
		json_obj(j);
		json_kstr(j, "path", i < ts->nfiles ? ts->files[i].path : is->bad[i - ts->nfiles].path);
		/* the key cert-expiry's errors have for the same thing */
		json_kstr(j, "file", i < ts->nfiles ? ts->files[i].path : is->bad[i - ts->nfiles].path);
		json_kstr(j, "error", i < ts->nfiles ? ts->files[i].why : is->bad[i - ts->nfiles].why);
		json_end(j);
	}
	json_end(j);
}

void
pruneout_report(const struct pruneout *po, const struct trust_set *ts, const struct issuer *is,
    const struct plan *pl, const char *backup)
{
	char t[32];

	if (po->json) {
		json_obj(po->j);
		json_head(po->j);
		json_kstr(po->j, "store", ts->store);
		json_kstr(po->j, "now", when_iso(po->now, t));
		json_kstr(po->j, "mode", po->apply ? "apply" : "dry-run");
		json_kstr(po->j, "backup", backup);
		report_json(po->j, ts, is, po->apply);
		if (pl->n > 0)
			pruneout_notes_json(po->j, pl);
		pruneout_ccn_json(po->j, po, pl);
		json_end(po->j);
	} else if (!po->quiet) {
		report_text(po->out, NULL, ts, po->apply, po->verbose);
		if (pl->n > 0)
			pruneout_notes_text(po->out, pl, backup);
		pruneout_ccn_text(po->out, po, pl);
	}
}

void
pruneout_restore(const struct pruneout *po, const struct restore *r, const struct txn *t,
    const struct plan *pl)
{
	size_t i;

	if (po->json) {
		json_obj(po->j);
		json_head(po->j);
		json_kstr(po->j, "backup", r->backup);
		json_kstr(po->j, "store", r->store);
		json_kstr(po->j, "backup_tool", r->m.tool);	/* "tool" is the writer's */
		json_kbool(po->j, "dry_run", !po->apply);
		json_kstr(po->j, "restore_backup", t->backup);
		json_key(po->j, "files");
		json_arr(po->j);
		for (i = 0; i < r->m.n; i++) {
			json_obj(po->j);
			json_kstr(po->j, "path", r->m.e[i].path);
			json_kstr(po->j, "state", restore_state_name(r, i));
			json_end(po->j);
		}
		json_end(po->j);
		if (pl->n > 0)
			pruneout_notes_json(po->j, pl);
		json_end(po->j);
		return;
	}
	if (po->quiet)
		return;
	for (i = 0; i < r->m.n; i++) {
		fprintf(po->out, "%s%s\t", po->apply ? "" : "would be ", restore_state_name(r, i));
		out_str(po->out, r->m.e[i].path);
		putc('\n', po->out);
	}
	if (t->backup != NULL) {
		fputs("backup: ", po->out);
		out_str(po->out, t->backup);
		putc('\n', po->out);
	}
	if (pl->n > 0)
		pruneout_notes_text(po->out, pl, NULL);
}

int
pruneout_replicated(const char *unit)
{
	static const char *const shared[] = {
		"CAPF-trust", "tomcat-trust", "CallManager-trust", "Phone-SAST-trust"
	};
	size_t i;

	for (i = 0; i < sizeof(shared) / sizeof(shared[0]); i++)
		if (strcasecmp(unit, shared[i]) == 0)
			return 1;
	return 0;
}

void
pruneout_notes_text(FILE *fp, const struct plan *pl, const char *backup)
{
	int k, n;

	/* unit directory names through out_str, as the TSV lines */
	if (backup != NULL) {
		fputs("backup: ", fp);
		out_str(fp, backup);
		putc('\n', fp);
	}
	for (k = 0; k < pl->n; k++) {
		fputs("changed: ", fp);
		out_str(fp, pl->units[k]);
		putc('\n', fp);
	}
	plan_text(pl, fp);
	for (k = 0; k < pl->n; k++) {
		if (pruneout_replicated(pl->units[k])) {
			fputs("next: ", fp);
			out_str(fp, pl->units[k]);
			fputs(" is replicated to every node of the cluster: the change is "
			    "cluster-wide\n", fp);
		}
		if (cucm_restarts(pl->units[k], &n) == NULL) {
			fputs("next: ", fp);
			out_str(fp, pl->units[k]);
			fputs(": no service restart is known for this store\n", fp);
		}
	}
}

void
pruneout_notes_json(struct json *j, const struct plan *pl)
{
	int k;

	json_key(j, "changed");
	json_arr(j);
	for (k = 0; k < pl->n; k++)
		json_str(j, pl->units[k]);
	json_end(j);
	plan_json(pl, j);
	json_key(j, "replicated");
	json_arr(j);
	for (k = 0; k < pl->n; k++)
		if (pruneout_replicated(pl->units[k]))
			json_str(j, pl->units[k]);
	json_end(j);
}

void
pruneout_certs_text(FILE *fp, const char *node, const struct trust_set *ts, int moved_only,
    int verbose)
{
	report_text(fp, node, ts, moved_only, verbose);
}

void
pruneout_certs_json(struct json *j, const struct trust_set *ts, const struct issuer *is,
    int moved_only)
{
	report_json(j, ts, is, moved_only);
}

/* CSCto86463 (CUCM.md): before 11.0 a deletion on one node comes back from the others. */
static const char *const ccn[] = {
	"before 11.0 Cisco Certificate Change Notification copies a certificate deleted on one "
	    "node back from the others (CSCto86463): stop it on every node first (utils service "
	    "stop Cisco Certificate Change Notification)",
	"then delete the same certificates on every node, and start Cisco Certificate Change "
	    "Notification again on every node",
	NULL
};

static int
ccn_applies(const struct pruneout *po, const struct plan *pl)
{
	int k;

	if (po->version == 0 || po->version >= 110 || !po->apply)
		return 0;
	for (k = 0; k < pl->n; k++)
		if (pl->removed[k] && pruneout_replicated(pl->units[k]))
			return 1;
	return 0;
}

void
pruneout_ccn_text(FILE *fp, const struct pruneout *po, const struct plan *pl)
{
	int i;

	for (i = 0; ccn_applies(po, pl) && ccn[i] != NULL; i++)
		fprintf(fp, "next: %s\n", ccn[i]);
}

void
pruneout_ccn_json(struct json *j, const struct pruneout *po, const struct plan *pl)
{
	int i;

	if (po->version == 0)	/* the member only where --cucm-version was given */
		return;
	json_key(j, "cluster_followups");
	json_arr(j);
	for (i = 0; ccn_applies(po, pl) && ccn[i] != NULL; i++)
		json_str(j, ccn[i]);
	json_end(j);
}
