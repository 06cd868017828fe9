lib/core/io.o: lib/core/io.c lib/core/diag.h lib/core/io.h
lib/core/diag.h:
lib/core/io.h:
