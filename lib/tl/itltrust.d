lib/tl/itltrust.o: lib/tl/itltrust.c lib/core/diag.h lib/core/io.h \
 lib/tl/itltrust.h lib/tl/ctl.h lib/tl/tlv.h lib/core/buf.h \
 lib/tl/ctljson.h lib/core/json.h
lib/core/diag.h:
lib/core/io.h:
lib/tl/itltrust.h:
lib/tl/ctl.h:
lib/tl/tlv.h:
lib/core/buf.h:
lib/tl/ctljson.h:
lib/core/json.h:
