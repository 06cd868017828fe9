lib/x509/expiry.o: lib/x509/expiry.c lib/x509/expiry.h
lib/x509/expiry.h:
