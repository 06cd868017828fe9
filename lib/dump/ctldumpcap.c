/* ctldumpcap.c: ctl-dump --pcap: a capture's transfers listed, extracted, and each complete trust file shown and judged. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "cap/capture.h"
#include "cap/flow.h"
#include "core/afile.h"
#include "core/diag.h"
#include "core/json.h"
#include "core/out.h"
#include "dump/ctldump.h"
#include "tl/ctl.h"
#include "tl/sgn.h"

/*
 * A client's last complete ITL: its OLD for the next trust file it fetched (no --trust given).
 * Only the transfer is kept (its bytes are in the spill file): memory is a small entry per client.
 */
struct prev {
	struct flow	 f;
	const struct xfer *x;
};

struct run {
	struct ctldump	*d;
	struct xfer_list l;
	struct flow_tab	 prev;
	struct flow_tab	 names;	/* --extract: names written so far, for numbering */
};

static int
ends(const char *s, const char *suf)
{
	size_t n = strlen(s), sl = strlen(suf);
	const char *q = strchr(s, '?');

	if (q != NULL)
		n = (size_t)(q - s);
	return n >= sl && strncasecmp(s + n - sl, suf, sl) == 0;
}

/* Trust lists and signed files are shown; configuration files only listed and extracted. */
static int
shown(const struct xfer *x)
{
	return x->state == XFER_DONE && !x->capped && (ends(x->name, ".tlv") || ends(x->name, ".sgn"));
}

static void
when(const struct xfer *x, char *buf, size_t size)
{
	time_t t = (time_t)x->sec;
	struct tm tm;
	char s[32];

	gmtime_r(&t, &tm);
	strftime(s, sizeof(s), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, size, "%s.%06ldZ", s, x->usec);
}

static void
line(struct run *r, const struct xfer *x, const char *written)
{
	char t[48], c[64], s[64], st[160];
	FILE *fp = r->d->out;

	when(x, t, sizeof(t));
	pkt_endpoint(c, sizeof(c), x->v6, x->caddr, x->cport);
	pkt_endpoint(s, sizeof(s), x->v6, x->saddr, x->sport);
	fprintf(fp, "#%zu\t%s\t%s\t%s\t%s\t", x->idx, t, c, s, x->proto == XFER_TFTP ? "TFTP" : "HTTP");
	out_str(fp, x->name);
	fprintf(fp, "\t%llu\t%s", x->total, xfer_state_text(x, st, sizeof(st)));
	if (written != NULL) {
		fputc('\t', fp);
		out_str(fp, written);
	}
	fputc('\n', fp);
}

/* The file name of a transfer in DIR: its last path part, query dropped, safe bytes only. */
static void
safe_name(const char *name, char *out, size_t size)
{
	const char *b = name, *p;
	size_t n = 0;

	for (p = name; *p != '\0' && *p != '?'; p++)
		if (*p == '/' || *p == '\\')
			b = p + 1;
	for (p = b; *p != '\0' && *p != '?' && n + 1 < size && n < 100; p++, n++)
		out[n] = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || (*p == '.' && n > 0) ?
		    *p : '_';
	if (n == 0)
		out[n++] = '_';
	out[n] = '\0';
}

struct nm {
	struct flow	 f;
	unsigned	 n;
};

static void
nm_free(struct flow *f, void *arg)
{
	(void)arg;
	free(f);
}

/* How many times this safe name was written: a counter in the names table. */
static unsigned
seen(struct run *r, const char *name)
{
	struct nm *e;
	uint8_t key[FLOW_KEYMAX];
	size_t kl = strlen(name) < FLOW_KEYMAX ? strlen(name) : FLOW_KEYMAX;

	/* names longer than a key share counters by their first bytes: numbering stays unique */
	memcpy(key, name, kl);
	if ((e = (struct nm *)flow_find(&r->names, key, kl)) == NULL) {
		if ((e = calloc(1, sizeof(*e))) == NULL || flow_add(&r->names, &e->f, key, kl) != 0) {
			free(e);
			return 0;
		}
	}
	return ++e->n;
}

static int
extract(struct run *r, struct xfer *x, const uint8_t *buf, size_t len)
{
	char base[128], rel[160], *full;
	unsigned n;
	int rc, done;

	safe_name(x->name, base, sizeof(base));
	if ((n = seen(r, base)) == 0) {
		warnf("%s: out of memory", x->name);
		return -1;
	}
	done = x->state == XFER_DONE && !x->capped;
	if (n > 1)
		snprintf(rel, sizeof(rel), "%s.%u%s", base, n, done ? "" : ".incomplete");
	else
		snprintf(rel, sizeof(rel), "%s%s", base, done ? "" : ".incomplete");
	if ((full = malloc(strlen(r->d->xdir) + strlen(rel) + 2)) == NULL)
		return -1;
	sprintf(full, "%s/%s", r->d->xdir, rel);
	rc = afile_write(full, buf, len, 0644, r->d->force);
	free(full);
	if (rc != 0)
		return -1;
	line(r, x, rel);
	return 0;
}

static void
prev_free(struct flow *f, void *arg)
{
	(void)arg;
	free(f);
}

/* Remember x as its client's newest ITL when it is one (the header says so). */
static void
remember(struct run *r, const struct xfer *x, const uint8_t *buf, size_t len)
{
	uint8_t key[FLOW_KEYMAX];
	struct prev *p;
	size_t kl = flow_key(key, x->v6, x->caddr, 0, NULL, 0);
	struct ctl c;
	int itl;

	itl = ctl_parse_header(&c, buf, len) == 0 && !c.damaged && sgn_kind(&c) == SGN_NONE &&
	    ctl_is_itl(&c, x->name);
	ctl_free(&c);
	if (!itl)
		return;
	if ((p = (struct prev *)flow_find(&r->prev, key, kl)) == NULL) {
		if ((p = calloc(1, sizeof(*p))) == NULL || flow_add(&r->prev, &p->f, key, kl) != 0) {
			free(p);
			return;
		}
	}
	p->x = x;
}

/* The client's previous ITL, parsed into *c from the spill file (*buf to free), or -1. */
static int
previous(struct run *r, const struct xfer *x, uint8_t **buf, struct ctl *c, char *label,
    size_t size)
{
	uint8_t key[FLOW_KEYMAX];
	struct prev *p;
	size_t len;

	p = (struct prev *)flow_find(&r->prev, key, flow_key(key, x->v6, x->caddr, 0, NULL, 0));
	if (p == NULL || (*buf = xfer_read(&r->l, p->x, &len)) == NULL)
		return -1;
	if (ctl_parse(c, *buf, len) != 0 || c->damaged) {
		ctl_free(c);
		free(*buf);
		return -1;
	}
	snprintf(label, size, "#%zu:%s", p->x->idx, p->x->name);
	return 0;
}

/* Show one complete file; without --trust, judged against the client's previous ITL. */
static int
show(struct run *r, const struct xfer *x, const uint8_t *buf, size_t len)
{
	struct ctldump *d = r->d;
	struct ctl keep = d->old, pc;
	uint8_t *pbuf = NULL;
	char name[256], label[256];
	int rc, prev = 0;

	if (d->oldpath == NULL)
		prev = previous(r, x, &pbuf, &pc, label, sizeof(label)) == 0;
	snprintf(name, sizeof(name), "#%zu:%s", x->idx, x->name);
	if (d->mode == CTLDUMP_SHOW) {
		fputs("\n== ", d->out);
		out_str(d->out, name);
		fputs("\n", d->out);
	}
	if (prev) {
		d->old = pc;
		d->oldpath = label;
	}
	rc = ctldump_mem(d, name, buf, len);
	if (prev) {
		d->old = keep;
		d->oldpath = NULL;
		ctl_free(&pc);
		free(pbuf);
	}
	return rc;
}

static void
json_xfer(struct run *r, const struct xfer *x)
{
	struct json *j = &r->d->js;
	char t[48], e[64], st[160];

	json_obj(j);
	json_head(j);
	json_kint(j, "transfer", (long long)x->idx);
	when(x, t, sizeof(t));
	json_kstr(j, "time", t);
	pkt_endpoint(e, sizeof(e), x->v6, x->caddr, x->cport);
	json_kstr(j, "client", e);
	pkt_endpoint(e, sizeof(e), x->v6, x->saddr, x->sport);
	json_kstr(j, "server", e);
	json_kstr(j, "protocol", x->proto == XFER_TFTP ? "tftp" : "http");
	json_kstr(j, "file", x->name);
	json_kint(j, "bytes", (long long)x->total);
	json_kbool(j, "complete", x->state == XFER_DONE && !x->capped);
	json_kstr(j, "state", xfer_state_text(x, st, sizeof(st)));
	json_key(j, "content");
}

/* One transfer in the chosen view; the exit status it adds. */
static int
one(struct run *r, struct xfer *x)
{
	struct ctldump *d = r->d;
	uint8_t *buf;
	size_t len;
	int rc = EXIT_OK;

	if ((buf = xfer_read(&r->l, x, &len)) == NULL) {
		warnf("%s: the temporary file:", x->name);
		return EXIT_TROUBLE;
	}
	if (d->mode == CTLDUMP_EXTRACT)
		rc = extract(r, x, buf, len) != 0 ? EXIT_TROUBLE : EXIT_OK;
	else if (d->mode == CTLDUMP_JSON) {
		json_xfer(r, x);
		if (shown(x))
			rc = show(r, x, buf, len);
		else
			json_null(&d->js);
		json_end(&d->js);
	} else if (shown(x))
		rc = show(r, x, buf, len);
	if (shown(x))
		remember(r, x, buf, len);
	free(buf);
	return rc;
}

int
ctldump_capture(struct ctldump *d, const char *path)
{
	struct run r;
	size_t i;
	int rc, v;

	memset(&r, 0, sizeof(r));
	r.d = d;
	if ((rc = capture_read(path, &r.l)) < 0) {
		xfer_free(&r.l);
		return EXIT_TROUBLE;
	}
	rc = rc > 0 ? EXIT_TROUBLE : EXIT_OK;
	if (d->mode == CTLDUMP_SHOW || d->mode == CTLDUMP_BRIEF || d->mode == CTLDUMP_CERTS)
		for (i = 0; i < r.l.n; i++)
			line(&r, r.l.v[i], NULL);
	for (i = 0; i < r.l.n; i++)
		if ((v = one(&r, r.l.v[i])) > rc)
			rc = v;
	flow_each(&r.prev, prev_free, NULL);
	flow_free(&r.prev);
	flow_each(&r.names, nm_free, NULL);
	flow_free(&r.names);
	xfer_free(&r.l);
	return rc;
}
