lib/x509/keyid.o: lib/x509/keyid.c lib/x509/der.h lib/x509/keyid.h
lib/x509/der.h:
lib/x509/keyid.h:
