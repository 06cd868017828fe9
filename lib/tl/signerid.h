/* signerid.h: which record names a file's signer (serial, issuer in one canonical form), and whether its two keys agree. */
#ifndef CTK_SIGNERID_H
#define CTK_SIGNERID_H

#include <stddef.h>
#include <stdint.h>

#include "tl/ctl.h"

/*
 * 1 when the issuer text t (a header's CANAME) names the issuer of the record
 * holding the certificate der[0..len) (its DER issuer, when der parses) or,
 * without a certificate, the record's ISSUERNAME text: compared as attribute
 * types and values (cucmname_eq), whatever the separator, quoting, escaping
 * or order. An absent t matches (the serial decides).
 */
int signerid_issuer_is(const struct tlv *t, const struct tlv *text, const uint8_t *der,
    size_t len);
/* 1 when record r names the signer of f (f's header SERIALNUMBER and CANAME). */
int signerid_names(const struct ctl_rec *r, const struct ctl *f);
/* What signerid_split_key returns (callers add which record). */
extern const char signerid_split[];
/*
 * NULL when record r's PUBLICKEY (if it has one that decodes) is the key of
 * its CERTIFICATE (if it has one), else the static reason: a record whose two
 * keys differ verifies with one key and is vouched for by TVS with the other:
 * signerid_split.
 */
const char *signerid_split_key(const struct ctl_rec *r);

#endif
