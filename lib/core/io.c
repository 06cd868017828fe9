/* io.c: whole-file reads with a cap, so hostile input cannot exhaust memory. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/diag.h"
#include "core/io.h"

const char *
io_name(const char *path)
{
	return strcmp(path, "-") == 0 ? "<stdin>" : path;
}

uint8_t *
io_slurp_fd(int fd, const char *name, size_t max, size_t *len)
{
	struct stat st;
	uint8_t *buf = NULL, *nb;
	size_t cap = 0, n = 0;
	ssize_t r;

	if (fstat(fd, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			warnf("%s: is a directory", name);
			return NULL;
		}
		if (S_ISREG(st.st_mode) && (uintmax_t)st.st_size > max) {
			warnf("%s: larger than %zu bytes", name, max);
			return NULL;
		}
		if (S_ISREG(st.st_mode))
			cap = (size_t)st.st_size + 1;
	}
	if (cap < 4096)
		cap = 4096;
	if ((buf = malloc(cap)) == NULL)
		goto nomem;
	for (;;) {
		if (n + 1 >= cap) {
			if (cap > max) {
				warnf("%s: larger than %zu bytes", name, max);
				goto fail;
			}
			cap *= 2;
			if ((nb = realloc(buf, cap)) == NULL)
				goto nomem;
			buf = nb;
		}
		r = read(fd, buf + n, cap - n - 1);
		if (r == 0)
			break;
		if (r < 0) {
			if (errno == EINTR)
				continue;
			warnf("%s: read:", name);
			goto fail;
		}
		n += (size_t)r;
		if (n > max) {
			warnf("%s: larger than %zu bytes", name, max);
			goto fail;
		}
	}
	buf[n] = '\0';
	*len = n;
	return buf;
nomem:
	warnf("%s: out of memory", name);
fail:
	free(buf);
	return NULL;
}

uint8_t *
io_slurp(const char *path, size_t max, size_t *len)
{
	uint8_t *buf;
	int fd;

	if (strcmp(path, "-") == 0)
		return io_slurp_fd(STDIN_FILENO, io_name(path), max, len);
	/* O_NONBLOCK: a FIFO planted in a store must not hang the tool. */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)) < 0) {
		warnf("%s:", path);
		return NULL;
	}
	/* Back to blocking reads: a FIFO with no writer then reads as empty. */
	(void)fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	buf = io_slurp_fd(fd, path, max, len);
	close(fd);
	return buf;
}

int
io_writeall(int fd, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	ssize_t r;

	while (len > 0) {
		if ((r = write(fd, p, len)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += r;
		len -= (size_t)r;
	}
	return 0;
}
