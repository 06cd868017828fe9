lib/tl/ctl.o: lib/tl/ctl.c lib/tl/ctl.h lib/tl/tlv.h lib/core/buf.h
lib/tl/ctl.h:
lib/tl/tlv.h:
lib/core/buf.h:
