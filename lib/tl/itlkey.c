/* itlkey.c: engines are deprecated in OpenSSL 3, but Debian 12's PKCS#11 support is one. */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#ifndef OPENSSL_NO_ENGINE
#include <openssl/engine.h>
#endif

#include "core/diag.h"
#include "core/io.h"
#include "tl/itlkey.h"

#ifndef OPENSSL_NO_ENGINE
static ENGINE *eng;
#endif

/* No passphrase prompt: an encrypted key fails to load instead of blocking a pipeline. */
static int
nopass(char *buf, int size, int rwflag, void *u)
{
	(void)buf, (void)size, (void)rwflag, (void)u;
	return -1;
}

/* The URI for messages, with the value of pin-value hidden. */
static const char *
redact(const char *uri, char *out, size_t n)
{
	const char *pin = strstr(uri, "pin-value="), *end;

	if (pin == NULL)
		return uri;
	pin += 10;
	end = pin + strcspn(pin, ";?&");
	snprintf(out, n, "%.*s***%s", (int)(pin - uri), uri, end);
	return out;
}

static EVP_PKEY *
load_pkcs11(const char *spec, const char *module)
{
	char uri[512];
#ifndef OPENSSL_NO_ENGINE
	EVP_PKEY *k;

	if (eng == NULL) {
		if ((eng = ENGINE_by_id("pkcs11")) == NULL) {
			warnssl("%s: no pkcs11 engine (install libengine-pkcs11-openssl)",
			    redact(spec, uri, sizeof(uri)));
			return NULL;
		}
		if ((module != NULL &&
		    ENGINE_ctrl_cmd_string(eng, "MODULE_PATH", module, 0) != 1) ||
		    ENGINE_init(eng) != 1) {
			warnssl("%s: the pkcs11 engine does not start", redact(spec, uri, sizeof(uri)));
			ENGINE_free(eng);
			eng = NULL;
			return NULL;
		}
	}
	if ((k = ENGINE_load_private_key(eng, spec, NULL, NULL)) == NULL)
		warnssl("%s: no such private key in the token", redact(spec, uri, sizeof(uri)));
	return k;
#else
	(void)module;
	warnf("%s: this OpenSSL has no engine support", redact(spec, uri, sizeof(uri)));
	return NULL;
#endif
}

EVP_PKEY *
itlkey_load(const char *spec, const char *module)
{
	const unsigned char *p;
	EVP_PKEY *k = NULL;
	BIO *bio = NULL;
	uint8_t *buf;
	size_t len;

	if (strncmp(spec, "pkcs11:", 7) == 0)
		return load_pkcs11(spec, module);
	if ((buf = io_slurp(spec, IO_MAX, &len)) == NULL)
		return NULL;
	if (len > INT_MAX)
		goto out;
	if ((bio = BIO_new_mem_buf(buf, (int)len)) != NULL)
		k = PEM_read_bio_PrivateKey(bio, NULL, nopass, NULL);
	if (k == NULL) {
		ERR_clear_error();
		p = buf;
		k = d2i_AutoPrivateKey(NULL, &p, (long)len);
	}
out:
	if (k == NULL) {
		ERR_clear_error();
		warnf("%s: not an unencrypted private key (PEM or DER)", io_name(spec));
	}
	BIO_free(bio);
	OPENSSL_cleanse(buf, len);
	free(buf);
	return k;
}

void
itlkey_cleanup(void)
{
#ifndef OPENSSL_NO_ENGINE
	if (eng != NULL) {
		ENGINE_finish(eng);
		ENGINE_free(eng);
		eng = NULL;
	}
#endif
}
