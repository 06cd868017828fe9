/* sgnshow.c: the header table is ctlshow's; what follows it is the payload and the verdict. */
#include <string.h>

#include "core/hash.h"
#include "core/out.h"
#include "tl/ctlshow.h"
#include "tl/sgnshow.h"

/* Lower-case hex digest of p[0..n) by alg, or "-". */
static const char *
digest(const char *alg, const uint8_t *p, size_t n, char *hex)
{
	return hash_hex(alg, p, n, 0, hex) != NULL ? hex : "-";
}

static void
encryption(FILE *fp, const struct ctl *c)
{
	const struct tlv *iv = &c->hf[CTL_H_IV], *kb = &c->hf[CTL_H_KEYBITS];
	const struct tlv *wk = &c->hf[CTL_H_WRAPKEY], *pd = &c->hf[CTL_H_PTDIGEST];
	const struct tlv *ph = &c->hf[CTL_H_PTHASH];
	const char *dn = pd->val != NULL && pd->len == 1 ? ctl_digest_name(pd->val[0]) : NULL;
	char hex[2 * 64 + 1];

	fputs("Encryption: IV ", fp);
	fputs(iv->val != NULL && iv->len <= 64 ? out_hex(hex, iv->val, iv->len, 0, 0) : "-", fp);
	if (kb->val != NULL && kb->len == 2)
		fprintf(fp, ", wrapped key size %u bits", tlv_u16(kb->val));	/* tag 23: the RSA-wrapped key's, not AES's */
	else
		fputs(", wrapped key size - bits", fp);
	fprintf(fp, ", wrapped key %u bytes, plain text %s ", wk->val != NULL ? wk->len : 0,
	    dn != NULL ? dn : "digest");
	fputs(ph->val != NULL && ph->len <= 64 ? out_hex(hex, ph->val, ph->len, 0, 0) : "-", fp);
	fputc('\n', fp);
}

/* " (signer: WHO; direct)": who signed and, judged with a cluster, how it was accepted. */
static void
signer(FILE *fp, const struct sgn_verdict *v, const char *s)
{
	const char *path = v->cluster && v->verified ? v->path : NULL;

	if (s == NULL && path == NULL)
		return;
	fputs(" (", fp);
	if (s != NULL) {
		fputs("signer: ", fp);
		out_str(fp, s);
	}
	if (path != NULL) {
		fputs(s != NULL ? "; " : "", fp);
		fputs(strcmp(path, "tvs") == 0 ? "tvs via " : path, fp);
		if (strcmp(path, "tvs") == 0)
			out_str(fp, v->via);
	}
	fputc(')', fp);
}

static void
verdict(FILE *fp, const struct sgn_verdict *v)
{
	char who[512];
	const char *s = v != NULL ? sgn_signer_text(v, who, sizeof(who)) : NULL;

	if (v == NULL)
		fputs("Error parsing the signed file.\n", fp);
	else if (!v->checked)
		fputs("Signature not checked: give --signer CERT or --trust ITL.\n", fp);
	else if (v->verified) {
		fputs("The signed file was verified successfully", fp);
		signer(fp, v, s);
		fputs(".\n", fp);
	} else {
		fputs("The signed file could not be verified: ", fp);
		out_str(fp, v->error);
		signer(fp, v, s);
		fputs(".\n", fp);
	}
}

void
sgnshow_print(FILE *fp, const struct ctl *c, const struct sgn_verdict *v)
{
	char h1[2 * HASH_MAX + 1], h2[2 * HASH_MAX + 1];
	size_t off, len;

	fprintf(fp, "The checksum value of the signed file:\n%s(MD5)\n%s(SHA1)\n",
	    digest("md5", c->buf, c->len, h1), digest("sha1", c->buf, c->len, h2));
	fprintf(fp, "Length of signed file: %zu\n\nParse Signed File\n----------------\n\n",
	    c->len);
	ctlshow_header(fp, c, 1);
	fputc('\n', fp);
	if (!c->damaged) {
		off = sgn_payload(c, &len);
		fprintf(fp, "Payload: %zu bytes, SHA1 %s, SHA256 %s\n", len,
		    digest("sha1", c->buf + off, len, h1), digest("sha256", c->buf + off, len, h2));
		if (sgn_kind(c) == SGN_ENCRYPTED)
			encryption(fp, c);
	}
	verdict(fp, c->damaged ? NULL : v);
}

const char *
sgnshow_word(const struct sgn_verdict *v)
{
	if (!v->checked)
		return "UNCHECKED";
	if (v->by_cert)
		return v->verified ? "VERIFIED" : "FAILED";
	return v->verified ? "ACCEPTED" : "REJECTED";
}

void
sgnshow_brief(FILE *fp, const struct ctl *c, const struct sgn_verdict *v, const char *name)
{
	const struct tlv *ser = &c->hf[CTL_H_SERIAL], *fn = &c->hf[CTL_H_FILENAME];
	char hex[2 * 64 + 1];
	size_t len;

	sgn_payload(c, &len);
	fprintf(fp, "%s\t%s\t", sgnshow_word(v), ser->val != NULL ?
	    out_hex(hex, ser->val, ser->len < 64 ? ser->len : 64, 1, 0) : "-");
	if (fn->val != NULL && ctl_strlen(fn) > 0)
		out_text(fp, fn->val, ctl_strlen(fn));
	else
		fputc('-', fp);
	fprintf(fp, "\t%zu\t", len);
	out_str(fp, name);
	if (v->cluster) {	/* judged with a cluster: how it was accepted */
		fputc('\t', fp);
		if (v->verified && strcmp(v->path, "tvs") == 0) {
			fputs("tvs via ", fp);
			out_str(fp, v->via);
		} else
			fputs(v->verified ? v->path : "-", fp);
	}
	fputc('\n', fp);
}
