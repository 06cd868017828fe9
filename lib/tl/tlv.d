lib/tl/tlv.o: lib/tl/tlv.c lib/tl/tlv.h lib/core/buf.h
lib/tl/tlv.h:
lib/core/buf.h:
