lib/tl/itlcerts.o: lib/tl/itlcerts.c lib/x509/cert.h lib/x509/der.h \
 lib/core/diag.h lib/core/io.h lib/tl/itlcerts.h lib/core/buf.h \
 lib/x509/pem.h
lib/x509/cert.h:
lib/x509/der.h:
lib/core/diag.h:
lib/core/io.h:
lib/tl/itlcerts.h:
lib/core/buf.h:
lib/x509/pem.h:
