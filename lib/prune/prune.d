lib/prune/prune.o: lib/prune/prune.c lib/cucm/cucm.h lib/core/diag.h \
 lib/prune/prune.h lib/tl/ctlset.h lib/store/issuer.h \
 lib/store/trustset.h lib/x509/der.h lib/core/hash.h
lib/cucm/cucm.h:
lib/core/diag.h:
lib/prune/prune.h:
lib/tl/ctlset.h:
lib/store/issuer.h:
lib/store/trustset.h:
lib/x509/der.h:
lib/core/hash.h:
