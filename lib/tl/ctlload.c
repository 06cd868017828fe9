/* ctlload.c: read and parse a CTL/ITL file with one diagnostic, for every tool that takes one. */
#include <string.h>

#include "tl/ctl.h"
#include "core/diag.h"
#include "core/io.h"

int
ctl_load(const char *path, uint8_t **buf, struct ctl *c)
{
	size_t len;

	memset(c, 0, sizeof(*c));
	if ((*buf = io_slurp(path, IO_MAX, &len)) == NULL)
		return -1;
	if (ctl_parse(c, *buf, len) != 0) {
		warnf("%s: %s at byte %zu", io_name(path), c->err, c->err_off);
		return -1;
	}
	return 0;
}
