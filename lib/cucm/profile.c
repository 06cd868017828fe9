/* profile.c: the unit table of ../shared/CUCM.md ("Regeneration"); change it there first. */
#include <stdio.h>
#include <strings.h>

#include "cucm/profile.h"

#define KU_SERVER "digitalSignature,keyEncipherment,dataEncipherment,keyAgreement"
#define EKU_SERVER "serverAuth,clientAuth,ipsecEndSystem"
#define BC_LEAF "CA:FALSE"
#define UNCONF " (not confirmed by Cisco's documentation)"
#define U_BC "basicConstraints CA:FALSE" UNCONF
#define U_KUCRIT "keyUsage not critical (no source says)"
#define U_ECTRUST "trust copy in the RSA unit's store (seed document only)"

static const struct profile profiles[] = {
	{ "CallManager", "CallManager", BC_LEAF, KU_SERVER, EKU_SERVER,
	    { "CallManager-trust", NULL }, PROFILE_CN_HOST, 0,
	    { U_BC, U_KUCRIT, NULL } },
	{ "CallManager-ECDSA", "CallManager", BC_LEAF, KU_SERVER, EKU_SERVER,
	    { "CallManager-trust", NULL }, PROFILE_CN_EC, 1,
	    { U_BC, U_KUCRIT, U_ECTRUST, NULL } },
	{ "tomcat", "tomcat", BC_LEAF, KU_SERVER, EKU_SERVER,
	    { "tomcat-trust", NULL }, PROFILE_CN_HOST, 0,
	    { U_BC, U_KUCRIT, NULL } },
	{ "tomcat-ECDSA", "tomcat", BC_LEAF, KU_SERVER, EKU_SERVER,
	    { "tomcat-trust", NULL }, PROFILE_CN_EC, 1,
	    { U_BC, U_KUCRIT, U_ECTRUST, NULL } },
	{ "ipsec", "ipsec", BC_LEAF, KU_SERVER, EKU_SERVER,
	    { "ipsec-trust", NULL }, PROFILE_CN_HOST, 0,
	    { U_BC, U_KUCRIT, NULL } },
	{ "TVS", "TVS", BC_LEAF, "digitalSignature,keyEncipherment,dataEncipherment",
	    "serverAuth,clientAuth", { NULL, NULL }, PROFILE_CN_HOST, 0,
	    { U_BC, U_KUCRIT, "no trust-store copy (Cisco's documentation names none for TVS)", NULL } },
	{ "CAPF", "CAPF", "critical,CA:TRUE,pathlen:0", "digitalSignature,keyCertSign,cRLSign",
	    "serverAuth,ipsecEndSystem", { "CAPF-trust", "CallManager-trust" },
	    PROFILE_CN_CAPF, 0,
	    { "keyUsage cRLSign (documented only as \"+ cRLSign\")", U_KUCRIT,
	      "a fresh CN CAPF-<8 hex> at each regeneration (--keep-subject keeps the old one)",
	      NULL } },
	{ "ITLRecovery", "ITLRecovery", BC_LEAF, "digitalSignature,keyEncipherment,dataEncipherment",
	    "serverAuth,clientAuth", { NULL, NULL }, PROFILE_CN_ITLREC, 0,
	    { U_BC, "keyUsage digitalSignature,keyEncipherment,dataEncipherment" UNCONF,
	      "extendedKeyUsage serverAuth,clientAuth" UNCONF,
	      "no trust-store copy (Cisco's documentation names none for ITLRecovery)", NULL } },
};

const struct profile *
profile_get(const char *unit)
{
	size_t i;

	for (i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++)
		if (strcasecmp(profiles[i].unit, unit) == 0)
			return &profiles[i];
	return NULL;
}

char *
profile_cn(const struct profile *p, const char *host, const char *tag, char *out, size_t outlen)
{
	switch (p->cn) {
	case PROFILE_CN_EC:
		snprintf(out, outlen, "%s-EC", host);
		break;
	case PROFILE_CN_CAPF:
		snprintf(out, outlen, "CAPF-%s", tag);
		break;
	case PROFILE_CN_ITLREC:
		snprintf(out, outlen, "ITLRECOVERY_%s", host);
		break;
	default:
		snprintf(out, outlen, "%s", host);
		break;
	}
	return out;
}
