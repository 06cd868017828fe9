/* cucm.c: the tables from ../shared/CUCM.md; change them there first. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cucm/cucm.h"

const char *const cucm_units[] = {
	"CallManager", "CallManager-ECDSA", "CAPF", "ipsec", "ITLRecovery", "tomcat",
	"tomcat-ECDSA", "TVS", NULL
};

const char *const cucm_bundled_cas[] = {
	"CAP-RTP-001", "CAP-RTP-002", "Cisco Manufacturing CA", "Cisco Manufacturing CA SHA2",
	"Cisco Manufacturing CA III", "Cisco Root CA 2048", "Cisco Root CA M2",
	"Cisco Root CA 2099", "ACT2 SUDI CA", "High Assurance SUDI CA",
	"Cisco Basic Assurance Root CA 2099", "VeriSign Class 3 Secure Server CA - G3", NULL
};

static const struct cucm_restart r_tomcat[] = {
	{ "Cisco Tomcat", "every node" },
};
static const struct cucm_restart r_ccm[] = {
	{ "Cisco CallManager", "every node running it" },
	{ "Cisco TFTP", "every node running it" },
	{ "Cisco CTIManager", "every node running it" },
	{ "Cisco HAProxy", "every node, where SIP OAuth is on" },
};
static const struct cucm_restart r_capf[] = {
	{ "Cisco Certificate Authority Proxy Function", "publisher" },
};
static const struct cucm_restart r_tvs[] = {
	{ "Cisco Trust Verification Service", "every node" },
};
static const struct cucm_restart r_ipsec[] = {
	{ "Cisco DRF Local", "every node" },
	{ "Cisco DRF Master", "publisher" },
};
static const struct cucm_restart r_itlrec[] = {
	{ "Cisco TFTP", "publisher" },
	{ "Cisco Trust Verification Service", "publisher" },
};

static const struct {
	const char			*unit;
	const struct cucm_restart	*r;
	int				 n;
} restarts[] = {
#define R(u, t) { u, t, (int)(sizeof(t) / sizeof(t[0])) }
	R("tomcat", r_tomcat), R("tomcat-trust", r_tomcat), R("tomcat-ECDSA", r_tomcat),
	R("CallManager", r_ccm), R("CallManager-trust", r_ccm), R("CallManager-ECDSA", r_ccm),
	R("CAPF", r_capf), R("CAPF-trust", r_capf),
	R("TVS", r_tvs), R("TVS-trust", r_tvs),
	R("ipsec", r_ipsec), R("ipsec-trust", r_ipsec),
	R("ITLRecovery", r_itlrec),
#undef R
};

const char *
cucm_unit(const char *name)
{
	int i;

	for (i = 0; cucm_units[i] != NULL; i++)
		if (strcasecmp(cucm_units[i], name) == 0)
			return cucm_units[i];
	return NULL;
}

const struct cucm_restart *
cucm_restarts(const char *unit, int *n)
{
	size_t i;

	for (i = 0; i < sizeof(restarts) / sizeof(restarts[0]); i++) {
		if (strcasecmp(restarts[i].unit, unit) == 0) {
			*n = restarts[i].n;
			return restarts[i].r;
		}
	}
	*n = 0;
	return NULL;
}

int
cucm_is_bundled_ca(const char *cn)
{
	int i;

	for (i = 0; cucm_bundled_cas[i] != NULL; i++)
		if (strcasecmp(cucm_bundled_cas[i], cn) == 0)
			return 1;
	return 0;
}

int
cucm_touches_itl(const char *unit)
{
	return strcasecmp(unit, "CallManager") == 0 || strcasecmp(unit, "CAPF") == 0 ||
	    strcasecmp(unit, "TVS") == 0 || strcasecmp(unit, "ITLRecovery") == 0 ||
	    strcasecmp(unit, "CallManager-ECDSA") == 0;
}

int
cucm_version(const char *s, int *tenths)
{
	char *end;
	long major, minor = 0;

	if (*s < '0' || *s > '9')
		return -1;
	major = strtol(s, &end, 10);
	if (*end == '.') {
		if (end[1] < '0' || end[1] > '9')
			return -1;
		minor = strtol(end + 1, &end, 10);
		if (*end == '.' && end[1] >= '0' && end[1] <= '9')
			end += strspn(end, ".0123456789");	/* 12.5.1.11900-146 */
		if (*end == '-')
			end += strspn(end, "-0123456789");
	}
	if (*end != '\0' || major < 8 || major > 99 || minor > 9)
		return -1;
	*tenths = (int)(major * 10 + minor);
	return 0;
}

int
cucm_itlrecovery_signs(int tenths)
{
	return tenths >= 120;
}
