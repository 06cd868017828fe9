/* store.h: the offline certificate store: STORE/UNIT/UNIT.pem, UNIT.key, UNIT-trust/<certs>. */
#ifndef CTK_STORE_H
#define CTK_STORE_H

#include "core/path.h"

/* 1 when unit names a trust store ("...-trust"). */
int store_is_trust(const char *unit);
/* 1 when file is the own certificate of unit ("CallManager/CallManager.pem"). */
int store_is_own(const char *unit, const char *file);

/*
 * The path helpers' old names (now core/path.h, path_*): kept for one step so branches begun
 * before the move still build. New code calls path_*.
 */
#define store_join path_join
#define store_list path_list
#define store_list_free path_list_free
#define store_isdir path_isdir
#define store_isreg path_isreg
#define store_mkdirs path_mkdirs

#endif
