/*
 * clundo.c: an undo is a change like any other: phones hold the ITL a step
 * served, and take the one served before it only by the rule that took the
 * step's; so each step goes back as a whole, judged, published at once.
 */
#include <stdlib.h>
#include <string.h>

#include "core/afile.h"
#include "core/diag.h"
#include "core/io.h"
#include "core/out.h"
#include "cucm/clplan.h"
#include "load/itlcerts.h"
#include "regen/cljournal.h"
#include "regen/clpub.h"
#include "regen/clrun.h"
#include "regen/clsgn.h"
#include "regen/clundo.h"
#include "store/backuplist.h"
#include "store/lock.h"
#include "store/restore.h"
#include "core/path.h"
#include "x509/cert.h"

/* A served trust list: its bytes and parse. */
struct file {
	uint8_t		*buf;
	size_t		 len;
	struct ctl	 c;
	int		 parsed;
};

struct undo {
	const struct cluster	*c;
	const struct clundo_opts *o;
	struct cljournal	 j;
	struct file		*sv;		/* per TFTP node: the ITL served now */
	struct file		 ctl;		/* mixed: the CTL served now */
	struct clview		 w;		/* the stores now (with -n: as the undo so far leaves them) */
	struct clsgn_memo	*memo;
	struct backuplist	*bl;		/* per node, read when first needed */
	int			*blread;
};

/* One step's undo: per node its restore, and per TFTP node the history put back. */
struct ustep {
	int			 k;		/* 1-based */
	struct txn		*t;
	struct restore		*rs;
	int			*done;		/* t[i] committed */
	struct file		*h;		/* per node: history ITL, buf NULL when none */
	struct file		 hctl;
	struct clview		 w;		/* the cluster after the restores */
	int			 wset;
};

static void
file_free(struct file *f)
{
	if (f->parsed)
		ctl_free(&f->c);
	free(f->buf);
	memset(f, 0, sizeof(*f));
}

/* Read and parse path into f; missing and opt: 0 with f->buf NULL. 0, or -1 (diagnosed). */
static int
file_read(struct file *f, const char *path, int opt)
{
	memset(f, 0, sizeof(*f));
	if (opt && !path_isreg(path))
		return 0;
	if ((f->buf = io_slurp(path, IO_MAX, &f->len)) == NULL)
		return -1;
	if (ctl_parse(&f->c, f->buf, f->len) != 0) {
		warnf("%s: %s at byte %zu", path, f->c.err, f->c.err_off);
		ctl_free(&f->c);
		free(f->buf);
		f->buf = NULL;
		return -1;
	}
	f->parsed = 1;
	return 0;
}

/* f takes g's contents (g emptied). */
static void
file_move(struct file *f, struct file *g)
{
	file_free(f);
	*f = *g;
	memset(g, 0, sizeof(*g));
}

/*
 * Node i's tftp/NAME, or with hist its tftp/history/<k-1>-NAME, read into f;
 * opt: a missing file is no error (f->buf NULL).
 */
static int
served_read(const struct undo *u, size_t i, const char *name, int hist, int k, int opt,
    struct file *f)
{
	char h[300], *p;
	int rc;

	snprintf(h, sizeof(h), "%03d-%s", k - 1, name);
	p = hist ? path_join(u->c->v[i].tftpdir, "history", h, NULL) :
	    path_join(u->c->v[i].tftpdir, name, NULL);
	if (p == NULL) {
		warnf("%s: out of memory", u->c->dir);
		return -1;
	}
	rc = file_read(f, p, opt);
	free(p);
	return rc;
}

/* The step a -r argument names: a number up to the journal's, or last (the last live). 0, -1. */
static int
target(const struct undo *u, const char *arg, int *first)
{
	char *end;
	long n;
	size_t k;

	for (k = u->j.n; k > 0 && !cljournal_live(&u->j.s[k - 1]); k--)
		continue;
	if (k == 0) {
		warnf("%s: no step of the run left to undo (%s: every step undone or stopped)",
		    u->c->dir, u->j.path);
		return -1;
	}
	if (strcmp(arg, "last") == 0) {
		*first = (int)k;
		return 0;
	}
	n = strtol(arg, &end, 10);
	if (*arg < '1' || *arg > '9' || *end != '\0' || n < 1 || (size_t)n > u->j.n) {
		warnf("-r: not last or a step of the run (1 to %zu): \"%s\"", u->j.n, arg);
		return -1;
	}
	*first = (int)n;
	return 0;
}

/* Node i's backups, read once. NULL after a diagnostic. */
static const struct backuplist *
backups(struct undo *u, size_t i)
{
	if (!u->blread[i]) {
		if (backuplist_read(&u->bl[i], u->c->v[i].dir) != 0)
			return NULL;
		u->blread[i] = 1;
	}
	return &u->bl[i];
}

/* Step k refused when an earlier live step's backup was put back on a node out of order. 0, 1, -1. */
static int
out_of_order(struct undo *u, int k)
{
	const struct backuplist *l;
	const struct cljournal_step *s;
	const char *by;
	size_t i, e, f;
	int jj;

	for (jj = k - 1; jj >= 1; jj--) {
		s = &u->j.s[jj - 1];
		if (!cljournal_live(s))
			continue;
		for (i = 0; i < u->c->n; i++) {
			if ((l = backups(u, i)) == NULL)
				return -1;
			for (e = 0; e < l->n && strcmp(l->e[e].name, s->bname) != 0; e++)
				continue;
			if (e == l->n || !l->e[e].undone)
				continue;
			for (f = l->n, by = "?"; f-- > 0;)
				if (l->e[f].m.undoes != NULL && !l->e[f].undone &&
				    strcmp(l->e[f].m.undoes, s->bname) == 0) {
					by = l->e[f].path;
					break;
				}
			warnf("%s: step %d is not undone: step %d's backup %s was put back out of "
			    "order on %s alone, and phones would be handed both at once; undo that "
			    "restore first (cert-regen -s %s -f -r %s), then undo the steps from the "
			    "last with cert-regen --cluster %s -r", u->c->dir, k, jj, l->e[e].path,
			    u->c->v[i].name, u->c->v[i].dir, by, u->c->dir);
			return 1;
		}
	}
	return 0;
}

/* The restores of step k on every node that holds its backup, into x->t (not committed). */
static int
plan_restores(struct undo *u, struct ustep *x)
{
	const struct cljournal_step *s = &u->j.s[x->k - 1];
	char *b;
	size_t i;
	int rc = 0;

	for (i = 0; rc == 0 && i < u->c->n; i++) {
		txn_init(&x->t[i], u->c->v[i].dir, "cert-regen");
		if ((b = path_join(u->c->v[i].dir, ".backup", s->bname, NULL)) == NULL) {
			warnf("%s: out of memory", u->c->dir);
			return -1;
		}
		/* a node the step did not change (or not yet, cut short) holds no backup */
		if (path_isdir(b) && (restore_open(&x->rs[i], b, NULL) != 0 ||
		    (!x->rs[i].none && restore_plan(&x->rs[i], &x->t[i], u->o->force) != 0)))
			rc = -1;
		free(b);
	}
	for (i = 0; rc == 0 && i < u->c->n; i++)
		rc = clundo_view(&x->w, i, &x->t[i]);
	return rc;
}

/* The certificates the step's restores put back and the copies they take back, said. */
static void
say_restores(const struct undo *u, const struct ustep *x)
{
	const struct txn_op *op;
	struct itlcerts ic = ITLCERTS_ZERO;
	const uint8_t *d;
	const char *why, *sl;
	char *serial;
	size_t i, k, dl, copies = 0;
	X509 *c;

	for (i = 0; i < u->c->n; i++)
		for (k = 0; k < x->t[i].n; k++) {
			op = &x->t[i].ops[k];
			sl = strchr(op->rel, '/');
			if (op->kind == TXN_REMOVE || sl == NULL || strchr(sl + 1, '/') != NULL ||
			    strncmp(sl + 1, op->rel, (size_t)(sl - op->rel)) != 0 ||
			    strcmp(sl + 1 + (sl - op->rel), ".pem") != 0 ||
			    itlcerts_parse(&ic, op->data, op->len, &why) != 1 ||
			    (d = itlcerts_get(&ic, 0, &dl)) == NULL ||
			    (c = d2i_X509(NULL, &d, (long)dl)) == NULL)
				continue;
			serial = cert_serial_text(c, 1);
			fprintf(u->o->out, "  put back: %.*s of %s, the certificate before the step "
			    "(serial=%s)\n", (int)(sl - op->rel), op->rel, u->c->v[i].name,
			    serial != NULL ? serial : "?");
			free(serial);
			X509_free(c);
		}
	for (i = 0; i < u->c->n; i++)	/* the copies the step made, one line */
		for (k = 0; k < x->t[i].n; k++)
			if (strncmp(x->t[i].ops[k].rel, "CallManager-trust/", 18) == 0 &&
			    x->t[i].ops[k].kind == TXN_REMOVE) {
				fprintf(u->o->out, "%s%s", copies++ ? ", " : "  trust copies taken "
				    "back: CallManager-trust of ", u->c->v[i].name);
				break;
			}
	if (copies > 0)
		fputc('\n', u->o->out);
	itlcerts_free(&ic);
}

/*
 * The one verdict on handing phones that hold old the file nw made before: nw
 * was built from the cluster as it was then, so only what the TVS servers
 * present now (w) counts, never a TVS record of nw (phone_judge's reading for
 * files judged after the fact). 0, or -1 out of memory.
 */
static int
verdict(const struct ctl *old, const struct ctl *nw, const struct clview *w,
    struct phone_verdict *v)
{
	struct phone_itl o, n;
	size_t k;
	int rc = -1;

	memset(v, 0, sizeof(*v));
	if (phone_itl_from_ctl(&o, old) == 0 && phone_itl_from_ctl(&n, nw) == 0) {
		for (k = 0; k < n.n; k++)
			if (n.r[k].fn == CTL_FN_TVS)
				n.r[k].fn = -1;
		phone_judge(&o, &n, w, v);
		rc = 0;
	}
	phone_itl_free(&o);
	phone_itl_free(&n);
	if (rc != 0)
		warnf("out of memory");
	return rc;
}

/* "directly" or "through TVS via NODE". */
static void
say_verdict(const struct undo *u, const char *what, const char *name, int k,
    const struct phone_verdict *v)
{
	fprintf(u->o->out, "  %s%s%s: put back as served before step %d (tftp/history/%03d-%s), "
	    "accepted %s%s\n", what, name[0] != '\0' ? " " : "", name, k, k - 1,
	    what[0] == 'i' ? "ITLFile.tlv" : "CTLFile.tlv", strcmp(v->path, "tvs") == 0 ?
	    "through TVS via " : "directly", v->via);
}

/*
 * A history ITL is put back byte for byte even when the stores, once put back,
 * would yield another (something changed outside the run, or it was so before
 * the run): said, with the command that serves theirs. 0, or -1 out of memory.
 */
static int
agrees(const struct undo *u, const struct ustep *x, size_t i)
{
	struct phone_itl st, h;
	int rc = -1;

	memset(&st, 0, sizeof(st));
	memset(&h, 0, sizeof(h));
	if (clview_itl(&x->w, i, &st) == 0 && phone_itl_from_ctl(&h, &x->h[i].c) == 0) {
		rc = 0;
		if (!phone_itl_same(&h, &st))
			fprintf(u->o->out, "  note: %s: the ITL put back is not the one its stores "
			    "yield after the undo (changed outside the run, or so before it): "
			    "itl-build --cluster %s --node %s serves theirs\n", u->c->v[i].name,
			    u->c->dir, u->c->v[i].name);
	}
	phone_itl_free(&st);
	phone_itl_free(&h);
	if (rc != 0)
		warnf("%s: out of memory", u->c->dir);
	return rc;
}

/* Judge each served file's way back; 0 all accepted, 1 one rejected (said), -1. */
static int
judge(struct undo *u, struct ustep *x, int *ch, int *cch)
{
	const struct cluster *c = u->c;
	struct phone_verdict v;
	size_t i;

	for (i = 0; i < c->n; i++) {
		if (!c->v[i].tftp)
			continue;
		if (served_read(u, i, "ITLFile.tlv", 1, x->k, 1, &x->h[i]) != 0)
			return -1;
		ch[i] = x->h[i].buf != NULL && (x->h[i].len != u->sv[i].len ||
		    memcmp(x->h[i].buf, u->sv[i].buf, u->sv[i].len) != 0);
		if (!ch[i]) {
			fprintf(u->o->out, "  itl %s: unchanged\n", c->v[i].name);
			continue;
		}
		if (verdict(&u->sv[i].c, &x->h[i].c, &x->w, &v) != 0)
			return -1;
		if (!v.accepted) {
			warnf("%s: step %d is not undone: a phone holding %s's ITL would reject the "
			    "one served before the step: %s; nothing of step %d changed", c->dir,
			    x->k, c->v[i].name, v.reason, x->k);
			return 1;
		}
		say_verdict(u, "itl", c->v[i].name, x->k, &v);
		if (agrees(u, x, i) != 0)
			return -1;
	}
	for (i = 0; u->o->mixed && i < c->n && x->hctl.buf == NULL; i++)
		if (c->v[i].tftp && served_read(u, i, "CTLFile.tlv", 1, x->k, 1, &x->hctl) != 0)
			return -1;
	*cch = x->hctl.buf != NULL && u->ctl.buf != NULL && (x->hctl.len != u->ctl.len ||
	    memcmp(x->hctl.buf, u->ctl.buf, u->ctl.len) != 0);
	if (*cch) {
		if (verdict(&u->ctl.c, &x->hctl.c, &x->w, &v) != 0)
			return -1;
		if (!v.accepted) {
			warnf("%s: step %d is not undone: a device holding the CTL would reject the "
			    "one served before the step: %s; nothing of step %d changed", c->dir,
			    x->k, v.reason, x->k);
			return 1;
		}
		say_verdict(u, "ctl", "", x->k, &v);
	}
	return 0;
}

/* Put back what the undo committed (its own backups), last node first. */
static void
unundo(struct undo *u, struct ustep *x)
{
	clrun_stores_back(u->c, x->done, x->t, u->o->now);
}

/* Commit the restores (the step's node last), each with the undo's backup name. 0, -1. */
static int
commit(struct undo *u, struct ustep *x, const char *name)
{
	size_t i, n = u->c->n, node = u->j.s[x->k - 1].node;
	int last;

	for (last = 0; last < 2; last++)	/* the copies first: a kill leaves the node as the step made it */
		for (i = 0; i < n; i++) {
			if ((i == node) != last)
				continue;
			x->t[i].bname = name;
			if (txn_commit(&x->t[i], u->o->now) != 0)
				return -1;
			x->done[i] = 1;
		}
	for (i = 0; i < n; i++)
		if (x->t[i].backup != NULL) {
			fprintf(u->o->out, "  backup: ");
			out_str(u->o->out, x->t[i].backup);
			fputc('\n', u->o->out);
		}
	return 0;
}

/*
 * The ITL node i served when step k's undo began, kept as
 * tftp/history/undo-<k>-ITLFile.tlv (never over one an undo cut short kept:
 * that one is what the step served) and read back into f: the signed files
 * its TFTP record signed are the ones to sign again. f->buf NULL: none.
 */
static int
served_kept(const struct undo *u, size_t i, int k, int ch, struct file *f)
{
	char name[64], *p;
	int rc = -1;

	snprintf(name, sizeof(name), "undo-%03d-ITLFile.tlv", k);
	if ((p = path_join(u->c->v[i].tftpdir, "history", name, NULL)) == NULL) {
		warnf("%s: out of memory", u->c->dir);
		return -1;
	}
	if (!ch || path_isreg(p) || afile_write(p, u->sv[i].buf, u->sv[i].len,
	    AFILE_MODE_DEFAULT, 0) == 0)
		rc = file_read(f, p, 1);
	free(p);
	return rc;
}

/* Re-sign (lib/regen/clsgn) and publish the put-back files at once (lib/regen/clpub). 0, -1. */
static int
publish(struct undo *u, struct ustep *x, const int *ch, int cch)
{
	const struct cluster *c = u->c;
	struct clpub pb = { NULL, 0 };
	struct clsgn_lists ls = { NULL, NULL, NULL, NULL };
	struct clsgn *sg = calloc(c->n, sizeof(*sg));
	struct file *kept = calloc(c->n, sizeof(*kept));
	size_t i;
	int rc = -1;

	for (i = 0; sg != NULL && kept != NULL && i < c->n; i++) {
		if (!c->v[i].tftp || x->h[i].buf == NULL)
			continue;
		if (served_kept(u, i, x->k, ch[i], &kept[i]) != 0)
			goto out;
		if (ch[i] && clpub_add(&pb, c->v[i].tftpdir, "ITLFile.tlv", x->h[i].buf,
		    x->h[i].len, u->sv[i].buf, u->sv[i].len, 0) != 0)
			goto out;
		/* an undo cut short may have put the ITL back and not yet the signed files */
		/* the CTL is not counted here (held NULL): the undo judges ITLs alone */
		ls.old = &kept[i].c, ls.nitl = &x->h[i].c;
		if (kept[i].buf != NULL && clsgn_node(c, i, &ls, &x->w, (uint32_t)u->o->now, &pb,
		    &sg[i], &u->memo[i]) != 0)
			goto out;
		if (kept[i].buf != NULL && sg[i].resigned + sg[i].accepted + sg[i].left +
		    sg[i].firmware > 0) {
			fprintf(u->o->out, "  sgn %s: %zu re-signed, %zu already accepted, %zu left "
			    "rejected", c->v[i].name, sg[i].resigned, sg[i].accepted, sg[i].left);
			if (sg[i].firmware > 0)
				fprintf(u->o->out, ", %zu firmware left alone (signed by Cisco)",
				    sg[i].firmware);
			fputc('\n', u->o->out);
		}
	}
	for (i = 0; cch && sg != NULL && kept != NULL && i < c->n; i++)
		if (c->v[i].tftp && clpub_add(&pb, c->v[i].tftpdir, "CTLFile.tlv", x->hctl.buf,
		    x->hctl.len, u->ctl.buf, u->ctl.len, 0) != 0)
			goto out;
	rc = sg != NULL && kept != NULL && clpub_commit(&pb, x->k) == 0 ? 0 : -1;
out:
	if (sg == NULL || kept == NULL)
		warnf("%s: out of memory", c->dir);
	clpub_free(&pb);
	for (i = 0; sg != NULL && kept != NULL && i < c->n; i++) {
		clsgn_free(&sg[i]);
		file_free(&kept[i]);
	}
	free(sg);
	free(kept);
	return rc;
}

/* The restarts and resets the step's undo asks for, as the run says them (lib/cucm/clplanout). */
static void
restarts(const struct undo *u, const struct ustep *x, const int *ch)
{
	struct clplan p;
	struct clplan_step s;
	char units[sizeof(u->j.s->units)], *tok, *save;
	size_t i;

	memset(&p, 0, sizeof(p));
	memset(&s, 0, sizeof(s));
	p.c = u->c;
	s.node = u->j.s[x->k - 1].node;
	snprintf(units, sizeof(units), "%s", u->j.s[x->k - 1].units);
	for (tok = strtok_r(units, ",", &save); tok != NULL && s.n < CLPLAN_UNITS;
	    tok = strtok_r(NULL, ",", &save))
		s.units[s.n++] = tok;
	if ((s.itl = calloc(u->c->n, sizeof(*s.itl))) != NULL) {
		for (i = 0; i < u->c->n; i++)
			s.itl[i].changed = ch[i];
		clplan_restarts(&p, &s, clplan_text_restart, u->o->out);
	}
	free(s.itl);
	clplan_resets(&p, ch, u->o->out);
}

static void
ustep_free(const struct undo *u, struct ustep *x)
{
	size_t i;

	for (i = 0; i < u->c->n; i++) {
		if (x->t != NULL)
			txn_free(&x->t[i]);
		if (x->rs != NULL)
			restore_free(&x->rs[i]);
		if (x->h != NULL)
			file_free(&x->h[i]);
	}
	file_free(&x->hctl);
	if (x->wset)
		clview_free(&x->w);
	free(x->t);
	free(x->rs);
	free(x->h);
	free(x->done);
}

/* Change the stores and served files (not with -n); then x is what phones and stores hold. */
static int
apply(struct undo *u, struct ustep *x, const int *ch, int cch)
{
	enum cljournal_state was = u->j.s[x->k - 1].state;
	const char *name;
	size_t i;

	if (!u->o->dry) {
		if ((name = cljournal_undoing(&u->j, x->k, u->o->now)) == NULL)
			return -1;
		if (commit(u, x, name) != 0 || publish(u, x, ch, cch) != 0) {
			unundo(u, x);
			(void)cljournal_set(&u->j, x->k, was);
			return -1;
		}
		if (cljournal_set(&u->j, x->k, CLJ_UNDONE) != 0)
			return -1;
	} else
		u->j.s[x->k - 1].state = CLJ_UNDONE;	/* in memory only */
	for (i = 0; i < u->c->n; i++)
		if (u->c->v[i].tftp && ch[i])
			file_move(&u->sv[i], &x->h[i]);
	if (cch)
		file_move(&u->ctl, &x->hctl);
	clview_free(&u->w);
	u->w = x->w;
	x->wset = 0;
	return 0;
}

/* Undo step k as a whole. 0, 1 refused, -1. */
static int
one(struct undo *u, int k)
{
	const struct cljournal_step *s = &u->j.s[k - 1];
	struct ustep x;
	int *ch = calloc(u->c->n, sizeof(*ch)), cch = 0, rc = -1;

	memset(&x, 0, sizeof(x));
	x.k = k;
	fprintf(u->o->out, "undo step %d: %s: ", k, u->c->v[s->node].name);
	out_str(u->o->out, s->units);
	fputc('\n', u->o->out);
	if (ch == NULL || (x.t = calloc(u->c->n, sizeof(*x.t))) == NULL ||
	    (x.rs = calloc(u->c->n, sizeof(*x.rs))) == NULL ||
	    (x.done = calloc(u->c->n, sizeof(*x.done))) == NULL ||
	    (x.h = calloc(u->c->n, sizeof(*x.h))) == NULL) {
		warnf("%s: out of memory", u->c->dir);
		goto out;
	}
	if ((rc = out_of_order(u, k)) != 0)
		goto out;
	rc = -1;
	if (clview_dup(&x.w, &u->w) != 0) {
		warnf("%s: out of memory", u->c->dir);
		goto out;
	}
	x.wset = 1;
	if (plan_restores(u, &x) != 0 || (rc = judge(u, &x, ch, &cch)) != 0)
		goto out;
	say_restores(u, &x);
	restarts(u, &x, ch);
	rc = apply(u, &x, ch, cch);
out:
	free(ch);
	ustep_free(u, &x);
	return rc;
}

/* What phones hold now: every TFTP node's ITL, and in mixed mode the CTL. */
static int
load(struct undo *u)
{
	size_t i;

	for (i = 0; i < u->c->n; i++)
		if (u->c->v[i].tftp && served_read(u, i, "ITLFile.tlv", 0, 0, 0, &u->sv[i]) != 0)
			return -1;
	for (i = 0; u->o->mixed && i < u->c->n && u->ctl.buf == NULL; i++)
		if (u->c->v[i].tftp && served_read(u, i, "CTLFile.tlv", 0, 0, 1, &u->ctl) != 0)
			return -1;
	return clview_load(&u->w, u->c, u->o->mixed);
}

static void
undo_free(struct undo *u)
{
	size_t i;

	for (i = 0; i < u->c->n; i++) {
		if (u->sv != NULL)
			file_free(&u->sv[i]);
		if (u->memo != NULL)
			clsgn_memo_free(&u->memo[i]);
		if (u->blread != NULL && u->blread[i])
			backuplist_free(&u->bl[i]);
	}
	file_free(&u->ctl);
	if (u->w.c != NULL)
		clview_free(&u->w);
	cljournal_free(&u->j);
	free(u->sv);
	free(u->memo);
	free(u->bl);
	free(u->blread);
}

int
clundo(const struct cluster *c, const char *step, const struct clundo_opts *o)
{
	struct undo u;
	struct lock *lk = calloc(c->n, sizeof(*lk));
	const char **dirs = calloc(c->n, sizeof(*dirs));
	size_t i;
	int k, first, rc = -1, locked = 0;

	memset(&u, 0, sizeof(u));
	u.c = c, u.o = o;
	if (lk == NULL || dirs == NULL || (u.sv = calloc(c->n, sizeof(*u.sv))) == NULL ||
	    (u.memo = calloc(c->n, sizeof(*u.memo))) == NULL ||
	    (u.bl = calloc(c->n, sizeof(*u.bl))) == NULL ||
	    (u.blread = calloc(c->n, sizeof(*u.blread))) == NULL) {
		warnf("%s: out of memory", c->dir);
		goto out;
	}
	for (i = 0; i < c->n; i++)
		dirs[i] = c->v[i].dir;
	if (lock_all(lk, dirs, c->n, !o->dry, o->wait, "cert-regen") != 0)
		goto out;
	locked = 1;
	if (cluster_tftp_safe(c) != 0)
		goto out;
	if ((k = cljournal_read(&u.j, c)) != 0) {
		if (k > 0)
			warnf("%s: no run to undo (no %s: the journal of cert-regen --cluster -y)",
			    c->dir, CLJOURNAL_NAME);
		goto out;
	}
	if (target(&u, step, &first) != 0 || load(&u) != 0)
		goto out;
	for (k = (int)u.j.n, rc = 0; rc == 0 && k >= first; k--)
		if (cljournal_live(&u.j.s[k - 1]))
			rc = one(&u, k);
	if (rc == 0 && o->dry)
		fprintf(o->out, "nothing changed (-n)\n");
out:
	for (i = 0; locked && i < c->n; i++)
		lock_release(&lk[i]);
	undo_free(&u);
	free(lk);
	free(dirs);
	return rc;
}
