lib/tl/ctlwrite.o: lib/tl/ctlwrite.c lib/x509/cert.h lib/tl/ctlwrite.h \
 lib/core/buf.h lib/tl/ctl.h lib/tl/tlv.h lib/tl/cucmname.h \
 lib/x509/der.h lib/core/hash.h
lib/x509/cert.h:
lib/tl/ctlwrite.h:
lib/core/buf.h:
lib/tl/ctl.h:
lib/tl/tlv.h:
lib/tl/cucmname.h:
lib/x509/der.h:
lib/core/hash.h:
