/* itlvalid.c: validity read straight from each record's DER certificate, no OpenSSL object built. */
#include <stdlib.h>

#include "core/buf.h"
#include "core/diag.h"
#include "core/when.h"
#include "tl/itlvalid.h"
#include "x509/der.h"
#include "x509/dntext.h"

/* The subject as text (malloc'd) or NULL. */
static char *
subject(const struct der_cert *dc)
{
	struct buf b = BUF_ZERO;

	if (dntext_format(dc->subject.p, dc->subject.len, &b) != 0 || b.err) {
		buf_free(&b);
		return NULL;
	}
	return (char *)b.p;
}

/* "expired", "not-yet-valid", or NULL for record i; *dc filled. */
static const char *
state(const struct ctl *c, size_t i, int64_t now, struct der_cert *dc)
{
	const struct tlv *cert = &c->recs[i].f[CTL_R_CERT];

	if (cert->val == NULL || der_cert_parse(cert->val, cert->len, dc) != NULL)
		return NULL;	/* no certificate to judge: other checks speak of it */
	return now > dc->not_after ? "expired" : now < dc->not_before ? "not-yet-valid" : NULL;
}

size_t
itlvalid_warn(const struct ctl *c, int64_t now)
{
	struct der_cert dc;
	const char *st;
	char t[32], *subj;
	size_t i, n = 0;

	for (i = 0; i < c->nrecs; i++) {
		if ((st = state(c, i, now, &dc)) == NULL)
			continue;
		subj = subject(&dc);
		warnf("warning: record %zu (%s): certificate %s %s (phones still load it)", i + 1,
		    subj != NULL ? subj : "?", st[0] == 'e' ? "expired on" : "not valid before",
		    when_iso(st[0] == 'e' ? dc.not_after : dc.not_before, t));
		free(subj);
		n++;
	}
	return n;
}

void
itlvalid_json(struct json *j, const struct ctl *c, int64_t now)
{
	struct der_cert dc;
	const char *st;
	char t[32], *subj;
	size_t i;

	json_key(j, "not_valid");
	json_arr(j);
	for (i = 0; i < c->nrecs; i++) {
		if ((st = state(c, i, now, &dc)) == NULL)
			continue;
		subj = subject(&dc);
		json_obj(j);
		json_kint(j, "record", (long long)i + 1);
		json_kstr(j, "subject", subj);
		json_kstr(j, "state", st);
		json_kstr(j, "not_before", when_iso(dc.not_before, t));
		json_kstr(j, "not_after", when_iso(dc.not_after, t));
		json_end(j);
		free(subj);
	}
	json_end(j);
}
