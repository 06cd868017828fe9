/* ctlwritestream.h: a CTL/ITL written to a file as its records are made, hashed on the way. */
#ifndef CTK_CTLWRITESTREAM_H
#define CTK_CTLWRITESTREAM_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "tl/ctl.h"
#include "tl/ctlwrite.h"

struct ctlws {
	int			 fd;		/* the file (read-write), written from offset 0 */
	struct ctlw_opts	 o;		/* o.signer: the signing record, once seen */
	const struct ctlw_key	*k;
	const uint8_t		*want;		/* the signer's certificate, or NULL: any */
	size_t			 wantlen;
	int			 found;		/* 1: the signer is seen, the header out; -1: see why */
	EVP_MD_CTX		*md;		/* the file minus SIGNATURE, so far */
	size_t			 sigoff;	/* the SIGNATURE tag's offset in the file */
	size_t			 len;		/* bytes written */
	int			 err;		/* errno of a failed write, 0 */
	const char		*why;		/* the header could not be made: why */
	int			 hold;		/* ctlws_hold: the records stay in w->recs */
	uint8_t			*map;		/* the file read back (mapped or read) */
	int			 mapped;
};

/*
 * Make w stream into fd: records are buffered only until the signing record
 * (the first SAST record whose certificate holds k's key and, with want, is
 * want[0..wantlen)) is added; then the header goes out, and the records with
 * it in pieces of a few pages, each hashed as it is written. o, k and want
 * are borrowed until ctlws_end. 0, or -1 (out of memory).
 */
int ctlws_begin(struct ctlws *s, struct ctlw *w, int fd, const struct ctlw_opts *o,
    const struct ctlw_key *k, const uint8_t *want, size_t wantlen);
/*
 * The rest out, the signature put in place (pwrite: the header's size was
 * fixed before the records), the file read back and checked as a phone would:
 * it parses into c, borrowing s's copy (ctl_free it in any case), and its
 * header names the signing record. 0; 1: no record is the signer (nothing
 * said); -1 with *why a static reason, or with *why NULL and errno set when a
 * write failed. The bytes stay readable at s->map until ctlws_free.
 */
int ctlws_end(struct ctlws *s, struct ctlw *w, struct ctl *c, const char **why);
/*
 * Keep the records in w->recs from now on (hold 1: for code that looks back
 * at the records it added, as itlstore's duplicates), or let them go (0).
 * Nothing without a stream.
 */
void ctlws_hold(struct ctlw *w, int hold);
void ctlws_free(struct ctlws *s);

#endif
