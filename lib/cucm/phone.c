/* phone.c: the one rule every seed rule follows from (CUCM.md, "Clusters"), judged on records. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cucm/clview.h"
#include "cucm/phone.h"
#include "cucm/phoneview.h"
#include "tl/sgn.h"
#include "tl/signerid.h"

int
phone_direct(const struct phone_itl *old, const struct phone_itl *nw)
{
	size_t i;

	for (i = 0; i < old->n; i++)
		if (old->r[i].fn == CTL_FN_SAST && phone_cert_eq(&old->r[i].cert, &nw->signer))
			return 1;
	return 0;
}

/* 1 when x is a TVS record of l. */
static int
has_tvs(const struct phone_itl *l, const struct phone_cert *x)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->r[i].fn == CTL_FN_TVS && phone_cert_eq(&l->r[i].cert, x))
			return 1;
	return 0;
}

/* The node of old's TVS record r: by its current TVS, by r's DNSNAME, by nw's same record. */
static int
tvs_node(const struct clview *w, const struct phone_rec *r, const struct phone_itl *nw)
{
	size_t i;
	int k;

	if ((k = clview_tvs_node(w, &r->cert)) >= 0 || (k = cluster_find(w->c, r->dns)) >= 0)
		return k;
	for (i = 0; i < nw->n; i++)
		if (nw->r[i].fn == CTL_FN_TVS && phone_cert_eq(&nw->r[i].cert, &r->cert))
			return cluster_find(w->c, nw->r[i].dns);
	return -1;
}

/* Why a TVS cannot vouch, appended to notes ("; "-separated). */
static void
why_not(char *notes, size_t size, const char *node, int presented)
{
	size_t n = strlen(notes);

	snprintf(notes + n, size - n, "%sTVS %s %s", n > 0 ? "; " : "",
	    node[0] != '\0' ? node : "(unknown node)", presented ?
	    "does not trust the signer" : "was regenerated since");
}

/* 1 when a record of FUNCTION fn in the CTL a phone holds may sign a file of kind k. */
static int
ctl_signs(int fn, int k)
{
	return fn == CTL_FN_TFTP || fn == CTL_FN_CCM_TFTP || (k == PHONE_ITL && fn == CTL_FN_SAST);
}

/*
 * Mixed mode: a phone checks an ITL's (or a signed file's) signer against the
 * CTL it holds too (CUCM.md "The CTL"): 1 when a record of it names nw's
 * signer and its key verifies nw (files), or holds nw's signer (simulated).
 */
static int
by_ctl(const struct phone_itl *old, const struct phone_itl *nw, struct phone_verdict *v)
{
	const struct phone_itl *h = old->ctl;
	struct sgn_verdict sv;
	const char *why;
	char role[32];
	size_t i;
	int rec = -1, ok = 0;

	if (h == NULL || nw->kind == PHONE_CTL || old->kind == PHONE_CTL)
		return 0;
	if (h->file != NULL && nw->file != NULL) {
		memset(&sv, 0, sizeof(sv));
		if (nw->kind == PHONE_ITL && ctl_trusts(h->file, nw->file, &rec, &why))
			ok = 1;
		else if ((ok = sgn_accepts(h->file, nw->file, &sv)) != 0)
			rec = sv.record;
	} else
		for (i = 0; i < h->n && !ok; i++)
			if (ctl_signs(h->r[i].fn, nw->kind) && phone_cert_eq(&h->r[i].cert, &nw->signer))
				ok = 1, rec = (int)i;
	if (!ok || rec < 0 || (size_t)rec >= h->n)
		return 0;
	v->ctlrec = rec;
	v->ctlfn = h->r[rec].fn;
	v->record = v->function = -1;
	snprintf(v->reason, sizeof(v->reason), "signed by a %s record of the CTL the phone holds "
	    "(record #%d)", ctl_role_text(h->r[rec].fn, role, sizeof(role)), rec + 1);
	return 1;
}

/*
 * The direct rule: 1 accepted, 0 not (v->reason says why; TVS may still
 * vouch), -1 rejected whatever TVS says (nw does not verify, kinds differ,
 * the signer's own record fails).
 */
static int
direct(const struct phone_itl *old, const struct phone_itl *nw, struct phone_verdict *v)
{
	struct sgn_verdict sv;
	struct ctl_verify cv;
	const char *why = NULL;
	int rec, ok;

	if (old->file == NULL || nw->file == NULL) {
		snprintf(v->reason, sizeof(v->reason), "the new %s's signer is not a SAST record "
		    "of the one phones hold", nw->kind == PHONE_CTL ? "CTL" : "ITL");
		return phone_direct(old, nw) || by_ctl(old, nw, v);
	}
	if (nw->kind == PHONE_SGN) {
		memset(&sv, 0, sizeof(sv));
		ok = sgn_accepts(old->file, nw->file, &sv);
		v->record = sv.record;
		v->function = sv.function;
		snprintf(v->reason, sizeof(v->reason), "%s", ok ? "signed by a TFTP record of "
		    "the trust list" : sv.error);
		/* the list's own TFTP record names the signer and it fails: no TVS mends that */
		return ok ? 1 : sv.record >= 0 && (sv.function == CTL_FN_TFTP ||
		    sv.function == CTL_FN_CCM_TFTP) ? -1 : by_ctl(old, nw, v);
	}
	if (!ctl_verify(nw->file, &cv)) {
		snprintf(v->reason, sizeof(v->reason), "the signature does not verify: %s",
		    cv.error);
		if (cv.signer >= 0 && cv.error == signerid_split)
			snprintf(v->reason + strlen(v->reason), sizeof(v->reason) - strlen(v->reason),
			    " (record #%d of the new file)", cv.signer + 1);
		return -1;
	}
	ok = ctl_trusts(old->file, nw->file, &rec, &why);
	v->record = rec;
	snprintf(v->reason, sizeof(v->reason), "%s", why);
	return ok || by_ctl(old, nw, v);
}

/* Node k's TVS as old holds it (record r, or for a CTL the node's current one): vouches? */
static int
vouches(const struct phone_itl *nw, const struct clview *w, int k, const struct phone_cert *tvs,
    char *notes, size_t size)
{
	int pres = has_tvs(nw, tvs) || (k >= 0 && phone_cert_eq(&w->v[k].unit[CLV_TVS], tvs));

	if (pres && k >= 0 && clview_tvs_trusts(w, (size_t)k, &nw->signer))
		return 1;
	why_not(notes, size, k >= 0 ? w->c->v[k].name : "", pres);
	return 0;
}

/*
 * The TVS path: which nodes vouch (ok[k]), then every group needs one of its
 * own; via is the phone's own node when it vouches, else the first that does.
 */
static void
tvs_path(const struct phone_itl *old, const struct phone_itl *nw, const struct clview *w,
    int home, struct phone_verdict *v, char *notes, size_t size)
{
	const struct cluster *c = w->c;
	char *ok = calloc(c->n + 1, 1);
	size_t i, g, k, n;
	int first = -1, kk;

	for (i = 0; ok != NULL && i < (nw->kind == PHONE_CTL || old->kind == PHONE_CTL ?
	    c->n : old->n); i++) {
		if (old->kind == PHONE_CTL)
			kk = w->v[i].unit[CLV_TVS].len > 0 ? (int)i : -2;
		else
			kk = old->r[i].fn != CTL_FN_TVS ? -2 : tvs_node(w, &old->r[i], nw);
		if (kk == -2 || (kk >= 0 && ok[kk]))
			continue;
		if (vouches(nw, w, kk, old->kind == PHONE_CTL ? &w->v[i].unit[CLV_TVS] :
		    &old->r[i].cert, notes, size) && kk >= 0) {
			ok[kk] = 1;
			first = first < 0 ? kk : first;
		}
	}
	if (ok != NULL && home >= 0 && ok[home])
		first = home;
	for (g = 0; ok != NULL && g < cluster_ngroups(c); g++) {
		for (k = 0; k < c->n && !(cluster_in_group(c, k, g) && ok[k]); k++)
			continue;
		if (k < c->n)
			continue;
		n = strlen(v->stranded);
		snprintf(v->stranded + n, sizeof(v->stranded) - n, "%s%s", n > 0 ? ", " : "",
		    cluster_group_name(c, g));
	}
	if (ok == NULL)
		snprintf(v->stranded, sizeof(v->stranded), "(out of memory)");
	else if (first >= 0 && v->stranded[0] == '\0') {
		v->accepted = 1;
		v->path = "tvs";
		snprintf(v->via, sizeof(v->via), "%s", c->v[first].name);
	}
	free(ok);
}

void
phone_judge(const struct phone_itl *old, const struct phone_itl *nw, const struct clview *w,
    struct phone_verdict *v)
{
	char notes[384] = "", why[512];
	int d;

	memset(v, 0, sizeof(*v));
	v->record = v->function = v->ctlrec = v->ctlfn = -1;
	if ((d = direct(old, nw, v)) == 1) {
		v->accepted = 1;
		v->path = "direct";
		if (old->file == NULL && v->ctlrec < 0)
			snprintf(v->reason, sizeof(v->reason), "signed by a SAST certificate of "
			    "the old file");
		return;
	}
	if (d < 0 || w == NULL)
		return;
	snprintf(why, sizeof(why), "%s", v->reason);
	tvs_path(old, nw, w, phone_home(old, w), v, notes, sizeof(notes));
	if (v->accepted) {
		v->record = v->function = -1;
		v->notvs = nw->kind == PHONE_CTL;
		snprintf(v->reason, sizeof(v->reason), "signer %.120s is not a SAST record of the old "
		    "file; TVS %s, whose certificate the %s, trusts it%s", nw->signer_name,
		    v->via, old->kind == PHONE_CTL ? "phone's ITL holds" : "old file holds",
		    v->notvs ? "; only phones with Security by Default take it: devices without "
		    "TVS (CTI/JTAPI/TSP clients, some Jabber and older 79x0 models, TelePresence) "
		    "reject it: remove their CTL, or serve the recovery CTL (utils ctl reset "
		    "localkey)" : "");
		return;
	}
	snprintf(v->reason, sizeof(v->reason), "%.150s (signer %.100s); %.150s%s%.60s", why,
	    nw->signer_name[0] != '\0' ? nw->signer_name : "unknown",
	    notes[0] != '\0' ? notes : "the old file holds no TVS certificate",
	    v->stranded[0] != '\0' ? "; stranded groups: " : "", v->stranded);
}

int
phone_home(const struct phone_itl *l, const struct clview *w)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->r[i].fn == CTL_FN_TFTP || l->r[i].fn == CTL_FN_CCM_TFTP)
			return cluster_find(w->c, l->r[i].dns);
	return -1;
}

int
phone_judge_files(const struct ctl *old, const struct ctl *held, const struct ctl *nw,
    const struct clview *w, struct phone_verdict *v)
{
	struct phone_itl o, h, n;
	int rc = -1;

	memset(v, 0, sizeof(*v));
	memset(&h, 0, sizeof(h));
	memset(&n, 0, sizeof(n));
	v->record = v->function = v->ctlrec = v->ctlfn = -1;
	if (phone_itl_from_ctl(&o, old) == 0 && phone_itl_from_ctl(&n, nw) == 0 &&
	    (held == NULL || phone_itl_from_ctl(&h, held) == 0)) {
		o.ctl = held != NULL ? &h : NULL;
		phone_judge(&o, &n, w, v);
		rc = 0;
	}
	phone_itl_free(&o);
	phone_itl_free(&h);
	phone_itl_free(&n);
	return rc;
}
