lib/load/scan.o: lib/load/scan.c lib/core/io.h lib/load/scan.h \
 lib/core/buf.h lib/load/certfile.h lib/x509/der.h
lib/core/io.h:
lib/load/scan.h:
lib/core/buf.h:
lib/load/certfile.h:
lib/x509/der.h:
