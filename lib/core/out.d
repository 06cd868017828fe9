lib/core/out.o: lib/core/out.c lib/core/out.h
lib/core/out.h:
