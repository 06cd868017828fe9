lib/cucm/itlstore.o: lib/cucm/itlstore.c lib/core/diag.h \
 lib/tl/itlcerts.h lib/core/buf.h lib/cucm/itlstore.h lib/tl/ctlwrite.h \
 lib/tl/ctl.h lib/tl/tlv.h lib/store/store.h
lib/core/diag.h:
lib/tl/itlcerts.h:
lib/core/buf.h:
lib/cucm/itlstore.h:
lib/tl/ctlwrite.h:
lib/tl/ctl.h:
lib/tl/tlv.h:
lib/store/store.h:
