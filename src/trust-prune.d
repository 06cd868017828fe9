src/trust-prune.o: src/trust-prune.c lib/store/backup.h lib/tl/ctlset.h \
 lib/x509/der.h lib/core/diag.h lib/x509/expiry.h lib/store/issuer.h \
 lib/store/trustset.h lib/core/hash.h lib/core/json.h \
 lib/store/manifest.h lib/core/out.h lib/cucm/plan.h lib/prune/prune.h \
 lib/prune/pruneout.h lib/core/when.h
lib/store/backup.h:
lib/tl/ctlset.h:
lib/x509/der.h:
lib/core/diag.h:
lib/x509/expiry.h:
lib/store/issuer.h:
lib/store/trustset.h:
lib/core/hash.h:
lib/core/json.h:
lib/store/manifest.h:
lib/core/out.h:
lib/cucm/plan.h:
lib/prune/prune.h:
lib/prune/pruneout.h:
lib/core/when.h:
