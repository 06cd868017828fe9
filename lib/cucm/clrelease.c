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

enum { SIGNED_NONE, SIGNED_CM, SIGNED_ITLREC };

/* Who signs the ITL node i serves: SIGNED_NONE when it serves none (or it is unreadable). */
static int
served_signer(const struct cluster *c, size_t i)
{
	const struct tlv *t;
	struct ctl ct;
	uint8_t *buf = NULL;
	char *f, name[256];
	size_t k;
	int s, who = SIGNED_NONE;

	if ((f = path_join(c->v[i].tftpdir, "ITLFile.tlv", NULL)) == NULL || !path_isreg(f)) {
		free(f);
		return SIGNED_NONE;
	}
	memset(&ct, 0, sizeof(ct));
	if (ctl_load(f, &buf, &ct) == 0 && (s = ctl_find_signer(&ct)) >= 0) {
		t = &ct.recs[s].f[CTL_R_SUBJECT];
		snprintf(name, sizeof(name), "%.*s", t->val != NULL ? (int)ctl_strlen(t) : 0,
		    t->val != NULL ? (const char *)t->val : "");
		for (k = 0; name[k] != '\0'; k++)
			name[k] = (char)toupper((unsigned char)name[k]);
		who = strstr(name, "ITLRECOVERY") != NULL ? SIGNED_ITLREC : SIGNED_CM;
	}
	ctl_free(&ct);
	free(buf);
	free(f);
	return who;
}

void
clrelease_settle(struct cluster *c, int given)
{
	static const char *const signer[] = { "", "CallManager", "ITLRecovery" };
	size_t i, at = 0;
	int who = SIGNED_NONE, w;

	for (i = 0; i < c->n && who == SIGNED_NONE; i++)
		if (c->v[i].tftp && (w = served_signer(c, i)) != SIGNED_NONE)
			who = w, at = i;
	c->version = given != 0 ? given : who == SIGNED_CM ? 115 : CUCM_VERSION_DEFAULT;
	cucm_version_text(c->version, c->vtext);
	c->vnote = NULL;
	if (given == 0 && who == SIGNED_ITLREC)
		c->vnote = "no --cucm-version: the served ITLs are signed by ITLRecovery, so 12.0 "
		    "or later: planned with 14's rules (an older cluster serving a recovery ITL "
		    "after utils itl reset is signed so too: then give --cucm-version)";
	else if (given == 0 && who == SIGNED_CM)
		c->vnote = "no --cucm-version: the served ITLs are signed by CallManager, so "
		    "before 12.0: planned with 11.5's rules";
	else if (given != 0 && who != SIGNED_NONE &&
	    (who == SIGNED_ITLREC) != cucm_itlrecovery_signs(given))
		warnf("warning: --cucm-version %s: %s signs the ITL at that release, but the ITL "
		    "%s serves is signed by %s", c->vtext, cucm_itlrecovery_signs(given) ?
		    "ITLRecovery" : "CallManager", c->v[at].name, signer[who]);
}
