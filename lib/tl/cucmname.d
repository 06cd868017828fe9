lib/tl/cucmname.o: lib/tl/cucmname.c lib/core/buf.h lib/tl/cucmname.h \
 lib/x509/der.h
lib/core/buf.h:
lib/tl/cucmname.h:
lib/x509/der.h:
