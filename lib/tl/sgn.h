/* sgn.h: signed TFTP files (.sgn, .enc.sgn; FORMAT.md section 7): parse, verify, the phone's rule. */
#ifndef CTK_SGN_H
#define CTK_SGN_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/types.h>

#include "tl/ctl.h"

/*
 * A signed file is the trust-list header (lib/tl/ctl.h parses it; version 1.0,
 * or 2.0 when the payload is encrypted) followed by the payload, not records:
 * c->buf[c->hdrlen .. c->len). The encryption fields are c->hf[CTL_H_IV ...].
 */
enum { SGN_NONE = 0, SGN_SIGNED = 1, SGN_ENCRYPTED = 2 };

struct sgn_verdict {
	int		 checked;	/* 0: no signer given: nothing was checked */
	int		 verified;	/* 1: the signature verifies (and the trust list accepts it) */
	int		 record;	/* 0-based record of the trust list naming the signer, or -1 */
	int		 function;	/* that record's FUNCTION, or -1 */
	const char	*error;		/* static reason when checked and not verified */
	const char	*src;		/* borrowed: the trust list or certificate checked against */
	int		 by_cert;	/* 1: src is a certificate (--signer), 0: a trust list */
	/* Judged as a phone of a cluster (lib/cucm/phonesgn): how it was accepted. */
	int		 cluster;	/* 1: path says how */
	const char	*path;		/* "direct", "tvs", or NULL when rejected */
	char		 via[64];	/* the TVS node that vouches, "" otherwise */
	char		 who[160];	/* the cluster's certificate that signed (tvs), "" otherwise */
	char		 why[512];	/* the text error points to when it is composed */
};

/* SGN_SIGNED or SGN_ENCRYPTED when c's header is a signed file's (version 1.0, 2.0), else SGN_NONE. */
int sgn_kind(const struct ctl *c);
/*
 * Parse buf (borrowed) as whatever it is: a trust list (ctl_parse) when the
 * header's FILENAME names one (CTL..., ITL...), else a signed file (the header
 * only) when its version is a signed file's, else a trust list. Returns
 * sgn_kind of the result (SGN_NONE: a trust list); c->damaged, c->err and
 * c->err_off say what is wrong and where. ctl_free(c) in any case.
 */
int sgn_parse_any(struct ctl *c, const uint8_t *buf, size_t len);
/*
 * NULL when the header's FILENAME and version name the same kind of file as
 * parsed (sgn_parse_any's result), else the static text saying how they
 * disagree: the caller says so and exits 2 rather than guess.
 */
const char *sgn_kind_clash(const struct ctl *c, int parsed);
/* The payload's offset and length (0, 0 while the header is damaged). */
size_t sgn_payload(const struct ctl *c, size_t *len);
/*
 * Check the signature of the signed file s with key (borrowed), the
 * certificate der[0..len) that holds it (its serial and issuer must be the
 * header's). Fills *v; returns v->verified.
 */
int sgn_verify_cert(const struct ctl *s, EVP_PKEY *key, const uint8_t *der, size_t len,
    struct sgn_verdict *v);
/*
 * Would a phone holding the trust list tl accept the signed file s? Its
 * signer, matched by serial and issuer (in either name form, never by the
 * subject text), must be a TFTP or CCM+TFTP record of tl whose key verifies
 * the signature (FORMAT.md section 7). Fills *v (v->error says why not:
 * signer unknown, signer only a SAST record, bad signature ...); returns
 * v->verified. The TVS path (CUCM.md "Clusters") is lib/cucm/phonesgn's.
 */
int sgn_accepts(const struct ctl *tl, const struct ctl *s, struct sgn_verdict *v);
/*
 * Who signed, as the text output and JSON say it: "TFTP record 3 of
 * ITLFile.tlv", the certificate's name, the cluster's certificate that a TVS
 * vouched for (v->who), or NULL when nothing names one.
 */
const char *sgn_signer_text(const struct sgn_verdict *v, char *buf, size_t n);
#endif
