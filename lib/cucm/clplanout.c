/* clplanout.c: a cluster rollover plan as text and as JSON (cert-regen --cluster --plan). */
#include <stdlib.h>
#include <string.h>

#include "core/out.h"
#include "cucm/clplan.h"
#include "cucm/cucm.h"
#include "tl/ctljson.h"

/*
 * The nodes restart r applies to after step s, into on[] (1 each): the table's
 * "every node" is the node whose certificate changed (each node has its own);
 * "every node running it" every node (CallManager-trust is replicated);
 * "publisher" the publisher; Cisco TFTP every TFTP node whose ITL changes,
 * and the step's node when its CallManager (the TFTP signer) changes.
 */
static void
restart_nodes(const struct clplan *p, const struct clplan_step *s,
    const struct cucm_restart *r, char *on)
{
	const struct cluster *c = p->c;
	size_t i;
	int k;

	for (i = 0; i < c->n; i++)
		if (strcmp(r->service, "Cisco TFTP") == 0) {
			on[i] |= c->v[i].tftp && s->itl[i].changed;
			for (k = 0; k < s->n; k++)
				on[i] |= i == s->node && c->v[i].tftp &&
				    strcmp(s->units[k], "CallManager") == 0;
		} else if (strncmp(r->where, "every node running", 18) == 0 ||
		    strncmp(r->where, "every node,", 11) == 0)
			on[i] = 1;
		else if (strcmp(r->where, "publisher") == 0)
			on[i] |= i == c->pub;
		else
			on[i] |= i == s->node;
}

/*
 * Every distinct service the step's units ask for at the cluster's release,
 * with the union of the nodes each applies to in on[] (p->c->n bytes):
 * fn(arg, restart, on) once per service, in the table's order.
 */
static void
restarts(const struct clplan *p, const struct clplan_step *s,
    void (*fn)(void *, const struct cucm_restart *, const char *), void *arg)
{
	const struct cucm_restart *r, *seen[32];
	char *on;
	size_t i;
	int k, j, n, ns = 0;

	if ((on = calloc(p->c->n, 1)) == NULL)
		return;
	for (k = 0; k < s->n; k++) {	/* every distinct service the step's units ask for */
		r = cucm_restarts(s->units[k], &n);
		for (i = 0; i < (size_t)n; i++) {
			for (j = 0; j < ns && strcmp(seen[j]->service, r[i].service) != 0; j++)
				continue;
			if (j == ns && ns < 32 && cucm_restart_at(&r[i], p->c->version))
				seen[ns++] = &r[i];
		}
	}
	for (j = 0; j < ns; j++) {
		memset(on, 0, p->c->n);
		for (k = 0; k < s->n; k++)	/* the union over the units asking for it */
			for (r = cucm_restarts(s->units[k], &n); r != NULL && n-- > 0; r++)
				if (strcmp(r->service, seen[j]->service) == 0 &&
				    cucm_restart_at(r, p->c->version))
					restart_nodes(p, s, r, on);
		fn(arg, seen[j], on);
	}
	free(on);
}

struct restart_fn {
	const struct clplan	*p;
	void			(*names)(void *, const char *, const char *);
	void			(*each)(void *, const char *, size_t, const char *);
	void			*arg;
};

/* The table's condition of r ("where SIP OAuth is on"), or NULL. */
static const char *
restart_cond(const struct cucm_restart *r)
{
	const char *cond = strchr(r->where, ',');

	return cond != NULL ? cond + 2 : NULL;
}

static void
restart_names(void *arg, const struct cucm_restart *r, const char *on)
{
	const struct restart_fn *f = arg;
	const struct cluster *c = f->p->c;
	const char *cond = restart_cond(r);
	char nodes[1024];
	size_t i, len;

	for (i = len = 0, nodes[0] = '\0'; i < c->n; i++)
		if (on[i] && len + CLUSTER_NAME + 2 < sizeof(nodes))
			len += (size_t)snprintf(nodes + len, sizeof(nodes) - len, "%s%s",
			    len > 0 ? ", " : "", c->v[i].name);
	if (len > 0 && cond != NULL)
		snprintf(nodes + len, sizeof(nodes) - len, " (%s)", cond);
	if (len > 0)
		f->names(f->arg, r->service, nodes);
}

void
clplan_restarts(const struct clplan *p, const struct clplan_step *s,
    void (*fn)(void *, const char *, const char *), void *arg)
{
	struct restart_fn f = { p, fn, NULL, arg };

	restarts(p, s, restart_names, &f);
}

static void
restart_each(void *arg, const struct cucm_restart *r, const char *on)
{
	const struct restart_fn *f = arg;
	size_t i;

	for (i = 0; i < f->p->c->n; i++)
		if (on[i])
			f->each(f->arg, r->service, i, restart_cond(r));
}

void
clplan_restarts_each(const struct clplan *p, const struct clplan_step *s,
    void (*fn)(void *, const char *, size_t, const char *), void *arg)
{
	struct restart_fn f = { p, NULL, fn, arg };

	restarts(p, s, restart_each, &f);
}

/* One restart of a step as the plan, the run and the undo print it (a clplan_restarts callback). */
void
clplan_text_restart(void *arg, const char *service, const char *nodes)
{
	fprintf(arg, "  restart: %s on %s\n", service, nodes);
}

/* "  reset phones of TFTP node N, ..." for the nodes whose ITL changes, or "no". */
void
clplan_resets(const struct clplan *p, const int *changed, FILE *fp)
{
	size_t i;
	int any = 0;

	for (i = 0; i < p->c->n; i++)
		if (changed[i] && p->c->v[i].tftp)
			fprintf(fp, "%s%s", any++ ? ", " : "  reset phones of TFTP node ",
			    p->c->v[i].name);
	fputs(any ? ", and let them fetch the new ITL before the next step\n" :
	    "  reset phones: no\n", fp);
}

/* The node whose TVS vouched, by name ("" when none did). */
static const char *
via(const struct clplan *p, const struct clplan_itl *t)
{
	return t->via >= 0 ? p->c->v[t->via].name : "";
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
		else if (strcmp(t->path, "tvs") == 0)
			fprintf(fp, "changes; accepted through TVS via %s\n", via(p, t));
		else if (t->ctlrec >= 0)
			fputs("changes; accepted directly (its signer is in the CTL phones hold)\n", fp);
		else
			fputs("changes; accepted directly (signer unchanged)\n", fp);
	}
}

int
clplan_resigns(const struct clplan *p, const struct clplan_step *s)
{
	int k;

	for (k = 0; k < s->n && p->c->v[s->node].tftp; k++)
		if (strcmp(s->units[k], "CallManager") == 0)
			return 1;
	return 0;
}

/* Devices without TVS and what brings them back (CUCM.md, "The CTL"). */
const char clplan_notvs[] = "devices without TVS (CTI/JTAPI/TSP clients, some Jabber and "
    "older 79x0 models, TelePresence) reject it: remove their CTL, or serve the recovery "
    "CTL (utils ctl reset localkey)";

/* Mixed mode: whether the CTL changes, its signer, the verdict, and the command that makes it. */
static void
text_ctl(FILE *fp, const struct clplan *p, const struct clplan_step *s)
{
	const struct clplan_itl *t = &s->ctl;

	if (!t->changed) {
		fputs("  ctl: unchanged\n", fp);
		return;
	}
	fprintf(fp, "  ctl: changes, signed by %s of %s; accepted ", cucm_ctl_signer(p->c->version),
	    p->c->v[p->c->pub].name);
	if (strcmp(t->path, "tvs") == 0)
		fprintf(fp, "through TVS via %s by phones with Security by Default only; %s\n",
		    via(p, t), clplan_notvs);
	else
		fputs("directly (its signer is a SAST record of the CTL devices hold)\n", fp);
	fprintf(fp, "  run on %s: utils ctl update CTLFile\n", p->c->v[p->c->pub].name);
}

void
clplan_unseen_text(const struct clplan *p, FILE *fp)
{
	if (p->unseen[0] == '\0')
		return;
	fputs("note: key-less nodes: not planned, no certificate in the store nor in a "
	    "served file (put it in the node's store to plan it): ", fp);
	out_str(fp, p->unseen);
	fputc('\n', fp);
}

void
clplan_text(const struct clplan *p, FILE *fp)
{
	const struct clplan_step *s;
	size_t i;
	int k, *ch;

	fprintf(fp, "cucm-version: %s\n", p->c->vtext);
	if (p->c->vnote != NULL)
		fprintf(fp, "note: %s\n", p->c->vnote);
	for (i = 0; i < p->c->n; i++)
		if (p->c->v[i].tftp && !p->served[i])
			fprintf(fp, "note: %s serves no tftp/ITLFile.tlv: planned from the ITL "
			    "its store yields\n", p->c->v[i].name);
	clplan_unseen_text(p, fp);
	if (!p->safe) {
		fputs("no safe plan: ", fp);
		out_str(fp, p->why);
		fputc('\n', fp);
		for (k = 0; clplan_ways_around[k] != NULL; k++)
			fprintf(fp, "way around: %s\n", clplan_ways_around[k]);
		return;
	}
	ch = calloc(p->c->n, sizeof(*ch));
	for (i = 0; i < p->n; i++) {
		s = &p->s[i];
		fprintf(fp, "step %zu: %s:", i + 1, p->c->v[s->node].name);
		for (k = 0; k < s->n; k++)
			fprintf(fp, " %s", s->units[k]);
		fputc('\n', fp);
		clplan_restarts(p, s, clplan_text_restart, fp);
		text_itl(fp, p, s);
		if (p->mixed)
			text_ctl(fp, p, s);
		if (clplan_resigns(p, s))
			fprintf(fp, "  sgn %s: its signed files (.sgn) the old CallManager signed are "
			    "re-signed with the new one\n", p->c->v[s->node].name);
		for (k = 0; ch != NULL && k < (int)p->c->n; k++)
			ch[k] = s->itl[k].changed;
		if (ch != NULL)
			clplan_resets(p, ch, fp);
	}
	free(ch);
	fprintf(fp, "safe: %zu step%s\n", p->n, p->n == 1 ? "" : "s");
}

/* One restart of a step as a JSON object (the plan's and the run's -j). */
void
clplan_json_restart(void *arg, const char *service, const char *nodes)
{
	struct json *j = arg;

	json_obj(j);
	json_kstr(j, "service", service);
	json_kstr(j, "where", nodes);
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
	clplan_restarts(p, s, clplan_json_restart, j);
	json_end(j);
	json_kbool(j, "reset_phones", s->reset);
	json_key(j, "resign_sgn");
	json_arr(j);
	if (clplan_resigns(p, s))
		json_str(j, p->c->v[s->node].name);
	json_end(j);
	json_key(j, "ctl");
	if (p->mixed) {
		json_obj(j);
		json_kbool(j, "changed", s->ctl.changed);
		json_kstr(j, "signer", s->ctl.changed ? cucm_ctl_signer(p->c->version) : NULL);
		json_key(j, "accepted");
		if (s->ctl.changed)
			json_bool(j, s->ctl.accepted);
		else
			json_null(j);
		json_kstr(j, "path", s->ctl.changed ? s->ctl.path : NULL);
		json_kstr(j, "via", s->ctl.changed && s->ctl.via >= 0 ? via(p, &s->ctl) : NULL);
		json_kbool(j, "devices_without_tvs_reject", s->ctl.changed && s->ctl.notvs);
		json_kstr(j, "command", s->ctl.changed ? "utils ctl update CTLFile" : NULL);
		json_end(j);
	} else
		json_null(j);
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
			json_bool(j, s->itl[i].accepted);
		else
			json_null(j);
		json_kstr(j, "path", s->itl[i].changed ? s->itl[i].path : NULL);
		json_kstr(j, "via", s->itl[i].changed && s->itl[i].via >= 0 ?
		    via(p, &s->itl[i]) : NULL);
		json_end(j);
	}
	json_end(j);
	json_end(j);
}

/* The plan's keys before its steps (the plan's and the runbook's -j). */
void
clplan_json_head(const struct clplan *p, struct json *j)
{
	size_t i;

	json_kstr(j, "cucm_version", p->c->vtext);
	json_kstr(j, "cucm_version_note", p->c->vnote);
	json_kbool(j, "safe", p->safe);
	json_key(j, "unserved");
	json_arr(j);
	for (i = 0; i < p->c->n; i++)
		if (p->c->v[i].tftp && !p->served[i])
			json_str(j, p->c->v[i].name);
	json_end(j);
	json_klist(j, "unseen", p->unseen);
}

void
clplan_json(const struct clplan *p, struct json *j)
{
	size_t i;
	int k;

	json_obj(j);
	json_head(j);
	clplan_json_head(p, j);
	json_key(j, "steps");
	json_arr(j);
	for (i = 0; p->safe && i < p->n; i++)
		json_step(p, &p->s[i], i + 1, j);
	json_end(j);
	if (!p->safe) {
		json_kstr(j, "unsafe", p->why);
		ctljson_stranded(j, p->stranded);
		json_key(j, "ways_around");
		json_arr(j);
		for (k = 0; clplan_ways_around[k] != NULL; k++)
			json_str(j, clplan_ways_around[k]);
		json_end(j);
	}
	json_end(j);
}
