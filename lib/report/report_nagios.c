/* report_nagios.c: one plugin status line, with days left per certificate as perfdata. */
#include <string.h>

#include "core/out.h"
#include "report/report.h"

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

void
report_nagios_cert(struct report *r, const struct report_cert *rc)
{
	struct buf *perf = &r->fam[0];

	/* 'label'=days;warn;crit: "30:" alerts below 30 days (Nagios range syntax) */
	buf_addc(perf, ' ');
	put_label(perf, report_label(r, rc));
	buf_printf(perf, "=%.2f;%.6g:;%.6g:;;", rc->days, (double)rc->warn / 86400,
	    (double)rc->crit / 86400);
	if (perf->err)
		r->oom = 1;
}

void
report_nagios_end(struct report *r)
{
	static const char *names[] = { "OK", "WARNING", "CRITICAL", "UNKNOWN" };
	struct buf *perf = &r->fam[0];
	size_t total = 0, i;

	for (i = 0; i < 5; i++)
		total += r->n[i];
	fprintf(r->fp, "CERT-EXPIRY %s - %zu certificate%s: %zu expired, %zu critical, "
	    "%zu warning, %zu not yet valid, %zu ok; %zu file%s unreadable",
	    names[report_nagios_status(r)], total, total == 1 ? "" : "s",
	    r->n[EXPIRY_EXPIRED], r->n[EXPIRY_CRITICAL], r->n[EXPIRY_WARNING],
	    r->n[EXPIRY_NOTYET], r->n[EXPIRY_OK], r->nerrors, r->nerrors == 1 ? "" : "s");
	if (perf->len > 0) {
		fputs(" |", r->fp);
		fwrite(perf->p, 1, perf->len, r->fp);
	}
	fputc('\n', r->fp);
}
