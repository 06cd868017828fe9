src/itl-build.o: src/itl-build.c lib/core/afile.h lib/tl/ctl.h \
 lib/tl/tlv.h lib/core/buf.h lib/tl/ctljson.h lib/core/json.h \
 lib/tl/ctlwrite.h lib/core/diag.h lib/core/io.h lib/tl/itlcerts.h \
 lib/tl/itlkey.h lib/tl/itlspec.h lib/cucm/itlstore.h lib/tl/itltrust.h \
 lib/core/when.h
lib/core/afile.h:
lib/tl/ctl.h:
lib/tl/tlv.h:
lib/core/buf.h:
lib/tl/ctljson.h:
lib/core/json.h:
lib/tl/ctlwrite.h:
lib/core/diag.h:
lib/core/io.h:
lib/tl/itlcerts.h:
lib/tl/itlkey.h:
lib/tl/itlspec.h:
lib/cucm/itlstore.h:
lib/tl/itltrust.h:
lib/core/when.h:
