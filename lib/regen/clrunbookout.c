/* clrunbookout.c: the change window's runbook as text and as JSON (cert-regen --cluster --runbook). */
#include <stdlib.h>
#include <string.h>

#include "core/out.h"
#include "cucm/cluster.h"
#include "regen/clrunbook.h"
#include "tl/ctljson.h"

/* Around the window (CUCM.md): what to secure before the first step. */
static const char *const before[] = {
	"a DRS backup of the cluster (Disaster Recovery System on %s: Backup, Manual Backup, "
	    "every feature), kept off the cluster",
	"the ITLRecovery certificate and key, kept off the cluster: utils itl reset remotekey "
	    "signs the recovery ITL with them when the publisher's own key is lost",
	NULL
};

static const char after_drs[] = "a DRS backup again: a restore of an older one leaves "
    "phones distrusting the ITL";

/* What other systems trust, by the unit whose new certificate they need. */
static const struct {
	const char	*unit, *to;
} carry[] = {
	{ "CallManager", "SIP trunks and gateways (CUBE), Unity Connection, Expressway, peer "
	    "clusters" },
	{ "CallManager-ECDSA", "SIP trunks and gateways (CUBE), Unity Connection, Expressway, "
	    "peer clusters" },
	{ "tomcat", "Unity Connection, Expressway, peer clusters (ILS, Extension Mobility "
	    "cross-cluster), the SSO identity provider" },
	{ "tomcat-ECDSA", "Unity Connection, Expressway, peer clusters (ILS, Extension "
	    "Mobility cross-cluster)" },
};

/* The ways around when no safe order exists, as commands where CUCM has them. */
static const char *const ways[] = {
	"the enterprise parameter \"Prepare Cluster for Rollback to pre 8.0\" (Cisco Unified CM "
	    "Administration: System, Enterprise Parameters): True, reset every phone (they take "
	    "an empty ITL and trust any TFTP server; HTTPS services fail meanwhile), make the "
	    "change, set it back to False, reset every phone again",
	"from 10.0, utils itl reset localkey on %s (or utils itl reset remotekey with the "
	    "ITLRecovery key kept off the cluster): an ITL the ITLRecovery key signs, which "
	    "phones still trust; reset the phones, then make the change",
	NULL
};

static const char reset_where[] = "Cisco Unified CM Administration on %s: Device, Phone, "
    "find them, Select All, Reset Selected";

/* 1 when some step regenerates unit on node i. */
static int
changed(const struct clplan *p, size_t i, const char *unit)
{
	size_t k;
	int u;

	for (k = 0; k < p->n; k++)
		for (u = 0; u < p->s[k].n; u++)
			if (p->s[k].node == i && strcmp(p->s[k].units[u], unit) == 0)
				return 1;
	return 0;
}

static void
text_head(const struct clrunbook *rb, FILE *fp)
{
	const struct clplan *p = rb->p;
	const struct cluster *c = p->c;
	size_t i;

	fputs("runbook: cert-regen --cluster ", fp);
	out_sh(fp, rb->dir);
	fprintf(fp, ", CUCM %s: ", c->vtext);
	if (p->safe)
		fprintf(fp, "%zu step%s; CLI lines at the admin: prompt of the node named, host "
		    "lines in a shell where the runbook was printed\n", p->n, p->n == 1 ? "" : "s");
	else
		fputs("no safe order\n", fp);
	if (c->vnote != NULL)
		fprintf(fp, "note: %s\n", c->vnote);
	for (i = 0; i < c->n; i++)
		if (c->v[i].tftp && !p->served[i])
			fprintf(fp, "note: %s serves no tftp/ITLFile.tlv here: fetch what it serves "
			    "into %s/tftp/ before the window, then print the runbook again\n",
			    c->v[i].name, c->v[i].name);
	clplan_unseen_text(p, fp);
	for (i = 0; i < rb->nkept; i++) {
		fputs("kept: ", fp);
		out_sh(fp, rb->kept[i]);
		fputs(" (served now: the first check judges against it)\n", fp);
	}
}

/* The step's CLI lines, under one header per run of lines for the same node and condition. */
static void
text_cmds(const struct clrunbook *rb, const struct clrunbook_step *st, FILE *fp)
{
	const struct clrunbook_cmd *m, *prev = NULL;
	size_t k;

	for (k = 0; k < st->ncmd; prev = m, k++) {
		m = &st->cmd[k];
		if (prev == NULL || prev->node != m->node || prev->only != m->only) {
			fprintf(fp, "  on %s", rb->p->c->v[m->node].name);
			if (m->only != NULL)
				fprintf(fp, ", %s", m->only);
			fputs(" (CLI):\n", fp);
		}
		fprintf(fp, "    %s\n", m->cli);
	}
}

static void
text_reset(const struct clplan *p, const struct clplan_step *s, FILE *fp)
{
	size_t i;
	int any = 0;

	for (i = 0; i < p->c->n; i++)
		if (p->c->v[i].tftp && s->itl[i].changed)
			fprintf(fp, "%s%s", any++ ? ", " : "  reset the phones of TFTP node ",
			    p->c->v[i].name);
	if (!any) {
		fputs("  reset phones: no\n", fp);
		return;
	}
	fputs(" (", fp);
	fprintf(fp, reset_where, p->c->v[p->c->pub].name);
	fputs("), and let them fetch the new ITL\n", fp);
}

static void
text_after(const struct clrunbook *rb, FILE *fp)
{
	const struct clplan *p = rb->p;
	const struct cluster *c = p->c;
	size_t k, i;
	int any;

	fprintf(fp, "after the window:\n  %s\n", after_drs);
	for (k = 0; k < sizeof(carry) / sizeof(carry[0]); k++) {
		for (i = 0, any = 0; i < c->n; i++)
			if (changed(p, i, carry[k].unit))
				fprintf(fp, "%s%s", any++ ? ", " : "  carry the new ", c->v[i].name);
		if (any)
			fprintf(fp, " %s certificate%s (OS Administration: Security, Certificate "
			    "Management, %s.pem) to the systems that trust %s: %s\n",
			    carry[k].unit, any > 1 ? "s" : "", carry[k].unit, any > 1 ? "them" :
			    "it", carry[k].to);
	}
	if (changed(p, c->pub, "CAPF"))
		fputs("  CAPF changed: phones with an LSC need a new one the new CAPF signs\n", fp);
}

void
clrunbook_text(const struct clrunbook *rb, FILE *fp)
{
	const struct clplan *p = rb->p;
	const char *pub = p->c->v[p->c->pub].name;
	size_t i, k;

	text_head(rb, fp);
	if (!p->safe) {
		fputs("no safe order: ", fp);
		out_str(fp, p->why);
		fputc('\n', fp);
		for (k = 0; ways[k] != NULL; k++) {
			fputs("way around: ", fp);
			fprintf(fp, ways[k], pub);
			fputc('\n', fp);
		}
		return;
	}
	fputs("before the window:\n", fp);
	for (k = 0; before[k] != NULL; k++) {
		fputs("  ", fp);
		fprintf(fp, before[k], pub);
		fputc('\n', fp);
	}
	for (i = 0; i < p->n; i++) {
		fprintf(fp, "step %zu: %s:", i + 1, p->c->v[p->s[i].node].name);
		for (k = 0; k < (size_t)p->s[i].n; k++)
			fprintf(fp, " %s", p->s[i].units[k]);
		fputc('\n', fp);
		text_cmds(rb, &rb->s[i], fp);
		text_reset(p, &p->s[i], fp);
		if (i + 1 < p->n)
			fprintf(fp, "  check before step %zu (host):\n", i + 2);
		else
			fputs("  check after the last step (host):\n", fp);
		for (k = 0; k < rb->s[i].ncheck; k++)
			fprintf(fp, "    %s\n", rb->s[i].check[k]);
	}
	text_after(rb, fp);
}

static void
json_fmt(struct json *j, const char *fmt, const char *arg)
{
	char s[1024];

	snprintf(s, sizeof(s), fmt, arg);
	json_str(j, s);
}

static void
json_step(const struct clrunbook *rb, size_t n, struct json *j)
{
	const struct clplan *p = rb->p;
	const struct clplan_step *s = &p->s[n];
	const struct clrunbook_step *st = &rb->s[n];
	size_t k;

	json_obj(j);
	json_kint(j, "step", (long long)n + 1);
	json_kstr(j, "node", p->c->v[s->node].name);
	json_key(j, "units");
	json_arr(j);
	for (k = 0; k < (size_t)s->n; k++)
		json_str(j, s->units[k]);
	json_end(j);
	json_key(j, "commands");
	json_arr(j);
	for (k = 0; k < st->ncmd; k++) {
		json_obj(j);
		json_kstr(j, "node", p->c->v[st->cmd[k].node].name);
		json_kstr(j, "cli", st->cmd[k].cli);
		json_kstr(j, "only", st->cmd[k].only);
		json_end(j);
	}
	json_end(j);
	json_key(j, "reset_phones");
	json_arr(j);
	for (k = 0; k < p->c->n; k++)
		if (p->c->v[k].tftp && s->itl[k].changed)
			json_str(j, p->c->v[k].name);
	json_end(j);
	json_key(j, "check");
	json_arr(j);
	for (k = 0; k < st->ncheck; k++)
		json_str(j, st->check[k]);
	json_end(j);
	json_end(j);
}

static void
json_carry(const struct clplan *p, struct json *j)
{
	size_t k, i;

	json_key(j, "carry");
	json_arr(j);
	for (k = 0; k < sizeof(carry) / sizeof(carry[0]); k++) {
		for (i = 0; i < p->c->n && !changed(p, i, carry[k].unit); i++)
			continue;
		if (i == p->c->n)
			continue;
		json_obj(j);
		json_kstr(j, "unit", carry[k].unit);
		json_key(j, "nodes");
		json_arr(j);
		for (i = 0; i < p->c->n; i++)
			if (changed(p, i, carry[k].unit))
				json_str(j, p->c->v[i].name);
		json_end(j);
		json_kstr(j, "to", carry[k].to);
		json_end(j);
	}
	json_end(j);
	json_kbool(j, "new_lscs", changed(p, p->c->pub, "CAPF"));
}

static void
json_list(struct json *j, const char *key, const char *const *v, const char *arg)
{
	json_key(j, key);
	json_arr(j);
	for (; *v != NULL; v++)
		json_fmt(j, *v, arg);
	json_end(j);
}

void
clrunbook_json(const struct clrunbook *rb, struct json *j)
{
	const struct clplan *p = rb->p;
	const char *pub = p->c->v[p->c->pub].name;
	size_t i;

	json_obj(j);
	json_head(j);
	json_kstr(j, "cluster", rb->dir);
	clplan_json_head(p, j);
	json_key(j, "kept");
	json_arr(j);
	for (i = 0; i < rb->nkept; i++)
		json_str(j, rb->kept[i]);
	json_end(j);
	json_list(j, "before", p->safe ? before : (const char *const[]){ NULL }, pub);
	json_key(j, "steps");
	json_arr(j);
	for (i = 0; p->safe && i < p->n; i++)
		json_step(rb, i, j);
	json_end(j);
	if (p->safe) {
		json_key(j, "reset_where");
		json_fmt(j, reset_where, pub);
		json_key(j, "after");
		json_arr(j);
		json_str(j, after_drs);
		json_end(j);
		json_carry(p, j);
	} else {
		json_kstr(j, "unsafe", p->why);
		ctljson_stranded(j, p->stranded);
		json_list(j, "ways_around", ways, pub);
	}
	json_end(j);
}
