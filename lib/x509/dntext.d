lib/x509/dntext.o: lib/x509/dntext.c lib/x509/dntext.h lib/core/buf.h \
 lib/core/out.h
lib/x509/dntext.h:
lib/core/buf.h:
lib/core/out.h:
