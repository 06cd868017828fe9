/* dirsort.c: one readdir pass; runs of names sorted in memory, spilled and merged beyond one. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "core/dirsort.h"

/* A sorted run in the spill file, read back through a small buffer. */
struct dirsort_run {
	off_t		 pos, end;	/* the part of the spill file not yet buffered */
	char		 buf[8192];	/* a record: type byte, name, NUL (at most 257 bytes) */
	size_t		 at, len;	/* buf[at .. len) not yet taken */
	int		 live;		/* 1: buf[at] starts the run's current record */
};

#define NAME(ds, i) ((ds)->arena + (ds)->h[i].off)

static const char *sort_arena;

static int
entcmp(const void *a, const void *b)
{
	return strcmp(sort_arena + ((const struct dirsort_ent *)a)->off,
	    sort_arena + ((const struct dirsort_ent *)b)->off);
}

/* Append one entry to the run in memory. -1: out of memory. */
static int
add(struct dirsort *ds, const char *name, unsigned char type)
{
	size_t len = strlen(name) + 1, cap;
	struct dirsort_ent *nh;
	char *na;

	if (ds->k == ds->hcap) {
		cap = ds->hcap ? ds->hcap * 2 : 64;
		if ((nh = realloc(ds->h, cap * sizeof(*nh))) == NULL)
			return -1;
		ds->h = nh;
		ds->hcap = cap;
	}
	if (ds->cap - ds->used < len) {
		for (cap = ds->cap ? ds->cap : 4096; cap - ds->used < len; cap *= 2)
			;
		if (cap > UINT32_MAX || (na = realloc(ds->arena, cap)) == NULL)
			return -1;
		ds->arena = na;
		ds->cap = cap;
	}
	memcpy(ds->arena + ds->used, name, len);
	ds->h[ds->k++] = (struct dirsort_ent){ (uint32_t)ds->used, type };
	ds->used += len;
	return 0;
}

static void
sort(struct dirsort *ds)
{
	sort_arena = ds->arena;	/* qsort has no context argument; nothing recurses meanwhile */
	if (ds->k > 0)		/* an empty directory has no array yet: qsort(NULL) is undefined */
		qsort(ds->h, ds->k, sizeof(*ds->h), entcmp);
}

/* Sort the run in memory and write it to the spill file; memory is reused. -1 on failure. */
static int
spill(struct dirsort *ds)
{
	struct dirsort_run *nr;
	off_t start;
	size_t i;

	if (ds->spill == NULL && (ds->spill = tmpfile()) == NULL)
		return -1;
	if ((nr = realloc(ds->runs, (ds->nruns + 1) * sizeof(*nr))) == NULL)
		return -1;
	ds->runs = nr;
	sort(ds);
	if ((start = ftello(ds->spill)) < 0)
		return -1;
	for (i = 0; i < ds->k; i++)
		if (putc(ds->h[i].type, ds->spill) == EOF ||
		    fwrite(NAME(ds, i), 1, strlen(NAME(ds, i)) + 1, ds->spill) == 0)
			return -1;
	memset(&nr[ds->nruns], 0, sizeof(*nr));
	nr[ds->nruns].pos = start;
	if ((nr[ds->nruns].end = ftello(ds->spill)) < 0)
		return -1;
	ds->nruns++;
	ds->k = ds->used = 0;
	return 0;
}

int
dirsort_read(struct dirsort *ds, DIR *d)
{
	struct dirent *e;
	const char *env = getenv("CTK_DIRSORT_RUN");

	memset(ds, 0, sizeof(*ds));
	ds->run = DIRSORT_RUN;
	if (env != NULL && atol(env) >= 2 && atol(env) < DIRSORT_RUN)
		ds->run = (size_t)atol(env);
	for (;;) {
		errno = 0;
		if ((e = readdir(d)) == NULL)
			break;
		if (e->d_name[0] == '.')
			continue;
		if ((ds->k == ds->run && spill(ds) != 0) || add(ds, e->d_name, e->d_type) != 0) {
			if (errno == 0)
				errno = ENOMEM;
			return -1;
		}
	}
	if (errno != 0)
		return -1;
	/* Several runs: the last goes to the file too, and all are merged from there. */
	if (ds->nruns > 0 && ds->k > 0 && spill(ds) != 0)
		return -1;
	if (ds->nruns > 0 && fflush(ds->spill) != 0)
		return -1;
	sort(ds);
	return 0;
}

/* Make buf[at..len) of run r hold a whole record (or the run end). -1 on a read error. */
static int
fill(struct dirsort *ds, struct dirsort_run *r)
{
	size_t want;
	ssize_t n;

	if (r->len - r->at > 0 && memchr(r->buf + r->at + 1, '\0', r->len - r->at - 1) != NULL)
		return 0;
	memmove(r->buf, r->buf + r->at, r->len - r->at);
	r->len -= r->at;
	r->at = 0;
	while (r->pos < r->end && r->len < sizeof(r->buf)) {
		want = sizeof(r->buf) - r->len;
		if ((off_t)want > r->end - r->pos)
			want = (size_t)(r->end - r->pos);
		if ((n = pread(fileno(ds->spill), r->buf + r->len, want, r->pos)) <= 0) {
			if (n < 0 && errno == EINTR)
				continue;
			return -1;
		}
		r->len += (size_t)n;
		r->pos += n;
	}
	return 0;
}

int
dirsort_next(struct dirsort *ds, const char **name, unsigned char *type)
{
	struct dirsort_run *r, *best = NULL;
	size_t i;

	if (ds->nruns == 0) {
		if (ds->next >= ds->k)
			return 0;
		*name = NAME(ds, ds->next);
		*type = ds->h[ds->next++].type;
		return 1;
	}
	/* k-way merge: each run's current record sits at buf[at]; take the smallest */
	for (i = 0; i < ds->nruns; i++) {
		r = &ds->runs[i];
		if (r->live) {
			r->at += 2 + strlen(r->buf + r->at + 1);	/* taken last time? see below */
			r->live = 0;
		}
	}
	for (i = 0; i < ds->nruns; i++) {
		r = &ds->runs[i];
		if (fill(ds, r) != 0)
			return -1;
		if (r->at < r->len && (best == NULL ||
		    strcmp(r->buf + r->at + 1, best->buf + best->at + 1) < 0))
			best = r;
	}
	if (best == NULL)
		return 0;
	best->live = 1;		/* consumed at the next call, once the caller is done with the name */
	*type = (unsigned char)best->buf[best->at];
	*name = best->buf + best->at + 1;
	return 1;
}

void
dirsort_close(struct dirsort *ds)
{
	if (ds->spill != NULL)
		fclose(ds->spill);
	free(ds->runs);
	free(ds->h);
	free(ds->arena);
	memset(ds, 0, sizeof(*ds));
}
