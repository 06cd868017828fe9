/*
 * clpub.c: phones of different TFTP nodes must never see one node's new ITL
 * beside another's old one signed by a key that now lives only in a backup:
 * temps first, renames last, and every rename undone on a failure.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/afile.h"
#include "core/diag.h"
#include "core/io.h"
#include "regen/clpub.h"
#include "core/path.h"
#include "store/txnio.h"

int
clpub_add(struct clpub *pb, const char *dir, const char *name, const uint8_t *p, size_t len,
    const uint8_t *old, size_t oldlen, int keep)
{
	struct clpub_file *f;

	if ((f = realloc(pb->f, (pb->n + 1) * sizeof(*f))) == NULL)
		return -1;
	pb->f = f;
	f = &pb->f[pb->n];
	memset(f, 0, sizeof(*f));
	if ((f->dir = strdup(dir)) == NULL)
		return -1;
	f->name = name, f->p = p, f->len = len, f->old = old, f->oldlen = oldlen;
	f->keep = keep;
	pb->n++;
	return 0;
}

/* 1 when path holds exactly p[0..n): a copy --runbook kept before the window. */
static int
kept_already(const char *path, const uint8_t *p, size_t n)
{
	uint8_t *q;
	size_t m = 0;
	int r;

	if (!path_isreg(path) || (q = io_slurp(path, IO_MAX, &m)) == NULL)
		return 0;
	r = m == n && memcmp(p, q, n) == 0;
	free(q);
	return r;
}

/*
 * The history copy of f: dir/history/<step - 1>-name, never over an existing
 * one; the same bytes kept there already (by --runbook) are left, not f's to remove.
 */
static int
keep_old(struct clpub_file *f, int step)
{
	char name[300], *h = path_join(f->dir, "history", NULL);
	int rc = -1;

	snprintf(name, sizeof(name), "%03d-%s", step - 1, f->name);
	if (h != NULL && (path_mkdirs(h, 0755) == 0 || errno == EEXIST) &&
	    (f->hist = path_join(h, name, NULL)) != NULL && kept_already(f->hist, f->old,
	    f->oldlen)) {
		free(f->hist);
		f->hist = NULL;
		rc = 0;
	} else if (f->hist != NULL && txnio_step(f->hist) == 0 &&
	    afile_write(f->hist, f->old, f->oldlen, AFILE_MODE_DEFAULT, 0) == 0)
		rc = 0;
	if (rc != 0) {
		free(f->hist);
		f->hist = NULL;
	}
	free(h);
	return rc;
}

/* Write f's new bytes beside its target (af open, temp written and flushed). */
static int
stage(const struct clpub_file *f, const char *path, struct afile *af)
{
	if (txnio_step(path) != 0 || afile_open(af, path, AFILE_MODE_DEFAULT) != 0)
		return -1;
	if (fwrite(f->p, 1, f->len, af->fp) != f->len) {
		warnf("%s:", af->tmp);
		afile_abort(af);
		return -1;
	}
	return 0;
}

/* After a failure: the first done files back to the bytes served before, history copies gone. */
static void
put_back(struct clpub *pb, char **paths, size_t done)
{
	size_t i;
	int lost = 0;

	for (i = 0; i < done; i++)
		if (afile_write(paths[i], pb->f[i].old, pb->f[i].oldlen, AFILE_MODE_DEFAULT, 1) != 0) {
			warnf("%s: not put back: it serves the new file", paths[i]);
			lost = 1;
		}
	for (i = 0; i < pb->n; i++)
		if (pb->f[i].hist != NULL)
			(void)unlink(pb->f[i].hist);
	if (!lost && pb->n > 0)
		warnf("%s: nothing of the step was published: every node serves its previous files",
		    pb->f[0].dir);
}

int
clpub_commit(struct clpub *pb, int step)
{
	struct afile *af = calloc(pb->n + 1, sizeof(*af));
	char **paths = calloc(pb->n + 1, sizeof(*paths));
	size_t i, staged = 0, done = 0, live = 0;	/* temps af[live .. staged) exist */
	int rc = -1;

	for (i = 0; af != NULL && paths != NULL && i < pb->n; i++)
		if ((paths[i] = path_join(pb->f[i].dir, pb->f[i].name, NULL)) == NULL)
			goto out;
	for (i = 0; af != NULL && paths != NULL && i < pb->n; i++)
		if (pb->f[i].keep && keep_old(&pb->f[i], step) != 0)
			goto out;
	for (staged = 0; af != NULL && paths != NULL && staged < pb->n; staged++)
		if (stage(&pb->f[staged], paths[staged], &af[staged]) != 0)
			goto out;
	for (done = 0; done < pb->n; done++) {
		if (txnio_step(paths[done]) != 0)
			goto out;
		live = done + 1;	/* committed or failed, afile_commit drops the temp */
		if (afile_commit(&af[done], 1) != 0)
			goto out;	/* the target is untouched */
	}
	rc = 0;
out:
	if (rc != 0) {
		for (i = live; i < staged; i++)
			afile_abort(&af[i]);
		if (af == NULL || paths == NULL)
			warnf("out of memory");
		else
			put_back(pb, paths, done);
	}
	for (i = 0; paths != NULL && i < pb->n; i++)
		free(paths[i]);
	free(paths);
	free(af);
	return rc;
}

void
clpub_free(struct clpub *pb)
{
	size_t i;

	for (i = 0; i < pb->n; i++) {
		free(pb->f[i].dir);
		free(pb->f[i].hist);
	}
	free(pb->f);
	memset(pb, 0, sizeof(*pb));
}
