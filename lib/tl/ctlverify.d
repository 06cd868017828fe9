lib/tl/ctlverify.o: lib/tl/ctlverify.c lib/tl/ctl.h lib/tl/tlv.h \
 lib/core/buf.h lib/core/hash.h
lib/tl/ctl.h:
lib/tl/tlv.h:
lib/core/buf.h:
lib/core/hash.h:
