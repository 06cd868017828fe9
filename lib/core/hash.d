lib/core/hash.o: lib/core/hash.c lib/core/hash.h lib/core/out.h
lib/core/hash.h:
lib/core/out.h:
