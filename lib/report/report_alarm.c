/* report_alarm.c: CUCM alarm lines on stdout, or to the syslog socket with facility local7. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "core/diag.h"
#include "cucm/alarm.h"
#include "report/reportbase.h"

/* syslog(3) cannot say that nobody listens: talk to the socket ourselves (RFC 3164 form). */
int
report_alarm_open(struct report *r)
{
	const char *path = getenv("CERT_EXPIRY_SYSLOG");
	struct sockaddr_un sa;
	int type, fd = -1;

	if (path == NULL || *path == '\0')
		path = "/dev/log";
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa.sun_path)) {
		warnf("%s: syslog socket path too long", path);
		return -1;
	}
	memcpy(sa.sun_path, path, strlen(path));
	for (type = SOCK_DGRAM;; type = SOCK_STREAM) {
		if ((fd = socket(AF_UNIX, type | SOCK_CLOEXEC, 0)) < 0)
			break;
		if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
			r->syslog_fd = fd;
			return 0;
		}
		close(fd);
		fd = -1;
		if (errno != EPROTOTYPE || type == SOCK_STREAM)
			break;
	}
	warnf("%s: cannot reach syslog: %s", path, strerror(errno));
	return -1;
}

void
report_alarm_close(struct report *r)
{
	if (r->syslog_fd >= 0)
		close(r->syslog_fd);
	r->syslog_fd = -1;
}

/* "<PRI>Mmm dd hh:mm:ss cert-expiry[PID]: LINE", as syslog(3) sends it (NUL ends it on a stream). */
static void
send_line(struct report *r, int prio, const char *line)
{
	struct buf *m = &r->b;
	char stamp[32];
	time_t t = time(NULL);
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(stamp, sizeof(stamp), "%b %e %H:%M:%S", &tm);
	m->len = 0;
	m->err = 0;
	buf_printf(m, "<%d>%s %s[%ld]: %s", LOG_LOCAL7 | prio, stamp, progname, (long)getpid(),
	    line);
	buf_add(m, "", 1);
	if (m->err) {
		r->oom = 1;
		return;
	}
	if (send(r->syslog_fd, m->p, m->len, MSG_NOSIGNAL) < 0 && !r->syslog_failed) {
		warnf("syslog: %s", strerror(errno));
		r->syslog_failed = 1;
	}
}

/* One line for a (prio), on stdout or to syslog. */
static void
emit(struct report *r, int prio)
{
	if (r->c.err) {
		r->oom = 1;
		return;
	}
	if (r->fmt == REPORT_SYSLOG)
		send_line(r, prio, (const char *)r->c.p);
	else
		fprintf(r->fp, "%s\n", (const char *)r->c.p);
}

/* After the certificates: a line per stale signed file, with its node (--cluster) or --node. */
void
report_alarm_stale(struct report *r)
{
	const char *f[4];
	size_t off = 0;
	int prio;

	while (reportbase_stale(r, &off, f)) {
		r->c.len = 0;
		r->c.err = 0;
		prio = alarm_stale(f[1], f[2], f[3], r->cluster, f[0][0] != '\0' ? f[0] : r->node,
		    &r->c);
		emit(r, prio);
	}
}

void
report_alarm_cert(struct report *r, const struct report_cert *rc)
{
	struct report_cert base = *rc;
	struct alarm a;
	int prio;

	a.st = rc->st;
	a.file = rc->base;
	/* a record, or one of several certificates: its label, so that no two lines are alike */
	base.file = rc->base;
	a.name = rc->record > 0 || rc->count > 1 ? reportbase_label(r, &base) : NULL;
	a.unit = rc->unit != NULL ? rc->unit : rc->record > 0 ? rc->base : NULL;
	a.type = rc->type != NULL ? rc->type : "cert";
	a.not_after = rc->c->not_after;
	a.left = rc->c->not_after - r->ex->now;
	a.cluster = r->cluster;
	a.node = rc->node != NULL ? rc->node : r->node;	/* --cluster: the node's own */
	r->c.len = 0;
	r->c.err = 0;
	if ((prio = alarm_format(&a, &r->c)) >= 0)
		emit(r, prio);
}
