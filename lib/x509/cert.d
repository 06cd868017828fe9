lib/x509/cert.o: lib/x509/cert.c lib/x509/cert.h lib/x509/der.h \
 lib/core/diag.h lib/x509/dntext.h lib/core/buf.h lib/core/io.h \
 lib/core/out.h lib/x509/pem.h lib/core/when.h
lib/x509/cert.h:
lib/x509/der.h:
lib/core/diag.h:
lib/x509/dntext.h:
lib/core/buf.h:
lib/core/io.h:
lib/core/out.h:
lib/x509/pem.h:
lib/core/when.h:
