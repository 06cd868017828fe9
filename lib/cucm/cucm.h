/* cucm.h: what CUCM does with its certificates (../shared/CUCM.md) as tables the tools share. */
#ifndef CTK_CUCM_H
#define CTK_CUCM_H

#include <stddef.h>
#include <stdint.h>

struct cucm_restart {
	const char	*service;	/* "Cisco Tomcat" */
	const char	*where;		/* "every node", "publisher" ... */
};

/* The own units CUCM knows, in CUCM's spelling; NULL-terminated. */
extern const char *const cucm_units[];
/* A unit name in CUCM's spelling, matched case-insensitively ("callmanager"); NULL if unknown. */
const char *cucm_unit(const char *name);
/*
 * Services to restart after unit or trust store changes (CUCM.md restart table):
 * *n entries, or NULL when none are known. "tomcat-ECDSA" maps to tomcat's.
 */
const struct cucm_restart *cucm_restarts(const char *unit, int *n);
/* 1 when cn is one of Cisco's bundled CAs (show cert default-ca-list), case-insensitive. */
int cucm_is_bundled_ca(const char *cn);
/* The bundled CA names, NULL-terminated. */
extern const char *const cucm_bundled_cas[];
/* 1 when a change to this unit or store rebuilds the ITL (CallManager, CAPF, TVS, ITLRecovery). */
int cucm_touches_itl(const char *unit);
/* --cucm-version's default: the release the tools assume when none is given. */
#define CUCM_VERSION_DEFAULT 140
/*
 * "11.5", "12.5", "14" (or "12.5.1...": the first two numbers count) into tenths
 * (115, 125, 140): 0, or -1 when it is not a CUCM release from 8.0 to 99.9.
 */
int cucm_version(const char *s, int *tenths);
/* What a --cucm-version value must be, for the message when it is not. */
#define CUCM_VERSION_WHAT "a CUCM release (11.5, 12.5, 14 ...)"
/* 1 when ITLRecovery signs the ITL (12.0 on), 0 when CallManager does (before 12.0). */
int cucm_itlrecovery_signs(int tenths);

#endif
