/*
 * t_io.c: whole reads and writes at an offset (lib/core/io), as the streaming ITL writer puts
 * its signature in place and reads the file back: all or an error, never a loop without end.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "core/io.h"
#include "test.h"

static void
positioned(void)
{
	FILE *f = tmpfile();
	char got[8] = "";
	int fd;

	assert_true(f != NULL);
	fd = fileno(f);
	assert_int(io_writeall(fd, "abcdefgh", 8), 0);
	assert_int(io_pwriteall(fd, "XY", 2, 3), 0);
	assert_int(io_preadall(fd, got, 8, 0), 0);
	assert_mem(got, 8, "abcXYfgh", 8);
	/* the file ends first: EIO, not a short read taken as whole */
	errno = 0;
	assert_int(io_preadall(fd, got, 4, 6), -1);
	assert_int(errno, EIO);
	/* a descriptor that cannot be written: its errno */
	assert_int(io_pwriteall(-1, "x", 1, 0), -1);
	assert_int(errno, EBADF);
	fclose(f);
}

const struct t_case t_io[] = {
	{ "io: pwrite and pread of all bytes at an offset; a file that ends first is EIO", positioned },
	{ NULL, NULL }
};
