lib/tl/ctlload.o: lib/tl/ctlload.c lib/tl/ctl.h lib/tl/tlv.h \
 lib/core/buf.h lib/core/diag.h lib/core/io.h
lib/tl/ctl.h:
lib/tl/tlv.h:
lib/core/buf.h:
lib/core/diag.h:
lib/core/io.h:
