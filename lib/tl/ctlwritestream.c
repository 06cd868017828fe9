/*
 * ctlwritestream.c: the records go to the file as they are made, through a
 * buffer of a few pages used over and over: at 500 records the file's own
 * pages in memory (fresh pages, each a page fault) cost more than signing it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/hash.h"
#include "core/io.h"
#include "tl/ctlwritestream.h"

/*
 * Records are written out in pieces of about this size, from a buffer made
 * once with room for a piece and a few records: below malloc's mmap threshold
 * (128 KiB), so its pages go back to the heap for the check's parse.
 */
#define CTLWS_PIECE	((size_t)48 << 10)
#define CTLWS_ROOM	((size_t)112 << 10)

/* Write p[0..n) at the end of the file; a failure is kept in s->err and told at the end. */
static void
put(struct ctlws *s, const uint8_t *p, size_t n)
{
	if (s->err != 0)
		return;
	if (io_writeall(s->fd, p, n) != 0)
		s->err = errno;
	else
		s->len += n;
}

/* The records buffered so far out and hashed; the buffer is emptied, its pages kept. */
static const char *
flush(struct ctlws *s, struct ctlw *w)
{
	if (w->recs.len == 0)
		return NULL;
	if (EVP_DigestUpdate(s->md, w->recs.p, w->recs.len) != 1)
		return "the digest failed";
	put(s, w->recs.p, w->recs.len);	/* a write error is told at the end */
	w->base += w->recs.len;
	w->recs.len = 0;
	return NULL;
}

/* The signer is record i: the header (signature zeros) out and hashed, then the records so far. */
static const char *
start(struct ctlws *s, struct ctlw *w, size_t i)
{
	struct buf h = BUF_ZERO;
	struct tlv id[3];
	size_t sigend;
	const char *why;

	s->o.signer = i;
	if ((why = ctlw_signer_id(w, i, id)) != NULL ||
	    ctlw_header(&h, w->layout, &s->o, id, s->k, &s->sigoff, &why) != 0) {
		buf_drop(&h);
		return why;
	}
	/* the signed bytes: the file with the SIGNATURE TLV cut out, not zeroed */
	sigend = s->sigoff + 3 + s->k->sigbytes;
	if (EVP_DigestInit_ex(s->md, hash_md(s->o.digest), NULL) != 1 ||
	    EVP_DigestUpdate(s->md, h.p, s->sigoff) != 1 ||
	    EVP_DigestUpdate(s->md, h.p + sigend, h.len - sigend) != 1)
		why = "the digest failed";
	else
		put(s, h.p, h.len);
	buf_drop(&h);	/* public bytes */
	s->found = 1;
	return why != NULL || s->hold ? why : flush(s, w);
}

/* ctlw's hook after each record: is it the signer, and is a piece ready? */
static int
added(struct ctlw *w, size_t i, const char **why)
{
	struct ctlws *s = w->stream;
	const struct ctlw_rec *r = &w->rv[i];
	const uint8_t *der;

	*why = NULL;
	if (s->found == 0 && r->function == CTL_FN_SAST && r->certlen != 0) {
		/* ctlw_find_signer's rule, asked of each record as it comes */
		der = w->recs.p + (r->cert - w->base);
		/* a header that cannot be made is the key's trouble: told by ctlws_end */
		if ((s->want == NULL || (s->wantlen == r->certlen &&
		    memcmp(s->want, der, r->certlen) == 0)) &&
		    ctlw_key_matches(s->k, der, r->certlen) &&
		    (s->why = start(s, w, i)) != NULL)
			s->found = -1;
	} else if (s->found > 0 && !s->hold && w->recs.len >= CTLWS_PIECE)
		*why = flush(s, w);
	return *why == NULL ? 0 : -1;
}

int
ctlws_begin(struct ctlws *s, struct ctlw *w, int fd, const struct ctlw_opts *o,
    const struct ctlw_key *k, const uint8_t *want, size_t wantlen)
{
	memset(s, 0, sizeof(*s));
	s->fd = fd;
	s->o = *o;
	s->k = k;
	s->want = want;
	s->wantlen = wantlen;
	if ((s->md = EVP_MD_CTX_new()) == NULL)
		return -1;
	if (w->recs.len < CTLWS_ROOM)	/* one allocation; a record over it grows it as ever */
		(void)buf_reserve(&w->recs, CTLWS_ROOM - w->recs.len);
	w->added = added;
	w->stream = s;
	return 0;
}

/* The file written, read back into s->map: mapped (its pages are the page cache's), else read. */
static const char *
readback(struct ctlws *s)
{
	void *m;

	if ((m = mmap(NULL, s->len, PROT_READ, MAP_SHARED, s->fd, 0)) != MAP_FAILED) {
		s->map = m;
		s->mapped = 1;
		return NULL;
	}
	if ((s->map = malloc(s->len)) == NULL)
		return "out of memory";
	if (io_preadall(s->fd, s->map, s->len, 0) != 0)
		return "the file written does not read back";
	return NULL;
}

int
ctlws_end(struct ctlws *s, struct ctlw *w, struct ctl *c, const char **why)
{
	uint8_t dg[EVP_MAX_MD_SIZE], *sig = NULL;
	unsigned int dglen = 0;

	memset(c, 0, sizeof(*c));
	w->added = NULL;
	w->stream = NULL;
	if (s->found == 0)
		return 1;
	if ((*why = s->why) != NULL || (*why = flush(s, w)) != NULL)
		return -1;
	if (s->err != 0) {
		errno = s->err;
		return -1;
	}
	buf_drop(&w->recs);	/* all out: its pages serve the parse below */
	if (EVP_DigestFinal_ex(s->md, dg, &dglen) != 1) {
		*why = "the digest failed";
		return -1;
	}
	if ((sig = malloc(s->k->sigbytes)) == NULL) {
		*why = "out of memory";
		return -1;
	}
	if ((*why = ctlw_sign_md(sig, &s->o, s->k, dg, dglen)) != NULL) {
		free(sig);
		return -1;
	}
	if (io_pwriteall(s->fd, sig, s->k->sigbytes, (off_t)(s->sigoff + 3)) != 0)
		s->err = errno;
	free(sig);
	if (s->err != 0) {
		errno = s->err;
		return -1;
	}
	/* Check the file as a phone would: it parses and its header names the signer. */
	if ((*why = readback(s)) != NULL)
		return -1;
	if (ctl_parse(c, s->map, s->len) != 0)
		*why = "the file built does not parse";
	else if (ctl_find_signer(c) != (int)s->o.signer)
		*why = "the header names another SAST record (same serial and issuer)";
	return *why == NULL ? 0 : -1;
}

void
ctlws_hold(struct ctlw *w, int hold)
{
	if (w->stream != NULL)
		((struct ctlws *)w->stream)->hold = hold;
}

void
ctlws_free(struct ctlws *s)
{
	EVP_MD_CTX_free(s->md);
	s->md = NULL;
	if (s->mapped)
		munmap(s->map, s->len);
	else
		free(s->map);	/* public bytes */
	s->map = NULL;
	s->mapped = 0;
}
