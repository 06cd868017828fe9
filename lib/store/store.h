/* store.h: the offline certificate store: STORE/UNIT/UNIT.pem, UNIT.key, UNIT-trust/<certs>. */
#ifndef CTK_STORE_H
#define CTK_STORE_H

/* 1 when unit names a trust store ("...-trust"). */
int store_is_trust(const char *unit);
/* 1 when file is the own certificate of unit ("CallManager/CallManager.pem"). */
int store_is_own(const char *unit, const char *file);

#endif
