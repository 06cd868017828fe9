lib/tl/ctlkey.o: lib/tl/ctlkey.c lib/tl/ctlkey.h lib/tl/ctl.h \
 lib/tl/tlv.h lib/core/buf.h lib/x509/der.h
lib/tl/ctlkey.h:
lib/tl/ctl.h:
lib/tl/tlv.h:
lib/core/buf.h:
lib/x509/der.h:
