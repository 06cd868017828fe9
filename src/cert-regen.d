src/cert-regen.o: src/cert-regen.c lib/core/afile.h lib/core/diag.h \
 lib/cucm/plan.h lib/core/json.h lib/cucm/profile.h lib/regen/regenjob.h \
 lib/regen/regen.h lib/store/txn.h lib/regen/regenout.h lib/store/store.h \
 lib/core/when.h
lib/core/afile.h:
lib/core/diag.h:
lib/cucm/plan.h:
lib/core/json.h:
lib/cucm/profile.h:
lib/regen/regenjob.h:
lib/regen/regen.h:
lib/store/txn.h:
lib/regen/regenout.h:
lib/store/store.h:
lib/core/when.h:
