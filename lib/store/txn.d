lib/store/txn.o: lib/store/txn.c lib/core/afile.h lib/store/backup.h \
 lib/core/buf.h lib/core/diag.h lib/core/io.h lib/store/store.h \
 lib/store/txn.h
lib/core/afile.h:
lib/store/backup.h:
lib/core/buf.h:
lib/core/diag.h:
lib/core/io.h:
lib/store/store.h:
lib/store/txn.h:
