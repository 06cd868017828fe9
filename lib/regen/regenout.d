lib/regen/regenout.o: lib/regen/regenout.c lib/x509/cert.h \
 lib/core/json.h lib/core/out.h lib/regen/regenout.h lib/cucm/plan.h \
 lib/regen/regenjob.h lib/cucm/profile.h lib/regen/regen.h \
 lib/store/txn.h lib/store/store.h lib/core/when.h
lib/x509/cert.h:
lib/core/json.h:
lib/core/out.h:
lib/regen/regenout.h:
lib/cucm/plan.h:
lib/regen/regenjob.h:
lib/cucm/profile.h:
lib/regen/regen.h:
lib/store/txn.h:
lib/store/store.h:
lib/core/when.h:
