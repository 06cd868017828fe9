/* regenout.c: cert-regen's text and JSON output; the field names are in man/cert-regen.1. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "x509/cert.h"
#include "core/json.h"
#include "core/out.h"
#include "regen/regenout.h"
#include "core/path.h"
#include "core/when.h"

static const char *const kindname[] = { "put", "replace", "remove" };

static void
text_cert(FILE *out, const char *verb, const char *unit, const X509 *x)
{
	char *serial = cert_serial_text(x, 1), sha[2 * 64 + 1], nb[32], na[32];
	int ok;

	fprintf(out, "%s: %s serial=%s sha256=%s notBefore=%s notAfter=%s\n", verb, unit,
	    serial != NULL ? serial : "?", cert_digest_hex(x, "sha256", 1, sha),
	    when_iso(cert_time(X509_get0_notBefore(x), &ok), nb),
	    when_iso(cert_time(X509_get0_notAfter(x), &ok), na));
	free(serial);
}

/* Why ITLRecovery's validity is what it is, for the plan line. */
static const char *
validity_why(const char *from)
{
	if (from != NULL && strcmp(from, "release 12.0 to 14") == 0)
		return "CUCM 12.0 to 14 make ITLRecovery valid 20 years; --days or --years to "
		    "change it";
	if (from != NULL && strcmp(from, "release before 12.0") == 0)
		return "CUCM before 12.0 makes ITLRecovery valid 5 years; --days or --years to "
		    "change it";
	if (from != NULL && strcmp(from, "release 15") == 0)
		return "CUCM 15's default; --years 10, 15 or 20 for longer";
	if (from != NULL && strcmp(from, "default") == 0)
		return "the default: no previous certificate";
	return from != NULL ? from : "default";
}

void
regenout_text(const struct regenout *ro, const struct regenjob *r, int n,
    const struct txn *t, const struct plan *pl)
{
	size_t k;
	int i, u;

	for (i = 0; i < n; i++) {
		if (r[i].leaf != NULL)
			text_cert(ro->out, ro->dry ? "would import" : "imported", r[i].p->unit, r[i].leaf);
		else if (r[i].cert != NULL)
			text_cert(ro->out, ro->dry ? "would regenerate" : "regenerated", r[i].p->unit,
			    r[i].cert);
		if (r[i].cert != NULL && r[i].p->cn == PROFILE_CN_ITLREC)
			fprintf(ro->out, "validity: %s: %ld days (%s)\n", r[i].p->unit, r[i].r.days,
			    validity_why(r[i].days_from));
		for (u = 0; ro->dry && r[i].p->unconfirmed[u] != NULL; u++)
			fprintf(ro->out, "unconfirmed: %s: %s\n", r[i].p->unit, r[i].p->unconfirmed[u]);
	}
	for (k = 0; k < t->n; k++) {	/* paths come from the store: escape what they hold */
		fprintf(ro->out, "%s: ", kindname[t->ops[k].kind]);
		out_str(ro->out, t->ops[k].rel);
		putc('\n', ro->out);
	}
	fputs("backup: ", ro->out);
	out_str(ro->out, t->backup != NULL ? t->backup : ro->dry ? "none (dry run)" :
	    "none (nothing changed)");
	putc('\n', ro->out);
	plan_text(pl, ro->out);
}

static void
json_cert(struct json *j, const char *key, const X509 *x)
{
	char buf[2 * 64 + 1], *name;
	int ok;

	json_key(j, key);
	if (x == NULL) {
		json_null(j);
		return;
	}
	json_obj(j);
	name = cert_name_text(X509_get_subject_name(x));
	json_kstr(j, "subject", name);
	free(name);
	name = cert_serial_text(x, 1);
	json_kstr(j, "serial", name);
	free(name);
	json_kstr(j, "sha256", cert_digest_hex(x, "sha256", 1, buf));
	json_kstr(j, "key", cert_key_desc(x, buf, sizeof(buf)));
	json_kstr(j, "not_before", when_iso(cert_time(X509_get0_notBefore(x), &ok), buf));
	json_kstr(j, "not_after", when_iso(cert_time(X509_get0_notAfter(x), &ok), buf));
	json_end(j);
}

static void
json_strs(struct json *j, const char *key, const char *const *v)
{
	json_key(j, key);
	json_arr(j);
	for (; *v != NULL; v++)
		json_str(j, *v);
	json_end(j);
}

static void
json_unit(struct json *j, const struct regenjob *r)
{
	char buf[32];

	json_obj(j);
	json_kstr(j, "unit", r->p->unit);
	json_cert(j, "old", r->old);
	json_cert(j, "new", r->leaf != NULL ? r->leaf : r->cert);
	if (r->leaf == NULL) {
		json_kstr(j, "key", regen_key_desc(&r->k, buf, sizeof(buf)));
		json_kstr(j, "digest", regen_digest(&r->k));
		json_kint(j, "days", r->r.days);
		json_kstr(j, "days_from", r->days_from);
		json_kstr(j, "basic_constraints", r->r.bc);
		json_kstr(j, "key_usage", r->r.ku);
		json_kstr(j, "ext_key_usage", r->r.eku);
		json_strs(j, "trust_stores", r->trust);
		json_strs(j, "unconfirmed", r->p->unconfirmed);
	}
	json_end(j);
}

void
regenout_json(const struct regenout *ro, const struct regenjob *r, int n,
    const struct txn *t, const struct plan *pl)
{
	struct json j;
	char *old;
	size_t k;
	int i;

	json_init(&j, ro->out);
	json_obj(&j);
	json_head(&j);
	json_kstr(&j, "store", ro->store);
	json_kbool(&j, "dry_run", ro->dry);
	json_kstr(&j, "backup", t->backup);
	json_kstr(&j, "restored", ro->restored);
	json_kbool(&j, "mixed", pl->mixed);
	json_key(&j, "units");
	json_arr(&j);
	for (i = 0; i < n; i++)
		json_unit(&j, &r[i]);
	json_end(&j);
	if (ro->csr != NULL)
		json_kstr(&j, "csr", ro->csr);
	json_key(&j, "files");
	json_arr(&j);
	for (k = 0; k < t->n; k++) {
		json_obj(&j);
		json_kstr(&j, "action", kindname[t->ops[k].kind]);
		json_kstr(&j, "path", t->ops[k].rel);
		/* where the old file is now */
		old = t->backup != NULL && t->ops[k].kind != TXN_PUT ?
		    path_join(t->backup, t->ops[k].rel, NULL) : NULL;
		json_kstr(&j, "backup", old);
		free(old);
		json_end(&j);
	}
	json_end(&j);
	plan_json(pl, &j);
	json_end(&j);
}
