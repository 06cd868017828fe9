lib/tl/ctljson.o: lib/tl/ctljson.c lib/tl/ctljson.h lib/tl/ctl.h \
 lib/tl/tlv.h lib/core/buf.h lib/core/json.h lib/x509/der.h \
 lib/x509/dntext.h lib/core/hash.h lib/core/out.h lib/core/when.h
lib/tl/ctljson.h:
lib/tl/ctl.h:
lib/tl/tlv.h:
lib/core/buf.h:
lib/core/json.h:
lib/x509/der.h:
lib/x509/dntext.h:
lib/core/hash.h:
lib/core/out.h:
lib/core/when.h:
