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
pruneout_manifest(const struct trust_set *ts, struct manifest *m)
{
	const struct trust_file *f;
	const struct trust_cert *c;
	char na[32], why[160], *subj = NULL, *rel = NULL, *serial = NULL;
	size_t i;
	int rc = 0;

	for (i = 0; i < ts->nfiles && rc == 0; i++) {
		if (ts->files[i].go != 1)
			continue;
		f = &ts->files[i];
		c = &ts->certs[f->first];
		subj = trustset_subject(c);
		serial = trustset_serial(c);
		if ((rel = malloc(strlen(f->unit) + strlen(f->name) + 2)) != NULL)
			sprintf(rel, "%s/%s", f->unit, f->name);
		if (subj == NULL || rel == NULL || serial == NULL || manifest_add(m, rel, f->sha256,
		    subj, serial, when_iso(c->dc.not_after, na),
		    prune_why(c, why, sizeof(why))) != 0) {
			warnf("%s: out of memory", ts->store);
			rc = -1;
		}
		free(subj);
		free(serial);
		free(rel);
	}
	return rc;
}

/* CUCM copies these trust stores to every node of the cluster. */
static int
replicated(const char *unit)
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

	if (backup != NULL)
		fprintf(fp, "backup: %s\n", backup);
	for (k = 0; k < pl->n; k++)
		fprintf(fp, "changed: %s\n", pl->units[k]);
	plan_text(pl, fp);
	for (k = 0; k < pl->n; k++) {
		if (replicated(pl->units[k]))
			fprintf(fp, "next: %s is replicated to every node of the cluster: "
			    "the change is cluster-wide\n", pl->units[k]);
		if (cucm_restarts(pl->units[k], &n) == NULL)
			fprintf(fp, "next: %s: no service restart is known for this store\n",
			    pl->units[k]);
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
		if (replicated(pl->units[k]))
			json_str(j, pl->units[k]);
	json_end(j);
}
