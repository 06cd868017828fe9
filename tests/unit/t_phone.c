#include "test.h"
const struct t_case t_phone[] = { { NULL, NULL } };
