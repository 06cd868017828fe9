#include "test.h"
const struct t_case t_opt[] = { { NULL, NULL } };
