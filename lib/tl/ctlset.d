lib/tl/ctlset.o: lib/tl/ctlset.c lib/tl/ctl.h lib/tl/tlv.h lib/core/buf.h \
 lib/tl/ctlset.h lib/core/diag.h lib/core/io.h
lib/tl/ctl.h:
lib/tl/tlv.h:
lib/core/buf.h:
lib/tl/ctlset.h:
lib/core/diag.h:
lib/core/io.h:
