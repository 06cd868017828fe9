/* regenimport.h: what CUCM checks before it accepts a CA-signed certificate (--import). */
#ifndef CTK_REGENIMPORT_H
#define CTK_REGENIMPORT_H

#include <stdint.h>

#include <openssl/x509.h>

/* Append the certificates of file (--chain) to chain. 0 or -1 (diagnosed). */
int regenimport_chain(STACK_OF(X509) *chain, const char *file);
/*
 * Refuse leaf (from file, for messages) when it is not valid at now, or when
 * its issuer chain is neither in STORE/trustunit nor in chain (which goes to
 * that trust store in the same change): CUCM requires the CA chain in the
 * unit's trust store first. A self-signed leaf needs no chain. 0, or -1 after
 * a diagnostic giving the reason and the way out.
 */
int regenimport_check(X509 *leaf, STACK_OF(X509) *chain, const char *store,
    const char *trustunit, int64_t now, const char *file);

#endif
