/* diag.h: program name, diagnostics on stderr, and the toolkit's exit codes. */
#ifndef CTK_DIAG_H
#define CTK_DIAG_H

enum { EXIT_OK = 0, EXIT_FINDINGS = 1, EXIT_TROUBLE = 2 };

extern const char *progname;

/* Call first in main(): progname becomes the basename of argv0. */
void setprogname(const char *argv0);
/* "prog: msg" on stderr; a format ending in ':' appends ": strerror(errno)". */
void warnf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* warnf with the first OpenSSL error reason appended; clears the OpenSSL error queue. */
void warnssl(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Flush stdout and report a write error; returns 0 or -1. */
int diag_flush_stdout(void);

#endif
