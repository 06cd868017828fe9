/* regenimport.c: an import is refused for what CUCM would refuse, before any file changes. */
#include <stdlib.h>
#include <string.h>

#include <openssl/x509_vfy.h>

#include "core/diag.h"
#include "core/io.h"
#include "core/when.h"
#include "regen/regenimport.h"
#include "core/path.h"
#include "load/certx509.h"
#include "x509/cert.h"

int
regenimport_chain(STACK_OF(X509) *chain, const char *file)
{
	STACK_OF(X509) *sk = certx509_load_file(file, NULL);
	X509 *x;

	if (sk == NULL)
		return -1;
	while ((x = sk_X509_shift(sk)) != NULL)
		if (sk_X509_push(chain, x) <= 0) {
			X509_free(x);
			cert_free_all(sk);
			warnf("%s: out of memory", file);
			return -1;
		}
	cert_free_all(sk);
	return 0;
}

/* Every certificate of STORE/unit (unreadable files are no anchors: skipped) into xs. */
static int
trusted(X509_STORE *xs, const char *store, const char *unit)
{
	char *dir = path_join(store, unit, NULL), *path, **names = NULL;
	STACK_OF(X509) *sk;
	const char *why;
	uint8_t *buf;
	size_t i, k, n = 0, len;

	if (dir == NULL)
		return -1;
	if (path_isdir(dir) && path_list(dir, 0, &names, &n) != 0)
		n = 0;
	for (i = 0; i < n; i++) {
		if ((path = path_join(dir, names[i], NULL)) == NULL || !path_isreg(path) ||
		    (buf = io_slurp(path, IO_MAX, &len)) == NULL) {
			free(path);
			continue;
		}
		sk = NULL;
		if (certx509_load(buf, len, NULL, &sk, &why) == 1)
			for (k = 0; k < (size_t)sk_X509_num(sk); k++)
				(void)X509_STORE_add_cert(xs, sk_X509_value(sk, (int)k));
		cert_free_all(sk);
		free(buf);
		free(path);
	}
	path_list_free(names, n);
	free(dir);
	return 0;
}

/* 1 when leaf chains to a certificate of xs (anchors may be intermediates), or signs itself. */
static int
chains(X509_STORE *xs, X509 *leaf, STACK_OF(X509) *chain, const char **why)
{
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	int ok = 0, err;

	*why = "out of memory";
	if (ctx == NULL || X509_STORE_CTX_init(ctx, xs, leaf, chain) != 1)
		goto out;
	X509_STORE_CTX_set_flags(ctx, X509_V_FLAG_PARTIAL_CHAIN | X509_V_FLAG_NO_CHECK_TIME);
	ok = X509_verify_cert(ctx) == 1;
	err = X509_STORE_CTX_get_error(ctx);
	if (!ok && err == X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT)
		ok = 1;		/* its own issuer: nothing to upload first */
	*why = X509_verify_cert_error_string(err);
out:
	X509_STORE_CTX_free(ctx);
	return ok;
}

int
regenimport_check(X509 *leaf, STACK_OF(X509) *chain, const char *store,
    const char *trustunit, int64_t now, const char *file)
{
	X509_STORE *xs = X509_STORE_new();
	char t[32], *issuer;
	const char *why;
	int64_t nb, na;
	int ok1, ok2, i, rc = -1;

	nb = cert_time(X509_get0_notBefore(leaf), &ok1);
	na = cert_time(X509_get0_notAfter(leaf), &ok2);
	if (!ok1 || !ok2 || now > na || now < nb) {
		warnf("%s: %s %s: CUCM refuses it: have the CA issue one valid now (or give --now)",
		    file, !ok1 || !ok2 ? "unreadable validity," : now > na ? "expired on" :
		    "not valid before", when_iso(!ok2 || now > na ? na : nb, t));
		goto out;
	}
	if (xs == NULL || trusted(xs, store, trustunit) != 0) {
		warnf("%s: out of memory", store);
		goto out;
	}
	for (i = 0; i < sk_X509_num(chain); i++)
		(void)X509_STORE_add_cert(xs, sk_X509_value(chain, i));
	if (!chains(xs, leaf, chain, &why)) {
		issuer = cert_name_text(X509_get_issuer_name(leaf));
		warnf("%s: its issuer chain (%s) is not in %s/%s (%s): CUCM requires the CA "
		    "chain in %s first: give it with --chain FILE (uploaded in the same change)",
		    file, issuer != NULL ? issuer : "?", store, trustunit, why, trustunit);
		free(issuer);
		goto out;
	}
	rc = 0;
out:
	X509_STORE_free(xs);
	return rc;
}
