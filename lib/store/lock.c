/* lock.c: flock(2) on STORE/.lock; the exclusive holder leaves its name for whoever waits. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/diag.h"
#include "core/io.h"
#include "store/lock.h"
#include "core/path.h"

#define LOCKNAME ".lock"

/* The holder's "<tool> pid <N>" from the lock file when that process lives; 0 if none is there. */
static int
holder(int fd, char *out, size_t outlen)
{
	ssize_t r = pread(fd, out, outlen - 1, 0);
	const char *p;
	long pid;
	size_t i;

	if (r <= 0)
		return 0;
	out[r] = '\0';
	out[strcspn(out, "\n")] = '\0';
	for (i = 0; out[i] != '\0'; i++)	/* a planted lock file never reaches the terminal raw */
		if ((unsigned char)out[i] < 0x20 || (unsigned char)out[i] >= 0x7f)
			out[i] = '?';
	if ((p = strstr(out, " pid ")) == NULL || (pid = strtol(p + 5, NULL, 10)) <= 0 ||
	    (kill((pid_t)pid, 0) != 0 && errno != EPERM))
		return 0;	/* a name left by a holder that has gone */
	return 1;
}

/*
 * Who holds the lock, for the busy message: a new holder may not have written its name
 * yet. 1 named; 0 none found (a holder that wrote none, or one that has just gone).
 */
static int
who(int fd, char *out, size_t outlen)
{
	struct timespec pause = { 0, 10 * 1000 * 1000 };
	int k;

	for (k = 0; k < 20; k++) {
		if (holder(fd, out, outlen))
			return 1;
		nanosleep(&pause, NULL);
	}
	snprintf(out, outlen, "another tool");
	return 0;
}

static int
open_lock(const char *path, int excl)
{
	struct stat st;
	int fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK, 0600);

	if (fd < 0 && !excl && (errno == EACCES || errno == EROFS || errno == EPERM))
		fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd >= 0 && (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))) {
		close(fd);
		errno = EINVAL;
		return -1;
	}
	return fd;
}

int
lock_take(struct lock *l, const char *store, int excl, int wait, const char *tool)
{
	char *path = path_join(store, LOCKNAME, NULL), name[128], me[128];
	struct timespec pause = { 0, 20 * 1000 * 1000 };
	time_t until = time(NULL) + wait;
	int retried = 0;
	int n;

	l->fd = -1;
	l->excl = excl;
	if (path == NULL) {
		warnf("%s: out of memory", store);
		return -1;
	}
	if ((l->fd = open_lock(path, excl)) < 0) {
		if (!excl && (errno == EACCES || errno == EROFS || errno == ENOENT)) {
			free(path);	/* a reader of a store it may not write: unlocked */
			return 0;
		}
		warnf("%s:", path);
		free(path);
		return -1;
	}
	while (flock(l->fd, (excl ? LOCK_EX : LOCK_SH) | LOCK_NB) != 0) {
		if (errno != EWOULDBLOCK && errno != EINTR) {
			warnf("%s:", path);
			goto fail;
		}
		if (time(NULL) >= until) {
			/* No live holder named: it may have gone meanwhile; try once more. */
			if (!who(l->fd, name, sizeof(name)) && !retried++)
				continue;
			warnf("%s: store busy: locked by %s (waited %d s; --wait SECONDS waits longer)",
			    store, name, wait);
			goto fail;
		}
		nanosleep(&pause, NULL);
	}
	/* Every holder that may write leaves its name (readers too: a changer waits for them). */
	n = snprintf(me, sizeof(me), "%s pid %ld\n", tool, (long)getpid());
	if ((fcntl(l->fd, F_GETFL) & O_ACCMODE) == O_RDWR) {
		if (excl)
			(void)fchmod(l->fd, 0600);	/* a lock file planted readable is made private */
		if (ftruncate(l->fd, 0) != 0 || pwrite(l->fd, me, (size_t)n, 0) != n)
			(void)0;	/* the name is a courtesy to waiters; the lock is what counts */
	}
	free(path);
	return 0;
fail:
	close(l->fd);
	l->fd = -1;
	free(path);
	return -1;
}

void
lock_release(struct lock *l)
{
	if (l->fd < 0)
		return;
	close(l->fd);	/* drops the flock; a name left behind is known stale by its pid */
	l->fd = -1;
}

struct order {
	char		*real;
	size_t		 i;
};

static int
bypath(const void *a, const void *b)
{
	return strcmp(((const struct order *)a)->real, ((const struct order *)b)->real);
}

int
lock_all(struct lock *l, const char *const *stores, size_t n, int excl, int wait,
    const char *tool)
{
	struct order *o = calloc(n + 1, sizeof(*o));
	size_t i, k;
	int rc = 0;

	for (i = 0; i < n; i++)
		l[i].fd = -1;
	if (o == NULL) {
		warnf("out of memory");
		return -1;
	}
	for (i = 0; i < n && rc == 0; i++) {
		o[i].i = i;
		if ((o[i].real = realpath(stores[i], NULL)) == NULL) {
			warnf("%s:", stores[i]);
			rc = -1;
		}
	}
	if (rc == 0)
		qsort(o, n, sizeof(*o), bypath);
	for (k = 0; k < n && rc == 0; k++)
		if (lock_take(&l[o[k].i], o[k].real, excl, wait, tool) != 0)
			rc = -1;
	for (i = 0; i < n; i++) {
		if (rc != 0)
			lock_release(&l[i]);
		free(o[i].real);
	}
	free(o);
	return rc;
}
