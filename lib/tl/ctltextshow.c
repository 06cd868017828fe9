/*
 * ctltextshow.c: a listing read from a capture, printed back in ctlshow's layout
 * (so ctl-dump's own output reads back to the same bytes) or one line per record.
 */
#include <string.h>

#include "core/out.h"
#include "tl/ctl.h"
#include "tl/ctlshow.h"
#include "tl/ctltextshow.h"

const char ctltextshow_note[] =
    "ctl-dump: a text capture: no signature check (it holds no signed bytes, no certificates)";

static void
rows(FILE *fp, const struct ctltext *t, const struct ctltext_list *l, size_t first, size_t n,
    int rec)
{
	const struct ctltext_row *w;
	size_t i;

	for (i = first; i < first + n; i++) {
		w = &t->rows[i];
		if (!w->known)
			fprintf(fp, "%d\tUNKNOWN\t\t%u\t", w->tag, w->len);
		else
			fprintf(fp, "%d\t%s%u", w->tag, ctlshow_tagname(w->tag, rec), w->len);
		if (w->val.p != NULL) {
			if (w->known)
				fputc('\t', fp);
			out_text(fp, w->val.p, w->val.n);
		}
		fputc('\n', fp);
		if (!rec && w->known && w->tag == CTL_H_SIGNATURE && l->siglen > 0)
			ctlshow_sigdump(fp, t->sigs + l->sig, l->siglen);
	}
}

static void
header(FILE *fp, const struct ctltext *t, const struct ctltext_list *l, const char *word)
{
	if (l->parsed)
		fprintf(fp, "\nParse %s File\n----------------\n\n", word);
	if (l->has_version)
		fprintf(fp, "Version:\t%u.%u\n", l->vmaj, l->vmin);
	if (l->has_hdrlen)
		fprintf(fp, "HeaderLength:\t%zu (BYTES)\n", l->hdrlen);
	if (l->parsed || l->nrows > 0) {
		fprintf(fp, "\nBYTEPOS\tTAG\t\tLENGTH\tVALUE\n-------\t---\t\t------\t-----\n");
		rows(fp, t, l, l->row, l->nrows, 0);
	}
}

static void
verdict(FILE *fp, const struct ctltext_list *l, const char *word)
{
	switch (l->verdict) {
	case CTLTEXT_VERIFIED:
		fprintf(fp, "The %s file was verified successfully.\n", word);
		break;
	case CTLTEXT_UNVERIFIED:
		fprintf(fp, "The %s file could not be verified: ", word);
		out_text(fp, l->why.p, l->why.n);
		fputs(".\n", fp);
		break;
	case CTLTEXT_ERROR:
		fprintf(fp, "Error parsing the %s File.\n", word);
		break;
	case CTLTEXT_NOTFOUND:
		fprintf(fp, "%s File not found.\nError parsing the %s File.\n", word, word);
		break;
	case CTLTEXT_NONE:
		break;
	}
}

void
ctltextshow_print(FILE *fp, const struct ctltext *t, const struct ctltext_list *l)
{
	const char *word = l->itl ? "ITL" : "CTL";
	char hex[41];
	const struct ctltext_rec *r;
	size_t i;

	if (l->summed)
		fprintf(fp, "The checksum value of the %s file:\n", word);
	if (l->has_md5)
		fprintf(fp, "%s(MD5)\n", out_hex(hex, l->md5, 16, 0, 0));
	if (l->has_sha1)
		fprintf(fp, "%s(SHA1)\n", out_hex(hex, l->sha1, 20, 0, 0));
	if (l->has_size)
		fprintf(fp, "Length of %s file: %zu\n", word, l->size);
	if (l->mtime.p != NULL) {
		fprintf(fp, "The %s File was last modified on ", word);
		out_text(fp, l->mtime.p, l->mtime.n);
		fputc('\n', fp);
	}
	header(fp, t, l, word);
	for (i = 0; i < l->nrecs; i++) {
		r = &t->recs[l->rec + i];
		fprintf(fp, "\n%s%s Record #:%zu\n----\n", r->gap ? "[...]\n" : "", word, r->num);
		fprintf(fp, "BYTEPOS\tTAG\t\tLENGTH\tVALUE\n-------\t---\t\t------\t-----\n");
		rows(fp, t, l, r->row, r->nrows, 1);
		if (r->signer >= 0)
			fprintf(fp, "This etoken was %sused to sign the %s file.\n",
			    r->signer ? "" : "not ", word);
	}
	if (l->gap_end)
		fputs("\n[...]\n", fp);
	if (l->parsed || l->nrecs > 0)
		fputc('\n', fp);
	verdict(fp, l, word);
	fprintf(fp, "%s\n", ctltextshow_note);
}

/* The CN= (or cn=) part of a CUCM name ("CN=a;OU=b" or "CN=a,O=b"). */
static int
cn_of(struct ctltext_span s, struct ctltext_span *cn)
{
	size_t i, e;

	for (i = 0; s.p != NULL && i + 3 <= s.n; i++) {
		if ((i == 0 || s.p[i - 1] == ';' || s.p[i - 1] == ',') &&
		    (s.p[i] == 'C' || s.p[i] == 'c') && (s.p[i + 1] == 'N' || s.p[i + 1] == 'n') &&
		    s.p[i + 2] == '=') {
			for (e = i + 3; e < s.n && s.p[e] != ';' && s.p[e] != ','; e++)
				;
			cn->p = s.p + i + 3;
			cn->n = e - i - 3;
			return cn->n > 0;
		}
	}
	return 0;
}

void
ctltextshow_brief(FILE *fp, const struct ctltext *t, const struct ctltext_list *l,
    const char *name)
{
	const struct ctltext_rec *r;
	struct ctltext_span cn;
	char rb[32], hex[2 * CTLTEXT_MAX_SERIAL + 1];
	size_t i, k;

	for (i = 0; i < l->nrecs; i++) {
		r = &t->recs[l->rec + i];
		fprintf(fp, "%zu\t%s\t", r->num, r->function >= 0 ?
		    ctl_role_text(r->function, rb, sizeof(rb)) : "-");
		if (cn_of(r->subject, &cn) || (cn = r->dns).n > 0)
			out_text(fp, cn.p, cn.n);
		else
			fputc('-', fp);
		fputc('\t', fp);
		for (k = 0; k + 1 < r->serlen && r->serial[k] == 0; k++)
			;	/* as ctlbrief prints a certificate's serial */
		fputs(r->has_serial ? out_hex(hex, r->serial + k, r->serlen - k, 1, 0) : "-", fp);
		fputs("\t-\t-\t", fp);
		out_str(fp, name);
		fputc('\n', fp);
	}
}
