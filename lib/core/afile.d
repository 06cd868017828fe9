lib/core/afile.o: lib/core/afile.c lib/core/afile.h lib/core/diag.h
lib/core/afile.h:
lib/core/diag.h:
