lib/store/backup.o: lib/store/backup.c lib/core/afile.h \
 lib/store/backup.h lib/core/diag.h lib/core/io.h lib/store/store.h \
 lib/core/when.h
lib/core/afile.h:
lib/store/backup.h:
lib/core/diag.h:
lib/core/io.h:
lib/store/store.h:
lib/core/when.h:
