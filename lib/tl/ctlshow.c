/* ctlshow.c: Cisco's `show ctl` layout; its tabs and tag-name typos are what people grep for. */
#include <string.h>

#include "tl/ctlshow.h"
#include "core/hash.h"
#include "core/out.h"
#include "core/when.h"

/* Names as CUCM prints them; the tab runs reproduce its column alignment. */
static const char *const hnames[CTL_H_MAX] = {
	[CTL_H_SIGNERID] = "SIGNERID\t", [CTL_H_SIGNERNAME] = "SIGNERNAME\t",
	[CTL_H_SERIAL] = "SERIALNUMBER\t", [CTL_H_CANAME] = "CANAME\t\t",
	[CTL_H_SIGINFO] = "SIGNATUREINFO\t", [CTL_H_DIGEST] = "DIGESTALGORTITHM\t",
	[CTL_H_ALGOINFO] = "SIGNATUREALGOINFO\t", [CTL_H_SIGALG] = "SIGNATUREALGORTITHM\t",
	[CTL_H_MODULUS] = "SIGNATUREMODULUS\t", [CTL_H_SIGNATURE] = "SIGNATURE\t",
	[CTL_H_FILENAME] = "FILENAME\t", [CTL_H_TIMESTAMP] = "TIMESTAMP\t",
	[CTL_H_SIGNERVER] = "SIGNERVERSION\t",
};
static const char *const rnames[CTL_R_MAX] = {
	[CTL_R_LENGTH] = "RECORDLENGTH\t", [CTL_R_DNS] = "DNSNAME\t\t",
	[CTL_R_SUBJECT] = "SUBJECTNAME\t", [CTL_R_FUNCTION] = "FUNCTION\t",
	[CTL_R_ISSUER] = "ISSUERNAME\t", [CTL_R_SERIAL] = "SERIALNUMBER\t",
	[CTL_R_PUBKEY] = "PUBLICKEY\t", [CTL_R_SIGNATURE] = "SIGNATURE\t",
	[CTL_R_CERT] = "CERTIFICATE\t", [CTL_R_IP] = "IPADDRESS\t",
};

static void
str(FILE *fp, const struct tlv *t)
{
	size_t n = ctl_strlen(t);

	if (n > 0) {
		fputc('\t', fp);
		out_text(fp, t->val, n);
	}
}

static void
colonhex(FILE *fp, const struct tlv *t)
{
	char hex[3 * 64 + 1];
	size_t i, n;

	fputc('\t', fp);
	for (i = 0; i < t->len; i += n) {
		n = t->len - i < 64 ? t->len - i : 64;
		if (i > 0)
			fputc(':', fp);
		fputs(out_hex(hex, t->val + i, n, 1, ':'), fp);
	}
}

static void
unknown(FILE *fp, const struct tlv *t)
{
	char hex[2 * 32 + 1];
	size_t n = t->len < 32 ? t->len : 32;

	fprintf(fp, "%u\tUNKNOWN\t\t%u\t%s%s\n", t->tag, t->len,
	    out_hex(hex, t->val, n, 0, 0), n < t->len ? "..." : "");
}

const char *
ctlshow_tagname(int tag, int rec)
{
	if (tag < 0 || tag >= (rec ? CTL_R_MAX : CTL_H_MAX))
		return NULL;
	return rec ? rnames[tag] : hnames[tag];
}

/*
 * Cisco dumps the signature in lower-case hex without zero padding, 8 bytes a
 * line, each in a 4-column cell ("%-4x"). Built by hand: this runs per file.
 */
void
ctlshow_sigdump(FILE *fp, const uint8_t *p, size_t n)
{
	static const char d[] = "0123456789abcdef";
	char line[8 * 4 + 2], *o = line;
	size_t i;
	uint8_t b;

	for (i = 0; i < n; i++) {
		b = p[i];
		if (b >= 16)
			*o++ = d[b >> 4];
		*o++ = d[b & 15];
		if (i % 8 == 7 || i + 1 == n) {
			*o++ = '\n';
			fwrite(line, 1, (size_t)(o - line), fp);
			o = line;
		} else
			while ((o - line) % 4 != 0)
				*o++ = ' ';
	}
}

/* Signed files' encryption tags (version 2.0), and values trust lists leave unprinted. */
static const char *const enames[CTL_H_MAX] = {
	[CTL_H_ENCINFO] = "ENCRYPTIONINFO\t", [CTL_H_IVINFO] = "IVINFO\t\t",
	[CTL_H_IVALG] = "IVALGORITHM\t", [CTL_H_IV] = "IV\t\t", [CTL_H_IVPAD] = "IVPADDING\t",
	[CTL_H_KEYINFO] = "KEYINFO\t\t", [CTL_H_KEYALG] = "KEYALGORITHM\t",
	[CTL_H_KEYBITS] = "KEYBITS\t\t", [CTL_H_WRAPALG] = "KEYWRAPALGORITHM\t",
	[CTL_H_WRAPKEY] = "WRAPPEDKEY\t", [CTL_H_PTDIGEST] = "PLAINDIGESTALGORITHM\t",
	[CTL_H_PTHASH] = "PLAINDIGEST\t",
};

/* Length and value of a signed file's tag t; 0 (nothing printed) for the other tags. */
static int
value(FILE *fp, const struct tlv *t)
{
	const char *dn;
	char hex[2 * 64 + 1], iso[32];

	switch (t->tag) {
	case CTL_H_FILENAME: case CTL_H_TIMESTAMP: case CTL_H_DIGEST: case CTL_H_PTDIGEST:
	case CTL_H_SIGALG: case CTL_H_MODULUS: case CTL_H_IVALG: case CTL_H_KEYALG:
	case CTL_H_WRAPALG: case CTL_H_IVPAD: case CTL_H_KEYBITS: case CTL_H_IV:
	case CTL_H_PTHASH: case CTL_H_WRAPKEY:
		fprintf(fp, "%u", t->len);
		break;
	default:
		return 0;
	}
	switch (t->tag) {
	case CTL_H_FILENAME:
		str(fp, t);
		return 1;
	case CTL_H_TIMESTAMP:
		if (t->len == 4)
			fprintf(fp, "\t%s", when_iso((int64_t)tlv_u32(t->val), iso));
		return 1;
	case CTL_H_DIGEST:
	case CTL_H_PTDIGEST:
		if (t->len == 1 && (dn = ctl_digest_name(t->val[0])) != NULL)
			fprintf(fp, "\t%s", dn);
		else if (t->len == 1)
			fprintf(fp, "\t%u", t->val[0]);
		return 1;
	case CTL_H_SIGALG:
	case CTL_H_MODULUS:
	case CTL_H_IVALG:
	case CTL_H_KEYALG:
	case CTL_H_WRAPALG:
		if (t->len == 1)
			fprintf(fp, "\t%u", t->val[0]);
		return 1;
	case CTL_H_IVPAD:
	case CTL_H_KEYBITS:
		if (t->len == 2)
			fprintf(fp, "\t%u", tlv_u16(t->val));
		return 1;
	case CTL_H_IV:
	case CTL_H_PTHASH:
		if (t->len <= 64)
			fprintf(fp, "\t%s", out_hex(hex, t->val, t->len, 0, 0));
		return 1;
	case CTL_H_WRAPKEY:
		return 1;
	}
	return 0;
}

void
ctlshow_header(FILE *fp, const struct ctl *c, int values)
{
	const struct ctl_htag *h;
	const struct tlv *t, *ver = &c->hf[CTL_H_VERSION];
	const char *name;
	size_t i;

	if (ver->val != NULL && ver->len == 2)
		fprintf(fp, "Version:\t%u.%u\n", ver->val[0], ver->val[1]);
	if (c->hdrlen != 0)
		fprintf(fp, "HeaderLength:\t%zu (BYTES)\n", c->hdrlen);
	fprintf(fp, "\nBYTEPOS\tTAG\t\tLENGTH\tVALUE\n-------\t---\t\t------\t-----\n");
	for (i = 0; i < c->nhtags; i++) {
		h = &c->htags[i];
		t = &h->t;
		if (t->tag == CTL_H_VERSION || t->tag == CTL_H_HDRLEN)
			continue;	/* printed above the table */
		name = t->tag >= CTL_H_MAX ? NULL : values && enames[t->tag] != NULL ?
		    enames[t->tag] : hnames[t->tag];
		if (name == NULL) {
			unknown(fp, t);
			continue;
		}
		fprintf(fp, "%u\t%s", t->tag, name);
		if (values && value(fp, t)) {
			fputc('\n', fp);
			continue;
		}
		switch (t->tag) {
		case CTL_H_SIGNERID:
		case CTL_H_SIGINFO:
		case CTL_H_ALGOINFO:
		case CTL_H_ENCINFO:
		case CTL_H_IVINFO:
		case CTL_H_KEYINFO:
			fprintf(fp, "2\t%u\n", t->len);
			continue;
		case CTL_H_SIGNERNAME:
		case CTL_H_CANAME:
			fprintf(fp, "%u", t->len);
			str(fp, t);
			break;
		case CTL_H_SERIAL:
			fprintf(fp, "%u", t->len);
			colonhex(fp, t);
			break;
		case CTL_H_SIGNERVER:
			fprintf(fp, "%u", t->len);
			if (t->len == 2)
				fprintf(fp, "\t%u.%u", t->val[0], t->val[1]);
			break;
		default:
			fprintf(fp, "%u", t->len);
		}
		fputc('\n', fp);
		if (t->tag == CTL_H_SIGNATURE)
			ctlshow_sigdump(fp, t->val, t->len);
	}
}

static void
record(FILE *fp, const struct ctl_rec *r, const char *word, size_t n, int signer)
{
	const struct tlv *t;
	const char *fn;
	uint8_t sha1[HASH_MAX];
	char hex[3 * HASH_MAX + 1];
	size_t i;

	fprintf(fp, "%s Record #:%zu\n----\nBYTEPOS\tTAG\t\tLENGTH\tVALUE\n"
	    "-------\t---\t\t------\t-----\n", word, n + 1);
	for (i = 0; i < r->ntags; i++) {
		t = &r->tags[i];
		if (t->tag >= CTL_R_MAX || rnames[t->tag] == NULL) {
			unknown(fp, t);
			continue;
		}
		fprintf(fp, "%u\t%s%u", t->tag, rnames[t->tag], t->len);
		switch (t->tag) {
		case CTL_R_LENGTH:
			if (t->len == 2)
				fprintf(fp, "\t%u", tlv_u16(t->val));
			break;
		case CTL_R_DNS:
		case CTL_R_SUBJECT:
		case CTL_R_ISSUER:
			str(fp, t);
			break;
		case CTL_R_FUNCTION:
			if (t->len == 2) {
				fn = ctl_function_text(tlv_u16(t->val));
				if (fn != NULL)
					fprintf(fp, "\t%s", fn);
				else
					fprintf(fp, "\t%u", tlv_u16(t->val));
			}
			break;
		case CTL_R_SERIAL:
			colonhex(fp, t);
			break;
		case CTL_R_CERT:
			if (hash_buf("sha1", t->val, t->len, sha1) == 20)
				fprintf(fp, "\t%s (SHA1 Hash HEX)", out_hex(hex, sha1, 20, 1, ' '));
			break;
		}
		fputc('\n', fp);
	}
	if (r->function == CTL_FN_SAST)
		fprintf(fp, "This etoken was %sused to sign the %s file.\n",
		    signer ? "" : "not ", word);
}

void
ctlshow_print(FILE *fp, const struct ctl *c, int itl, const time_t *mtime,
    const struct ctl_verify *v)
{
	const char *word = itl ? "ITL" : "CTL";
	char md5[2 * HASH_MAX + 1], sha1[2 * HASH_MAX + 1], when[64];
	struct tm tm;
	size_t i;
	int signer = v != NULL ? v->signer : ctl_find_signer(c);

	fprintf(fp, "The checksum value of the %s file:\n", word);
	if (hash_hex("md5", c->buf, c->len, 0, md5) != NULL)
		fprintf(fp, "%s(MD5)\n", md5);
	if (hash_hex("sha1", c->buf, c->len, 0, sha1) != NULL)
		fprintf(fp, "%s(SHA1)\n", sha1);
	fprintf(fp, "Length of %s file: %zu\n", word, c->len);
	if (mtime != NULL && localtime_r(mtime, &tm) != NULL &&
	    strftime(when, sizeof(when), "%a %b %d %H:%M:%S %Z %Y", &tm) > 0)
		fprintf(fp, "The %s File was last modified on %s\n", word, when);
	if (c->len == 0) {
		fprintf(fp, "Error parsing the %s File.\n", word);
		return;
	}
	fprintf(fp, "\nParse %s File\n----------------\n\n", word);
	ctlshow_header(fp, c, 0);
	for (i = 0; i < c->nrecs; i++) {
		fputc('\n', fp);
		record(fp, &c->recs[i], word, i, signer == (int)i);
	}
	fputc('\n', fp);
	if (v == NULL)
		fprintf(fp, "Error parsing the %s File.\n", word);
	else if (v->verified)
		fprintf(fp, "The %s file was verified successfully.\n", word);
	else
		fprintf(fp, "The %s file could not be verified: %s.\n", word, v->error);
}
