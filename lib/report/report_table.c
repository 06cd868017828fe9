/* report_table.c: the default output: one TSV line per certificate in the window, by notAfter. */
#include <stdlib.h>
#include <string.h>

#include "core/out.h"
#include "report/reportbase.h"
#include "core/when.h"

struct report_row {
	int64_t			 not_after;
	size_t			 seq;
	double			 days;
	enum expiry_state	 st;
	char			*unit, *label, *subject;
	const char		*node;		/* borrowed: the cluster's node names outlive the report */
	const char		*impact;	/* static text (cucm/impact) */
	char			*serial;
};

void
report_table_cert(struct report *r, const struct report_cert *rc)
{
	struct report_row *w;

	if ((rc->st == EXPIRY_OK || rc->st == EXPIRY_KEPT) && !r->all)
		return;
	if (r->nrows == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 64;

		if ((w = realloc(r->rows, cap * sizeof(*w))) == NULL) {
			r->oom = 1;
			return;
		}
		r->rows = w;
		r->cap = cap;
	}
	w = &r->rows[r->nrows];
	w->not_after = rc->c->not_after;
	w->seq = r->nrows;
	w->days = rc->days;
	w->st = rc->st;
	w->impact = rc->impact;
	w->serial = reportbase_serial(rc);
	w->unit = rc->unit != NULL ? strdup(rc->unit) : NULL;
	w->node = rc->node;
	w->label = strdup(reportbase_label(r, rc));
	w->subject = strdup(reportbase_name(&r->b, &rc->c->subject));
	if (w->label == NULL || w->subject == NULL || w->serial == NULL || (rc->unit != NULL && w->unit == NULL))
		r->oom = 1;
	r->nrows++;
}

static int
rowcmp(const void *a, const void *b)
{
	const struct report_row *x = a, *y = b;

	if (x->not_after != y->not_after)
		return x->not_after < y->not_after ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* A stale signed file: "-", "-", [node,] "-", the file, why, the signer's serial, "stale-signed" */
static void
stale_rows(struct report *r)
{
	const char *f[4];
	size_t off = 0;

	while (reportbase_stale(r, &off, f)) {
		fputs("-\t-\t", r->fp);
		if (r->nodes) {
			out_str(r->fp, f[0][0] != '\0' ? f[0] : "-");
			fputc('\t', r->fp);
		}
		fputs("-\t", r->fp);
		out_str(r->fp, f[1]);
		fputc('\t', r->fp);
		out_str(r->fp, f[3]);
		fprintf(r->fp, "\t%s\tstale-signed%s\n", f[2], r->verbose ? "\t-" : "");
	}
}

/* days, notAfter, unit, file, subject, serial, state[, impact]: tab-separated, no header. */
int
report_table_end(struct report *r)
{
	struct report_row *w;
	char iso[32];
	size_t i;

	if (r->rows != NULL)
		qsort(r->rows, r->nrows, sizeof(*r->rows), rowcmp);
	for (i = 0; i < r->nrows; i++) {
		w = &r->rows[i];
		if (w->label != NULL && w->subject != NULL && w->serial != NULL) {
			fprintf(r->fp, "%.2f\t%s\t", w->days, when_iso(w->not_after, iso));
			if (r->nodes) {	/* --cluster: a node column before the unit */
				out_str(r->fp, w->node != NULL ? w->node : "-");
				fputc('\t', r->fp);
			}
			out_str(r->fp, w->unit != NULL ? w->unit : "-");
			fputc('\t', r->fp);
			out_str(r->fp, w->label);
			fputc('\t', r->fp);
			out_str(r->fp, w->subject);	/* already escaped; out_str keeps it so */
			fprintf(r->fp, "\t%s\t%s", w->serial, expiry_state_name(w->st));
			if (r->verbose) {
				fputc('\t', r->fp);
				out_str(r->fp, w->impact != NULL ? w->impact : "-");
			}
			fputc('\n', r->fp);
		}
	}
	stale_rows(r);
	report_table_free(r);
	return r->oom ? -1 : 0;
}

void
report_table_free(struct report *r)
{
	size_t i;

	for (i = 0; i < r->nrows; i++) {
		free(r->rows[i].unit);
		free(r->rows[i].label);
		free(r->rows[i].subject);
		free(r->rows[i].serial);
	}
	free(r->rows);
	r->rows = NULL;
	r->nrows = r->cap = 0;
}
