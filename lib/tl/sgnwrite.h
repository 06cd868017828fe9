/* sgnwrite.h: write signed TFTP files (.sgn 1.0, .enc.sgn 2.0) in CUCM's or certutils' layout. */
#ifndef CTK_SGNWRITE_H
#define CTK_SGNWRITE_H

#include <stddef.h>
#include <stdint.h>

#include "core/afbatch.h"
#include "core/buf.h"
#include "core/json.h"
#include "tl/ctlwrite.h"

struct sgnw_signer {
	const uint8_t	*der;		/* borrowed: the signer's DER certificate */
	size_t		 len;
	char		*subject, *issuer;	/* its names as the header writes them */
	const uint8_t	*serial;	/* minimal unsigned bytes, borrowed from der */
	size_t		 nserial;
	int		 layout;	/* CTLW_CUCM or CTLW_CERTUTILS: names and signer block order */
};

/*
 * Prepare the signer der[0..len) (borrowed) for any number of files: names in
 * layout's form (CTLW_CUCM: "CN=..;OU=.."; CTLW_CERTUTILS: RFC 4514 text
 * joined by commas, the signer block 04 06 05), and check that k holds its key. 0, or -1 with *why.
 * sgnw_signer_free() in either case.
 */
int sgnw_signer_init(struct sgnw_signer *s, const uint8_t *der, size_t len, int layout,
    const struct ctlw_key *k, const char **why);
void sgnw_signer_free(struct sgnw_signer *s);
/*
 * The signed file for payload p[0..n) into out (emptied first): version 1.0,
 * no signer-version tag, FILENAME o->filename, TIMESTAMP, digest and modulus
 * codes from o, padding to a multiple of 4, signed by k. Then read back as a
 * phone would: it parses into c (borrowing out; ctl_free it in any case), its
 * header names the signer, and the signature verifies. 0, or -1 with *why.
 */
int sgnw_sign(const struct sgnw_signer *s, const struct ctlw_opts *o,
    const struct ctlw_key *k, const uint8_t *p, size_t n, struct buf *out, struct ctl *c,
    const char **why);

/*
 * Sign the file in ("-" = stdin) into out (NULL: in + ".sgn"; "-": stdout),
 * atomically, replacing an existing file only when force is set; dryrun
 * builds and checks but writes nothing. FILENAME is out's base name (in's +
 * ".sgn" when out is stdout). j, when not NULL, gets the file's JSON summary.
 * ab, when not NULL, writes through it (a run of many files: afbatch_end syncs
 * their directories). 0, or -1 after one diagnostic naming the file.
 */
int sgnw_file(const struct sgnw_signer *s, const struct ctlw_opts *o,
    const struct ctlw_key *k, const char *in, const char *out, int force, int dryrun,
    struct json *j, struct afbatch *ab);

#endif
