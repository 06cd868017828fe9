/* diag.c: one-line diagnostics in the form "prog: subject: problem[: cause]". */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>

#include "diag.h"

const char *progname = "ctlkit";

void
setprogname(const char *argv0)
{
	const char *p;

	if (argv0 == NULL || *argv0 == '\0')
		return;
	p = strrchr(argv0, '/');
	progname = p != NULL ? p + 1 : argv0;
}

static void
vwarn(int errnum, const char *fmt, va_list ap)
{
	size_t n = strlen(fmt);

	fprintf(stderr, "%s: ", progname);
	vfprintf(stderr, fmt, ap);
	if (n > 0 && fmt[n - 1] == ':')
		fprintf(stderr, " %s", strerror(errnum));
	fputc('\n', stderr);
}

void
warnf(const char *fmt, ...)
{
	va_list ap;
	int e = errno;

	va_start(ap, fmt);
	vwarn(e, fmt, ap);
	va_end(ap);
}

void
dief(int status, const char *fmt, ...)
{
	va_list ap;
	int e = errno;

	va_start(ap, fmt);
	vwarn(e, fmt, ap);
	va_end(ap);
	exit(status);
}

void
warnssl(const char *fmt, ...)
{
	va_list ap;
	unsigned long code = ERR_peek_error();
	const char *why = code != 0 ? ERR_reason_error_string(code) : NULL;

	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (why != NULL)
		fprintf(stderr, ": %s", why);
	fputc('\n', stderr);
	ERR_clear_error();
}

int
diag_flush_stdout(void)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		warnf("stdout:");
		return -1;
	}
	return 0;
}
