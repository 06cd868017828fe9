/* clplanout.c: a cluster rollover plan as text and as JSON (cert-regen --cluster --plan). */
#include <string.h>

#include "core/out.h"
#include "cucm/clplan.h"
#include "cucm/cucm.h"

void
clplan_restarts(const struct clplan_step *s, void (*fn)(void *, const char *, const char *),
    void *arg)
{
	const struct cucm_restart *r, *seen[32];
	int k, i, n, j, ns = 0;

	for (k = 0; k < s->n; k++) {
		r = cucm_restarts(s->units[k], &n);
		for (i = 0; i < n; i++) {
			for (j = 0; j < ns && (strcmp(seen[j]->service, r[i].service) != 0 ||
			    strcmp(seen[j]->where, r[i].where) != 0); j++)
				continue;
			if (j < ns || ns == 32)
				continue;
			seen[ns++] = &r[i];
			fn(arg, r[i].service, r[i].where);
		}
	}
}

static void
text_restart(void *arg, const char *service, const char *where)
{
	fprintf(arg, "  restart: %s (%s)\n", service, where);
}

static void
text_itl(FILE *fp, const struct clplan *p, const struct clplan_step *s)
{
	const struct clplan_itl *t;
	size_t i;

	for (i = 0; i < p->c->n; i++) {
		if (!p->c->v[i].tftp)
			continue;
		t = &s->itl[i];
		fprintf(fp, "  itl %s: ", p->c->v[i].name);
		if (!t->changed)
			fputs("unchanged\n", fp);
		else if (strcmp(t->v.path, "tvs") == 0)
			fprintf(fp, "changes; accepted through TVS via %s\n", t->v.via);
		else
			fputs("changes; accepted directly (signer unchanged)\n", fp);
	}
}

void
clplan_text(const struct clplan *p, FILE *fp)
{
	const struct clplan_step *s;
	size_t i;
	int k;

	fprintf(fp, "cucm-version: %s\n", p->c->vtext);
	for (i = 0; i < p->c->n; i++)
		if (p->c->v[i].tftp && !p->served[i])
			fprintf(fp, "note: %s serves no tftp/ITLFile.tlv: planned from the ITL "
			    "its store yields\n", p->c->v[i].name);
	if (!p->safe) {
		fputs("no safe plan: ", fp);
		out_str(fp, p->why);
		fputc('\n', fp);
		for (k = 0; clplan_ways_around[k] != NULL; k++)
			fprintf(fp, "way around: %s\n", clplan_ways_around[k]);
		return;
	}
	for (i = 0; i < p->n; i++) {
		s = &p->s[i];
		fprintf(fp, "step %zu: %s:", i + 1, p->c->v[s->node].name);
		for (k = 0; k < s->n; k++)
			fprintf(fp, " %s", s->units[k]);
		fputc('\n', fp);
		clplan_restarts(s, text_restart, fp);
		text_itl(fp, p, s);
		fprintf(fp, "  reset phones: %s\n", s->reset ? "yes, and let them fetch the "
		    "new ITL before the next step" : "no");
	}
	fprintf(fp, "safe: %zu step%s\n", p->n, p->n == 1 ? "" : "s");
}

static void
json_restart(void *arg, const char *service, const char *where)
{
	struct json *j = arg;

	json_obj(j);
	json_kstr(j, "service", service);
	json_kstr(j, "where", where);
	json_end(j);
}

static void
json_step(const struct clplan *p, const struct clplan_step *s, size_t n, struct json *j)
{
	size_t i;
	int k;

	json_obj(j);
	json_kint(j, "step", (long long)n);
	json_kstr(j, "node", p->c->v[s->node].name);
	json_key(j, "units");
	json_arr(j);
	for (k = 0; k < s->n; k++)
		json_str(j, s->units[k]);
	json_end(j);
	json_key(j, "restart");
	json_arr(j);
	clplan_restarts(s, json_restart, j);
	json_end(j);
	json_kbool(j, "reset_phones", s->reset);
	json_key(j, "itl");
	json_obj(j);
	for (i = 0; i < p->c->n; i++) {
		if (!p->c->v[i].tftp)
			continue;
		json_key(j, p->c->v[i].name);
		json_obj(j);
		json_kbool(j, "changed", s->itl[i].changed);
		json_key(j, "accepted");
		if (s->itl[i].changed)
			json_bool(j, s->itl[i].v.accepted);
		else
			json_null(j);
		json_kstr(j, "path", s->itl[i].changed ? s->itl[i].v.path : NULL);
		json_kstr(j, "via", s->itl[i].changed && s->itl[i].v.via[0] != '\0' ?
		    s->itl[i].v.via : NULL);
		json_end(j);
	}
	json_end(j);
	json_end(j);
}

void
clplan_json(const struct clplan *p, struct json *j)
{
	size_t i;
	int k;

	json_obj(j);
	json_head(j);
	json_kstr(j, "cucm_version", p->c->vtext);
	json_kbool(j, "safe", p->safe);
	json_key(j, "unserved");
	json_arr(j);
	for (i = 0; i < p->c->n; i++)
		if (p->c->v[i].tftp && !p->served[i])
			json_str(j, p->c->v[i].name);
	json_end(j);
	json_key(j, "steps");
	json_arr(j);
	for (i = 0; p->safe && i < p->n; i++)
		json_step(p, &p->s[i], i + 1, j);
	json_end(j);
	if (!p->safe) {
		json_kstr(j, "unsafe", p->why);
		json_key(j, "ways_around");
		json_arr(j);
		for (k = 0; clplan_ways_around[k] != NULL; k++)
			json_str(j, clplan_ways_around[k]);
		json_end(j);
	}
	json_end(j);
}
