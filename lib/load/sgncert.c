/* sgncert.c: a signer certificate read from a file, as DER and public key. */
#include <openssl/x509.h>

#include "core/diag.h"
#include "core/io.h"
#include "load/sgncert.h"

int
sgn_cert_load(struct sgn_cert *sc, const char *path)
{
	const unsigned char *p;
	X509 *x;

	if (itlcerts_load(&sc->certs, path) != 0)
		return -1;
	sc->der = itlcerts_get(&sc->certs, 0, &sc->len);
	p = sc->der;
	if ((x = d2i_X509(NULL, &p, (long)sc->len)) == NULL ||
	    (sc->key = X509_get_pubkey(x)) == NULL) {
		warnssl("%s: the certificate's public key does not decode", io_name(path));
		X509_free(x);
		return -1;
	}
	X509_free(x);
	return 0;
}

void
sgn_cert_free(struct sgn_cert *sc)
{
	EVP_PKEY_free(sc->key);
	itlcerts_free(&sc->certs);
	sc->key = NULL;
	sc->der = NULL;
}
