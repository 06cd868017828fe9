lib/cucm/cucm.o: lib/cucm/cucm.c lib/cucm/cucm.h
lib/cucm/cucm.h:
