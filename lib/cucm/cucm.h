/* cucm.h: what CUCM does with its certificates (../shared/CUCM.md) as tables the tools share. */
#ifndef CTK_CUCM_H
#define CTK_CUCM_H

#include <stddef.h>
#include <stdint.h>

struct cucm_restart {
	const char	*service;	/* "Cisco Tomcat" */
	const char	*where;		/* "every node", "publisher" ... */
	int		 since;		/* the first release it applies to (tenths), 0: every one */
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
/* 1 when restart r applies at release version (tenths; 0: the default). */
int cucm_restart_at(const struct cucm_restart *r, int version);
/* 1 when cn is one of Cisco's bundled CAs (show cert default-ca-list), case-insensitive. */
int cucm_is_bundled_ca(const char *cn);
/* The bundled CA names, NULL-terminated. */
extern const char *const cucm_bundled_cas[];
/* 1 when a change to this unit or store rebuilds the ITL (CallManager, CAPF, TVS, ITLRecovery). */
int cucm_touches_itl(const char *unit);
/* --cucm-version's default: the release the tools assume when none is given. */
#define CUCM_VERSION_DEFAULT 140
/* The release given (tenths), or the default when none was (0). */
#define CUCM_VERSION_OR_DEFAULT(v) ((v) != 0 ? (v) : CUCM_VERSION_DEFAULT)
/*
 * The one parser of a release's text: "10.0" to "15" (10.0, 10.5, 11.0, 11.5,
 * 12.0, 12.5, 14, 15), with build and SU suffixes ("12.5.1.11900-146",
 * "12.5(1)SU4", "14SU3") into tenths (115, 125, 140): 0, or -1 when it is
 * none of them (ITLRecovery, which ctlkit's rules need, exists from 10.0).
 */
int cucm_version(const char *s, int *tenths);
/* A release's family as CUCM names it ("11.5", "12.0", "14") into buf; returns buf. */
const char *cucm_version_text(int tenths, char buf[8]);
/* What a --cucm-version value must be, for the message when it is not. */
#define CUCM_VERSION_WHAT "a CUCM release from 10.0 to 15 (10.0, 10.5, 11.0, 11.5, 12.0, " \
    "12.5, 14, 15; build and SU suffixes as in 12.5.1.11900-146 or 14SU3)"
/*
 * The publisher's unit that signs the tokenless CTL utils ctl update CTLFile
 * makes, at a release: CallManager (the genuine CUCM 10 CTL; no public 12.0+
 * CTL settles it, hence a table entry). ITLRecovery signs only the recovery
 * CTL of utils ctl reset localkey, which ctlkit does not make.
 */
const char *cucm_ctl_signer(int tenths);
/* 1 when ITLRecovery signs the ITL (12.0 on), 0 when CallManager does (before 12.0). */
int cucm_itlrecovery_signs(int tenths);
/*
 * 1 when a served file's name (".sgn" or not) is a phone firmware load's
 * (.loads, .sbn, .sebn, .sb2, .bin, .zz, .zup, .cop, .img, .pkg; case-
 * insensitive): Cisco signs those, not the cluster (FORMAT.md section 7).
 */
int cucm_firmware_name(const char *name);

#endif
