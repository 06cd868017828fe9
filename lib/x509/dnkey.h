/* dnkey.h: a DER Name's key for a cheap "surely not the same name" before X509_NAME_cmp. */
#ifndef CTK_DNKEY_H
#define CTK_DNKEY_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

/*
 * Append to out (emptied first) the key of the DER Name der[0..len): its RDN
 * structure, attribute types, and the ASCII letters and digits of each value
 * (lower-cased, string types read per character: BMPString two bytes,
 * UniversalString four). Two names OpenSSL's X509_NAME_cmp calls equal (its
 * canonical form: UTF-8, case and white space folded) have equal keys, so
 * different keys mean different names; equal keys mean "ask X509_NAME_cmp".
 * 0, or -1 when the Name does not decode (ask X509_NAME_cmp then too).
 */
int dnkey_make(const uint8_t *der, size_t len, struct buf *out);

#endif
