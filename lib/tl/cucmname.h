/* cucmname.h: certificate names in the text form CTL/ITL files carry (CUCM's or certutils'). */
#ifndef CTK_CUCMNAME_H
#define CTK_CUCMNAME_H

#include <stddef.h>
#include <stdint.h>

enum {
	CUCMNAME_CUCM,		/* "CN=..;OU=..;O=..;L=..;ST=..;C=..", then others in DER order */
	CUCMNAME_DER,		/* certutils' tlvfile: every attribute in DER order, comma-separated */
	CUCMNAME_SGNFILE,	/* certutils' sgnfile before 2024-08: DER order, ';', each attribute RFC 4514 */
	CUCMNAME_CERTUTILS	/* certutils today (d9db03e), trust lists and signed files: as SGNFILE, ',' */
};

/*
 * The DER Name at der[0..len) as text in the given form. CUCM's form puts CN,
 * OU, O, L, ST, C first in that order (a repeated attribute keeps its DER
 * order), then every other attribute in DER order by its OpenSSL short name (a
 * dotted OID when it has none). Values are UTF-8, unescaped, as CUCM writes
 * them (BMP, Universal and T61 strings converted). The sgnfile form is what
 * Python's cryptography writes for each attribute (NameAttribute.rfc4514_string:
 * CN, L, ST, O, OU, C, STREET, DC, UID, else the dotted OID; values escaped)
 * joined by ';' in DER order; the certutils form is the same joined by ','
 * (what tlvfile, sgnfile and enccnf write since "Combine field building calls"). Returns a malloc'd string
 * the caller frees, or NULL with *why a static reason (the Name does not
 * decode, a value holds a NUL byte ...). No diagnostics.
 */
char *cucmname(const uint8_t *der, size_t len, int form, const char **why);

/*
 * 1 when the name texts a[0..na) and b[0..nb) name the same attributes, in
 * any order and either form (';' or ',' between them, RFC 4514 escapes and
 * quotes undone, type names in any case); 0 otherwise.
 */
int cucmname_eq(const uint8_t *a, size_t na, const uint8_t *b, size_t nb);

#endif
