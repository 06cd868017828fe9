/* ctltextjson.c: keys a capture holds no value for (certificates, timestamps) are left out. */
#include "tl/ctl.h"
#include "tl/ctltextjson.h"
#include "tl/ctltextshow.h"

static void
kspan(struct json *j, const char *key, struct ctltext_span s)
{
	if (s.p == NULL)
		return;
	json_key(j, key);
	json_strn(j, s.p, s.n);
}

static void
khex(struct json *j, const char *key, const uint8_t *p, size_t n)
{
	json_key(j, key);
	json_hex(j, p, n);
}

static void
record(struct json *j, const struct ctltext *t, const struct ctltext_list *l,
    const struct ctltext_rec *r)
{
	const struct ctltext_row *c = ctltext_row(t, l, r, CTL_R_CERT);
	char rb[32];
	size_t k;

	json_obj(j);
	json_kint(j, "index", (long long)r->num);
	if (r->function >= 0) {
		json_kint(j, "function", r->function);
		json_kstr(j, "role", ctl_role_text(r->function, rb, sizeof(rb)));
	}
	kspan(j, "dns", r->dns);
	kspan(j, "subject", r->subject);
	kspan(j, "issuer", r->issuer);
	if (r->has_serial)
		khex(j, "serial", r->serial, r->serlen);
	json_key(j, "tags");
	json_arr(j);
	for (k = r->row; k < r->row + r->nrows; k++)
		if (t->rows[k].tag != CTL_R_LENGTH)
			json_int(j, t->rows[k].tag);
	json_end(j);
	if (c != NULL) {
		json_key(j, "certificate");
		json_obj(j);
		json_kint(j, "length", c->len);
		if (r->has_sha1)
			khex(j, "sha1", r->sha1, 20);
		json_end(j);
	}
	if (r->signer >= 0)
		json_kbool(j, "signer", r->signer);
	if (r->gap)
		json_kbool(j, "elided_before", 1);
	json_end(j);
}

static void
header(struct json *j, const struct ctltext *t, const struct ctltext_list *l)
{
	const struct ctltext_row *w;
	char v[16];

	json_key(j, "header");
	json_obj(j);
	if (l->has_version) {
		snprintf(v, sizeof(v), "%u.%u", l->vmaj, l->vmin);
		json_kstr(j, "version", v);
	}
	if (l->has_hdrlen)
		json_kint(j, "length", (long long)l->hdrlen);
	if (ctltext_row(t, l, NULL, CTL_H_SIGNERID) != NULL) {
		json_key(j, "signer");
		json_obj(j);
		if ((w = ctltext_row(t, l, NULL, CTL_H_SIGNERNAME)) != NULL)
			kspan(j, "name", w->val);
		if (l->has_serial)
			khex(j, "serial", l->serial, l->serlen);
		if ((w = ctltext_row(t, l, NULL, CTL_H_CANAME)) != NULL)
			kspan(j, "issuer", w->val);
		json_end(j);
	}
	if ((w = ctltext_row(t, l, NULL, CTL_H_SIGNATURE)) != NULL)
		json_kint(j, "signature_length", w->len);
	json_end(j);
}

static void
cucm(struct json *j, const struct ctltext_list *l)
{
	static const char *const words[] = {
		[CTLTEXT_NONE] = NULL, [CTLTEXT_VERIFIED] = "verified",
		[CTLTEXT_UNVERIFIED] = "not verified", [CTLTEXT_ERROR] = "error parsing",
		[CTLTEXT_NOTFOUND] = "not found",
	};

	json_key(j, "cucm");
	json_obj(j);
	json_kstr(j, "verdict", words[l->verdict]);
	if (l->why.p != NULL)
		kspan(j, "reason", l->why);
	json_end(j);
}

void
ctltextjson_print(struct json *j, const struct ctltext *t, const struct ctltext_list *l,
    const char *file, size_t n)
{
	size_t i;

	json_obj(j);
	json_head(j);
	json_kstr(j, "file", file);
	json_kstr(j, "type", l->itl ? "ITL" : "CTL");
	if (l->has_size)
		json_kint(j, "size", (long long)l->size);
	if (l->has_md5)
		khex(j, "md5", l->md5, 16);
	if (l->has_sha1)
		khex(j, "sha1", l->sha1, 20);
	json_key(j, "capture");
	json_obj(j);
	json_kint(j, "listing", (long long)n);
	json_kint(j, "line", (long long)l->line);
	kspan(j, "modified", l->mtime);
	for (i = 0; i < l->nrecs && !t->recs[l->rec + i].gap; i++)
		;
	json_kbool(j, "elided", l->gap_end || i < l->nrecs);
	json_kbool(j, "signature_checked", 0);
	json_kstr(j, "note", ctltextshow_note + sizeof("ctl-dump: ") - 1);
	json_end(j);
	if (l->parsed || l->nrows > 0)
		header(j, t, l);
	json_key(j, "records");
	json_arr(j);
	for (i = 0; i < l->nrecs; i++)
		record(j, t, l, &t->recs[l->rec + i]);
	json_end(j);
	cucm(j, l);
	json_end(j);
}
