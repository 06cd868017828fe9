/* sgn.c: signed TFTP files share the trust-list header; only what follows it differs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "core/diag.h"
#include "core/io.h"

#include "tl/ctlkey.h"
#include "tl/sgn.h"
#include "tl/signerid.h"
#include "x509/der.h"

int
sgn_kind(const struct ctl *c)
{
	const struct tlv *v = &c->hf[CTL_H_VERSION];

	if (v->val == NULL || v->len != 2 || v->val[1] != 0)
		return SGN_NONE;
	return v->val[0] == 1 ? SGN_SIGNED : v->val[0] == 2 ? SGN_ENCRYPTED : SGN_NONE;
}

/* 1 when the header's FILENAME ends with suffix (any case); the NUL does not count. */
static int
name_ends(const struct tlv *t, const char *suffix)
{
	size_t n = ctl_strlen(t), k = strlen(suffix);

	return n >= k && strncasecmp((const char *)t->val + n - k, suffix, k) == 0;
}

/*
 * The kind the header's FILENAME names: SGN_NONE for a trust list (CTLFile.tlv,
 * ITLFile.tlv, CUCM's per-device ITLSEP.../CTLSEP...), SGN_SIGNED for a *.sgn,
 * -1 when it is absent or names neither. The name on disk never counts.
 */
static int
name_kind(const struct ctl *c)
{
	const struct tlv *t = &c->hf[CTL_H_FILENAME];

	if (t->val == NULL)
		return -1;
	if (name_ends(t, ".sgn"))
		return SGN_SIGNED;
	if (ctl_strlen(t) >= 3 && (strncasecmp((const char *)t->val, "CTL", 3) == 0 ||
	    strncasecmp((const char *)t->val, "ITL", 3) == 0))
		return SGN_NONE;
	return -1;
}

int
sgn_parse_any(struct ctl *c, const uint8_t *buf, size_t len)
{
	int k;

	ctl_parse_header(c, buf, len);
	if ((k = sgn_kind(c)) != SGN_NONE && name_kind(c) != SGN_NONE)
		return k;
	ctl_free(c);
	ctl_parse(c, buf, len);
	return SGN_NONE;
}

const char *
sgn_kind_clash(const struct ctl *c, int parsed)
{
	int nk = name_kind(c), vk = sgn_kind(c);

	if (parsed == SGN_NONE && nk == SGN_NONE && vk != SGN_NONE)
		return "its FILENAME names a trust list but its version (1.0 or 2.0) is a "
		    "signed file's: judged as the trust list its FILENAME names";
	if (parsed == SGN_NONE && nk == SGN_SIGNED && vk == SGN_NONE)
		return "its FILENAME names a signed file (.sgn) but its version is a trust "
		    "list's: judged as a trust list";
	return NULL;
}

size_t
sgn_payload(const struct ctl *c, size_t *len)
{
	if (c->damaged || c->hdrlen == 0 || c->hdrlen > c->len) {
		*len = 0;
		return 0;
	}
	*len = c->len - c->hdrlen;
	return c->hdrlen;
}

/* A fresh verdict; src and by_cert, set by the caller, stay. */
static void
verdict_init(struct sgn_verdict *v)
{
	const char *src = v->src;
	int by_cert = v->by_cert;

	memset(v, 0, sizeof(*v));
	v->src = src;
	v->by_cert = by_cert;
	v->checked = 1;
	v->record = v->function = -1;
}

int
sgn_verify_cert(const struct ctl *s, EVP_PKEY *key, const uint8_t *der, size_t len,
    struct sgn_verdict *v)
{
	struct der_cert dc;
	struct tlv ser = { 0, 0, NULL, 0 };
	struct der_span sp;

	verdict_init(v);
	if (der_cert_parse(der, len, &dc) != NULL)
		v->error = "the signer's certificate does not parse";
	else if (s->hf[CTL_H_SERIAL].val == NULL)
		v->error = "the header names no signer";
	else {
		sp = der_serial_unsigned(&dc);
		ser.val = sp.p;
		ser.len = (uint16_t)(sp.len > 0xFFFF ? 0xFFFF : sp.len);
		if (!ctl_serial_eq(&s->hf[CTL_H_SERIAL], &ser) ||
		    !signerid_issuer_is(&s->hf[CTL_H_CANAME], NULL, der, len))
			v->error = "the header names another signer (serial number or issuer)";
		else
			v->error = ctl_verify_key(s, key);
	}
	v->verified = v->error == NULL;
	return v->verified;
}

/* The reason a matching record of another role does not do (phones need TFTP or CCM+TFTP). */
static const char *
role_reason(int function, char *buf, size_t n)
{
	const char *role = ctl_role_name(function);

	if (role == NULL)
		return "the signer is in the trust list only in a role phones do not accept for "
		    "signed files (they need TFTP or CCM+TFTP)";
	snprintf(buf, n, "the signer is only a%s %s record of the trust list (phones need TFTP "
	    "or CCM+TFTP)", strchr("AEIOU", role[0]) != NULL ? "n" : "", role);
	return buf;
}

int
sgn_accepts(const struct ctl *tl, const struct ctl *s, struct sgn_verdict *v)
{
	struct ctlkey_memo m = CTLKEY_MEMO_ZERO;
	const char *bad = NULL;
	EVP_PKEY *key;
	size_t i;
	int other = -1, fn;

	verdict_init(v);
	for (i = 0; i < tl->nrecs && !v->verified; i++) {
		if (!signerid_names(&tl->recs[i], s))
			continue;
		fn = tl->recs[i].function;
		if (fn != CTL_FN_TFTP && fn != CTL_FN_CCM_TFTP) {
			if (other < 0)
				other = (int)i;
			continue;
		}
		v->record = (int)i;
		v->function = fn;
		if ((key = ctlkey_get(&tl->recs[i])) == NULL)
			bad = "the signer's record holds no key that decodes";
		else if ((bad = ctl_verify_key_once(s, key, &m)) == NULL &&	/* once per key */
		    signerid_split_key(&tl->recs[i]) != NULL) {
			snprintf(v->why, sizeof(v->why), "%s record %zu of the trust list holds a "
			    "PUBLICKEY that is not the key of its CERTIFICATE", ctl_role_name(fn), i + 1);
			bad = v->why;
		} else if (bad == NULL)
			v->verified = 1;
		EVP_PKEY_free(key);
	}
	ctlkey_memo_free(&m);
	if (!v->verified && v->record < 0 && other >= 0) {
		v->record = other;
		v->function = tl->recs[other].function;
		v->error = role_reason(v->function, v->why, sizeof(v->why));
	} else if (!v->verified)
		v->error = v->record >= 0 ? bad : s->hf[CTL_H_SERIAL].val == NULL ?
		    "the header names no signer" : "the signer is not in the trust list";
	ERR_clear_error();
	return v->verified;
}

const char *
sgn_signer_text(const struct sgn_verdict *v, char *buf, size_t n)
{
	const char *role;

	if (!v->checked || v->src == NULL)
		return NULL;
	if (v->by_cert) {
		snprintf(buf, n, "%s", v->src);
		return buf;
	}
	if (v->record < 0 && v->who[0] != '\0') {
		snprintf(buf, n, "%s", v->who);
		return buf;
	}
	if (v->record < 0)
		return NULL;
	if ((role = ctl_role_name(v->function)) != NULL)
		snprintf(buf, n, "%s record %d of %s", role, v->record + 1, v->src);
	else
		snprintf(buf, n, "record %d (FUNCTION %d) of %s", v->record + 1, v->function,
		    v->src);
	return buf;
}
