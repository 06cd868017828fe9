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

const char *
io_notreg(const struct stat *st)
{
	if (S_ISREG(st->st_mode))
		return NULL;
	if (S_ISDIR(st->st_mode))
		return "is a directory";
	if (S_ISFIFO(st->st_mode))
		return "a FIFO, not a regular file";
	if (S_ISSOCK(st->st_mode))
		return "a socket, not a regular file";
	if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode))
		return "a device, not a regular file";
	return "not a regular file";
}

int
io_open(const char *path, int oflags, const char **why)
{
	struct stat st;
	int fd;

	/* O_NONBLOCK: the open of a FIFO returns at once; fstat then refuses it before any read. */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | oflags)) < 0) {
		*why = strerror(errno);
		return -1;
	}
	if (fstat(fd, &st) != 0) {
		*why = strerror(errno);
		close(fd);
		return -1;
	}
	if ((*why = io_notreg(&st)) != NULL) {
		close(fd);
		return -1;
	}
	return fd;
}

uint8_t *
io_slurp_flags(const char *path, size_t max, size_t *len, int flags)
{
	struct stat st;
	const char *why;
	uint8_t *buf;
	int fd;

	if (strcmp(path, "-") == 0)
		return io_slurp_fd(STDIN_FILENO, io_name(path), max, len);
	if ((fd = io_open(path, 0, &why)) < 0 && (!(flags & IO_STREAM) ||
	    (fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)) < 0)) {
		warnf("%s: %s", path, why);
		return NULL;
	}
	/* IO_STREAM: a pipe is read to its end, blocking as stdin does; never a directory. */
	if ((flags & IO_STREAM) && fstat(fd, &st) == 0 && !S_ISREG(st.st_mode)) {
		if (S_ISDIR(st.st_mode)) {
			warnf("%s: is a directory", path);
			close(fd);
			return NULL;
		}
		(void)fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	}
	buf = io_slurp_fd(fd, path, max, len);
	close(fd);
	return buf;
}

uint8_t *
io_slurp(const char *path, size_t max, size_t *len)
{
	return io_slurp_flags(path, max, len, 0);
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

/* pwrite (wr) or pread all of p[0..len) at off: 0, or -1 with errno (EIO: no way made). */
static int
posall(int fd, uint8_t *p, size_t len, off_t off, int wr)
{
	ssize_t r;

	while (len > 0) {
		if ((r = wr ? pwrite(fd, p, len, off) : pread(fd, p, len, off)) <= 0) {
			if (r < 0 && errno == EINTR)
				continue;
			if (r == 0)
				errno = EIO;
			return -1;
		}
		p += r;
		off += r;
		len -= (size_t)r;
	}
	return 0;
}

int
io_pwriteall(int fd, const void *buf, size_t len, off_t off)
{
	return posall(fd, (uint8_t *)(uintptr_t)buf, len, off, 1);	/* only read from */
}

int
io_preadall(int fd, void *buf, size_t len, off_t off)
{
	return posall(fd, buf, len, off, 0);
}
