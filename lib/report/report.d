lib/report/report.o: lib/report/report.c lib/core/diag.h \
 lib/x509/dntext.h lib/core/buf.h lib/core/out.h lib/report/report.h \
 lib/x509/der.h lib/x509/expiry.h lib/core/json.h
lib/core/diag.h:
lib/x509/dntext.h:
lib/core/buf.h:
lib/core/out.h:
lib/report/report.h:
lib/x509/der.h:
lib/x509/expiry.h:
lib/core/json.h:
