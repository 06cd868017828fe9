lib/store/trustset.o: lib/store/trustset.c lib/core/buf.h lib/x509/cert.h \
 lib/core/diag.h lib/core/hash.h lib/core/io.h lib/core/out.h \
 lib/x509/pem.h lib/store/store.h lib/store/trustset.h lib/x509/der.h
lib/core/buf.h:
lib/x509/cert.h:
lib/core/diag.h:
lib/core/hash.h:
lib/core/io.h:
lib/core/out.h:
lib/x509/pem.h:
lib/store/store.h:
lib/store/trustset.h:
lib/x509/der.h:
