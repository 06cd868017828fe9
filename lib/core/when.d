lib/core/when.o: lib/core/when.c lib/core/diag.h lib/core/when.h
lib/core/diag.h:
lib/core/when.h:
