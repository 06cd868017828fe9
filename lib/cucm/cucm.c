/* cucm.c: the tables from ../shared/CUCM.md; change them there first. */
#include <limits.h>
#include <stdio.h>
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

/* Cisco HAProxy fronts tomcat from 12.5 (CUCM.md, "What changes by release"). */
static const struct cucm_restart r_tomcat[] = {
	{ "Cisco Tomcat", "every node", 0 },
	{ "Cisco HAProxy", "every node", 125 },
};
static const struct cucm_restart r_ccm[] = {
	{ "Cisco CallManager", "every node running it", 0 },
	{ "Cisco TFTP", "every node running it", 0 },
	{ "Cisco CTIManager", "every node running it", 0 },
	{ "Cisco HAProxy", "every node, where SIP OAuth is on", 125 },
};
static const struct cucm_restart r_capf[] = {
	{ "Cisco Certificate Authority Proxy Function", "publisher", 0 },
};
static const struct cucm_restart r_tvs[] = {
	{ "Cisco Trust Verification Service", "every node", 0 },
};
static const struct cucm_restart r_ipsec[] = {
	{ "Cisco DRF Local", "every node", 0 },
	{ "Cisco DRF Master", "publisher", 0 },
};
static const struct cucm_restart r_itlrec[] = {
	{ "Cisco TFTP", "publisher", 0 },
	{ "Cisco Trust Verification Service", "publisher", 0 },
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
cucm_restart_at(const struct cucm_restart *r, int version)
{
	return r->since <= CUCM_VERSION_OR_DEFAULT(version);
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

/* Firmware loads' extensions: the load file, its images and packages (Cisco's names). */
static const char *const firmware_ext[] = {
	".loads", ".sbn", ".sebn", ".sb2", ".bin", ".zz", ".zup", ".cop", ".img", ".pkg", NULL
};

int
cucm_firmware_name(const char *name)
{
	size_t n = strlen(name), e;
	int i;

	if (n >= 4 && strcasecmp(name + n - 4, ".sgn") == 0)
		n -= 4;
	for (i = 0; firmware_ext[i] != NULL; i++) {
		e = strlen(firmware_ext[i]);
		if (n > e && strncasecmp(name + n - e, firmware_ext[i], e) == 0)
			return 1;
	}
	return 0;
}

int
cucm_touches_itl(const char *unit)
{
	return strcasecmp(unit, "CallManager") == 0 || strcasecmp(unit, "CAPF") == 0 ||
	    strcasecmp(unit, "TVS") == 0 || strcasecmp(unit, "ITLRecovery") == 0 ||
	    strcasecmp(unit, "CallManager-ECDSA") == 0;
}

/* The releases ctlkit models (CUCM.md, "What changes by release"), in tenths. */
static const int releases[] = { 100, 105, 110, 115, 120, 125, 140, 150 };

/* Skip what may follow a release: ".1.11900" builds, "-146", "(1)", "SU3" or "SU4a". */
static const char *
suffix(const char *e)
{
	if (*e == '.' && e[1] >= '0' && e[1] <= '9')
		e += strspn(e, ".0123456789");
	if (*e == '-' && e[1] >= '0' && e[1] <= '9')
		e += 1 + strspn(e + 1, "0123456789");
	if (*e == '(' && e[1] >= '0' && e[1] <= '9') {
		e += 1 + strspn(e + 1, "0123456789");
		if (*e++ != ')')
			return NULL;
	}
	if (strncasecmp(e, "SU", 2) == 0 && e[2] >= '0' && e[2] <= '9') {
		e += 2 + strspn(e + 2, "0123456789");
		if (*e >= 'a' && *e <= 'z')
			e++;
	}
	return e;
}

int
cucm_version(const char *s, int *tenths)
{
	const char *e;
	char *end;
	long major, minor = 0;
	size_t i;

	if (*s < '0' || *s > '9' || strspn(s, "0123456789") > 2)
		return -1;
	major = strtol(s, &end, 10);
	if (*end == '.') {	/* one digit of minor release */
		if (end[1] < '0' || end[1] > '9' || (end[2] >= '0' && end[2] <= '9'))
			return -1;
		minor = end[1] - '0';
		end += 2;
	}
	if ((e = suffix(end)) == NULL || *e != '\0')
		return -1;
	for (i = 0; i < sizeof(releases) / sizeof(releases[0]); i++)
		if (releases[i] == major * 10 + minor) {
			*tenths = releases[i];
			return 0;
		}
	return -1;
}

const char *
cucm_version_text(int tenths, char buf[8])
{
	/* as CUCM names a release: "11.5", "12.0", but "14" and "15" */
	if (tenths >= 140 && tenths % 10 == 0)
		snprintf(buf, 8, "%d", tenths / 10 % 100);
	else
		snprintf(buf, 8, "%d.%d", tenths / 10 % 100, tenths % 10);
	return buf;
}

static const struct {
	int		 since;		/* tenths */
	const char	*unit;
} ctl_signers[] = {
	{ 100, "CallManager" },	/* the genuine CUCM 10 tokenless CTL (shared/samples) */
};

const char *
cucm_ctl_signer(int tenths)
{
	size_t i, k = 0;

	for (i = 0; i < sizeof(ctl_signers) / sizeof(ctl_signers[0]); i++)
		if (ctl_signers[i].since <= tenths)
			k = i;
	return ctl_signers[k].unit;
}

int
cucm_itlrecovery_signs(int tenths)
{
	return tenths >= 120;
}
