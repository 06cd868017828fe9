lib/tl/itlkey.o: lib/tl/itlkey.c lib/core/diag.h lib/core/io.h \
 lib/tl/itlkey.h
lib/core/diag.h:
lib/core/io.h:
lib/tl/itlkey.h:
