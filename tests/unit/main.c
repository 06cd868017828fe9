/*
 * The unit tests: one program, run first by make check (from the top of the tree, or -C DIR).
 * unit [-C DIR] [SUBSTRING...]: run every test (or those whose name holds a SUBSTRING), one
 * TAP-like line each, then "unit: N passed, N failed, N skipped in N ms"; exit 1 on a failure.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/diag.h"
#include "test.h"

extern const struct t_case t_text[], t_when[], t_tlv[], t_ctl[], t_der[], t_opt[], t_cluster[],
    t_cmd[], t_stprune[], t_txn[];
extern const struct t_case t_report[], t_capture[], t_build[], t_io[];
static const struct t_case *const suites[] = { t_text, t_when, t_tlv, t_der, t_ctl, t_cluster, t_opt,
    t_cmd, t_stprune, t_report, t_capture, t_build, t_io, t_txn };

static jmp_buf back;
static char why[8192];
static int skipped;

void
t_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(why, sizeof(why), "%s:%d: ", file, line);

	va_start(ap, fmt);
	vsnprintf(why + n, sizeof(why) - (size_t)n, fmt, ap);
	va_end(ap);
	skipped = 0;
	longjmp(back, 1);
}

void
t_skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	skipped = 1;
	longjmp(back, 1);
}

static int
wanted(const char *name, int argc, char *argv[])
{
	int i;

	if (argc == 0)
		return 1;
	for (i = 0; i < argc; i++)
		if (strstr(name, argv[i]) != NULL)
			return 1;
	return 0;
}

/* Run one test: 0 passed, 1 failed, 2 skipped (why says why). */
static int
run(void (*fn)(void))
{
	if (setjmp(back) != 0)
		return skipped ? 2 : 1;
	fn();
	return 0;
}

int
main(int argc, char *argv[])
{
	struct timespec t0, t1;
	int pass = 0, fail = 0, skip = 0, n = 0;
	size_t s;
	const struct t_case *t;

	/* what tests/helpers.bash sets for the Bats tests */
	setenv("LC_ALL", "C", 1);
	setenv("TZ", "UTC", 1);
	tzset();
	unsetenv("SOURCE_DATE_EPOCH");
	setprogname("unit");
	if (argc > 2 && strcmp(argv[1], "-C") == 0) {
		if (chdir(argv[2]) != 0) {
			perror(argv[2]);
			return 2;
		}
		argc -= 2;
		argv += 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (s = 0; s < sizeof(suites) / sizeof(suites[0]); s++)
		for (t = suites[s]; t->name != NULL; t++) {
			if (!wanted(t->name, argc - 1, argv + 1))
				continue;
			n++;
			switch (run(t->fn)) {
			case 0:
				printf("ok %d unit: %s\n", n, t->name);
				pass++;
				break;
			case 2:
				printf("ok %d unit: %s # skip %s\n", n, t->name, why);
				skip++;
				break;
			default:
				printf("not ok %d unit: %s\n# %s\n", n, t->name, why);
				fail++;
			}
			fflush(stdout);
		}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("unit: %d passed, %d failed, %d skipped in %ld ms\n", pass, fail, skip,
	    (long)((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000));
	return fail ? 1 : n ? 0 : 1;
}
