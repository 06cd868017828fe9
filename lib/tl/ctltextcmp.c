/* ctltextcmp.c: "is this node serving the file I hold?", from a show itl / show ctl capture. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/hash.h"
#include "core/out.h"
#include "tl/ctltextcmp.h"

const struct ctltext_list *
ctltextcmp_pick(const struct ctltext *t, int itl)
{
	size_t i;

	for (i = t->nlists; i-- > 0;)
		if (t->lists[i].itl == itl)
			return &t->lists[i];
	return NULL;
}

static const struct ctltext_rec *
find(const struct ctltext *t, const struct ctltext_list *l, size_t num)
{
	size_t i;

	for (i = 0; i < l->nrecs; i++)
		if (t->recs[l->rec + i].num == num)
			return &t->recs[l->rec + i];
	return NULL;
}

/* p as CUCM prints a serial ("AA:BB"), cut to fit buf. */
static const char *
colons(char *buf, size_t n, const uint8_t *p, size_t len)
{
	size_t k = (n - 1) / 3 < len ? (n - 1) / 3 : len;

	return out_hex(buf, p, k, 1, ':');
}

/* The issuer as ctlshow prints it (escaped): a capture of ctl-dump's output holds that text. */
static int
issuer_differs(const struct tlv *f, struct ctltext_span s, int *oom)
{
	char *text = NULL;
	size_t len = 0;
	FILE *fp;
	int d;

	if ((fp = open_memstream(&text, &len)) == NULL) {
		*oom = 1;
		return 1;
	}
	out_text(fp, f->val, ctl_strlen(f));
	if (fclose(fp) != 0) {
		*oom = 1;
		free(text);
		return 1;
	}
	d = len != s.n || memcmp(text, s.p, len) != 0;
	free(text);
	return d;
}

/* The first field of record fr (the file's) that cr (the capture's) lists otherwise. */
static int
rec_differs(const struct ctl_rec *fr, const struct ctltext_rec *cr, char *why, size_t n,
    int *oom)
{
	const struct tlv *fs = &fr->f[CTL_R_SERIAL], *fi = &fr->f[CTL_R_ISSUER],
	    *fc = &fr->f[CTL_R_CERT];
	uint8_t sha1[HASH_MAX];
	char a[64], b[64], ra[32], rb[32];

	if (fr->function != cr->function) {
		snprintf(why, n, "role %s in the capture, %s in the file",
		    cr->function >= 0 ? ctl_role_text(cr->function, ra, sizeof(ra)) : "none",
		    fr->function >= 0 ? ctl_role_text(fr->function, rb, sizeof(rb)) : "none");
		return 1;
	}
	if ((fs->val != NULL) != cr->has_serial || (cr->has_serial && (fs->len != cr->serlen ||
	    memcmp(fs->val, cr->serial, fs->len) != 0))) {
		snprintf(why, n, "serial %s in the capture, %s in the file",
		    cr->has_serial ? colons(a, sizeof(a), cr->serial, cr->serlen) : "none",
		    fs->val != NULL ? colons(b, sizeof(b), fs->val, fs->len) : "none");
		return 1;
	}
	if ((fi->val != NULL) != (cr->issuer.p != NULL) ||
	    (fi->val != NULL && issuer_differs(fi, cr->issuer, oom))) {
		snprintf(why, n, "another issuer name");
		return 1;
	}
	if ((fc->val != NULL) != cr->has_sha1 || (fc->val != NULL &&
	    (hash_buf("sha1", fc->val, fc->len, sha1) != 20 || memcmp(sha1, cr->sha1, 20) != 0))) {
		snprintf(why, n, "another certificate (its SHA-1 differs)");
		return 1;
	}
	return 0;
}

/* The file's MD5 and SHA-1 against the capture's checksum lines. */
static int
sums_differ(const struct ctltext_list *l, const struct ctl *c, char *why, size_t n)
{
	uint8_t md5[HASH_MAX], sha1[HASH_MAX];

	if (!l->has_md5 || !l->has_sha1) {
		snprintf(why, n, "the capture has no %s checksum line", l->has_md5 ? "SHA-1" : "MD5");
		return 1;
	}
	if (hash_buf("md5", c->buf, c->len, md5) != 16 || memcmp(md5, l->md5, 16) != 0) {
		snprintf(why, n, "the file's MD5 is not the capture's");
		return 1;
	}
	if (hash_buf("sha1", c->buf, c->len, sha1) != 20 || memcmp(sha1, l->sha1, 20) != 0) {
		snprintf(why, n, "the file's SHA-1 is not the capture's");
		return 1;
	}
	return 0;
}

int
ctltextcmp(const struct ctltext *t, const struct ctltext_list *l, const struct ctl *c,
    char *why, size_t n)
{
	const struct ctltext_rec *cr;
	char rb[32], d[160];
	size_t i;
	int oom = 0;

	for (i = 0; i < c->nrecs; i++) {
		if ((cr = find(t, l, i + 1)) == NULL) {
			snprintf(why, n, "record #%zu (%s): not in the capture", i + 1,
			    ctl_role_text(c->recs[i].function, rb, sizeof(rb)));
			return 1;
		}
		if (rec_differs(&c->recs[i], cr, d, sizeof(d), &oom)) {
			snprintf(why, n, "record #%zu (%s): %s", i + 1,
			    ctl_role_text(c->recs[i].function, rb, sizeof(rb)), d);
			return oom ? -1 : 1;
		}
	}
	for (i = 0; i < l->nrecs; i++)
		if (t->recs[l->rec + i].num > c->nrecs) {
			snprintf(why, n, "record #%zu: in the capture, not in the file",
			    t->recs[l->rec + i].num);
			return 1;
		}
	return sums_differ(l, c, why, n);
}
