/* regenask.c: the CLI's confirmation: asked on a terminal only, so a script never hangs on it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/x509.h>

#include "core/diag.h"
#include "regen/regenask.h"
#include "x509/cert.h"

int
regenask(int yes, const char *dir, const char *warning, const char *const *units, int n,
    const char *what)
{
	char line[16];
	int i;

	if (yes)
		return 0;
	if (!isatty(STDIN_FILENO)) {
		warnf("%s: no terminal to confirm on: nothing changed (use --yes)", dir);
		return -1;
	}
	for (i = 0; i < n; i++)
		fprintf(stderr, "WARNING: This operation will %s %s\n", warning, units[i]);
	fprintf(stderr, "Proceed with %s (yes|no)? ", what);
	if (fgets(line, sizeof(line), stdin) == NULL || strcmp(line, "yes\n") != 0) {
		warnf("%s: not confirmed: nothing changed", dir);
		return -1;
	}
	return 0;
}

void
regenask_ca_signed(const struct regenjob *r, int n)
{
	char *issuer;
	int i;

	for (i = 0; i < n; i++) {
		/* self-issued by name: CUCM's profiles leave keyCertSign out of most units */
		if (r[i].old == NULL || X509_NAME_cmp(X509_get_issuer_name(r[i].old),
		    X509_get_subject_name(r[i].old)) == 0)
			continue;
		issuer = cert_name_text(X509_get_issuer_name(r[i].old));
		warnf("%s: its certificate is CA-signed (issuer %s): it is replaced by a "
		    "self-signed one (--csr, then --import, to keep it CA-signed)", r[i].p->unit,
		    issuer != NULL ? issuer : "?");
		free(issuer);
	}
}
