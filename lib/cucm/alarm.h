/* alarm.h: CUCM Certificate Monitor alarm lines (../shared/CUCM.md, "Expiry monitoring"). */
#ifndef CTK_ALARM_H
#define CTK_ALARM_H

#include <stdint.h>

#include "core/buf.h"
#include "x509/expiry.h"

struct alarm {
	enum expiry_state st;		/* EXPIRY_OK and EXPIRY_KEPT give no line */
	const char	*file;		/* file name (no directories): shown with .der */
	const char	*name;		/* shown as it is instead ("ITLFile.tlv#5(TVS)"); or NULL */
	const char	*unit;		/* store unit, or the trust list's file name; NULL: empty */
	const char	*type;		/* "own-cert", "trust-cert" or "cert" */
	int64_t		 not_after;
	int64_t		 left;		/* seconds from now to notAfter */
	const char	*cluster, *node;	/* NULL: empty */
};

/* CertValidfor7days is Cisco's fixed band, whatever the critical threshold says. */
#define ALARM_7DAYS (7 * 86400)

/*
 * Append the alarm line for a (no newline) and a NUL to out. By time left, not by
 * the thresholds: expired: %UC_CERT-0-CertExpired; 7 days or fewer:
 * %UC_CERT-2-CertValidfor7days (Cisco's); more, inside the warning window:
 * %UC_CERT-4-CertExpiresSoon, and not yet valid: %UC_CERT-4-CertNotYetValid
 * (ctlkit's own names). Control bytes in names come out as \xNN.
 * Returns the syslog(3) priority to send it with, or -1 when no alarm is due.
 */
int alarm_format(const struct alarm *a, struct buf *out);
/*
 * Append the line of a stale signed file (ctlkit's own alarm, no Cisco one
 * exists): %UC_CERT-4-SignedFileStale, the file's name (no directories), its
 * signer's serial and why, ClusterID and NodeID; no Unit (a served file is in
 * no store unit). A NUL after it. Returns the syslog(3) priority.
 */
int alarm_stale(const char *file, const char *serial, const char *why, const char *cluster,
    const char *node, struct buf *out);
/* "tomcat.pem" -> "tomcat.der" (CUCM's habit), appended to out with a NUL. */
void alarm_certname(const char *file, struct buf *out);

#endif
