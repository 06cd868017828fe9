lib/core/diag.o: lib/core/diag.c lib/core/diag.h lib/core/out.h
lib/core/diag.h:
lib/core/out.h:
