lib/regen/regenjob.o: lib/regen/regenjob.c lib/core/afile.h \
 lib/x509/cert.h lib/core/diag.h lib/core/io.h lib/tl/itlkey.h \
 lib/core/out.h lib/regen/regenjob.h lib/cucm/profile.h lib/regen/regen.h \
 lib/store/txn.h lib/store/store.h
lib/core/afile.h:
lib/x509/cert.h:
lib/core/diag.h:
lib/core/io.h:
lib/tl/itlkey.h:
lib/core/out.h:
lib/regen/regenjob.h:
lib/cucm/profile.h:
lib/regen/regen.h:
lib/store/txn.h:
lib/store/store.h:
