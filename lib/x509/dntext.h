/* dntext.h: RFC 4514 text of a DER Name, straight from the bytes (no X509_NAME built). */
#ifndef CTK_DNTEXT_H
#define CTK_DNTEXT_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

/*
 * Append the RFC 4514 string of the DER Name at der[0..len) to out, then a NUL
 * (not counted in out->len). Last RDN first, OpenSSL's short names (CN, O, OU,
 * emailAddress...), other types as dotted OIDs with #hex values. RFC 4514
 * special characters are escaped with '\', control bytes and invalid UTF-8 as
 * \xNN (as out_text does), so the text is safe for a terminal, TSV or JSON.
 * 0, or -1 when the Name does not decode or memory runs out.
 */
int dntext_format(const uint8_t *der, size_t len, struct buf *out);

#endif
