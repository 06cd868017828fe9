lib/store/manifest.o: lib/store/manifest.c lib/core/afile.h \
 lib/store/backup.h lib/core/diag.h lib/core/io.h lib/store/manifest.h \
 lib/core/hash.h lib/store/store.h
lib/core/afile.h:
lib/store/backup.h:
lib/core/diag.h:
lib/core/io.h:
lib/store/manifest.h:
lib/core/hash.h:
lib/store/store.h:
