/*
 * t_cmd.c: each tool's run as its main calls it, in process on a scratch directory: cert-regen's
 * (regencmd: a dry run, the prompt with no terminal, a committed run and its backup listed),
 * trust-prune's (prunecmd), cert-expiry's (reportcmd) and ctl-dump's (ctldump_run).
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/diag.h"
#include "dump/ctldump.h"
#include "prune/prunecmd.h"
#include "regen/regencmd.h"
#include "report/reportcmd.h"
#include "store/lock.h"
#include "test.h"

static char tmp[32];
static int top = -1;

/* A scratch directory holding an empty store s/, made the working directory. */
static void
scratch(void)
{
	snprintf(tmp, sizeof(tmp), "/tmp/ctk-unit.XXXXXX");
	if ((top = open(".", O_RDONLY | O_DIRECTORY)) < 0 || mkdtemp(tmp) == NULL ||
	    chdir(tmp) != 0 || mkdir("s", 0755) != 0)
		t_fail(__FILE__, __LINE__, "cannot make a scratch directory");
}

static void
scratch_done(void)
{
	if (fchdir(top) != 0)
		t_fail(__FILE__, __LINE__, "cannot go back");
	close(top);
	t_rmtree(tmp);
}

/* cert-regen -s s --key-type ec --host cucm1 --now 2026-01-01T00:00:00Z CallManager, as main fills it. */
static struct regenopts
regen_opts(void)
{
	struct regenopts o = { .run = { .store = "s", .job = { .ntrust = -1 } },
	    .wait = LOCK_WAIT_DEFAULT, .now = "2026-01-01T00:00:00Z" };

	o.run.job.keytype = "ec";
	o.run.job.host = "cucm1";
	return o;
}

/* regencmd on units, its report and diagnostics captured; stdin from /dev/null (no terminal). */
static int
regen(struct regenopts *o, char **units, int n, char **out, char **err)
{
	struct t_mem m;
	int saved = dup(0), null = open("/dev/null", O_RDONLY), rc;

	if (saved < 0 || null < 0 || dup2(null, 0) < 0)
		t_fail(__FILE__, __LINE__, "cannot put /dev/null on stdin");
	close(null);
	t_err_begin();
	rc = regencmd(o, units, n, t_mem_open(&m));
	*err = t_err_end();
	*out = t_mem_close(&m);
	dup2(saved, 0);
	close(saved);
	return rc;
}

static void
regen_store(void)
{
	char *units[] = { "CallManager", NULL }, *out, *err;
	struct regenopts o;
	struct stat st;

	scratch();
	/* -n: what would be, nothing written, no question asked */
	o = regen_opts();
	o.dry = 1;
	assert_int(regen(&o, units, 1, &out, &err), EXIT_OK);
	assert_has(out, "would regenerate: CallManager serial=");
	assert_has(out, "notBefore=2026-01-01T00:00:00Z");
	assert_str(err, "");
	assert_true(stat("s/CallManager", &st) != 0);
	free(out), free(err);
	/* no -y and no terminal: refused before anything is written */
	o = regen_opts();
	assert_int(regen(&o, units, 1, &out, &err), EXIT_TROUBLE);
	assert_str(out, "");
	assert_str(err, "unit: s: no terminal to confirm on: nothing changed (use --yes)\n");
	assert_true(stat("s/CallManager", &st) != 0);
	free(out), free(err);
	/* -y -q: done, quietly; its backup is the one --list-backups lists */
	o = regen_opts();
	o.yes = o.quiet = 1;
	assert_int(regen(&o, units, 1, &out, &err), EXIT_OK);
	assert_str(out, "");
	assert_true(stat("s/CallManager/CallManager.pem", &st) == 0);
	assert_true(stat("s/CallManager/CallManager.key", &st) == 0 && (st.st_mode & 077) == 0);
	free(out), free(err);
	o = regen_opts();
	o.list = 1;
	assert_int(regen(&o, units, 0, &out, &err), EXIT_OK);
	assert_has(out, "-000-cert-regen\tcert-regen\t");
	assert_has(out, "\tCallManager-trust,CallManager\tchange\n");
	free(out), free(err);
	/* more units than a run takes: trouble, said (main's usage check stops it first) */
	o = regen_opts();
	o.dry = 1;
	assert_int(regen(&o, units, REGENCMD_MAXJOBS + 1, &out, &err), EXIT_TROUBLE);
	assert_has(err, "more than 16 units in one run");
	free(out), free(err);
	scratch_done();
}

static void
prune_store(void)
{
	char *none[] = { NULL }, *units[] = { "CallManager", NULL }, *out, *err;
	struct prunecmd c = { .store = "s", .wait = LOCK_WAIT_DEFAULT,
	    .now = "2026-01-01T00:00:00Z", .keepin = none, .unusedby = none };
	struct regenopts o = regen_opts();
	struct t_mem m;

	scratch();
	o.yes = o.quiet = 1;
	assert_int(regen(&o, units, 1, &out, &err), EXIT_OK);
	free(out), free(err);
	/* a dry run over a fresh store: nothing to prune */
	t_err_begin();
	assert_int(prunecmd(&c, none, t_mem_open(&m)), EXIT_OK);
	err = t_err_end();
	out = t_mem_close(&m);
	assert_str(err, "");
	free(out), free(err);
	/* --list-backups -j: cert-regen's backup, as trust-prune reads either tool's */
	c.list = c.json = 1;
	assert_int(prunecmd(&c, none, t_mem_open(&m)), EXIT_OK);
	out = t_mem_close(&m);
	assert_has(out, "\"name\":\"20260101T000000Z-000-cert-regen\",");
	assert_has(out, "\"tool\":\"cert-regen\"");
	free(out);
	scratch_done();
}

static void
report_dir(void)
{
	struct reportcmd c;
	struct t_mem m;
	char *files[] = { "s", NULL }, *out, *err;
	int fd;

	scratch();
	/* an empty directory: nothing in the window, the table empty */
	reportcmd_init(&c);
	assert_int(reportcmd(&c, files, t_mem_open(&m)), EXIT_OK);
	out = t_mem_close(&m);
	assert_str(out, "");
	free(out);
	reportcmd_free(&c);
	/* --cluster DIR (DIR/nodes a file) with -s: a usage error, the usage said */
	if (mkdir("c", 0755) != 0 || (fd = open("c/nodes", O_WRONLY | O_CREAT, 0644)) < 0)
		t_fail(__FILE__, __LINE__, "cannot make c/nodes");
	close(fd);
	reportcmd_init(&c);
	c.cluster = "c";
	c.store = "s";
	t_err_begin();
	assert_int(reportcmd(&c, files + 1, t_mem_open(&m)), EXIT_TROUBLE);
	err = t_err_end();
	out = t_mem_close(&m);
	assert_has(err, "unit: --cluster c: a cluster directory: its nodes' stores, no -s\n");
	assert_str(out, "");
	free(out), free(err);
	reportcmd_free(&c);
	scratch_done();
}

static void
dump_files(void)
{
	char *files[] = { "/nonexistent/ITLFile.tlv", NULL }, *out, *err;
	struct ctldump d = { .nfiles = 1 };
	struct t_mem m;

	d.out = t_mem_open(&m);
	t_err_begin();
	assert_int(ctldump_run(&d, files), EXIT_TROUBLE);
	err = t_err_end();
	out = t_mem_close(&m);
	assert_has(err, "unit: /nonexistent/ITLFile.tlv: ");
	assert_str(out, "");
	free(out), free(err);
}

const struct t_case t_cmd[] = {
	{ "cmd: regencmd: a dry run, no terminal to confirm on, -y committed, its backup listed", regen_store },
	{ "cmd: prunecmd: a fresh store has nothing to prune; cert-regen's backup listed", prune_store },
	{ "cmd: reportcmd: an empty directory is fine; --cluster DIR with -s is a usage error", report_dir },
	{ "cmd: ctldump_run: a file that cannot be read is trouble, said", dump_files },
	{ NULL, NULL }
};
