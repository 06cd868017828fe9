/* itlcerts.c: the certificates a trust-list record takes, as DER copies, through certfile. */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "core/diag.h"
#include "core/io.h"
#include "load/certfile.h"
#include "load/itlcerts.h"

static int
push(struct itlcerts *c, const uint8_t *der, size_t len)
{
	size_t *v;

	if ((v = realloc(c->off, (c->n + 2) * sizeof(*v))) == NULL)
		return -1;
	c->off = v;
	if (c->n == 0)
		v[0] = c->buf.len;
	if (buf_add(&c->buf, der, len) != 0)
		return -1;
	v[++c->n] = c->buf.len;
	return 0;
}

int
itlcerts_parse(struct itlcerts *c, const uint8_t *buf, size_t len, const char **why)
{
	static char whybuf[192];	/* certfile's reason outlives its buffers */
	struct certfile cf;
	const char *e;
	size_t i;
	int r = 1;

	itlcerts_free(c);
	*why = NULL;
	certfile_init(&cf, NULL, 0);
	if ((e = certfile_read(&cf, buf, len, 1)) != NULL) {
		r = e == cf.nocert ? 0 : -1;
		snprintf(whybuf, sizeof(whybuf), "%s", e);
		*why = whybuf;
	}
	c->haskey = cf.haskey;
	for (i = 0; r == 1 && i < cf.ncerts; i++)
		if (push(c, cf.certs[i].der, cf.certs[i].len) != 0) {
			*why = "out of memory";
			r = -1;
		}
	certfile_free(&cf);
	if (r == 1 && c->buf.err) {
		*why = "out of memory";
		r = -1;
	}
	return r;
}

int
itlcerts_load(struct itlcerts *c, const char *path)
{
	const char *why;
	uint8_t *buf;
	size_t len;
	int r;

	if ((buf = io_slurp(path, IO_MAX, &len)) == NULL)
		return -1;
	if ((r = itlcerts_parse(c, buf, len, &why)) != 1)
		warnf("%s: %s", io_name(path), why);
	if (r != 1 || c->haskey)	/* a PKCS#12 or a bundle may hold a key; certificates are public */
		OPENSSL_cleanse(buf, len);
	free(buf);
	return r == 1 ? 0 : -1;
}

const uint8_t *
itlcerts_get(const struct itlcerts *c, size_t i, size_t *len)
{
	*len = c->off[i + 1] - c->off[i];
	return c->buf.p + c->off[i];
}

void
itlcerts_free(struct itlcerts *c)
{
	buf_drop(&c->buf);	/* DER certificates: public */
	free(c->off);
	c->off = NULL;
	c->n = 0;
}
