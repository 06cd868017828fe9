/* impact.c: CUCM.md's "What breaks when a certificate expires" table, one row per line. */
#include <stddef.h>
#include <strings.h>

#include "cucm/impact.h"

static const struct {
	const char	*unit;
	const char	*impact;
} rows[] = {
	{ "TVS", "phones cannot authenticate HTTPS services nor configuration files "
	    "(affects nearly everything)" },
	{ "CAPF", "phones with an LSC cannot register (CUCM rejects their certificates); "
	    "new LSCs need the new CAPF cert in the ITL" },
	{ "CallManager", "signs configuration files and, before 12.0, the ITL; "
	    "secure signalling (TLS) fails" },
	{ "CallManager-ECDSA", "signs configuration files and, before 12.0, the ITL; "
	    "secure signalling (TLS) fails" },
	{ "tomcat", "web administration and HTTPS services (UDS, AXL, SSO) present an "
	    "expired certificate" },
	{ "tomcat-ECDSA", "web administration and HTTPS services (UDS, AXL, SSO) present an "
	    "expired certificate" },
	{ "ipsec", "DRF backup and restore between nodes fail" },
	{ "ITLRecovery", "signs the ITL from 12.0 and the tokenless CTL, and is the way back "
	    "after a bad ITL; regenerate it alone (phones accept the new ITL through TVS)" },
	{ "Phone-VPN-trust", "phone VPN fails: the VPN HTTPS URL cannot be authenticated "
	    "(only where configured)" },
	{ "Phone-SAST-trust", "the CTL cannot be updated or changed from an older CTL "
	    "(only where configured)" },
	{ "Phone-CTL-trust", "the CTL cannot be updated or changed from an older CTL, and "
	    "visual voicemail with Unity / Unity Connection stops (only where configured)" },
	{ "Phone-trust", "visual voicemail with Unity / Unity Connection stops "
	    "(only where configured)" },
	{ "CallManager-trust", "an expired entry breaks TLS to that peer: SIP trunks and "
	    "gateways (CUBE), other clusters, and in mixed mode the issuers of phone LSCs" },
	{ "tomcat-trust", "an expired entry breaks that HTTPS integration: SSO identity "
	    "provider, LDAP over TLS, other clusters (ILS, Extension Mobility cross-cluster), "
	    "Unity Connection" },
	{ "CAPF-trust", "an expired CA stops LSC enrolment for phones whose certificates it "
	    "issued (the bundled MIC roots stay, expired or not)" },
	{ "ipsec-trust", "DRF backup and restore with that node or IPsec peer fails" },
	{ "TVS-trust", "TVS no longer vouches for that certificate to phones" },
};

const char *
impact_of_unit(const char *unit)
{
	size_t i;

	for (i = 0; unit != NULL && i < sizeof(rows) / sizeof(rows[0]); i++)
		if (strcasecmp(rows[i].unit, unit) == 0)
			return rows[i].impact;
	return NULL;
}

/* CCM/TFTP/CCM+TFTP -> CallManager, CAPF -> CAPF, TVS -> TVS, SAST -> whose it is (CUCM.md). */
const char *
impact_of_role(const char *role, const char *cn)
{
	if (role == NULL)
		return NULL;
	if (strcasecmp(role, "CCM") == 0 || strcasecmp(role, "TFTP") == 0 ||
	    strcasecmp(role, "CCM+TFTP") == 0)
		return impact_of_unit("CallManager");
	if (strcasecmp(role, "CAPF") == 0 || strcasecmp(role, "TVS") == 0)
		return impact_of_unit(role);
	if (strcasecmp(role, "SAST") != 0)
		return NULL;
	if (cn != NULL && strncasecmp(cn, "ITLRECOVERY_", 12) == 0)
		return impact_of_unit("ITLRecovery");
	/* an eToken's certificate (CN "SAST-ADN..."), else the CallManager that signs */
	if (cn != NULL && strncasecmp(cn, "SAST-", 5) == 0)
		return impact_of_unit("Phone-SAST-trust");
	return impact_of_unit("CallManager");
}
