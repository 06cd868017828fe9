lib/cucm/plan.o: lib/cucm/plan.c lib/cucm/cucm.h lib/cucm/plan.h \
 lib/core/json.h
lib/cucm/cucm.h:
lib/cucm/plan.h:
lib/core/json.h:
