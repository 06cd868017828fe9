/* report_prom.c: node_exporter textfile-collector format, one gauge family after another. */
#include <stdlib.h>
#include <string.h>

#include "core/out.h"
#include "report/report.h"

enum { F_NOT_AFTER, F_NOT_BEFORE, F_EXPIRED, F_DAYS };

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
	char *serial = report_serial(rc);

	l->len = 0;
	l->err = 0;
	buf_add(l, "{file=\"", 7);
	put_value(l, rc->file);
	buf_printf(l, "\",index=\"%zu\",unit=\"", rc->index);
	put_value(l, rc->unit);
	buf_add(l, "\",type=\"", 8);
	put_value(l, rc->type);
	buf_add(l, "\",subject=\"", 11);
	put_value(l, report_name(&r->b, &rc->c->subject));
	buf_add(l, "\",issuer=\"", 10);
	put_value(l, report_name(&r->b, &rc->c->issuer));
	buf_printf(l, "\",serial=\"%s\"}", serial != NULL ? serial : "?");
	free(serial);
}

void
report_prom_cert(struct report *r, const struct report_cert *rc)
{
	struct buf *l = &r->c;
	size_t i;

	put_labels(r, rc, l);
	for (i = 0; i < 4; i++) {
		static const char *names[] = { "x509_cert_not_after", "x509_cert_not_before",
		    "x509_cert_expired", "x509_cert_days_left" };

		buf_add(&r->fam[i], names[i], strlen(names[i]));
		buf_add(&r->fam[i], l->p, l->len);
	}
	buf_printf(&r->fam[F_NOT_AFTER], " %lld\n", (long long)rc->c->not_after);
	buf_printf(&r->fam[F_NOT_BEFORE], " %lld\n", (long long)rc->c->not_before);
	buf_printf(&r->fam[F_EXPIRED], " %d\n", rc->st == EXPIRY_EXPIRED);
	buf_printf(&r->fam[F_DAYS], " %.6f\n", rc->days);
	for (i = 0; i < 4; i++)
		if (r->fam[i].err || l->err)
			r->oom = 1;
}

void
report_prom_end(struct report *r)
{
	static const char *head[] = {
		"# HELP x509_cert_not_after Certificate notAfter, seconds since the epoch.\n"
		"# TYPE x509_cert_not_after gauge\n",
		"# HELP x509_cert_not_before Certificate notBefore, seconds since the epoch.\n"
		"# TYPE x509_cert_not_before gauge\n",
		"# HELP x509_cert_expired 1 when the certificate has expired.\n"
		"# TYPE x509_cert_expired gauge\n",
		"# HELP x509_cert_days_left Days until notAfter (negative once expired).\n"
		"# TYPE x509_cert_days_left gauge\n",
	};
	size_t i;

	for (i = 0; i < 4; i++) {
		fputs(head[i], r->fp);
		fwrite(r->fam[i].p != NULL ? r->fam[i].p : (uint8_t *)"", 1, r->fam[i].len, r->fp);
	}
	fprintf(r->fp, "# HELP x509_read_errors Files that could not be read or parsed.\n"
	    "# TYPE x509_read_errors gauge\nx509_read_errors %zu\n", r->nerrors);
}
