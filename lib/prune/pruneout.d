lib/prune/pruneout.o: lib/prune/pruneout.c lib/cucm/cucm.h \
 lib/core/diag.h lib/core/out.h lib/prune/prune.h lib/tl/ctlset.h \
 lib/store/issuer.h lib/store/trustset.h lib/x509/der.h lib/core/hash.h \
 lib/prune/pruneout.h lib/core/json.h lib/store/manifest.h \
 lib/cucm/plan.h lib/core/when.h
lib/cucm/cucm.h:
lib/core/diag.h:
lib/core/out.h:
lib/prune/prune.h:
lib/tl/ctlset.h:
lib/store/issuer.h:
lib/store/trustset.h:
lib/x509/der.h:
lib/core/hash.h:
lib/prune/pruneout.h:
lib/core/json.h:
lib/store/manifest.h:
lib/cucm/plan.h:
lib/core/when.h:
