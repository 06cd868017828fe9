/*
 * test.h: the unit tests' checks, in the spirit of p11-kit's common/test.h: a failed check
 * prints where and what differed and ends the test at once (longjmp back to the runner, which
 * goes on with the next test); no framework. Each tests/unit/t_*.c lists its tests in a
 * NULL-ended array of struct t_case that main.c runs in order.
 */
#ifndef CTK_UNIT_TEST_H
#define CTK_UNIT_TEST_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct t_case {
	const char	*name;
	void		(*fn)(void);
};

/* End the test: failed at file:line (printf-style message), or skipped saying why. */
_Noreturn void t_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
_Noreturn void t_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

void t_check_int(const char *file, int line, const char *expr, long long got, long long want);
void t_check_str(const char *file, int line, const char *expr, const char *got, const char *want);
void t_check_mem(const char *file, int line, const char *expr, const void *got, size_t gotlen,
    const void *want, size_t wantlen);

#define assert_true(e) \
	do { if (!(e)) t_fail(__FILE__, __LINE__, "not true: %s", #e); } while (0)
#define assert_int(got, want) t_check_int(__FILE__, __LINE__, #got, (got), (want))
#define assert_str(got, want) t_check_str(__FILE__, __LINE__, #got, (got), (want))
#define assert_mem(got, gotlen, want, wantlen) \
	t_check_mem(__FILE__, __LINE__, #got, (got), (gotlen), (want), (wantlen))
/* s contains sub */
#define assert_has(s, sub) \
	do { const char *s_ = (s); if (s_ == NULL || strstr(s_, (sub)) == NULL) \
	    t_fail(__FILE__, __LINE__, "%s: no \"%s\" in:\n%s", #s, (sub), s_ ? s_ : "(null)"); } while (0)

/* --- fixtures and captured output (util.c) --- */

/* A file's bytes (malloc'd, NUL-terminated past len); a missing file fails the test. */
uint8_t *t_read(const char *path, size_t *len);
/*
 * The path of a genuine sample, ../shared/samples/NAME, read in place (never copied into the
 * repository). Absent: the test is skipped, saying so; under CI=true, which always has
 * ../shared, it fails instead.
 */
const char *t_shared(const char *name);
/* A committed fixture: tests/unit/fixtures/NAME (tests/unit/fixtures/README.md says how each was made). */
const char *t_fixture(const char *name);

/*
 * PATH: a certificate valid NB..NA ("YYYYMMDDHHMMSSZ") with serial, subject SUBJ ("CN=x/O=y",
 * UTF-8, in that order, as openssl req -subj -utf8), self-signed by the key in KEYFILE (a
 * committed one: tests/fixtures/keys), as PEM, or DER when PATH ends in .der; appended when
 * append (a bundle). What openssl req made at every run, in microseconds.
 */
void t_mkcert(const char *path, const char *subj, const char *keyfile, const char *nb,
    const char *na, long serial, int append);

/* An in-memory stream (open_memstream) for a function that writes to a FILE *. */
struct t_mem {
	FILE	*fp;
	char	*p;
	size_t	 n;
};
FILE *t_mem_open(struct t_mem *m);
/* Close the stream: m->p (malloc'd, NUL-terminated) and m->n hold what was written. */
char *t_mem_close(struct t_mem *m);

/* rm -r dir in process (a system("rm -rf") is two processes); a failure fails the test. */
void t_rmtree(const char *dir);

/* Capture what is written to stderr (fd 2) between t_err_begin and t_err_end (malloc'd). */
void t_err_begin(void);
char *t_err_end(void);

/*
 * text equals tests/golden/NAME as check_golden (tests/helpers.bash) compares it: trailing
 * newlines cut, then one; UPDATE_GOLDEN=1 rewrites the golden file instead.
 */
void t_golden(const char *file, int line, const char *text, const char *name);
#define assert_golden(text, name) t_golden(__FILE__, __LINE__, (text), (name))

#endif
