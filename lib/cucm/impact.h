/* impact.h: what breaks when a certificate expires (../shared/CUCM.md), by unit and by role. */
#ifndef CTK_IMPACT_H
#define CTK_IMPACT_H

/*
 * The effect on the cluster of an expired certificate: of a store unit (own or
 * trust, case-insensitive; "tomcat-ECDSA" takes tomcat's row), or of a CTL/ITL
 * record by its role ("CCM+TFTP", "TVS", "SAST"...; cn tells ITLRecovery and
 * eToken SAST records apart). NULL when CUCM.md has no row for it.
 */
const char *impact_of_unit(const char *unit);
const char *impact_of_role(const char *role, const char *cn);

#endif
