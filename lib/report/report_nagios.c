/* report_nagios.c: one plugin status line, with days left per certificate as perfdata. */
#include <string.h>

#include "core/out.h"
#include "report/reportbase.h"

/* Perfdata labels may hold neither '=' nor '\'' (plugin guidelines); control bytes go too. */
static void
put_label(struct buf *out, const char *s)
{
	const uint8_t *p = (const uint8_t *)s;
	size_t n = strlen(s), i = 0, k;

	buf_addc(out, '\'');
	while (i < n) {
		if ((k = out_utf8len(p + i, n - i)) == 0 || (k == 1 && (p[i] == '=' ||
		    p[i] == '\''))) {
			buf_addc(out, '_');
			i++;
			continue;
		}
		buf_add(out, p + i, k);
		i += k;
	}
	buf_addc(out, '\'');
}

/* A long-output line holds no '|' (it would start perfdata) and no control byte. */
static void
put_text(struct buf *out, const char *s)
{
	const uint8_t *p = (const uint8_t *)s;
	size_t n = strlen(s), i = 0, k;

	while (i < n) {
		if ((k = out_utf8len(p + i, n - i)) == 0 || (k == 1 && p[i] < 0x20))
			buf_printf(out, "\\x%02X", p[i++]);
		else if (k == 1 && p[i] == '|')
			buf_addc(out, '/'), i++;
		else {
			buf_add(out, p + i, k);
			i += k;
		}
	}
}

/* "LABEL (UNIT): expires in 6.0 days (critical) — IMPACT" for a certificate that alerts. */
static void
put_long(struct report *r, const struct report_cert *rc, const char *label)
{
	struct buf *l = &r->fam[NAGIOS_LONG];

	if (rc->node != NULL) {	/* --cluster: which node's certificate */
		put_text(l, rc->node);
		buf_add(l, ": ", 2);
	}
	put_text(l, label);
	if (rc->unit != NULL) {
		buf_add(l, " (", 2);
		put_text(l, rc->unit);
		buf_addc(l, ')');
	}
	if (rc->st == EXPIRY_NOTYET)
		buf_printf(l, ": not valid for %.1f days yet", (double)(rc->c->not_before -
		    r->ex->now) / 86400);
	else if (rc->st == EXPIRY_EXPIRED)
		buf_printf(l, ": expired %.1f days ago", -rc->days);
	else
		buf_printf(l, ": expires in %.1f days", rc->days);
	buf_printf(l, " (%s)", expiry_state_name(rc->st));
	if (rc->impact != NULL) {
		buf_add(l, " \xE2\x80\x94 ", 5);	/* an em dash */
		put_text(l, rc->impact);
	}
	buf_addc(l, '\n');
}

void
report_nagios_cert(struct report *r, const struct report_cert *rc)
{
	struct buf *perf = &r->fam[NAGIOS_PERF];
	const char *label = reportbase_label(r, rc);

	/* 'label'=days;warn;crit: "30:" alerts below 30 days (Nagios range syntax) */
	buf_addc(perf, ' ');
	put_label(perf, label);
	buf_printf(perf, "=%.2f;%.6g:;%.6g:;;", rc->days, (double)rc->warn / 86400,
	    (double)rc->crit / 86400);
	if (rc->st != EXPIRY_OK && rc->st != EXPIRY_KEPT)
		put_long(r, rc, label);
	if (perf->err || r->fam[NAGIOS_LONG].err)
		r->oom = 1;
}

/* Long output: "NODE: FILE: stale signed file: WHY" for each. */
static void
stale_long(struct report *r)
{
	const char *f[4];
	size_t off = 0;

	while (reportbase_stale(r, &off, f)) {
		if (f[0][0] != '\0') {
			out_str(r->fp, f[0]);
			fputs(": ", r->fp);
		}
		out_str(r->fp, f[1]);
		fputs(": stale signed file: ", r->fp);
		out_str(r->fp, f[3]);
		fputc('\n', r->fp);
	}
}

enum nagios_status
report_nagios_status(const struct report *r)
{
	if (r->n[EXPIRY_EXPIRED] + r->n[EXPIRY_CRITICAL] + r->n[EXPIRY_NOTYET] > 0)
		return NAGIOS_CRITICAL;
	if (r->nerrors > 0)
		return NAGIOS_UNKNOWN;
	if (r->n[EXPIRY_WARNING] > 0 || r->nstale > 0)
		return NAGIOS_WARNING;
	return r->n[EXPIRY_OK] + r->n[EXPIRY_KEPT] > 0 ? NAGIOS_OK : NAGIOS_UNKNOWN;
}

/*
 * Plugin guidelines: the first line is the status word, the summary and "|" perfdata;
 * the lines after it (long output) name one alerting certificate each, with its impact.
 */
void
report_nagios_end(struct report *r)
{
	static const char *const names[] = {
		[NAGIOS_OK] = "OK", [NAGIOS_WARNING] = "WARNING",
		[NAGIOS_CRITICAL] = "CRITICAL", [NAGIOS_UNKNOWN] = "UNKNOWN"
	};
	const struct buf *perf = &r->fam[NAGIOS_PERF], *l = &r->fam[NAGIOS_LONG];
	size_t total = 0, i;

	for (i = 0; i < EXPIRY_NSTATES; i++)
		total += r->n[i];
	fprintf(r->fp, "CERT-EXPIRY %s - %zu certificate%s: %zu expired, %zu critical, "
	    "%zu warning, %zu not yet valid, %zu ok", names[report_nagios_status(r)], total,
	    total == 1 ? "" : "s", r->n[EXPIRY_EXPIRED], r->n[EXPIRY_CRITICAL],
	    r->n[EXPIRY_WARNING], r->n[EXPIRY_NOTYET], r->n[EXPIRY_OK]);
	if (r->n[EXPIRY_KEPT] > 0)
		fprintf(r->fp, ", %zu kept (bundled CAs)", r->n[EXPIRY_KEPT]);
	fprintf(r->fp, "; %zu file%s unreadable", r->nerrors, r->nerrors == 1 ? "" : "s");
	if (r->nstale > 0)
		fprintf(r->fp, ", %zu stale signed file%s", r->nstale, r->nstale == 1 ? "" : "s");
	if (perf->len > 0) {
		fputs(" |", r->fp);
		fwrite(perf->p, 1, perf->len, r->fp);
	}
	fputc('\n', r->fp);
	if (l->len > 0)
		fwrite(l->p, 1, l->len, r->fp);
	stale_long(r);
}
