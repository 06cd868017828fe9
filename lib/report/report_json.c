/* report_json.c: one JSON document with every certificate (streamed), or JSON Lines. */
#include <stdlib.h>
#include <string.h>

#include "core/hash.h"
#include "core/out.h"
#include "report/report.h"
#include "core/when.h"

void
report_json_begin(struct report *r)
{
	char iso[32];

	json_obj(&r->j);
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
	char iso[32], hex[2 * HASH_MAX + 1], *serial = report_serial(rc);
	size_t n;

	json_obj(j);
	json_kstr(j, "file", rc->file);
	json_kint(j, "index", (long long)rc->index);
	json_key(j, "record");
	if (rc->record > 0)
		json_int(j, rc->record);
	else
		json_null(j);
	json_kstr(j, "role", rc->role);
	json_kstr(j, "unit", rc->unit);
	json_kstr(j, "type", rc->type);
	json_kstr(j, "subject", report_name(&r->b, &rc->c->subject));
	json_kstr(j, "issuer", report_name(&r->b, &rc->c->issuer));
	json_kstr(j, "serial", serial);
	free(serial);
	json_kstr(j, "not_before", when_iso(rc->c->not_before, iso));
	json_kstr(j, "not_after", when_iso(rc->c->not_after, iso));
	json_key(j, "days_left");
	json_num(j, rc->days);
	json_kstr(j, "state", expiry_state_name(rc->st));
	json_key(j, "sha256");
	if ((n = hash_buf("sha256", rc->der, rc->len, md)) > 0)
		json_strn(j, out_hex(hex, md, n, 0, 0), 2 * n);
	else
		json_null(j);
	json_end(j);
}

void
report_json_error(struct report *r, const char *file, const char *why)
{
	if (r->fmt == REPORT_JSONL) {
		json_obj(&r->j);
		json_kstr(&r->j, "file", file);
		json_kstr(&r->j, "error", why);
		json_end(&r->j);
		return;
	}
	buf_add(&r->errs, file, strlen(file) + 1);
	buf_add(&r->errs, why, strlen(why) + 1);
}

void
report_json_end(struct report *r)
{
	const char *p = (const char *)r->errs.p, *why;
	size_t off = 0;

	json_end(&r->j);
	json_key(&r->j, "errors");
	json_arr(&r->j);
	while (off < r->errs.len) {
		p = (const char *)r->errs.p + off;
		why = p + strlen(p) + 1;
		json_obj(&r->j);
		json_kstr(&r->j, "file", p);
		json_kstr(&r->j, "error", why);
		json_end(&r->j);
		off = (size_t)(why - (const char *)r->errs.p) + strlen(why) + 1;
	}
	json_end(&r->j);
	if (r->nskipped > 0)	/* only then: other documents stay byte for byte as they were */
		json_kint(&r->j, "skipped", (long long)r->nskipped);
	json_end(&r->j);
}
