/* sgnjson.c: the header object is ctljson's, so scripts read trust lists and signed files alike. */
#include "core/hash.h"
#include "tl/ctljson.h"
#include "tl/sgnjson.h"

static void
kdigest(struct json *j, const char *alg, const uint8_t *p, size_t n)
{
	uint8_t d[HASH_MAX];
	size_t len = hash_buf(alg, p, n, d);

	if (len > 0) {
		json_key(j, alg);
		json_hex(j, d, len);
	}
}

static void
khex(struct json *j, const char *key, const struct tlv *t)
{
	json_key(j, key);
	if (t->val != NULL)
		json_hex(j, t->val, t->len);
	else
		json_null(j);
}

/* A one-byte code (or u16 when wide) as a number, null when absent or of another size. */
static void
kcode(struct json *j, const char *key, const struct tlv *t, int wide)
{
	json_key(j, key);
	if (t->val != NULL && t->len == (wide ? 2 : 1))
		json_int(j, wide ? tlv_u16(t->val) : t->val[0]);
	else
		json_null(j);
}

static void
encryption(struct json *j, const struct ctl *c)
{
	const struct tlv *hf = c->hf, *pd = &c->hf[CTL_H_PTDIGEST];
	const char *dn = pd->val != NULL && pd->len == 1 ? ctl_digest_name(pd->val[0]) : NULL;

	json_key(j, "encryption");
	if (sgn_kind(c) != SGN_ENCRYPTED) {
		json_null(j);
		return;
	}
	json_obj(j);
	kcode(j, "iv_algorithm", &hf[CTL_H_IVALG], 0);
	khex(j, "iv", &hf[CTL_H_IV]);
	kcode(j, "padding", &hf[CTL_H_IVPAD], 1);
	kcode(j, "key_algorithm", &hf[CTL_H_KEYALG], 0);
	kcode(j, "key_bits", &hf[CTL_H_KEYBITS], 1);
	kcode(j, "wrap_algorithm", &hf[CTL_H_WRAPALG], 0);
	json_key(j, "wrapped_key_length");
	if (hf[CTL_H_WRAPKEY].val != NULL)
		json_int(j, hf[CTL_H_WRAPKEY].len);
	else
		json_null(j);
	if (dn != NULL)
		json_kstr(j, "plain_digest", dn);
	else
		kcode(j, "plain_digest", pd, 0);
	khex(j, "plain_digest_value", &hf[CTL_H_PTHASH]);
	json_end(j);
}

void
sgnjson_print(struct json *j, const struct ctl *c, const char *file,
    const struct sgn_verdict *v)
{
	char who[512];
	size_t off, len;

	json_obj(j);
	json_head(j);
	json_kstr(j, "file", file);
	json_kstr(j, "type", sgn_kind(c) == SGN_ENCRYPTED ? "ENC" : "SGN");
	json_kint(j, "size", (long long)c->len);
	if (c->nhtags > 0)
		ctljson_header(j, c, 1);
	if (c->damaged) {
		ctljson_error(j, c);
		json_end(j);
		return;
	}
	off = sgn_payload(c, &len);
	json_key(j, "payload");
	json_obj(j);
	json_kint(j, "offset", (long long)off);
	json_kint(j, "length", (long long)len);
	kdigest(j, "sha1", c->buf + off, len);
	kdigest(j, "sha256", c->buf + off, len);
	json_end(j);
	encryption(j, c);
	json_key(j, "signature");
	json_obj(j);
	json_key(j, "verified");
	if (v->checked)
		json_bool(j, v->verified);
	else
		json_null(j);
	json_kstr(j, "signer", sgn_signer_text(v, who, sizeof(who)));
	json_kstr(j, "error", v->checked && !v->verified ? v->error : NULL);
	if (v->cluster) {	/* the keys ctl-dump --cluster gives trust lists */
		json_kstr(j, "path", v->verified ? v->path : NULL);
		json_kstr(j, "via", v->verified && v->via[0] != '\0' ? v->via : NULL);
	}
	json_end(j);
	json_end(j);
}
