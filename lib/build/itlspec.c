/* itlspec.c: a certificate named on the command line, with the DNSNAME and IPADDRESS of its record. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "build/itlspec.h"
#include "core/diag.h"
#include "core/io.h"
#include "load/certfile.h"

int
itlspec_parse(struct itlspec *s, int fn, const char *arg, const char **why)
{
	char *c, *tok, *p, *save;

	memset(s, 0, sizeof(*s));
	s->fn = fn;
	if ((s->file = strdup(arg)) == NULL) {
		*why = "out of memory";
		return -1;
	}
	for (p = s->file; (c = strchr(p, ',')) != NULL; p = c + 1)
		if (strncmp(c + 1, "dns=", 4) == 0 || strncmp(c + 1, "ip=", 3) == 0)
			break;
	if (c == NULL)
		return 0;
	*c = '\0';
	for (tok = strtok_r(c + 1, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		if (strncmp(tok, "dns=", 4) == 0)
			s->dns = tok + 4;
		else if (strncmp(tok, "ip=", 3) == 0 && inet_pton(AF_INET, tok + 3, s->ip) == 1)
			s->hasip = 1;
		else {
			*why = "want CERT[,dns=NAME][,ip=A.B.C.D]";
			return -1;
		}
	}
	return 0;
}

int
itlspec_parse_role(struct itlspec *s, const char *arg, const char **why)
{
	const char *eq = strchr(arg, '=');
	char num[16], *end;
	long v = -1;

	memset(s, 0, sizeof(*s));
	if (eq != NULL && (size_t)(eq - arg) < sizeof(num)) {
		memcpy(num, arg, (size_t)(eq - arg));
		num[eq - arg] = '\0';
		v = strtol(num, &end, 10);
		if (num[0] < '0' || num[0] > '9' || *end != '\0' || v > 65535)
			v = ctl_role_code(num);
	}
	if (v < 0) {
		*why = "want N=CERT with N a FUNCTION code (0-65535) or a role name";
		return -1;
	}
	return itlspec_parse(s, (int)v, eq + 1, why);
}

void
itlspec_free(struct itlspec *s)
{
	free(s->file);
	s->file = NULL;
}

int
itlspec_add(struct ctlw *w, const struct itlspec *s)
{
	struct certfile cf;
	const char *why;
	uint8_t *buf;
	size_t i, len;
	int rc = -1;

	/*
	 * straight from certfile's view of the bytes, PEM decoded over its own text:
	 * no second buffer, each certificate parsed once
	 */
	if ((buf = io_slurp(s->file, IO_MAX, &len)) == NULL)
		return -1;
	certfile_init(&cf, NULL, 0);
	if ((why = certfile_read_over(&cf, buf, len, 1)) != NULL)
		warnf("%s: %s", io_name(s->file), why);
	else
		for (rc = 0, i = 0; i < cf.ncerts && rc == 0; i++)
			if ((rc = ctlw_add_parsed(w, cf.certs[i].der, cf.certs[i].len, &cf.certs[i].c,
			    s->fn, s->dns, s->hasip ? s->ip : NULL, &why)) != 0)
				warnf("%s: %s", io_name(s->file), why);
	if (why != NULL || cf.haskey)	/* a PKCS#12 or a bundle may hold a key */
		OPENSSL_cleanse(buf, len);
	certfile_free(&cf);
	free(buf);
	return rc;
}
