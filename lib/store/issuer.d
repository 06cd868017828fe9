lib/store/issuer.o: lib/store/issuer.c lib/x509/cert.h lib/x509/der.h \
 lib/core/diag.h lib/core/io.h lib/store/issuer.h lib/store/trustset.h \
 lib/core/hash.h lib/store/store.h
lib/x509/cert.h:
lib/x509/der.h:
lib/core/diag.h:
lib/core/io.h:
lib/store/issuer.h:
lib/store/trustset.h:
lib/core/hash.h:
lib/store/store.h:
