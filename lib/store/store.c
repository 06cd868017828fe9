/* store.c: the offline store's layout: which unit is a trust store, which file is a unit's own certificate. */
#include <string.h>

#include "store/store.h"

int
store_is_trust(const char *unit)
{
	size_t n = strlen(unit);

	return n > 6 && strcmp(unit + n - 6, "-trust") == 0;
}

int
store_is_own(const char *unit, const char *file)
{
	size_t n = strlen(unit);

	return !store_is_trust(unit) && strncmp(file, unit, n) == 0 &&
	    strcmp(file + n, ".pem") == 0;
}
