lib/load/certfile.o: lib/load/certfile.c lib/x509/cert.h \
 lib/load/certfile.h lib/core/buf.h lib/x509/der.h lib/tl/ctl.h \
 lib/tl/tlv.h lib/x509/pem.h
lib/x509/cert.h:
lib/load/certfile.h:
lib/core/buf.h:
lib/x509/der.h:
lib/tl/ctl.h:
lib/tl/tlv.h:
lib/x509/pem.h:
