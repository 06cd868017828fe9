lib/store/store.o: lib/store/store.c lib/core/diag.h lib/store/store.h
lib/core/diag.h:
lib/store/store.h:
