lib/report/report_prom.o: lib/report/report_prom.c lib/core/out.h \
 lib/report/report.h lib/core/buf.h lib/x509/der.h lib/x509/expiry.h \
 lib/core/json.h
lib/core/out.h:
lib/report/report.h:
lib/core/buf.h:
lib/x509/der.h:
lib/x509/expiry.h:
lib/core/json.h:
