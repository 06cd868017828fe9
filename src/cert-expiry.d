src/cert-expiry.o: src/cert-expiry.c lib/tl/ctl.h lib/tl/tlv.h \
 lib/core/buf.h lib/x509/der.h lib/core/diag.h lib/x509/expiry.h \
 lib/core/io.h lib/report/report.h lib/core/json.h lib/load/scan.h \
 lib/load/certfile.h lib/store/store.h lib/core/when.h
lib/tl/ctl.h:
lib/tl/tlv.h:
lib/core/buf.h:
lib/x509/der.h:
lib/core/diag.h:
lib/x509/expiry.h:
lib/core/io.h:
lib/report/report.h:
lib/core/json.h:
lib/load/scan.h:
lib/load/certfile.h:
lib/store/store.h:
lib/core/when.h:
