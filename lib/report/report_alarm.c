/* report_alarm.c: CUCM alarm lines on stdout, or to syslog(3) with facility local7. */
#include <syslog.h>

#include "cucm/alarm.h"
#include "report/report.h"

void
report_alarm_cert(struct report *r, const struct report_cert *rc)
{
	struct alarm a;
	int prio;

	a.st = rc->st;
	a.file = rc->base;
	a.unit = rc->unit;
	a.type = rc->type != NULL ? rc->type : "cert";
	a.not_after = rc->c->not_after;
	a.cluster = r->cluster;
	a.node = r->node;
	r->a.len = 0;
	r->a.err = 0;
	if ((prio = alarm_format(&a, &r->a)) < 0)
		return;
	if (r->a.err) {
		r->oom = 1;
		return;
	}
	if (r->fmt == REPORT_SYSLOG)
		syslog(LOG_LOCAL7 | prio, "%s", (const char *)r->a.p);
	else
		fprintf(r->fp, "%s\n", (const char *)r->a.p);
}
