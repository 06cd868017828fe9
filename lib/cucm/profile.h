/* profile.h: what CUCM puts in each unit's certificate (../shared/CUCM.md), one table row per unit. */
#ifndef CTK_PROFILE_H
#define CTK_PROFILE_H

/* The CN conventions of CUCM.md: how --host becomes a common name. */
enum profile_cn { PROFILE_CN_HOST, PROFILE_CN_EC, PROFILE_CN_CAPF, PROFILE_CN_ITLREC };

struct profile {
	const char	*unit;		/* CUCM's spelling: "CallManager" */
	const char	*rsa_unit;	/* the RSA unit whose stores an -ECDSA unit shares, else unit */
	/* Extension values in OpenSSL configuration syntax ("critical,CA:TRUE,pathlen:0"). */
	const char	*bc;
	const char	*ku;
	const char	*eku;
	const char	*trust[2];	/* trust stores receiving a copy; NULL-padded */
	enum profile_cn	 cn;
	int		 ec;		/* default key: 1 EC P-256, 0 RSA-2048 */
	/* The choices CUCM.md leaves unconfirmed for this unit, NULL-terminated. */
	const char	*unconfirmed[6];
};

/* The profile of unit (any case: "callmanager"), or NULL when CUCM has no such unit. */
const struct profile *profile_get(const char *unit);
/*
 * The CN CUCM would give this unit on host into out: host, "<host>-EC",
 * "CAPF-<tag>" (tag: 8 hex digits), "ITLRECOVERY_<host>". Returns out.
 */
char *profile_cn(const struct profile *p, const char *host, const char *tag, char *out,
    size_t outlen);

#endif
