/* itlspec.h: itl-build's record arguments, CERT[,dns=NAME][,ip=A.B.C.D], and loading them. */
#ifndef CTK_ITLSPEC_H
#define CTK_ITLSPEC_H

#include <stdint.h>

#include "tl/ctlwrite.h"

struct itlspec {
	int		 fn;		/* FUNCTION code */
	char		*file;		/* malloc'd; dns points into the same allocation */
	const char	*dns;		/* NULL: no DNSNAME tag */
	int		 hasip;		/* 0: no IPADDRESS tag */
	uint8_t		 ip[4];
};

/*
 * Parse arg for role fn. The file name ends at the first ",dns=" or ",ip=", so
 * names with other commas stay whole. 0, or -1 with *why a static reason.
 * itlspec_free() in either case.
 */
int itlspec_parse(struct itlspec *s, int fn, const char *arg, const char **why);
/* The same for "N=CERT[,...]", N a FUNCTION code (0-65535) or a role name. */
int itlspec_parse_role(struct itlspec *s, const char *arg, const char **why);
void itlspec_free(struct itlspec *s);
/*
 * Append one record per certificate of s->file ("-" = stdin; PEM bundle, DER,
 * PKCS#7, PKCS#12) to w. 0, or -1 after a diagnostic naming the file.
 */
int itlspec_add(struct ctlw *w, const struct itlspec *s);

#endif
