lib/cucm/alarm.o: lib/cucm/alarm.c lib/cucm/alarm.h lib/core/buf.h \
 lib/x509/expiry.h lib/core/out.h lib/core/when.h
lib/cucm/alarm.h:
lib/core/buf.h:
lib/x509/expiry.h:
lib/core/out.h:
lib/core/when.h:
