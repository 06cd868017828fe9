/* ctljson.c: keys with no value in the file are left out rather than invented. */
#include <stdlib.h>
#include <string.h>

#include "tl/ctljson.h"
#include "x509/der.h"
#include "x509/dntext.h"
#include "core/hash.h"
#include "core/out.h"
#include "core/when.h"

static void
kstrtlv(struct json *j, const char *key, const struct tlv *t)
{
	if (t->val == NULL)
		return;
	json_key(j, key);
	json_strn(j, t->val, ctl_strlen(t));
}

static void
khex(struct json *j, const char *key, const uint8_t *p, size_t n)
{
	json_key(j, key);
	json_hex(j, p, n);
}

static void
kdigest(struct json *j, const char *key, const char *alg, const uint8_t *p, size_t n)
{
	uint8_t d[HASH_MAX];
	size_t len = hash_buf(alg, p, n, d);

	if (len > 0)
		khex(j, key, d, len);
}

static void
kname(struct json *j, const char *key, const struct der_span *s)
{
	struct buf b = BUF_ZERO;

	if (dntext_format(s->p, s->len, &b) == 0)
		json_kstr(j, key, (const char *)b.p);
	buf_free(&b);
}

/* One entry of an "unknown" array, opening the array before the first. */
static void
unknown(struct json *j, const struct tlv *t, int *any)
{
	if (!(*any)++) {
		json_key(j, "unknown");
		json_arr(j);
	}
	json_obj(j);
	json_kint(j, "tag", t->tag);
	khex(j, "hex", t->val, t->len);
	json_end(j);
}

static void
certificate(struct json *j, const struct tlv *t)
{
	struct der_cert dc;
	struct der_span sn;
	const char *why;
	char iso[32], key[32];

	json_key(j, "certificate");
	json_obj(j);
	json_kint(j, "length", t->len);
	kdigest(j, "sha1", "sha1", t->val, t->len);
	kdigest(j, "sha256", "sha256", t->val, t->len);
	if ((why = der_cert_parse(t->val, t->len, &dc)) != NULL) {
		json_kstr(j, "error", why);
	} else {
		sn = der_serial_unsigned(&dc);
		khex(j, "serial", sn.p, sn.len);
		json_kstr(j, "not_before", when_iso(dc.not_before, iso));
		json_kstr(j, "not_after", when_iso(dc.not_after, iso));
		json_kstr(j, "key", der_key_desc(dc.spki.p, dc.spki.len, key, sizeof(key)));
		kname(j, "subject", &dc.subject);
		kname(j, "issuer", &dc.issuer);
	}
	json_end(j);
}

static void
record(struct json *j, const struct ctl_rec *r, size_t i)
{
	const struct tlv *ip = &r->f[CTL_R_IP];
	char buf[32];
	size_t k;
	int any = 0;

	json_obj(j);
	json_kint(j, "index", (long long)i + 1);
	json_kint(j, "offset", (long long)r->off);
	json_kint(j, "length", (long long)r->len);
	if (r->function >= 0) {
		json_kint(j, "function", r->function);
		json_kstr(j, "role", ctl_role_text(r->function, buf, sizeof(buf)));
	}
	kstrtlv(j, "dns", &r->f[CTL_R_DNS]);
	kstrtlv(j, "subject", &r->f[CTL_R_SUBJECT]);
	kstrtlv(j, "issuer", &r->f[CTL_R_ISSUER]);
	if (r->f[CTL_R_SERIAL].val != NULL)
		khex(j, "serial", r->f[CTL_R_SERIAL].val, r->f[CTL_R_SERIAL].len);
	if (ip->val != NULL && ip->len == 4) {
		snprintf(buf, sizeof(buf), "%u.%u.%u.%u", ip->val[0], ip->val[1], ip->val[2],
		    ip->val[3]);
		json_kstr(j, "ip", buf);
	}
	json_key(j, "tags");
	json_arr(j);
	for (k = 0; k < r->ntags; k++)
		if (r->tags[k].tag != CTL_R_LENGTH)
			json_int(j, r->tags[k].tag);
	json_end(j);
	if (r->f[CTL_R_PUBKEY].val != NULL)
		json_kint(j, "public_key_length", r->f[CTL_R_PUBKEY].len);
	if (r->f[CTL_R_CERT].val != NULL)
		certificate(j, &r->f[CTL_R_CERT]);
	for (k = 0; k < r->ntags; k++)
		if (r->tags[k].tag == 0 || r->tags[k].tag > CTL_R_IP)
			unknown(j, &r->tags[k], &any);
	if (any)
		json_end(j);
	json_end(j);
}

void
ctljson_header(struct json *j, const struct ctl *c, int sgn)
{
	const struct tlv *hf = c->hf;
	const char *dn;
	char v[16];
	size_t k;
	int any = 0;

	json_key(j, "header");
	json_obj(j);
	if (hf[CTL_H_VERSION].val != NULL && hf[CTL_H_VERSION].len == 2) {
		snprintf(v, sizeof(v), "%u.%u", hf[CTL_H_VERSION].val[0], hf[CTL_H_VERSION].val[1]);
		json_kstr(j, "version", v);
	}
	if (c->hdrlen != 0)
		json_kint(j, "length", (long long)c->hdrlen);
	if (hf[CTL_H_SIGNERVER].val != NULL && hf[CTL_H_SIGNERVER].len == 2) {
		snprintf(v, sizeof(v), "%u.%u", hf[CTL_H_SIGNERVER].val[0],
		    hf[CTL_H_SIGNERVER].val[1]);
		json_kstr(j, "signer_version", v);
	}
	if (hf[CTL_H_SIGNERID].val != NULL) {
		json_key(j, "signer");
		json_obj(j);
		kstrtlv(j, "name", &hf[CTL_H_SIGNERNAME]);
		if (hf[CTL_H_SERIAL].val != NULL)
			khex(j, "serial", hf[CTL_H_SERIAL].val, hf[CTL_H_SERIAL].len);
		kstrtlv(j, "issuer", &hf[CTL_H_CANAME]);
		json_end(j);
	}
	if (hf[CTL_H_DIGEST].val != NULL && hf[CTL_H_DIGEST].len == 1) {
		json_key(j, "digest");
		if ((dn = ctl_digest_name(hf[CTL_H_DIGEST].val[0])) != NULL)
			json_str(j, dn);
		else
			json_int(j, hf[CTL_H_DIGEST].val[0]);
	}
	if (hf[CTL_H_SIGALG].val != NULL && hf[CTL_H_SIGALG].len == 1)
		json_kint(j, "signature_algorithm", hf[CTL_H_SIGALG].val[0]);
	if (hf[CTL_H_MODULUS].val != NULL && hf[CTL_H_MODULUS].len == 1)
		json_kint(j, "modulus", hf[CTL_H_MODULUS].val[0]);
	if (hf[CTL_H_SIGNATURE].val != NULL)
		json_kint(j, "signature_length", hf[CTL_H_SIGNATURE].len);
	kstrtlv(j, "filename", &hf[CTL_H_FILENAME]);
	if (hf[CTL_H_TIMESTAMP].val != NULL && hf[CTL_H_TIMESTAMP].len == 4)
		json_kint(j, "timestamp", tlv_u32(hf[CTL_H_TIMESTAMP].val));
	json_kint(j, "padding", (long long)c->npad);
	for (k = 0; k < c->nhtags; k++) {
		const struct tlv *t = &c->htags[k].t;

		if (sgn && t->tag >= CTL_H_ENCINFO && t->tag <= CTL_H_PTHASH)
			continue;	/* a signed file's "encryption" object */
		if (t->tag == 0 || (t->tag > CTL_H_TIMESTAMP && t->tag != CTL_H_SIGNERVER))
			unknown(j, t, &any);
	}
	if (any)
		json_end(j);
	json_end(j);
}

void
ctljson_error(struct json *j, const struct ctl *c)
{
	if (!c->damaged)
		return;
	json_key(j, "error");
	json_obj(j);
	json_kstr(j, "message", c->err);
	json_kint(j, "offset", (long long)c->err_off);
	json_end(j);
}

void
ctljson_print(struct json *j, const struct ctl *c, const char *file, int itl,
    const struct ctl_verify *v, const struct ctljson_trust *t)
{
	json_obj(j);
	json_head(j);
	ctljson_members(j, c, file, itl, v, t);
	json_end(j);
}

void
ctljson_stranded(struct json *j, const char *s)
{
	json_klist(j, "stranded_groups", s);
}

void
ctljson_members(struct json *j, const struct ctl *c, const char *file, int itl,
    const struct ctl_verify *v, const struct ctljson_trust *t)
{
	size_t i;

	json_kstr(j, "file", file);
	json_kstr(j, "type", itl ? "ITL" : "CTL");
	json_kint(j, "size", (long long)c->len);
	kdigest(j, "md5", "md5", c->buf, c->len);
	kdigest(j, "sha1", "sha1", c->buf, c->len);
	if (c->nhtags > 0)
		ctljson_header(j, c, 0);
	json_key(j, "records");
	json_arr(j);
	for (i = 0; i < c->nrecs; i++)
		record(j, &c->recs[i], i);
	json_end(j);
	ctljson_error(j, c);
	if (v != NULL) {
		json_key(j, "signature");
		json_obj(j);
		json_kbool(j, "verified", v->verified);
		json_key(j, "record");
		if (v->signer >= 0)
			json_int(j, v->signer + 1);
		else
			json_null(j);
		json_kstr(j, "error", v->verified ? NULL : v->error);
		json_end(j);
	}
	if (t != NULL) {
		json_key(j, "trust");
		json_obj(j);
		json_kstr(j, "old", t->old);
		json_kbool(j, "accepted", t->accepted);
		json_key(j, "record");
		if (t->record >= 0)
			json_int(j, t->record + 1);
		else
			json_null(j);
		if (t->cluster) {
			json_kstr(j, "path", t->path);
			json_kstr(j, "via", t->via);
			ctljson_stranded(j, t->stranded != NULL ? t->stranded : "");
		}
		json_kstr(j, "reason", t->reason);
		json_end(j);
	}
}
