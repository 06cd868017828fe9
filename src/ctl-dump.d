src/ctl-dump.o: src/ctl-dump.c lib/core/afile.h lib/x509/cert.h \
 lib/tl/ctl.h lib/tl/tlv.h lib/core/buf.h lib/tl/ctljson.h \
 lib/core/json.h lib/tl/ctlshow.h lib/x509/der.h lib/core/diag.h \
 lib/core/hash.h lib/core/io.h lib/core/out.h lib/x509/pem.h \
 lib/store/store.h lib/core/when.h
lib/core/afile.h:
lib/x509/cert.h:
lib/tl/ctl.h:
lib/tl/tlv.h:
lib/core/buf.h:
lib/tl/ctljson.h:
lib/core/json.h:
lib/tl/ctlshow.h:
lib/x509/der.h:
lib/core/diag.h:
lib/core/hash.h:
lib/core/io.h:
lib/core/out.h:
lib/x509/pem.h:
lib/store/store.h:
lib/core/when.h:
