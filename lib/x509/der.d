lib/x509/der.o: lib/x509/der.c lib/x509/der.h lib/core/when.h
lib/x509/der.h:
lib/core/when.h:
