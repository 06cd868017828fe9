/*
 * phonesgn.c: a .sgn file carries no certificate: a TVS can vouch for its
 * signer only once the signer is found among what the cluster holds, by the
 * header's serial and issuer, and its key verifies the file.
 */
#include <stdio.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/x509.h>

#include "cucm/phone.h"
#include "cucm/phonesgn.h"
#include "x509/der.h"

/* 1 when the certificate x names s's signer (serial first: cheap) and its key verifies s. */
static int
signs(const struct phone_cert *x, const struct ctl *s)
{
	struct der_cert dc;
	struct der_span sp;
	struct sgn_verdict v;
	struct tlv ser;
	const unsigned char *p;
	EVP_PKEY *key;
	int ok;

	if (x->len == 0 || der_cert_parse(x->p, x->len, &dc) != NULL)
		return 0;
	sp = der_serial_unsigned(&dc);
	memset(&ser, 0, sizeof(ser));
	ser.val = sp.p;
	ser.len = (uint16_t)(sp.len > 0xFFFF ? 0xFFFF : sp.len);
	if (s->hf[CTL_H_SERIAL].val == NULL || !ctl_serial_eq(&s->hf[CTL_H_SERIAL], &ser))
		return 0;
	p = dc.spki.p;
	if ((key = d2i_PUBKEY(NULL, &p, (long)dc.spki.len)) == NULL) {
		ERR_clear_error();
		return 0;
	}
	memset(&v, 0, sizeof(v));
	ok = sgn_verify_cert(s, key, x->p, x->len, &v);
	EVP_PKEY_free(key);
	return ok;
}

const struct phone_cert *
phonesgn_signer(const struct clview *w, const struct ctl *s, char *who, size_t n)
{
	static const int units[] = { CLV_CM, CLV_CAPF, CLV_ITLREC };
	static const char *const names[] = { "CallManager", "CAPF", "ITLRecovery" };
	size_t i, k;

	for (i = 0; i < w->c->n; i++)
		for (k = 0; k < sizeof(units) / sizeof(units[0]); k++)
			if (signs(&w->v[i].unit[units[k]], s)) {
				snprintf(who, n, "%s of %s", names[k], w->c->v[i].name);
				return &w->v[i].unit[units[k]];
			}
	for (i = 0; i < w->c->n; i++)
		for (k = 0; k < w->v[i].ntrust; k++)
			if (signs(&w->v[i].trust[k], s)) {
				snprintf(who, n, "a trust certificate of %s", w->c->v[i].name);
				return &w->v[i].trust[k];
			}
	return NULL;
}

int
phonesgn_judge(const struct ctl *tl, const struct ctl *held, const struct ctl *s,
    const struct clview *w, struct sgn_verdict *v)
{
	const struct tlv *t = &s->hf[CTL_H_SIGNERNAME];
	const struct phone_cert *x;
	struct phone_itl o, h, n;
	struct phone_verdict pv;
	char who[sizeof(v->who)] = "", role[32];
	int rc = -1;

	memset(&o, 0, sizeof(o));
	memset(&h, 0, sizeof(h));
	memset(&n, 0, sizeof(n));
	n.kind = PHONE_SGN;
	n.file = s;
	if (phone_itl_from_ctl(&o, tl) != 0 || (held != NULL && phone_itl_from_ctl(&h, held) != 0))
		goto out;
	o.ctl = held != NULL ? &h : NULL;
	if (w != NULL && (x = phonesgn_signer(w, s, who, sizeof(who))) != NULL &&
	    phone_cert_set(&n.signer, x->p, x->len) != 0)
		goto out;
	snprintf(n.signer_name, sizeof(n.signer_name), "%.*s",
	    t->val != NULL ? (int)ctl_strlen(t) : 0, t->val != NULL ? (const char *)t->val : "");
	phone_judge(&o, &n, w, &pv);
	rc = 0;
	if (pv.ctlrec >= 0)	/* the CTL's record, named as the TVS path names its certificate */
		snprintf(who, sizeof(who), "%s record #%d of the CTL", ctl_role_text(pv.ctlfn, role,
		    sizeof(role)), pv.ctlrec + 1);
	/* the verdict as the signed-file outputs say it (lib/tl/sgnshow, sgnjson) */
	v->checked = 1;
	v->cluster = w != NULL;
	v->verified = pv.accepted;
	v->path = pv.path;
	v->record = pv.record;
	v->function = pv.function;
	snprintf(v->via, sizeof(v->via), "%s", pv.via);
	snprintf(v->who, sizeof(v->who), "%s", pv.path != NULL && (strcmp(pv.path, "tvs") == 0 ||
	    pv.ctlrec >= 0) ? who : "");
	snprintf(v->why, sizeof(v->why), "%s", pv.reason);
	v->error = pv.accepted ? NULL : v->why;
out:
	phone_itl_free(&o);
	phone_itl_free(&h);
	phone_itl_free(&n);
	return rc;
}
