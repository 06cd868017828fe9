/* alarm.h: CUCM Certificate Monitor alarm lines (../shared/CUCM.md, "Expiry monitoring"). */
#ifndef CTK_ALARM_H
#define CTK_ALARM_H

#include <stdint.h>

#include "core/buf.h"
#include "x509/expiry.h"

struct alarm {
	enum expiry_state st;		/* EXPIRY_OK gives no line */
	const char	*file;		/* file name (no directories): shown with .der */
	const char	*unit;		/* store unit or directory name; NULL: empty */
	const char	*type;		/* "own-cert", "trust-cert" or "cert" */
	int64_t		 not_after;
	const char	*cluster, *node;	/* NULL: empty */
};

/*
 * Append the alarm line for a (no newline) and a NUL to out. Expired:
 * %UC_CERT-0-CertExpired; critical: %UC_CERT-2-CertValidfor7days (Cisco's);
 * warning: %UC_CERT-4-CertExpiresSoon and not yet valid: %UC_CERT-4-CertNotYetValid
 * (ctlkit's own names). Control bytes in names come out as \xNN.
 * Returns the syslog(3) priority to send it with, or -1 for EXPIRY_OK.
 */
int alarm_format(const struct alarm *a, struct buf *out);
/* "tomcat.pem" -> "tomcat.der" (CUCM's habit), appended to out with a NUL. */
void alarm_certname(const char *file, struct buf *out);

#endif
