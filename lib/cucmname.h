/* cucmname.h: certificate names in the text form CTL/ITL files carry (CUCM's or certutils'). */
#ifndef CTK_CUCMNAME_H
#define CTK_CUCMNAME_H

#include <openssl/x509.h>

enum {
	CUCMNAME_CUCM,		/* "CN=..;OU=..;O=..;L=..;ST=..;C=..", then others in DER order */
	CUCMNAME_DER		/* certutils: every attribute in DER order, comma-separated */
};

/*
 * name as text in the given form. CUCM's form puts CN, OU, O, L, ST, C first in
 * that order (a repeated attribute keeps its DER order), then every other
 * attribute in DER order by its OpenSSL short name (a dotted OID when it has
 * none). Values are UTF-8, unescaped, as CUCM writes them. Returns a malloc'd
 * string the caller frees, or NULL with *why a static reason (a value holding
 * a NUL byte or not convertible to UTF-8, out of memory). No diagnostics.
 */
char *cucmname(const X509_NAME *name, int form, const char **why);

#endif
