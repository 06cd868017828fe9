/* ctlbrief.c: ctl-dump --brief, kept here so that every tool prints a record the same way. */
#include <stdio.h>
#include <stdlib.h>

#include "core/hash.h"
#include "core/out.h"
#include "core/when.h"
#include "tl/ctlbrief.h"
#include "x509/cert.h"
#include "x509/der.h"

/* CN of the subject dc holds (ok: dc parsed), else the record's DNSNAME. */
static void
rec_cn(const struct ctl_rec *r, const struct der_cert *dc, int ok, char *cn, size_t n,
    int safe)
{
	char *s;

	cn[0] = '\0';
	if (ok)
		cert_cn_der(dc->subject.p, dc->subject.len, cn, n);
	if (cn[0] == '\0' && r->f[CTL_R_DNS].val != NULL)
		snprintf(cn, n, "%.*s", (int)ctl_strlen(&r->f[CTL_R_DNS]),
		    (const char *)r->f[CTL_R_DNS].val);
	for (s = cn; safe && *s != '\0'; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		    (*s >= '0' && *s <= '9') || *s == '.' || *s == '-' || *s == '_'))
			*s = '_';
}

void
ctlbrief_cn(const struct ctl_rec *r, char *cn, size_t n, int safe)
{
	const struct tlv *ct = &r->f[CTL_R_CERT];
	struct der_cert dc;

	rec_cn(r, &dc, ct->val != NULL && der_cert_parse(ct->val, ct->len, &dc) == NULL, cn, n,
	    safe);
}

const char *
ctlbrief_role(const struct ctl_rec *r, char *buf, size_t n)
{
	return ctl_role_text(r->function, buf, n);
}

void
ctlbrief_print(FILE *fp, const struct ctl *c, const char *name)
{
	struct der_cert dc;
	const struct tlv *ct;
	char cn[256], iso[32], hex[2 * HASH_MAX + 1], *ser, rb[32];
	size_t i;
	int ok;

	for (i = 0; i < c->nrecs; i++) {
		ct = &c->recs[i].f[CTL_R_CERT];
		ok = ct->val != NULL && der_cert_parse(ct->val, ct->len, &dc) == NULL;
		rec_cn(&c->recs[i], &dc, ok, cn, sizeof(cn), 0);
		fprintf(fp, "%zu\t%s\t", i + 1, ctlbrief_role(&c->recs[i], rb, sizeof(rb)));
		out_str(fp, cn[0] ? cn : "-");
		if (ok) {
			ser = der_serial_text(dc.serial.p, dc.serial.len, 1);
			fprintf(fp, "\t%s\t%s\t%s\t", ser != NULL ? ser : "?",
			    when_iso(dc.not_after, iso),
			    hash_hex("sha256", ct->val, ct->len, 1, hex) ? hex : "-");
			free(ser);
		} else
			fputs("\t-\t-\t-\t", fp);
		out_str(fp, name);
		fputc('\n', fp);
	}
}
