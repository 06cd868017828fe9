/* report_prom.c: node_exporter textfile-collector format, one gauge family after another. */
#include <stdlib.h>
#include <string.h>

#include "core/out.h"
#include "report/reportbase.h"

/*
 * x509-certificate-exporter's names (and the base unit, seconds: promtool rejects
 * a "_days" gauge, so x509_cert_days_left gave way to x509_cert_expires_in_seconds).
 */
static const char *const names[NFAM] = {
	[FAM_NOT_AFTER] = "x509_cert_not_after",
	[FAM_NOT_BEFORE] = "x509_cert_not_before",
	[FAM_EXPIRED] = "x509_cert_expired",
	[FAM_EXPIRES_IN] = "x509_cert_expires_in_seconds",
};
static const char *const help[NFAM] = {
	[FAM_NOT_AFTER] = "Certificate notAfter, seconds since the epoch.",
	[FAM_NOT_BEFORE] = "Certificate notBefore, seconds since the epoch.",
	[FAM_EXPIRED] = "1 when the certificate has expired.",
	[FAM_EXPIRES_IN] = "Seconds until notAfter (negative once expired).",
};

/* A label value: '\\', '"' and newline escaped; control bytes and bad UTF-8 as \\xNN text. */
static void
put_value(struct buf *out, const char *s)
{
	const uint8_t *p = (const uint8_t *)(s != NULL ? s : "");
	size_t n = strlen((const char *)p), i = 0, k;

	while (i < n) {
		if ((k = out_utf8len(p + i, n - i)) == 0)
			buf_printf(out, "\\\\x%02X", p[i++]);
		else {
			if (k == 1 && (p[i] == '\\' || p[i] == '"'))
				buf_addc(out, '\\');
			buf_add(out, p + i, k);
			i += k;
		}
	}
}

static void
put_labels(struct report *r, const struct report_cert *rc, struct buf *l)
{
	char *serial = reportbase_serial(rc);

	l->len = 0;
	l->err = 0;
	buf_add(l, "{file=\"", 7);
	put_value(l, rc->file);
	buf_printf(l, "\",index=\"%zu\",unit=\"", rc->index);
	put_value(l, rc->unit);
	buf_add(l, "\",type=\"", 8);
	put_value(l, rc->type);
	buf_add(l, "\",subject=\"", 11);
	put_value(l, reportbase_name(&r->b, &rc->c->subject));
	buf_add(l, "\",issuer=\"", 10);
	put_value(l, reportbase_name(&r->b, &rc->c->issuer));
	buf_printf(l, "\",serial=\"%s\"", serial != NULL ? serial : "?");
	free(serial);
	if (rc->node != NULL || r->node != NULL) {	/* --cluster: the node it was found on */
		buf_add(l, ",node=\"", 7);
		put_value(l, rc->node != NULL ? rc->node : r->node);
		buf_addc(l, '"');
	}
	if (r->cluster != NULL) {
		buf_add(l, ",cluster=\"", 10);
		put_value(l, r->cluster);
		buf_addc(l, '"');
	}
	buf_addc(l, '}');
}

void
report_prom_cert(struct report *r, const struct report_cert *rc)
{
	struct buf *l = &r->c;
	size_t i;

	put_labels(r, rc, l);
	for (i = 0; i < NFAM; i++) {
		buf_add(&r->fam[i], names[i], strlen(names[i]));
		buf_add(&r->fam[i], l->p, l->len);
	}
	buf_printf(&r->fam[FAM_NOT_AFTER], " %lld\n", (long long)rc->c->not_after);
	buf_printf(&r->fam[FAM_NOT_BEFORE], " %lld\n", (long long)rc->c->not_before);
	buf_printf(&r->fam[FAM_EXPIRED], " %d\n", rc->st == EXPIRY_EXPIRED ||
	    (rc->st == EXPIRY_KEPT && rc->c->not_after < r->ex->now));
	buf_printf(&r->fam[FAM_EXPIRES_IN], " %lld\n",
	    (long long)(rc->c->not_after - r->ex->now));
	for (i = 0; i < NFAM; i++)
		if (r->fam[i].err || l->err)
			r->oom = 1;
}

/* --cluster, or any stale signed file: one gauge each, 1 (the family only then: output kept). */
static void
stale_gauges(struct report *r)
{
	struct buf *l = &r->c;
	const char *f[4];
	size_t off = 0;

	if (!r->nodes && r->nstale == 0)
		return;
	fputs("# HELP ctlkit_signed_file_stale Signed files whose signer expired or is gone.\n"
	    "# TYPE ctlkit_signed_file_stale gauge\n", r->fp);
	while (reportbase_stale(r, &off, f)) {
		l->len = 0;
		l->err = 0;
		buf_add(l, "ctlkit_signed_file_stale{file=\"", 31);
		put_value(l, f[1]);
		buf_add(l, "\",node=\"", 8);
		put_value(l, f[0]);
		buf_add(l, "\"} 1\n", 5);
		if (l->err)
			r->oom = 1;
		else
			fwrite(l->p, 1, l->len, r->fp);
	}
}

void
report_prom_end(struct report *r)
{
	size_t i;

	for (i = 0; i < NFAM; i++) {
		fprintf(r->fp, "# HELP %s %s\n# TYPE %s gauge\n", names[i], help[i], names[i]);
		fwrite(r->fam[i].p != NULL ? r->fam[i].p : (uint8_t *)"", 1, r->fam[i].len, r->fp);
	}
	fprintf(r->fp, "# HELP x509_read_errors Files that could not be read or parsed.\n"
	    "# TYPE x509_read_errors gauge\nx509_read_errors %zu\n", r->nerrors);
	stale_gauges(r);
}
