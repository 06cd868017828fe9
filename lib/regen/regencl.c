/* regencl.c: cert-regen --cluster: one loaded cluster, one mode; the work is in clplan, clrunbook, clcheck, clrun and clundo. */
#include <stdio.h>
#include <string.h>

#include "core/diag.h"
#include "core/json.h"
#include "core/when.h"
#include "cucm/clplan.h"
#include "cucm/cluster.h"
#include "regen/clcheck.h"
#include "regen/clrun.h"
#include "regen/clrunbook.h"
#include "regen/clundo.h"
#include "regen/regenask.h"
#include "regen/regencl.h"
#include "tl/itlkey.h"

/* --runbook: the plan as the steps to carry out on the live cluster; 0, 1 (no safe order), 2. */
static int
runbook(const struct regenopts *o, const struct clplan *p, FILE *out)
{
	struct clrunbook rb;
	struct json j;
	int rc = EXIT_TROUBLE;

	if (clrunbook_make(&rb, p, o->cluster) == 0) {
		if (o->json) {
			json_init(&j, out);
			clrunbook_json(&rb, &j);
		} else if (!o->quiet)
			clrunbook_text(&rb, out);
		rc = p->safe ? EXIT_OK : EXIT_FINDINGS;
	}
	clrunbook_free(&rb);
	return rc;
}

/* --check STEP: what the live cluster serves after a step, judged; adopted when it checks out. */
static int
check(const struct regenopts *o, struct cluster *c, char **ops, int n, int64_t t, FILE *out)
{
	struct clcheck k;
	struct json j;
	int rc = EXIT_TROUBLE;

	if (clcheck_run(&k, c, o->check, ops, n, t, o->wait) == 0) {
		if (o->json) {
			json_init(&j, out);
			clcheck_json(&k, &j);
		} else if (!o->quiet)
			clcheck_text(&k, out);
		rc = k.verdict;
	}
	clcheck_free(&k);
	return diag_flush_stdout() == 0 ? rc : EXIT_TROUBLE;
}

/* -r STEP|last: the run's steps undone, last first (lib/regen/clundo). */
static int
undo(const struct regenopts *o, const struct cluster *c, const struct clrun_opts *ro)
{
	struct clundo_opts uo = { .mixed = ro->mixed, .dry = o->dry, .force = o->run.force,
	    .now = ro->now, .out = ro->out, .wait = o->wait };
	int v = EXIT_TROUBLE;

	if (regenask(o->yes || o->dry, o->cluster, "put back, step by step, the certificates "
	    "of the last run on", &o->cluster, 1, "the undo") == 0 &&
	    (v = clundo(c, o->restore, &uo)) >= 0)
		v = v == 0 ? EXIT_OK : EXIT_FINDINGS;
	else
		v = EXIT_TROUBLE;
	return diag_flush_stdout() == 0 ? v : EXIT_TROUBLE;
}

/* The plan: printed (--plan, -n, or not safe), else run once confirmed. */
static int
plan_or_run(const struct regenopts *o, const struct cluster *c, const struct clplan *p,
    struct clrun_opts *ro, FILE *out)
{
	struct json j;
	int v;

	if (o->plan || o->dry || !p->safe) {
		if (o->json) {
			json_init(&j, out);
			clplan_json(p, &j);
		} else if (!o->quiet)
			clplan_text(p, out);
		return p->safe ? EXIT_OK : EXIT_FINDINGS;
	}
	if (o->json) {	/* the run as one JSON document instead of the text */
		json_init(&j, out);
		ro->js = &j;
	}
	if (regenask(o->yes, o->cluster, "regenerate, node by node, the certificates of",
	    &o->cluster, 1, "the cluster rollover") == 0 && (v = clrun(c, p, ro)) >= 0)
		return v == 0 ? EXIT_OK : EXIT_FINDINGS;
	return EXIT_TROUBLE;
}

int
regencl(const struct regenopts *o, char **ops, int n, FILE *out)
{
	struct ctlw_opts tl = { .digest = "sha1", .digest_code = 1, .modulus_code = -1,
	    .signer_version = 0x100 };
	struct clrun_opts ro = { .tl = &tl, .out = out, .wait = o->wait };
	struct cluster c;
	struct clplan p;
	int64_t t;
	int rc = EXIT_TROUBLE;

	memset(&p, 0, sizeof(p));
	memset(&c, 0, sizeof(c));
	if (when_now(o->now, &t) != 0 || cluster_load(&c, o->cluster, o->run.job.version) != 0)
		goto out;
	if (t < 0 || t > 0xFFFFFFFFLL) {
		warnf("--now: the trust lists' TIMESTAMP holds 32-bit Unix seconds only");
		goto out;
	}
	ro.mixed = o->run.mixed || cluster_mixed(&c);
	ro.now = t;
	tl.timestamp = (uint32_t)t;
	if (o->quiet && (ro.out = fopen("/dev/null", "w")) == NULL) {
		warnf("/dev/null:");
		goto out;
	}
	if (o->restore != NULL) {
		rc = undo(o, &c, &ro);
		goto out;
	}
	if (o->check) {
		rc = check(o, &c, ops, n, t, out);
		goto out;
	}
	if (clplan_make(&p, &c, ro.mixed, ops, n) != 0)
		goto out;
	rc = o->runbook ? runbook(o, &p, out) : plan_or_run(o, &c, &p, &ro, out);
	if (diag_flush_stdout() != 0)
		rc = EXIT_TROUBLE;
out:
	if (ro.out != out && ro.out != NULL)
		fclose(ro.out);
	clplan_free(&p);
	cluster_free(&c);
	itlkey_cleanup();
	return rc;
}
