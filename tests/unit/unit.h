/* unit.h: what the unit test files share beyond test.h. */
#ifndef CTK_UNIT_UNIT_H
#define CTK_UNIT_UNIT_H
#include <stddef.h>
#include <stdint.h>
#include "dump/ctldump.h"

/* Documents in s, valid JSON Lines (one value a line, as every tool's JSON), or -1 (util.c). */
int t_json_lines(const char *s, size_t n);

/*
 * ctl-dump's run (lib/dump/ctldump) over buf given on stdin, as `ctl-dump [MODE] - <FILE`
 * runs it: returns its exit status; *out and *err (malloc'd) what it wrote on stdout and stderr.
 */
int t_ctldump(const uint8_t *buf, size_t len, enum ctldump_mode mode, char **out, char **err);
/* The same with the options of *d (its mode, --trust's oldpath, ...) as ctl-dump's main sets them. */
int t_ctldump_with(struct ctldump *d, const uint8_t *buf, size_t len, char **out, char **err);
#endif
