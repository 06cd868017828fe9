lib/report/report_alarm.o: lib/report/report_alarm.c lib/cucm/alarm.h \
 lib/core/buf.h lib/x509/expiry.h lib/report/report.h lib/x509/der.h \
 lib/core/json.h
lib/cucm/alarm.h:
lib/core/buf.h:
lib/x509/expiry.h:
lib/report/report.h:
lib/x509/der.h:
lib/core/json.h:
