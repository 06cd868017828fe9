/* alarm.c: the alarm text exactly as RTMT shows it, so existing syslog filters match ours. */
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "cucm/alarm.h"
#include "core/out.h"
#include "core/when.h"

/* Append s with control bytes and invalid UTF-8 as \xNN (out_text's rule). */
static void
put_text(struct buf *out, const char *s)
{
	const uint8_t *p = (const uint8_t *)(s != NULL ? s : "");
	size_t n = strlen((const char *)p), i = 0, k;

	while (i < n) {
		if ((k = out_utf8len(p + i, n - i)) > 0) {
			buf_add(out, p + i, k);
			i += k;
		} else
			buf_printf(out, "\\x%02X", p[i++]);
	}
}

void
alarm_certname(const char *file, struct buf *out)
{
	const char *dot = strrchr(file, '.');
	size_t n = dot != NULL && dot != file ? (size_t)(dot - file) : strlen(file);

	buf_add(out, file, n);
	buf_add(out, ".der", 5);
	out->len--;
}

int
alarm_format(const struct alarm *a, struct buf *out)
{
	static const char *wday[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char *mon[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug",
	    "Sep", "Oct", "Nov", "Dec" };
	const char *tag, *text;
	struct buf name = BUF_ZERO;
	struct tm tm;
	int prio;

	if (a->st == EXPIRY_OK || a->st == EXPIRY_KEPT)
		return -1;
	if (a->st == EXPIRY_NOTYET) {
		tag = "4-CertNotYetValid";
		text = "Certificate is not valid yet";
		prio = LOG_WARNING;
	} else if (a->st == EXPIRY_EXPIRED || a->left < 0) {
		tag = "0-CertExpired";
		text = "Certificate has Expired and needs to be changed at the earliest";
		prio = LOG_ALERT;	/* not LOG_EMERG (0): that one goes to every terminal */
	} else if (a->left <= ALARM_7DAYS) {
		tag = "2-CertValidfor7days";
		text = "Alarm to indicate that Certificate has Expired or Expires in less than seven days";
		prio = LOG_CRIT;
	} else {
		tag = "4-CertExpiresSoon";
		text = "Certificate expires within the notification period";
		prio = LOG_WARNING;
	}
	if (a->name != NULL)
		buf_add(&name, a->name, strlen(a->name) + 1);
	else
		alarm_certname(a->file, &name);
	when_gmtime(a->not_after, &tm);
	buf_printf(out, "%%UC_CERT-%s: %%[Message=Certificate expiration Notification. "
	    "Certificate name:", tag);
	put_text(out, name.err ? "" : (const char *)name.p);
	buf_printf(out, " Unit:");
	put_text(out, a->unit);
	buf_printf(out, " Type:%s Expiration:%s %s %02d %02d:%02d:%02d:000 UTC]"
	    "[AppID=Cisco Certificate Monitor][ClusterID=", a->type, wday[tm.tm_wday],
	    mon[tm.tm_mon], tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	put_text(out, a->cluster);
	buf_printf(out, "][NodeID=");
	put_text(out, a->node);
	buf_printf(out, "]: %s", text);
	buf_add(out, "", 1);
	out->len--;
	buf_free(&name);
	return prio;
}

int
alarm_stale(const char *file, const char *serial, const char *why, const char *cluster,
    const char *node, struct buf *out)
{
	const char *base = strrchr(file, '/') != NULL ? strrchr(file, '/') + 1 : file;

	buf_printf(out, "%%UC_CERT-4-SignedFileStale: %%[Message=Signed file stale. "
	    "File name:");
	put_text(out, base);
	buf_printf(out, " Signer serial:");
	put_text(out, serial);
	buf_printf(out, " Reason:");
	put_text(out, why);
	buf_printf(out, "][AppID=Cisco Certificate Monitor][ClusterID=");
	put_text(out, cluster);
	buf_printf(out, "][NodeID=");
	put_text(out, node);
	buf_printf(out, "]: Phones ignore the signed file until it is signed again by a current "
	    "certificate");
	buf_add(out, "", 1);
	out->len--;
	return LOG_WARNING;
}
