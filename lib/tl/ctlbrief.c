/* ctlbrief.c: ctl-dump --brief, kept here so that every tool prints a record the same way. */
#include <stdio.h>

#include <openssl/x509.h>

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
	const unsigned char *p;
	X509_NAME *name;
	char *s;

	cn[0] = '\0';
	if (ok) {
		p = dc->subject.p;
		if ((name = d2i_X509_NAME(NULL, &p, (long)dc->subject.len)) != NULL) {
			cert_cn(name, cn, n);
			X509_NAME_free(name);
		}
	}
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
	const char *s = ctl_role_name(r->function);

	if (s != NULL)
		return s;
	snprintf(buf, n, "UNKNOWN-%d", r->function);
	return buf;
}

void
ctlbrief_print(FILE *fp, const struct ctl *c, const char *name)
{
	struct der_cert dc;
	const struct tlv *ct;
	char cn[256], iso[32], hex[2 * HASH_MAX + 1], ser[2 * 64 + 1], rb[32];
	struct der_span s;
	size_t i;
	int ok;

	for (i = 0; i < c->nrecs; i++) {
		ct = &c->recs[i].f[CTL_R_CERT];
		ok = ct->val != NULL && der_cert_parse(ct->val, ct->len, &dc) == NULL;
		rec_cn(&c->recs[i], &dc, ok, cn, sizeof(cn), 0);
		fprintf(fp, "%zu\t%s\t", i + 1, ctlbrief_role(&c->recs[i], rb, sizeof(rb)));
		out_str(fp, cn[0] ? cn : "-");
		if (ok) {
			s = der_serial_unsigned(&dc);
			fprintf(fp, "\t%s\t%s\t%s\t",
			    out_hex(ser, s.p, s.len < 64 ? s.len : 64, 1, 0),
			    when_iso(dc.not_after, iso),
			    hash_hex("sha256", ct->val, ct->len, 1, hex) ? hex : "-");
		} else
			fputs("\t-\t-\t-\t", fp);
		out_str(fp, name);
		fputc('\n', fp);
	}
}
