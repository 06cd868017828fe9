/* clrun.c: cert-regen --cluster -y: the plan, one step at a time, never past a phone's rejection. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/afile.h"
#include "core/diag.h"
#include "core/io.h"
#include "core/out.h"
#include "cucm/clitl.h"
#include "cucm/clview.h"
#include "cucm/cucm.h"
#include "regen/cljournal.h"
#include "regen/clpub.h"
#include "regen/clsgn.h"
#include "regen/clrun.h"
#include "regen/regenjob.h"
#include "regen/trustidx.h"
#include "store/lock.h"
#include "core/path.h"
#include "store/txn.h"
#include "x509/cert.h"

/* What phones of one TFTP node hold: the served ITL's bytes, parse and records. */
struct served {
	uint8_t			*buf;
	size_t			 len;
	struct ctl		 c;
	struct phone_itl	 l, first;	/* now, and before step 1 */
	int			 parsed;
};

struct run {
	const struct cluster	*c;
	const struct clrun_opts	*o;
	const struct clplan	*p;
	struct served		*sv;		/* one per node, TFTP nodes only */
	struct served		 ctl;		/* mixed mode: the CTL every TFTP node serves */
	struct txn		*t;		/* one per node: the step's changes */
	struct trustidx		*tix;		/* one per node: its CallManager-trust, kept current */
	struct txnrun		 tr;		/* each node's .backup and id, known after its first commit */
	int			*done;		/* t[i] committed */
	size_t			 left;		/* signed files left rejected: exit 1 at the end */
	struct clsgn_memo	*memo;		/* per node: signed files accepted at the last step */
	struct cljournal	 jr;		/* each step's backup name and state (lib/regen/cljournal) */
	struct json		*js;		/* -j: the report in JSON (o->js) */
	int			 stopped;	/* the step a phone's rejection stopped, 0: none */
	char			 why[1024];	/* why it stopped */
};

/* -j: close every container opened below level d (the step's, the document's). */
static void
json_to(struct json *j, int d)
{
	while (j != NULL && j->depth > d)
		json_end(j);
}

/* A note line: text, or one string of the JSON document's "notes". */
static void
note(struct run *r, const char *text)
{
	if (r->js != NULL)
		json_str(r->js, text);
	else
		fprintf(r->o->out, "note: %s\n", text);
}

static void
served_free(struct served *s)
{
	if (s->parsed)
		ctl_free(&s->c);
	free(s->buf);
	phone_itl_free(&s->l);
	s->buf = NULL, s->parsed = 0;
}

/* Take buf (len bytes) as what node i serves now. */
static int
served_set(struct served *s, uint8_t *buf, size_t len, const char *name)
{
	served_free(s);
	s->buf = buf, s->len = len;
	if (ctl_parse(&s->c, buf, len) != 0) {
		warnf("%s: %s at byte %zu", name, s->c.err, s->c.err_off);
		ctl_free(&s->c);
		return -1;
	}
	s->parsed = 1;
	return phone_itl_from_ctl(&s->l, &s->c) == 0 ? 0 : -1;
}

/* Write buf to dir/name atomically (dir made when missing). */
static int
put(const char *dir, const char *name, const void *buf, size_t len, int overwrite)
{
	char *p = path_join(dir, name, NULL);
	int rc = -1;

	if (p == NULL || (path_mkdirs(dir, 0755) != 0 && errno != EEXIST))
		warnf("%s:", dir);
	else
		rc = afile_write(p, buf, len, AFILE_MODE_DEFAULT, overwrite);
	free(p);
	return rc;
}

/* 1 when the same bytes are at a and b. */
static int
same_file(const char *a, const char *b)
{
	uint8_t *p = NULL, *q = NULL;
	size_t n = 0, m = 0;
	int r;

	r = (p = io_slurp(a, IO_MAX, &n)) != NULL && (q = io_slurp(b, IO_MAX, &m)) != NULL &&
	    n == m && memcmp(p, q, n) == 0;
	free(p);
	free(q);
	return r;
}

/*
 * 1 when history h holds only what --runbook keeps before a window: 000-NAME,
 * byte for byte what tftp/NAME serves now. The run starts from there (its own
 * 000- copies are the same bytes); any other history is a previous run's.
 */
static int
runbook_kept(const char *tftp, const char *h)
{
	char **names = NULL, *a = NULL, *b = NULL;
	size_t n = 0, k;
	int ok;

	if (path_list(h, 1, &names, &n) != 0)
		return 0;
	for (k = 0, ok = n > 0; k < n && ok; k++) {
		ok = (strcmp(names[k], "000-ITLFile.tlv") == 0 ||
		    strcmp(names[k], "000-CTLFile.tlv") == 0) &&
		    (a = path_join(h, names[k], NULL)) != NULL &&
		    (b = path_join(tftp, names[k] + 4, NULL)) != NULL && same_file(a, b);
		free(a);
		free(b);
		a = b = NULL;
	}
	path_list_free(names, n);
	return ok;
}

/* Read node i's served ITL; without one, serve the ITL its store yields first. */
static int
load_served(struct run *r, size_t i)
{
	const struct cluster *c = r->c;
	struct buf b = BUF_ZERO;
	char *f = path_join(c->v[i].tftpdir, "ITLFile.tlv", NULL), *h = NULL;
	uint8_t *buf = NULL;
	size_t len;
	int rc = -1;

	if (f == NULL || (h = path_join(c->v[i].tftpdir, "history", NULL)) == NULL)
		goto out;
	if (path_isdir(h) && !runbook_kept(c->v[i].tftpdir, h)) {
		warnf("%s: exists (a previous run's): move it away first", h);
		goto out;
	}
	if (!path_isreg(f)) {
		snprintf(r->why, sizeof(r->why), "%s served no tftp/ITLFile.tlv: serving the ITL "
		    "its store yields first", c->v[i].name);
		note(r, r->why);
		if (clitl_build(c, i, 0, r->o->mixed, r->o->tl, &b) != 0 ||
		    put(c->v[i].tftpdir, "ITLFile.tlv", b.p, b.len, 0) != 0)
			goto out;
	}
	if ((buf = io_slurp(f, IO_MAX, &len)) != NULL && served_set(&r->sv[i], buf, len, f) == 0)
		rc = phone_itl_from_ctl(&r->sv[i].first, &r->sv[i].c);
	r->sv[i].first.file = NULL;	/* compared on certificates only: sv[i].c is replaced */
out:
	buf_free(&b);
	free(f);
	free(h);
	return rc;
}

/* Mixed mode: the CTL the TFTP nodes serve (the first found); none: serve the stores' first. */
static int
load_ctl(struct run *r)
{
	const struct cluster *c = r->c;
	struct buf b = BUF_ZERO;
	uint8_t *buf = NULL;
	char *f = NULL;
	size_t i, len;
	int rc = -1;

	for (i = 0; i < c->n && buf == NULL; i++) {
		free(f);
		if (!c->v[i].tftp || (f = path_join(c->v[i].tftpdir, "CTLFile.tlv", NULL)) == NULL)
			continue;
		if (path_isreg(f) && (buf = io_slurp(f, IO_MAX, &len)) == NULL)
			goto out;
	}
	if (buf == NULL) {
		note(r, "no TFTP node served tftp/CTLFile.tlv: serving the CTL the stores yield "
		    "first");
		if (clitl_build(c, c->pub, 1, 1, r->o->tl, &b) != 0)
			goto out;
		for (i = 0; i < c->n; i++)
			if (c->v[i].tftp && put(c->v[i].tftpdir, "CTLFile.tlv", b.p, b.len, 0) != 0)
				goto out;
		buf = b.p, len = b.len;
		b = (struct buf)BUF_ZERO;
	}
	rc = served_set(&r->ctl, buf, len, "CTLFile.tlv");
	buf = NULL;	/* r->ctl owns it, also on failure */
out:
	free(buf);
	free(f);
	buf_free(&b);
	return rc;
}

/* Regenerate the step's units on its node; trust copies of CallManager-trust go to every node. */
static int
regen_step(struct run *r, const struct clplan_step *s, struct regenjob *j)
{
	const struct cluster *c = r->c;
	struct regenjob_opts op = { .ntrust = -1 };
	size_t i;
	int k, u;

	op.now = r->o->now;
	op.version = c->version;
	for (i = 0; i < c->n; i++) {
		txn_init(&r->t[i], c->v[i].dir, "cert-regen");
		r->t[i].bname = r->jr.s[s - r->p->s].bname;	/* one name on every node (journal) */
		r->t[i].run = &r->tr;
	}
	for (k = 0; k < s->n; k++) {
		if (regenjob_load(&j[k], c->v[s->node].dir, s->units[k], &op) != 0)
			return -1;
		j[k].cmtrust = &r->tix[s->node];	/* its own trust copy: the index, not the directory */
		if (regenjob_build(&j[k], 0) != 0 || regenjob_changes(&j[k], &r->t[s->node], 0) != 0)
			return -1;
		for (u = 0; u < 2; u++)
			for (i = 0; i < c->n; i++)
				if (i != s->node && j[k].trust[u] != NULL &&
				    strcmp(j[k].trust[u], "CallManager-trust") == 0 &&
				    regenjob_copy(&j[k], &r->t[i], "CallManager-trust", &r->tix[i]) != 0)
					return -1;
	}
	/* The node itself first: a kill after it leaves only copies to make again. */
	if (txn_commit(&r->t[s->node], op.now) != 0)
		return -1;
	r->done[s->node] = 1;
	(void)trustidx_apply(&r->tix[s->node], &r->t[s->node]);	/* unkept: read again */
	for (i = 0; i < c->n; i++) {
		if (i == s->node)
			continue;
		if (txn_commit(&r->t[i], op.now) != 0)
			return -1;
		r->done[i] = 1;
		(void)trustidx_apply(&r->tix[i], &r->t[i]);
	}
	return 0;
}

/* Put back what the step changed, last store first. */
static void
undo_step(struct run *r)
{
	size_t i;

	for (i = 0; i < r->c->n; i++)	/* the stores change back: read them again if needed */
		trustidx_free(&r->tix[i]);
	clrun_stores_back(r->c, r->done, r->t, r->o->now);
}

void
clrun_stores_back(const struct cluster *c, const int *done, const struct txn *t, int64_t now)
{
	struct txn u;
	size_t i;

	for (i = c->n; i-- > 0;) {
		if (!done[i] || t[i].backup == NULL)
			continue;
		txn_init(&u, c->v[i].dir, "cert-regen");
		/* -f: a single-store restore on a cluster node is refused without it */
		if (txn_undo(&u, t[i].backup) != 0 || txn_commit(&u, now) != 0)
			warnf("%s: not put back: cert-regen -s %s -f -r %s", c->v[i].dir,
			    c->v[i].dir, t[i].backup);
		txn_free(&u);
	}
}

/*
 * Node i's next ITL (ctl 0) or the cluster's next CTL (ctl 1: what
 * utils ctl update CTLFile makes) into *b; *changed when its records differ
 * from what s serves; v: how a phone holding s (and, mixed, the CTL held)
 * takes it (the one verdict).
 */
static int
judge(struct run *r, const struct served *s, size_t i, int ctl, const struct ctl *held,
    struct clview *w, struct buf *b, int *changed, struct phone_verdict *v)
{
	struct phone_itl nw;
	struct ctl nc;
	int rc = -1;

	memset(&nw, 0, sizeof(nw));
	if (clitl_build(r->c, i, ctl, r->o->mixed, r->o->tl, b) != 0)
		return -1;
	if (ctl_parse(&nc, b->p, b->len) == 0 && phone_itl_from_ctl(&nw, &nc) == 0) {
		*changed = !phone_itl_same(&s->l, &nw);
		if (*changed && w->c == NULL && clview_load(w, r->c, r->o->mixed) != 0)
			goto out;
		rc = *changed ? phone_judge_files(&s->c, held, &nc, w, v) : 0;
	}
out:
	ctl_free(&nc);
	phone_itl_free(&nw);
	return rc;
}

/* Mixed mode: the step's CTL, judged before the ITLs (phones fetch it first). */
struct stepctl {
	struct buf		 b;		/* its bytes */
	struct ctl		 c;		/* parsed: the CTL phones hold after the step, if taken */
	int			 parsed, changed;
	struct phone_verdict	 v;
};

/* Build and judge the CTL after step into sc. 0, or -1. */
static int
ctl_next(struct run *r, struct clview *w, struct stepctl *sc)
{
	if (judge(r, &r->ctl, r->c->pub, 1, NULL, w, &sc->b, &sc->changed, &sc->v) != 0)
		return -1;
	if (!sc->changed || !sc->v.accepted)
		return 0;
	if (ctl_parse(&sc->c, sc->b.p, sc->b.len) != 0) {
		ctl_free(&sc->c);
		return -1;
	}
	sc->parsed = 1;
	return 0;
}

/* -j: the step's CTL as the plan's JSON says it, and where the previous one is kept. */
static void
ctl_json(const struct run *r, int step, const struct stepctl *sc)
{
	struct json *j = r->js;
	char hist[64];

	snprintf(hist, sizeof(hist), "tftp/history/%03d-CTLFile.tlv", step - 1);
	json_key(j, "ctl");
	json_obj(j);
	json_kbool(j, "changed", sc->changed);
	json_kstr(j, "signer", sc->changed ? cucm_ctl_signer(r->c->version) : NULL);
	json_key(j, "accepted");
	if (sc->changed)
		json_bool(j, sc->v.accepted);
	else
		json_null(j);
	json_kstr(j, "path", sc->changed ? sc->v.path : NULL);
	json_kstr(j, "via", sc->changed && sc->v.via[0] != '\0' ? sc->v.via : NULL);
	json_kbool(j, "devices_without_tvs_reject", sc->changed && sc->v.notvs);
	json_kstr(j, "command", sc->changed ? "utils ctl update CTLFile" : NULL);
	json_kstr(j, "history", sc->changed ? hist : NULL);
	json_end(j);
}

/* The verdict line of the step's CTL, and what devices without TVS need (CUCM.md, "The CTL"). 0, 1 rejected. */
static int
ctl_say(struct run *r, int step, const struct stepctl *sc)
{
	const struct phone_verdict *v = &sc->v;

	if (sc->changed && !v->accepted) {
		warnf("%s: step %d: a device holding the CTL would reject the new one: %s; the "
		    "step is undone, earlier steps stay done", r->c->dir, step, v->reason);
		snprintf(r->why, sizeof(r->why), "a device holding the CTL would "
		    "reject the new one: %s", v->reason);
		return 1;
	}
	if (r->js != NULL) {
		ctl_json(r, step, sc);
		return 0;
	}
	if (!sc->changed) {
		fprintf(r->o->out, "  ctl: unchanged\n");
		return 0;
	}
	fprintf(r->o->out, "  ctl: replaced (utils ctl update CTLFile on %s), accepted %s%s; "
	    "previous kept as tftp/history/%03d-CTLFile.tlv\n", r->c->v[r->c->pub].name,
	    strcmp(v->path, "tvs") == 0 ? "through TVS via " : "directly", v->via, step - 1);
	if (v->notvs)
		fprintf(r->o->out, "  warning: only phones with Security by Default take this "
		    "CTL (through TVS); %s\n", clplan_notvs);
	return 0;
}

/*
 * Node i's signed files against its new ITL b (lib/regen/clsgn), held the CTL
 * phones hold after the step (mixed) or NULL: the re-signed ones into pb, the
 * counts said. 0, or -1.
 */
static int
sgns(struct run *r, size_t i, const struct buf *b, const struct ctl *held,
    const struct clview *w, struct clpub *pb, struct clsgn *s)
{
	struct clsgn_lists l = { &r->sv[i].c, NULL, held, r->o->mixed ? &r->ctl.c : NULL };
	struct ctl nitl;
	int rc = -1;

	if (ctl_parse(&nitl, b->p, b->len) == 0) {
		l.nitl = &nitl;
		rc = clsgn_node(r->c, i, &l, w, (uint32_t)r->o->now, pb, s, &r->memo[i]);
	}
	ctl_free(&nitl);
	if (rc == 0 && r->js != NULL) {
		json_key(r->js, r->c->v[i].name);
		json_obj(r->js);
		json_kint(r->js, "resigned", (long long)s->resigned);
		json_kint(r->js, "accepted", (long long)s->accepted);
		json_kint(r->js, "left_rejected", (long long)s->left);
		json_kint(r->js, "firmware_left_alone", (long long)s->firmware);
		json_end(r->js);
	} else if (rc == 0 && s->resigned + s->accepted + s->left + s->firmware > 0) {
		fprintf(r->o->out, "  sgn %s: %zu re-signed, %zu already accepted, %zu left "
		    "rejected", r->c->v[i].name, s->resigned, s->accepted, s->left);
		if (s->firmware > 0)
			fprintf(r->o->out, ", %zu firmware left alone (signed by Cisco)",
			    s->firmware);
		fputc('\n', r->o->out);
	}
	r->left += s->left;
	return rc;
}

/*
 * Serve the step's files on every TFTP node at once (lib/regen/clpub): the
 * changed ITLs b[i], and the CTL sc when it changed; then take them as what
 * phones hold. 0, or -1 (every node still serves its previous files).
 */
static int
serve(struct run *r, int step, struct buf *b, const int *ch, struct stepctl *sc,
    const struct clview *w)
{
	const struct cluster *c = r->c;
	const struct ctl *held = !r->o->mixed ? NULL : sc->parsed ? &sc->c : &r->ctl.c;
	struct clpub pb = { NULL, 0 };
	struct clsgn *sg = calloc(c->n, sizeof(*sg));
	size_t i;
	int rc = -1;

	if (sg == NULL)
		goto out;
	if (r->js != NULL) {
		json_key(r->js, "sgn");
		json_obj(r->js);
	}
	for (i = 0; i < c->n; i++) {
		if (c->v[i].tftp && ch[i] && clpub_add(&pb, c->v[i].tftpdir, "ITLFile.tlv",
		    b[i].p, b[i].len, r->sv[i].buf, r->sv[i].len, 1) != 0)
			goto out;
		if (c->v[i].tftp && sc->changed && clpub_add(&pb, c->v[i].tftpdir, "CTLFile.tlv",
		    sc->b.p, sc->b.len, r->ctl.buf, r->ctl.len, 1) != 0)
			goto out;
		if (c->v[i].tftp && ch[i] && sgns(r, i, &b[i], held, w, &pb, &sg[i]) != 0)
			goto out;
	}
	if (r->js != NULL)
		json_end(r->js);
	if (clpub_commit(&pb, step) != 0)
		goto out;
	rc = 0;
	for (i = 0; rc == 0 && i < c->n; i++)
		if (c->v[i].tftp && ch[i]) {
			rc = served_set(&r->sv[i], b[i].p, b[i].len, c->v[i].tftpdir);
			b[i] = (struct buf)BUF_ZERO;	/* sv[i] owns the bytes now */
		}
	if (rc == 0 && sc->changed) {
		rc = served_set(&r->ctl, sc->b.p, sc->b.len, "CTLFile.tlv");
		sc->b = (struct buf)BUF_ZERO;	/* r->ctl owns them; sc->c still reads them */
	}
out:
	if (rc != 0 && (pb.n == 0 || sg == NULL))
		warnf("%s: out of memory", c->dir);
	clpub_free(&pb);
	for (i = 0; sg != NULL && i < c->n; i++)
		clsgn_free(&sg[i]);
	free(sg);
	return rc;
}

/* The line of node i's new ITL (changed or not) after step. */
static void
itl_say(const struct run *r, size_t i, int step, int changed, const struct phone_verdict *v)
{
	char hist[64];

	if (r->js != NULL) {
		snprintf(hist, sizeof(hist), "tftp/history/%03d-ITLFile.tlv", step - 1);
		json_key(r->js, r->c->v[i].name);
		json_obj(r->js);
		json_kbool(r->js, "changed", changed);
		json_key(r->js, "accepted");
		if (changed)
			json_bool(r->js, v->accepted);
		else
			json_null(r->js);
		json_kstr(r->js, "path", changed ? v->path : NULL);
		json_kstr(r->js, "via", changed && v->via[0] != '\0' ? v->via : NULL);
		json_key(r->js, "ctl_record");	/* accepted through the CTL held: its record */
		if (changed && v->ctlrec >= 0)
			json_int(r->js, v->ctlrec + 1);
		else
			json_null(r->js);
		json_kstr(r->js, "history", changed ? hist : NULL);
		json_end(r->js);
		return;
	}
	if (!changed) {
		fprintf(r->o->out, "  itl %s: unchanged\n", r->c->v[i].name);
		return;
	}
	fprintf(r->o->out, "  itl %s: replaced, accepted %s%s%s; previous kept as "
	    "tftp/history/%03d-ITLFile.tlv\n", r->c->v[i].name, strcmp(v->path, "tvs") == 0 ?
	    "through TVS via " : "directly", v->via, v->ctlrec >= 0 ? " (its signer is in the "
	    "CTL phones hold)" : "", step - 1);
}

/*
 * Rebuild, judge and serve every TFTP node's ITL after step (1-based). 0, 1
 * rejected, -1. In mixed mode the CTL first: phones judge the ITL holding the
 * new CTL when they take it.
 */
static int
itls(struct run *r, int step)
{
	const struct cluster *c = r->c;
	const struct ctl *held = NULL;
	struct phone_verdict v;
	struct stepctl sc;
	struct clview w;
	struct buf *b;
	size_t i;
	int *ch, any, rc = -1;

	memset(&w, 0, sizeof(w));
	memset(&sc, 0, sizeof(sc));
	b = calloc(c->n, sizeof(*b));
	ch = calloc(c->n, sizeof(*ch));
	if (b == NULL || ch == NULL || (r->o->mixed && ctl_next(r, &w, &sc) != 0))
		goto out;
	if (r->o->mixed)
		held = sc.parsed ? &sc.c : &r->ctl.c;
	if (r->js != NULL) {
		json_key(r->js, "itl");
		json_obj(r->js);
	}
	for (i = 0; i < c->n; i++) {
		if (!c->v[i].tftp)
			continue;
		if (judge(r, &r->sv[i], i, 0, held, &w, &b[i], &ch[i], &v) != 0)
			goto out;
		if (ch[i] && !v.accepted) {
			warnf("%s: step %d: a phone holding %s's ITL would reject the new one: %s; "
			    "the step is undone, earlier steps stay done: see what changed "
			    "underneath, then plan again", c->dir, step, c->v[i].name, v.reason);
			snprintf(r->why, sizeof(r->why), "a phone holding %s's ITL would reject the "
			    "new one: %s", c->v[i].name, v.reason);
			rc = 1;
			goto out;
		}
		itl_say(r, i, step, ch[i], &v);
	}
	if (r->js != NULL)
		json_end(r->js);
	if (r->o->mixed && (rc = ctl_say(r, step, &sc)) != 0)
		goto out;
	if (r->js != NULL && !r->o->mixed) {
		json_key(r->js, "ctl");
		json_null(r->js);
	}
	rc = serve(r, step, b, ch, &sc, &w);
	for (i = 0, any = 0; i < c->n; i++)
		any |= c->v[i].tftp && ch[i];
	if (r->js != NULL)
		json_kbool(r->js, "reset_phones", any);
	else
		clplan_resets(r->p, ch, r->o->out);
out:
	for (i = 0; b != NULL && i < c->n; i++)
		buf_free(&b[i]);
	if (sc.parsed)
		ctl_free(&sc.c);
	buf_free(&sc.b);
	free(b);
	free(ch);
	if (w.c != NULL)
		clview_free(&w);
	return rc;
}

/* -j: a step's head (the plan's keys), before anything is done. */
static void
step_json(struct run *r, const struct clplan_step *s, int n)
{
	struct json *j = r->js;
	int k;

	json_obj(j);
	json_kint(j, "step", n);
	json_kstr(j, "node", r->c->v[s->node].name);
	json_key(j, "units");
	json_arr(j);
	for (k = 0; k < s->n; k++)
		json_str(j, s->units[k]);
	json_end(j);
}

/* What the step regenerated, where each changed node's backup is, what to restart. */
static void
step_done(struct run *r, const struct clplan_step *s, struct regenjob *j)
{
	const struct cluster *c = r->c;
	struct json *js = r->js;
	char *serial;
	size_t i;
	int k;

	if (js != NULL) {
		json_key(js, "regenerated");
		json_arr(js);
	}
	for (k = 0; k < s->n; k++) {
		serial = cert_serial_text(j[k].cert, 1);
		if (js != NULL) {
			json_obj(js);
			json_kstr(js, "unit", j[k].p->unit);
			json_kstr(js, "serial", serial);
			json_end(js);
		} else
			fprintf(r->o->out, "  regenerated: %s serial=%s\n", j[k].p->unit,
			    serial != NULL ? serial : "?");
		free(serial);
	}
	if (js != NULL) {
		json_end(js);
		json_key(js, "backups");
		json_obj(js);
	}
	for (i = 0; i < c->n; i++)
		if (r->t[i].backup != NULL && js != NULL)
			json_kstr(js, c->v[i].name, r->t[i].backup);
		else if (r->t[i].backup != NULL) {
			fprintf(r->o->out, "  backup: ");
			out_str(r->o->out, r->t[i].backup);
			fputc('\n', r->o->out);
		}
	if (js != NULL) {
		json_end(js);
		json_key(js, "restart");
		json_arr(js);
		clplan_restarts(r->p, s, clplan_json_restart, js);
		json_end(js);
	} else
		clplan_restarts(r->p, s, clplan_text_restart, r->o->out);
}

/* One step: regenerate, report, rebuild the ITLs; 0, 1 rejected (undone), -1. */
static int
step(struct run *r, const struct clplan_step *s, int n)
{
	const struct cluster *c = r->c;
	struct regenjob j[CLPLAN_UNITS];
	size_t i;
	int k, d = r->js != NULL ? r->js->depth : 0, rc = -1;

	memset(j, 0, sizeof(j));
	memset(r->done, 0, c->n * sizeof(*r->done));
	if (r->js != NULL)
		step_json(r, s, n);
	else {
		fprintf(r->o->out, "step %d: %s:", n, c->v[s->node].name);
		for (k = 0; k < s->n; k++)
			fprintf(r->o->out, " %s", s->units[k]);
		fputc('\n', r->o->out);
	}
	r->why[0] = '\0';
	if (cljournal_begin(&r->jr, n, r->o->now) == NULL)
		rc = -1;
	else if (regen_step(r, s, j) == 0) {
		step_done(r, s, j);
		if ((rc = itls(r, n)) != 0)
			undo_step(r);
	} else
		undo_step(r);
	if (r->jr.s[n - 1].state == CLJ_BEGUN &&
	    cljournal_set(&r->jr, n, rc == 0 ? CLJ_DONE : CLJ_STOPPED) != 0)
		rc = -1;
	if (r->js != NULL) {
		json_to(r->js, d + 1);	/* the step's object */
		json_kstr(r->js, "result", rc == 0 ? "done" : rc > 0 ? "rejected: undone" :
		    "trouble: undone");
		json_kstr(r->js, "reason", rc > 0 ? r->why : NULL);
		json_end(r->js);
	}
	if (rc > 0)
		r->stopped = n;
	for (k = 0; k < s->n; k++)
		regenjob_free(&j[k]);
	for (i = 0; i < c->n; i++)
		txn_free(&r->t[i]);
	return rc;
}

/* After the run: each TFTP node's ITL signer and how many records changed since step 1. */
static void
final(const struct run *r)
{
	const struct served *s;
	size_t i, k, n;

	if (r->js != NULL) {
		json_key(r->js, "final");
		json_obj(r->js);
	}
	for (i = 0; i < r->c->n; i++) {
		if (!r->c->v[i].tftp)
			continue;
		s = &r->sv[i];
		for (k = n = 0; k < s->l.n; k++)
			n += k >= s->first.n || s->l.r[k].fn != s->first.r[k].fn ||
			    !phone_cert_eq(&s->l.r[k].cert, &s->first.r[k].cert);
		if (r->js != NULL) {
			json_key(r->js, r->c->v[i].name);
			json_obj(r->js);
			json_kstr(r->js, "itl_signer", s->l.signer_name);
			json_kint(r->js, "records_changed", (long long)n);
			json_kint(r->js, "records", (long long)s->l.n);
			json_end(r->js);
			continue;
		}
		fprintf(r->o->out, "final %s: ITL signed by ", r->c->v[i].name);
		out_str(r->o->out, s->l.signer_name);
		fprintf(r->o->out, "; %zu of %zu records changed\n", n, s->l.n);
	}
	if (r->js != NULL)
		json_end(r->js);
}

/* -j: the document's head, its notes open (closed by run_json_end). */
static void
run_json_begin(struct run *r)
{
	struct json *j = r->js;

	json_obj(j);
	json_head(j);
	json_kstr(j, "cucm_version", r->c->vtext);
	json_kstr(j, "cucm_version_note", r->c->vnote);
	json_kbool(j, "mixed", r->o->mixed);
	json_key(j, "notes");
	json_arr(j);
}

/* -j: the document closed, whatever happened: the steps so far, the outcome (rc as clrun's). */
static void
run_json_end(struct run *r, int steps, int rc)
{
	struct json *j = r->js;

	json_to(j, 1);
	if (!steps) {
		json_key(j, "steps");
		json_arr(j);
		json_end(j);
	}
	if (rc == 0 || (rc == 1 && r->stopped == 0))
		final(r);
	json_kint(j, "left_rejected", (long long)r->left);
	json_key(j, "stopped_at");
	if (r->stopped > 0)
		json_int(j, r->stopped);
	else
		json_null(j);
	json_kstr(j, "result", rc < 0 ? "trouble" : r->stopped > 0 ? "stopped" : rc == 1 ?
	    "signed files left rejected" : "done");
	json_end(j);
}

/* "DIR/UNIT/UNIT.key" is a regular file: node i holds the key of unit. */
static int
has_key(const struct cluster *c, size_t i, const char *unit, char *path, size_t n)
{
	snprintf(path, n, "%s/%s/%s.key", c->v[i].dir, unit, unit);
	return path_isreg(path);
}

/*
 * A run regenerates keys and signs trust lists in the node stores: every key
 * it uses must be there. A key-less store (a live node's certificates) is
 * refused before any change, and the way to steer the live node said.
 */
static int
keys_present(const struct cluster *c, const struct clplan *p)
{
	char path[PATH_MAX + 64];
	const char *what = NULL;
	size_t i;
	int k;

	for (i = 0; i < c->n && what == NULL; i++)
		if (c->v[i].keyless)
			snprintf(path, sizeof(path), "%s", c->v[i].dir), what = "no private key";
	for (i = 0; i < p->n && what == NULL; i++)
		for (k = 0; k < p->s[i].n && what == NULL; k++)
			if (!has_key(c, p->s[i].node, p->s[i].units[k], path, sizeof(path)))
				what = "no such key";
	if (what == NULL && p->n > 0 && cluster_itlrec_signs(c) &&
	    cluster_has(c, c->pub, "ITLRecovery") &&
	    !has_key(c, c->pub, "ITLRecovery", path, sizeof(path)))
		what = "no such key (it signs every ITL)";
	if (what == NULL)
		return 0;
	warnf("%s: %s: a key-less cluster is planned and checked, not run: nothing changed "
	    "(cert-regen --cluster %s --runbook prints the steps to carry out on the live "
	    "cluster and the --check after each)", path, what, c->dir);
	return -1;
}

int
clrun(const struct cluster *c, const struct clplan *p, const struct clrun_opts *o)
{
	struct run r;
	struct lock *lk = NULL;
	const char **dirs = NULL;
	size_t i;
	int rc = -1, locked = 0, steps = 0;

	memset(&r, 0, sizeof(r));
	r.c = c, r.o = o, r.p = p, r.js = o->js;
	if (keys_present(c, p) != 0)
		return -1;
	if (r.js != NULL)
		run_json_begin(&r);
	if ((r.sv = calloc(c->n, sizeof(*r.sv))) == NULL ||
	    (r.t = calloc(c->n, sizeof(*r.t))) == NULL ||
	    (r.tix = calloc(c->n, sizeof(*r.tix))) == NULL ||
	    (r.done = calloc(c->n, sizeof(*r.done))) == NULL ||
	    (r.memo = calloc(c->n, sizeof(*r.memo))) == NULL ||
	    (lk = calloc(c->n, sizeof(*lk))) == NULL ||
	    (dirs = calloc(c->n, sizeof(*dirs))) == NULL) {
		warnf("%s: out of memory", c->dir);
		goto out;
	}
	/* Every node store, exclusively, in one fixed order: no other tool changes the cluster meanwhile. */
	for (i = 0; i < c->n; i++)
		dirs[i] = c->v[i].dir;
	if (lock_all(lk, dirs, c->n, 1, o->wait, "cert-regen") != 0)
		goto out;
	locked = 1;
	if (cluster_tftp_safe(c) != 0 || cljournal_check(&r.jr, c) != 0)
		goto out;
	if (c->vnote != NULL && r.js == NULL)
		fprintf(o->out, "note: %s\n", c->vnote);
	for (i = 0; i < c->n; i++)
		if (c->v[i].tftp && load_served(&r, i) != 0)
			goto out;
	if ((o->mixed && load_ctl(&r) != 0) || cljournal_start(&r.jr, p) != 0)
		goto out;
	if (r.js != NULL) {
		json_end(r.js);	/* the notes */
		json_key(r.js, "steps");
		json_arr(r.js);
		steps = 1;
	}
	for (i = 0, rc = 0; rc == 0 && i < p->n; i++)
		rc = step(&r, &p->s[i], (int)i + 1);
	if (rc == 0 && r.js == NULL)
		final(&r);
	if (rc == 0 && r.left > 0) {
		warnf("%s: %zu signed file%s left that phones reject (signer unknown to the "
		    "cluster)", c->dir, r.left, r.left == 1 ? "" : "s");
		rc = 1;
	}
out:
	if (r.js != NULL)
		run_json_end(&r, steps, rc);
	for (i = 0; r.sv != NULL && i < c->n; i++) {
		served_free(&r.sv[i]);
		phone_itl_free(&r.sv[i].first);
	}
	served_free(&r.ctl);
	for (i = 0; r.memo != NULL && i < c->n; i++)
		clsgn_memo_free(&r.memo[i]);
	for (i = 0; r.tix != NULL && i < c->n; i++)
		trustidx_free(&r.tix[i]);
	free(r.tix);
	free(r.memo);
	txnrun_free(&r.tr);
	for (i = 0; locked && i < c->n; i++)
		lock_release(&lk[i]);
	free(lk);
	free(dirs);
	free(r.sv);
	free(r.t);
	free(r.done);
	cljournal_free(&r.jr);
	return rc;
}
