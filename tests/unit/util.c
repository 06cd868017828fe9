/* util.c: the unit tests' checks (test.h) and their fixtures, goldens and captured output. */
#define _XOPEN_SOURCE 700	/* nftw */
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/pem.h>
#include <openssl/x509.h>

#include "../fuzz/check.h"
#include "test.h"
#include "unit.h"

void
t_check_int(const char *file, int line, const char *expr, long long got, long long want)
{
	if (got != want)
		t_fail(file, line, "%s is %lld, want %lld", expr, got, want);
}

void
t_check_str(const char *file, int line, const char *expr, const char *got, const char *want)
{
	if (got == NULL || want == NULL ? got != want : strcmp(got, want) != 0)
		t_fail(file, line, "%s is \"%s\", want \"%s\"", expr, got ? got : "(null)",
		    want ? want : "(null)");
}

void
t_check_mem(const char *file, int line, const char *expr, const void *got, size_t gotlen,
    const void *want, size_t wantlen)
{
	const unsigned char *g = got, *w = want;
	size_t i;

	for (i = 0; i < gotlen && i < wantlen && g[i] == w[i]; i++)
		;
	if (i == gotlen && i == wantlen)
		return;
	t_fail(file, line, "%s (%zu bytes) differs from the %zu expected at byte %zu", expr, gotlen,
	    wantlen, i);
}

uint8_t *
t_read(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	uint8_t *p = NULL;
	size_t n = 0, cap = 0, r;

	if (fp == NULL)
		t_fail(__FILE__, __LINE__, "%s: cannot open", path);
	do {
		if (n + 4097 > cap && (p = realloc(p, cap = 2 * cap + 8192)) == NULL)
			abort();
		r = fread(p + n, 1, cap - n - 1, fp);
		n += r;
	} while (r > 0);
	fclose(fp);
	p[n] = '\0';
	*len = n;
	return p;
}

const char *
t_shared(const char *name)
{
	static char path[512];
	const char *ci = getenv("CI");

	snprintf(path, sizeof(path), "../shared/samples/%s", name);
	if (access(path, R_OK) == 0)
		return path;
	if (ci != NULL && strcmp(ci, "true") == 0)
		t_fail(__FILE__, __LINE__, "%s is absent, and CI=true: CI always has ../shared", path);
	t_skip("%s is absent", path);
}

const char *
t_fixture(const char *name)
{
	static char path[512];

	snprintf(path, sizeof(path), "tests/unit/fixtures/%s", name);
	return path;
}

FILE *
t_mem_open(struct t_mem *m)
{
	m->p = NULL;
	m->n = 0;
	if ((m->fp = open_memstream(&m->p, &m->n)) == NULL)
		abort();
	return m->fp;
}

char *
t_mem_close(struct t_mem *m)
{
	fclose(m->fp);
	m->fp = NULL;
	return m->p;
}

static int saved = -1;
static FILE *errf;

void
t_err_begin(void)
{
	fflush(stderr);
	if ((errf = tmpfile()) == NULL || (saved = dup(2)) < 0 || dup2(fileno(errf), 2) < 0)
		abort();
}

char *
t_err_end(void)
{
	char *p;
	long n;

	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	n = ftell(errf);
	if ((p = malloc((size_t)n + 1)) == NULL)
		abort();
	rewind(errf);
	p[fread(p, 1, (size_t)n, errf)] = '\0';
	fclose(errf);
	return p;
}

void
t_golden(const char *file, int line, const char *text, const char *name)
{
	char path[512];
	size_t n = strlen(text), glen;
	uint8_t *g;
	FILE *fp;

	while (n > 0 && text[n - 1] == '\n')
		n--;
	snprintf(path, sizeof(path), "tests/golden/%s", name);
	if (getenv("UPDATE_GOLDEN") != NULL && *getenv("UPDATE_GOLDEN") != '\0') {
		if ((fp = fopen(path, "wb")) == NULL || fwrite(text, 1, n, fp) != n ||
		    putc('\n', fp) == EOF || fclose(fp) != 0)
			t_fail(file, line, "%s: cannot write", path);
		return;
	}
	g = t_read(path, &glen);
	if (glen == n + 1 && memcmp(g, text, n) == 0 && g[n] == '\n') {
		free(g);
		return;
	}
	t_check_mem(file, line, name, text, n, g, glen ? glen - 1 : 0);
	t_fail(file, line, "%s: differs in its last newline", name);
}

/* The fuzz targets' JSON checker (tests/fuzz/check.h), one document a line counted. */
int
t_json_lines(const char *s, size_t n)
{
	size_t i;
	int lines = 0;

	if (n == 0)
		return 0;
	if (!check_json_lines((const uint8_t *)s, n) || s[n - 1] != '\n')
		return -1;
	for (i = 0; i < n; i++)
		lines += s[i] == '\n';
	return lines;
}

/* Each "K=V" of "K=V/K=V..." into n, in order. */
static void
add_names(X509_NAME *n, const char *subj)
{
	char buf[512], *k, *v, *next;

	snprintf(buf, sizeof(buf), "%s", subj);
	for (k = buf; k != NULL; k = next) {
		if ((next = strchr(k, '/')) != NULL)
			*next++ = '\0';
		if ((v = strchr(k, '=')) == NULL)
			abort();
		*v++ = '\0';
		if (X509_NAME_add_entry_by_txt(n, k, MBSTRING_UTF8, (const unsigned char *)v, -1, -1,
		    0) != 1)
			t_fail(__FILE__, __LINE__, "%s=%s: not a name attribute", k, v);
	}
}

void
t_mkcert(const char *path, const char *subj, const char *keyfile, const char *nb, const char *na,
    long serial, int append)
{
	FILE *fp;
	EVP_PKEY *k = NULL;
	X509 *x = X509_new();
	X509_NAME *n;
	size_t len = strlen(path);

	if ((fp = fopen(keyfile, "r")) != NULL) {
		k = PEM_read_PrivateKey(fp, NULL, NULL, NULL);
		fclose(fp);
	}
	if (k == NULL || x == NULL)
		t_fail(__FILE__, __LINE__, "%s: cannot load", keyfile);
	n = X509_get_subject_name(x);
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), serial);
	add_names(n, subj);
	X509_set_issuer_name(x, n);
	if (ASN1_TIME_set_string(X509_getm_notBefore(x), nb) != 1 ||
	    ASN1_TIME_set_string(X509_getm_notAfter(x), na) != 1 || X509_set_pubkey(x, k) != 1 ||
	    X509_sign(x, k, EVP_sha256()) == 0 || (fp = fopen(path, append ? "a" : "w")) == NULL)
		t_fail(__FILE__, __LINE__, "%s: cannot make", path);
	if (len > 4 && strcmp(path + len - 4, ".der") == 0)
		i2d_X509_fp(fp, x);
	else
		PEM_write_X509(fp, x);
	fclose(fp);
	X509_free(x);
	EVP_PKEY_free(k);
}

static int
rm1(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void
t_rmtree(const char *dir)
{
	if (nftw(dir, rm1, 16, FTW_DEPTH | FTW_PHYS) != 0)
		t_fail(__FILE__, __LINE__, "%s: not removed", dir);
}
