lib/report/report_table.o: lib/report/report_table.c lib/core/out.h \
 lib/report/report.h lib/core/buf.h lib/x509/der.h lib/x509/expiry.h \
 lib/core/json.h lib/core/when.h
lib/core/out.h:
lib/report/report.h:
lib/core/buf.h:
lib/x509/der.h:
lib/x509/expiry.h:
lib/core/json.h:
lib/core/when.h:
