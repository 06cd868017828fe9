lib/cucm/profile.o: lib/cucm/profile.c lib/cucm/profile.h
lib/cucm/profile.h:
