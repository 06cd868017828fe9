/*
 * clrelease.c: the ITL signer is the one thing the files say about the release:
 * ITLRecovery signs from 12.0, the node's CallManager before. An ITLRecovery
 * certificate is named ITLRECOVERY_<host> by CUCM: that names the signer even
 * after the certificate was regenerated behind the served file.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/diag.h"
#include "cucm/clrelease.h"
#include "cucm/cucm.h"
#include "core/path.h"
#include "tl/ctl.h"

int
clrelease_signer(const char *tftpdir)
{
	const struct tlv *t;
	struct ctl ct;
	uint8_t *buf = NULL;
	char *f, name[256];
	size_t k;
	int s, who = CLRELEASE_NONE;

	if ((f = path_join(tftpdir, "ITLFile.tlv", NULL)) == NULL || !path_isreg(f)) {
		free(f);
		return CLRELEASE_NONE;
	}
	memset(&ct, 0, sizeof(ct));
	if (ctl_load(f, &buf, &ct) == 0 && (s = ctl_find_signer(&ct)) >= 0) {
		t = &ct.recs[s].f[CTL_R_SUBJECT];
		snprintf(name, sizeof(name), "%.*s", t->val != NULL ? (int)ctl_strlen(t) : 0,
		    t->val != NULL ? (const char *)t->val : "");
		for (k = 0; name[k] != '\0'; k++)
			name[k] = (char)toupper((unsigned char)name[k]);
		who = strstr(name, "ITLRECOVERY") != NULL ? CLRELEASE_ITLREC : CLRELEASE_CM;
	}
	ctl_free(&ct);
	free(buf);
	free(f);
	return who;
}

int
clrelease_settle(int given, int who, const char *at, char vtext[8], const char **vnote)
{
	static const char *const signer[] = { "", "CallManager", "ITLRecovery" };
	int version = given != 0 ? given : who == CLRELEASE_CM ? 115 : CUCM_VERSION_DEFAULT;

	cucm_version_text(version, vtext);
	*vnote = NULL;
	if (given == 0 && who == CLRELEASE_ITLREC)
		*vnote = "no --cucm-version: the served ITLs are signed by ITLRecovery, so 12.0 "
		    "or later: planned with 14's rules (an older cluster serving a recovery ITL "
		    "after utils itl reset is signed so too: then give --cucm-version)";
	else if (given == 0 && who == CLRELEASE_CM)
		*vnote = "no --cucm-version: the served ITLs are signed by CallManager, so "
		    "before 12.0: planned with 11.5's rules";
	else if (given != 0 && who != CLRELEASE_NONE &&
	    (who == CLRELEASE_ITLREC) != cucm_itlrecovery_signs(given))
		warnf("warning: --cucm-version %s: %s signs the ITL at that release, but the ITL "
		    "%s serves is signed by %s", vtext, cucm_itlrecovery_signs(given) ?
		    "ITLRecovery" : "CallManager", at, signer[who]);
	return version;
}
