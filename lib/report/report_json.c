/* report_json.c: one JSON document with every certificate (streamed), or JSON Lines. */
#include <stdlib.h>
#include <string.h>

#include "core/hash.h"
#include "core/out.h"
#include "report/reportbase.h"
#include "core/when.h"

void
report_json_begin(struct report *r)
{
	char iso[32];

	json_obj(&r->j);
	json_head(&r->j);
	json_kstr(&r->j, "now", when_iso(r->ex->now, iso));
	json_key(&r->j, "warning_days");
	json_num(&r->j, (double)r->ex->warn / 86400);
	json_key(&r->j, "critical_days");
	json_num(&r->j, (double)r->ex->crit / 86400);
	json_key(&r->j, "certificates");
	json_arr(&r->j);
}

void
report_json_cert(struct report *r, const struct report_cert *rc)
{
	struct json *j = &r->j;
	uint8_t md[HASH_MAX];
	char iso[32], hex[2 * HASH_MAX + 1], *serial = reportbase_serial(rc);
	size_t n;

	json_obj(j);
	if (r->fmt == REPORT_JSONL)	/* each line is a document of its own */
		json_head(j);
	json_kstr(j, "file", rc->file);
	json_kint(j, "index", (long long)rc->index);
	json_key(j, "record");
	if (rc->record > 0)
		json_int(j, rc->record);
	else
		json_null(j);
	json_kstr(j, "role", rc->role);
	if (r->nodes)	/* --cluster only: single-store documents keep their keys */
		json_kstr(j, "node", rc->node);
	json_kstr(j, "unit", rc->unit);
	json_kstr(j, "type", rc->type);
	json_kstr(j, "subject", reportbase_name(&r->b, &rc->c->subject));
	json_kstr(j, "issuer", reportbase_name(&r->b, &rc->c->issuer));
	json_kstr(j, "serial", serial);
	free(serial);
	json_kstr(j, "not_before", when_iso(rc->c->not_before, iso));
	json_kstr(j, "not_after", when_iso(rc->c->not_after, iso));
	json_key(j, "days_left");
	json_num(j, rc->days);
	json_kstr(j, "state", expiry_state_name(rc->st));
	json_kstr(j, "impact", rc->impact);
	json_key(j, "sha256");
	if ((n = hash_buf("sha256", rc->der, rc->len, md)) > 0)
		json_strn(j, out_hex(hex, md, n, 1, 0), 2 * n);
	else
		json_null(j);
	json_end(j);
}

static void
put_skip(struct report *r, const char *file, size_t index, const char *serial,
    const char *reason, const char *match)
{
	json_kstr(&r->j, "file", file);
	json_kint(&r->j, "index", (long long)index);
	json_kstr(&r->j, "serial", serial);
	json_kstr(&r->j, "skipped", reason);
	json_kstr(&r->j, "match", match);
}

void
report_json_error(struct report *r, const char *file, const char *why)
{
	if (r->fmt == REPORT_JSONL) {
		json_obj(&r->j);
		json_head(&r->j);
		json_kstr(&r->j, "file", file);
		json_kstr(&r->j, "error", why);
		json_end(&r->j);
		return;
	}
	buf_add(&r->errs, file, strlen(file) + 1);
	buf_add(&r->errs, why, strlen(why) + 1);
}

/* JSON Lines: one object at once; JSON: held back for "skipped" after the certificates. */
static void
skip_entry(struct report *r, const char *file, size_t index, const char *serial,
    const char *reason, const char *match)
{
	struct buf *b = &r->skipped;

	if (r->fmt == REPORT_JSONL) {
		json_obj(&r->j);
		put_skip(r, file, index, serial, reason, match);
		json_end(&r->j);
		return;
	}
	buf_add(b, file, strlen(file) + 1);
	buf_printf(b, "%zu", index);
	buf_add(b, "", 1);
	buf_add(b, serial, strlen(serial) + 1);
	buf_add(b, reason, strlen(reason) + 1);
	buf_add(b, match, strlen(match) + 1);
}

void
report_json_skip(struct report *r, const struct report_cert *rc, const char *reason,
    const char *match)
{
	char *serial = reportbase_serial(rc);

	if (serial == NULL)
		r->oom = 1;
	else
		skip_entry(r, rc->file, rc->index, serial, reason, match);
	free(serial);
}

/* An entry a walk left out unread: no index, no serial. */
void
report_json_skip_file(struct report *r, const char *file, const char *why)
{
	skip_entry(r, file, 0, "", why, "");
}

/* The n NUL-terminated strings at *off in b, in fields[]; *off moves past them. */
static void
fields(const struct buf *b, size_t *off, const char **f, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		f[i] = (const char *)b->p + *off;
		*off += strlen(f[i]) + 1;
	}
}

/* Stale signed files: a member (with --cluster, or when there are any), or JSON Lines. */
static void
stale_json(struct report *r)
{
	const char *f[4];
	size_t off = 0;

	if (r->fmt == REPORT_JSON) {
		if (!r->nodes && r->nstale == 0)
			return;
		json_key(&r->j, "stale_signed_files");
		json_arr(&r->j);
	}
	while (reportbase_stale(r, &off, f)) {
		json_obj(&r->j);
		if (r->fmt == REPORT_JSONL)
			json_head(&r->j);
		json_kstr(&r->j, "stale_signed_file", f[1]);
		if (r->nodes)
			json_kstr(&r->j, "node", f[0]);
		json_kstr(&r->j, "signer_serial", f[2]);
		json_kstr(&r->j, "why", f[3]);
		json_end(&r->j);
	}
	if (r->fmt == REPORT_JSON)
		json_end(&r->j);
}

void
report_json_end(struct report *r)
{
	const char *f[5];
	size_t off;

	if (r->fmt == REPORT_JSONL) {
		stale_json(r);
		return;
	}
	json_end(&r->j);
	json_key(&r->j, "errors");
	json_arr(&r->j);
	for (off = 0; off < r->errs.len;) {
		fields(&r->errs, &off, f, 2);
		json_obj(&r->j);
		json_kstr(&r->j, "file", f[0]);
		json_kstr(&r->j, "error", f[1]);
		json_end(&r->j);
	}
	json_end(&r->j);
	json_key(&r->j, "skipped");
	json_arr(&r->j);
	for (off = 0; off < r->skipped.len;) {
		fields(&r->skipped, &off, f, 5);
		json_obj(&r->j);
		put_skip(r, f[0], (size_t)strtoull(f[1], NULL, 10), f[2], f[3], f[4]);
		json_end(&r->j);
	}
	json_end(&r->j);
	stale_json(r);
	json_end(&r->j);
}
