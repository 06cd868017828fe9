lib/core/json.o: lib/core/json.c lib/core/json.h lib/core/out.h
lib/core/json.h:
lib/core/out.h:
