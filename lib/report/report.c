/* report.c: dispatch to the chosen format; the format files share only reportbase. */
#include <string.h>

#include "report/report.h"

int
report_init(struct report *r, enum report_fmt fmt, FILE *fp, const struct expiry *ex)
{
	memset(r, 0, sizeof(*r));
	r->fmt = fmt;
	r->fp = fp;
	r->ex = ex;
	r->syslog_fd = -1;
	json_init(&r->j, fp);
	if (fmt == REPORT_JSON)
		report_json_begin(r);
	if (fmt == REPORT_SYSLOG)
		return report_alarm_open(r);
	return 0;
}

void
report_cert(struct report *r, const struct report_cert *rc)
{
	r->n[rc->st]++;
	switch (r->fmt) {
	case REPORT_TABLE:
		report_table_cert(r, rc);
		break;
	case REPORT_JSON:
	case REPORT_JSONL:
		report_json_cert(r, rc);
		break;
	case REPORT_NAGIOS:
		report_nagios_cert(r, rc);
		break;
	case REPORT_PROM:
		report_prom_cert(r, rc);
		break;
	case REPORT_ALARM:
	case REPORT_SYSLOG:
		report_alarm_cert(r, rc);
		break;
	case REPORT_QUIET:
		break;
	}
}

void
report_skip(struct report *r, const struct report_cert *rc, const char *reason, const char *match)
{
	r->nskipped++;
	if (r->fmt == REPORT_JSON || r->fmt == REPORT_JSONL)
		report_json_skip(r, rc, reason, match);
}

void
report_stale(struct report *r, const char *node, const char *file, const char *serial,
    const char *why)
{
	const char *f[4] = { node != NULL ? node : "", file, serial, why };
	int i;

	r->nstale++;
	for (i = 0; i < 4; i++)
		buf_add(&r->stale, f[i], strlen(f[i]) + 1);
	if (r->stale.err)
		r->oom = 1;
}

void
report_error(struct report *r, const char *file, const char *why)
{
	r->nerrors++;
	if (r->fmt == REPORT_JSON || r->fmt == REPORT_JSONL)
		report_json_error(r, file, why);
}

void
report_skip_file(struct report *r, const char *file, const char *why)
{
	r->nskipped++;
	if (r->fmt == REPORT_JSON || r->fmt == REPORT_JSONL)
		report_json_skip_file(r, file, why);
}

int
report_end(struct report *r)
{
	switch (r->fmt) {
	case REPORT_TABLE:
		return report_table_end(r);
	case REPORT_JSON:
		report_json_end(r);
		break;
	case REPORT_NAGIOS:
		report_nagios_end(r);
		break;
	case REPORT_PROM:
		report_prom_end(r);
		break;
	case REPORT_JSONL:
		report_json_end(r);
		break;
	case REPORT_ALARM:
	case REPORT_SYSLOG:
		report_alarm_stale(r);
		break;
	default:
		break;
	}
	return r->oom || r->errs.err || r->skipped.err ? -1 : 0;
}

void
report_free(struct report *r)
{
	size_t i;

	report_table_free(r);
	buf_free(&r->a);
	buf_free(&r->b);
	buf_free(&r->c);
	buf_free(&r->errs);
	buf_free(&r->skipped);
	buf_free(&r->stale);
	for (i = 0; i < NFAM; i++)
		buf_free(&r->fam[i]);
	report_alarm_close(r);
}
