/* fuzz_scan.c: libFuzzer target for cert-expiry's fast path (lib/scan): one file, as an operand and in a walk. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include "der.h"
#include "scan.h"
#include "store.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static char *dir, *file;
static int fd = -1;
static volatile uint8_t sink;	/* the bytes of every certificate are read */

/* Every span must lie inside its certificate: abort (a finding) when one does not. */
static void
inside(const struct scan_cert *c, struct der_span s)
{
	if (s.p == NULL)
		return;
	if (s.p < c->der || s.len > c->len || (size_t)(s.p - c->der) > c->len - s.len)
		abort();
}

static void
check(void *arg, const struct scan_file *f)
{
	char key[64];
	size_t i, k;

	(void)arg;
	if (f->path == NULL || f->base == NULL || (f->ncerts > 0 && f->certs == NULL))
		abort();
	for (i = 0; i < f->ncerts; i++) {
		const struct scan_cert *c = &f->certs[i];

		for (k = 0; k < c->len; k++)
			sink ^= c->der[k];
		inside(c, c->c.tbs);
		inside(c, c->c.serial);
		inside(c, c->c.issuer);
		inside(c, c->c.subject);
		inside(c, c->c.spki);
		inside(c, c->c.sigval);
		der_key_desc(c->c.spki.p, c->c.spki.len, key, sizeof(key));
	}
	if (f->error != NULL)
		sink ^= (uint8_t)strlen(f->error);
}

static int
setup(void)
{
	char tmpl[] = "/tmp/fuzz_scan.XXXXXX";

	if (mkdtemp(tmpl) == NULL || (dir = strdup(tmpl)) == NULL)
		return -1;
	file = store_join(dir, "CallManager-trust", "x.pem", NULL);
	if (file == NULL || store_mkdirs(dir, 0700) != 0)
		return -1;
	*strrchr(file, '/') = '\0';
	if (store_mkdirs(file, 0700) != 0)
		return -1;
	file[strlen(file)] = '/';
	return (fd = open(file, O_RDWR | O_CREAT | O_TRUNC, 0600)) < 0 ? -1 : 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct scan s;

	if (fd < 0 && setup() != 0)
		abort();
	if (ftruncate(fd, 0) != 0 || pwrite(fd, data, len, 0) != (ssize_t)len)
		abort();
	scan_init(&s, check, NULL);
	s.pass = len & 1 ? "fuzz" : NULL;
	scan_path(&s, file);
	scan_path(&s, dir);
	scan_free(&s);
	return 0;
}
