/* report.c: dispatch to the chosen format, and the helpers the formats share. */
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "core/diag.h"
#include "x509/dntext.h"
#include "core/out.h"
#include "report/report.h"

void
report_init(struct report *r, enum report_fmt fmt, FILE *fp, const struct expiry *ex)
{
	memset(r, 0, sizeof(*r));
	r->fmt = fmt;
	r->fp = fp;
	r->ex = ex;
	json_init(&r->j, fp);
	if (fmt == REPORT_JSON)
		report_json_begin(r);
	if (fmt == REPORT_SYSLOG)
		openlog(progname, LOG_PID, LOG_LOCAL7);
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
report_error(struct report *r, const char *file, const char *why)
{
	r->nerrors++;
	if (r->fmt == REPORT_JSON || r->fmt == REPORT_JSONL)
		report_json_error(r, file, why);
}

void
report_skip(struct report *r, const char *file, const char *why)
{
	(void)file;
	(void)why;
	r->nskipped++;
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
	default:
		break;
	}
	return r->oom || r->errs.err ? -1 : 0;
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
	for (i = 0; i < sizeof(r->fam) / sizeof(r->fam[0]); i++)
		buf_free(&r->fam[i]);
	if (r->fmt == REPORT_SYSLOG)
		closelog();
}

int
report_nagios_status(const struct report *r)
{
	if (r->n[EXPIRY_EXPIRED] + r->n[EXPIRY_CRITICAL] + r->n[EXPIRY_NOTYET] > 0)
		return 2;
	if (r->nerrors > 0)
		return 3;
	if (r->n[EXPIRY_WARNING] > 0)
		return 1;
	return r->n[EXPIRY_OK] > 0 ? 0 : 3;
}

const char *
report_label(struct report *r, const struct report_cert *rc)
{
	r->a.len = 0;
	r->a.err = 0;
	buf_add(&r->a, rc->file, strlen(rc->file));
	if (rc->record > 0)
		buf_printf(&r->a, "#%d", rc->record);
	else if (rc->count > 1)
		buf_printf(&r->a, "#%zu", rc->index);
	if (rc->role != NULL)
		buf_printf(&r->a, "(%s)", rc->role);
	buf_add(&r->a, "", 1);
	if (r->a.err) {
		r->oom = 1;
		return rc->file;
	}
	return (const char *)r->a.p;
}

const char *
report_name(struct buf *out, const struct der_span *name)
{
	out->len = 0;
	out->err = 0;
	if (dntext_format(name->p, name->len, out) != 0) {
		out->len = 0;
		out->err = 0;
		buf_add(out, "?", 2);
	}
	return out->err ? "?" : (const char *)out->p;
}

char *
report_serial(const struct report_cert *rc)
{
	return der_serial_text(rc->c->serial.p, rc->c->serial.len);
}
