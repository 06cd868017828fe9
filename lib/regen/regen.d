lib/regen/regen.o: lib/regen/regen.c lib/core/diag.h lib/core/hash.h \
 lib/regen/regen.h
lib/core/diag.h:
lib/core/hash.h:
lib/regen/regen.h:
