/* io.h: read a whole input ("-" is stdin) under a size cap. */
#ifndef CTK_IO_H
#define CTK_IO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

/* Larger inputs are refused: no trust list or certificate bundle comes near it. */
#define IO_MAX ((size_t)64 << 20)

/* io_slurp_flags: a FIFO or a pipe is welcome too (a password file given as <(...)). */
#define IO_STREAM	0x1

/* The name used in messages: "<stdin>" for "-", else path. */
const char *io_name(const char *path);
/*
 * Read all of path ("-" = stdin) into a malloc'd buffer with a NUL after the
 * last byte (not counted in *len). Refuses directories and inputs over max.
 * Returns NULL after one diagnostic naming the file.
 */
uint8_t *io_slurp(const char *path, size_t max, size_t *len);
/* The same; flags IO_STREAM accepts a FIFO, a pipe or a character device by name. */
uint8_t *io_slurp_flags(const char *path, size_t max, size_t *len, int flags);
/*
 * Open path to read it as a regular file: O_NONBLOCK (a FIFO with or without a
 * writer never blocks the open) plus oflags (O_NOFOLLOW...), then the type is
 * checked before any read. The descriptor, or -1 with *why "is a directory",
 * "a FIFO, not a regular file"..., or strerror(errno). No diagnostics.
 */
int io_open(const char *path, int oflags, const char **why);
/* Why st is not a regular file ("is a directory", "a FIFO, not a regular file"...), NULL when it is. */
const char *io_notreg(const struct stat *st);
/* The same for an open descriptor; name is used in messages only. */
uint8_t *io_slurp_fd(int fd, const char *name, size_t max, size_t *len);
/* Write all of buf to fd, retrying short writes. 0 or -1 (errno set). */
int io_writeall(int fd, const void *buf, size_t len);
/*
 * The same at offset off (pwrite), and len bytes read from off (pread): 0, or -1
 * with errno set (EIO for a file that ends first, or a write that makes no way).
 */
int io_pwriteall(int fd, const void *buf, size_t len, off_t off);
int io_preadall(int fd, void *buf, size_t len, off_t off);

#endif
