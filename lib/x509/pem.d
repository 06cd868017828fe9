lib/x509/pem.o: lib/x509/pem.c lib/x509/pem.h lib/core/buf.h
lib/x509/pem.h:
lib/core/buf.h:
