/*
 * ctl-dump-baseline: the physical limit for `ctl-dump` on a directory: read each
 * file, parse it, check its RSA signature. Nothing printed, nothing hashed.
 * usage: ctl-dump-baseline FILE...   (prints the number verified)
 */
#include <stdio.h>
#include <stdlib.h>

#include "ctl.h"
#include "io.h"

int
main(int argc, char *argv[])
{
	struct ctl_verify v;
	struct ctl c;
	uint8_t *buf;
	size_t len;
	int i, ok = 0;

	for (i = 1; i < argc; i++) {
		if ((buf = io_slurp(argv[i], IO_MAX, &len)) == NULL)
			return 2;
		if (ctl_parse(&c, buf, len) == 0 && ctl_verify(&c, &v))
			ok++;
		ctl_free(&c);
		free(buf);
	}
	printf("%d\n", ok);
	return 0;
}
