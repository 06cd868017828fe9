lib/tl/itlspec.o: lib/tl/itlspec.c lib/core/diag.h lib/core/io.h \
 lib/tl/itlcerts.h lib/core/buf.h lib/tl/itlspec.h lib/tl/ctlwrite.h \
 lib/tl/ctl.h lib/tl/tlv.h
lib/core/diag.h:
lib/core/io.h:
lib/tl/itlcerts.h:
lib/core/buf.h:
lib/tl/itlspec.h:
lib/tl/ctlwrite.h:
lib/tl/ctl.h:
lib/tl/tlv.h:
