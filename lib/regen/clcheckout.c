/* clcheckout.c: the check after a step (cert-regen --cluster --check) as text and as JSON. */
#include <string.h>

#include "core/out.h"
#include "cucm/clplan.h"
#include "regen/clcheck.h"
#include "tl/ctljson.h"

static const char *const unit_names[CLV_N] = {
	[CLV_CM] = "CallManager", [CLV_TVS] = "TVS", [CLV_CAPF] = "CAPF", [CLV_ITLREC] = "ITLRecovery"
};

/* The file's status against the plan: the four answers the check gives. */
static const char *
status(int expect, int changed)
{
	if (changed)
		return expect ? "changed as expected" : "changed when the plan did not change it";
	return expect ? "not changed when it should have" : "unchanged as expected";
}

/* A unit's status; a unit no fetched file shows cannot be checked. */
static const char *
unit_status(const struct clcheck_unit *u)
{
	return u->seen ? status(u->expect, u->changed) : "shown by no served file: not checked";
}

/* "itl NODE" / "ctl NODE" */
static const char *
kind(size_t i)
{
	return i % 2 == 0 ? "itl" : "ctl";
}

static void
text_file(const struct clcheck *k, size_t i, FILE *fp)
{
	const struct clcheck_file *f = &k->f[i];

	fprintf(fp, "%s %s: ", kind(i), k->c->v[i / 2].name);
	if (!f->parsed) {
		fputs("does not parse: ", fp);
		out_str(fp, f->problem);
		fputs("; not adopted\n", fp);
		return;
	}
	fprintf(fp, "%s; signed by ", status(f->expect, f->changed));
	out_str(fp, f->signer);
	if (!f->verified) {
		fputs("; ", fp);
		out_str(fp, f->problem);
	} else if (f->changed && f->v.accepted && strcmp(f->v.path, "tvs") == 0) {
		fprintf(fp, "; accepted through TVS via %s", f->v.via);
		if (f->v.notvs)
			fprintf(fp, " by phones with Security by Default only; %s", clplan_notvs);
	} else if (f->changed && f->v.accepted)
		fputs("; accepted directly", fp);
	else if (f->changed) {
		fputs("; REJECTED: ", fp);
		out_str(fp, f->v.reason);
	}
	fputc('\n', fp);
}

/* What phones do, one line per finding, and the way back. */
static void
text_stop(const struct clcheck *k, FILE *fp)
{
	const struct clcheck_file *f;
	size_t i;

	for (i = 0; i < 2 * k->c->n; i++) {
		f = &k->f[i];
		if (f->path == NULL || f->prevpath == NULL || !f->parsed)
			continue;
		if (!f->verified || (f->changed && !f->v.accepted))
			fprintf(fp, "phones: %s of %s reject its new %s and keep the one they hold: "
			    "configuration its new signer signs is ignored\n", i % 2 ? "devices" :
			    "phones", k->c->v[i / 2].name, f->name);
		else if (f->changed && !f->expect)
			fprintf(fp, "phones: phones of %s take a %s the plan did not expect: the "
			    "next steps were planned on another cluster (--plan again)\n",
			    k->c->v[i / 2].name, f->name);
		else if (!f->changed && f->expect)
			fprintf(fp, "phones: phones of %s still hold the %s served before the step: "
			    "restart Cisco TFTP on %s, fetch again and check again\n",
			    k->c->v[i / 2].name, f->name, k->c->v[i / 2].name);
	}
	for (i = 0; i < k->nch; i++)
		if (k->ch[i].seen && k->ch[i].changed != k->ch[i].expect)
			fprintf(fp, "phones: %s:%s %s: the verdicts above hold for this step, but "
			    "the next steps were planned on another cluster (%s)\n",
			    k->c->v[k->ch[i].node].name, unit_names[k->ch[i].u], k->ch[i].changed ?
			    "changed, which the plan does not change at this step" :
			    "did not change", k->ch[i].changed ? "--plan again" :
			    "carry the step out, fetch again and check again");
	for (i = 0; i < k->nsg; i++)
		if (!k->sg[i].accepted) {
			fprintf(fp, "phones: phones of %s ignore ", k->c->v[k->sg[i].node].name);
			out_str(fp, k->sg[i].name);
			fputs(" (the new ITL does not vouch for its signer)\n", fp);
		}
	fprintf(fp, "way back: what phones held before step %d is kept in NODE/tftp/history/"
	    "%03d-ITLFile.tlv; phones that rejected a new ITL take one again after utils itl "
	    "reset localkey on %s (from 10.0), then a reset of those phones\n", k->step,
	    k->step - 1, k->c->v[k->c->pub].name);
}

void
clcheck_text(const struct clcheck *k, FILE *fp)
{
	const struct clcheck_sgn *g;
	size_t i;
	int j;

	fprintf(fp, "check step %d: %s:", k->step, k->c->v[k->node].name);
	for (j = 0; j < k->nunits; j++)
		fprintf(fp, " %s", k->units[j]);
	fputc('\n', fp);
	for (i = 0; i < 2 * k->c->n; i++)
		if (k->f[i].path != NULL && k->f[i].prevpath != NULL)
			text_file(k, i, fp);
	for (i = 0; i < k->nch; i++)
		fprintf(fp, "unit %s:%s: %s\n", k->c->v[k->ch[i].node].name,
		    unit_names[k->ch[i].u], unit_status(&k->ch[i]));
	for (i = 0; i < k->nsg; i++) {
		g = &k->sg[i];
		fprintf(fp, "sgn %s: ", k->c->v[g->node].name);
		out_str(fp, g->name);
		if (g->accepted && strcmp(g->path, "tvs") == 0)
			fprintf(fp, ": accepted through TVS via %s\n", g->via);
		else if (g->accepted)
			fputs(": accepted directly\n", fp);
		else {
			fputs(": REJECTED: ", fp);
			out_str(fp, g->why);
			fputc('\n', fp);
		}
	}
	if (k->verdict == 0) {
		fprintf(fp, "adopted: %s\n", k->adopted[0] != '\0' ? k->adopted : "nothing");
		fprintf(fp, "kept: %s\n", k->kept[0] != '\0' ? k->kept : "nothing new");
		fprintf(fp, "go on: step %d is served as planned; carry out the next step\n",
		    k->step);
		return;
	}
	fprintf(fp, "%s: nothing adopted, the key-less stores are as they were\n",
	    k->verdict == 1 ? "stop" : "trouble");
	if (k->verdict == 1)
		text_stop(k, fp);
}

static void
json_file(const struct clcheck *k, size_t i, struct json *j)
{
	const struct clcheck_file *f = &k->f[i];
	int ch = f->parsed && f->changed;

	json_obj(j);
	json_kstr(j, "node", k->c->v[i / 2].name);
	json_kstr(j, "file", f->name);
	json_kstr(j, "status", f->parsed ? status(f->expect, f->changed) : NULL);
	json_kbool(j, "expected", f->expect);
	json_key(j, "changed");
	f->parsed ? json_bool(j, f->changed) : json_null(j);
	json_kstr(j, "signer", f->parsed ? f->signer : NULL);
	json_kbool(j, "parsed", f->parsed);
	json_kbool(j, "verified", f->verified);
	json_key(j, "accepted");
	ch ? json_bool(j, f->v.accepted) : json_null(j);
	json_kstr(j, "path", ch && f->v.accepted ? f->v.path : NULL);
	json_kstr(j, "via", ch && f->v.via[0] != '\0' ? f->v.via : NULL);
	json_kstr(j, "reason", ch && !f->v.accepted ? f->v.reason : NULL);
	json_kbool(j, "devices_without_tvs_reject", ch && f->v.accepted && f->v.notvs);
	json_kstr(j, "problem", f->problem[0] != '\0' ? f->problem : NULL);
	json_end(j);
}

static void
json_lists(const struct clcheck *k, struct json *j)
{
	const struct clcheck_sgn *g;
	size_t i;

	json_key(j, "unit_changes");
	json_arr(j);
	for (i = 0; i < k->nch; i++) {
		json_obj(j);
		json_kstr(j, "node", k->c->v[k->ch[i].node].name);
		json_kstr(j, "unit", unit_names[k->ch[i].u]);
		json_kstr(j, "status", unit_status(&k->ch[i]));
		json_end(j);
	}
	json_end(j);
	json_key(j, "sgn");
	json_arr(j);
	for (i = 0; i < k->nsg; i++) {
		g = &k->sg[i];
		json_obj(j);
		json_kstr(j, "node", k->c->v[g->node].name);
		json_kstr(j, "file", g->name);
		json_kbool(j, "accepted", g->accepted);
		json_kstr(j, "path", g->accepted ? g->path : NULL);
		json_kstr(j, "via", g->accepted && g->via[0] != '\0' ? g->via : NULL);
		json_kstr(j, "reason", g->accepted ? NULL : g->why);
		json_end(j);
	}
	json_end(j);
}

void
clcheck_json(const struct clcheck *k, struct json *j)
{
	static const char *const verdicts[] = { "go on", "stop", "trouble" };
	size_t i;
	int u;

	json_obj(j);
	json_head(j);
	json_kint(j, "step", k->step);
	json_kstr(j, "node", k->c->v[k->node].name);
	json_key(j, "units");
	json_arr(j);
	for (u = 0; u < k->nunits; u++)
		json_str(j, k->units[u]);
	json_end(j);
	json_kstr(j, "verdict", verdicts[k->verdict]);
	json_key(j, "files");
	json_arr(j);
	for (i = 0; i < 2 * k->c->n; i++)
		if (k->f[i].path != NULL && k->f[i].prevpath != NULL)
			json_file(k, i, j);
	json_end(j);
	json_lists(k, j);
	json_klist(j, "adopted", k->verdict == 0 ? k->adopted : "");
	json_klist(j, "kept", k->verdict == 0 ? k->kept : "");
	json_end(j);
}
