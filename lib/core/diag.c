/* diag.c: one-line diagnostics in the form "prog: subject: problem[: cause]". */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>

#include "core/diag.h"
#include "core/out.h"

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

/*
 * "prog: " and the formatted message, with control bytes and invalid UTF-8
 * escaped (out_text): file names and certificate names come from untrusted
 * input, and stderr is often a terminal.
 */
static void
vmsg(const char *fmt, va_list ap)
{
	char sbuf[512], *msg = sbuf;
	va_list aq;
	int n;

	va_copy(aq, ap);
	n = vsnprintf(sbuf, sizeof(sbuf), fmt, aq);
	va_end(aq);
	if (n >= (int)sizeof(sbuf) && (msg = malloc((size_t)n + 1)) != NULL)
		vsnprintf(msg, (size_t)n + 1, fmt, ap);
	fprintf(stderr, "%s: ", progname);
	out_str(stderr, n < 0 ? fmt : msg != NULL ? msg : sbuf);
	if (msg != sbuf)
		free(msg);
}

static void
vwarn(int errnum, const char *fmt, va_list ap)
{
	size_t n = strlen(fmt);

	vmsg(fmt, ap);
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
warnssl(const char *fmt, ...)
{
	va_list ap;
	unsigned long code = ERR_peek_error();
	const char *why = code != 0 ? ERR_reason_error_string(code) : NULL;

	va_start(ap, fmt);
	vmsg(fmt, ap);
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
