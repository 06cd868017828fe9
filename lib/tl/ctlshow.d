lib/tl/ctlshow.o: lib/tl/ctlshow.c lib/tl/ctlshow.h lib/tl/ctl.h \
 lib/tl/tlv.h lib/core/buf.h lib/core/hash.h lib/core/out.h
lib/tl/ctlshow.h:
lib/tl/ctl.h:
lib/tl/tlv.h:
lib/core/buf.h:
lib/core/hash.h:
lib/core/out.h:
