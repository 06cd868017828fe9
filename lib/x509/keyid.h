/* keyid.h: a certificate's subject and authority key identifiers, straight from its DER. */
#ifndef CTK_KEYID_H
#define CTK_KEYID_H

#include "x509/der.h"

/*
 * The keyIdentifier octets of c's subjectKeyIdentifier (*ski) and of its
 * authorityKeyIdentifier (*aki); a span is empty (len 0) when the extension,
 * or the keyIdentifier in it, is absent or malformed. Never fails, never allocates:
 * the identifiers only narrow a search, the signature decides.
 */
void keyid_get(const struct der_cert *c, struct der_span *ski, struct der_span *aki);

#endif
