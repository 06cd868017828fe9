/* issuer.c: chains by signature. A signature verifies under one key only, so the search stops there. */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/err.h>
#include <openssl/x509.h>

#include "x509/cert.h"
#include "x509/der.h"
#include "core/diag.h"
#include "core/io.h"
#include "store/issuer.h"
#include "store/store.h"

struct ix {
	const uint8_t	*p;
	size_t		 len;
	size_t		 i;	/* index into ts->certs */
};

struct walk {
	struct trust_set *ts;
	struct ix	 *byname, *bykey;	/* every certificate, sorted by subject, by SPKI */
	size_t		  n;
	X509		**q;			/* signers whose issuers are still to find */
	const char	**qsrc;
	size_t		  nq, qcap;
	unsigned	  flag;
};

#define NONE ((size_t)-1)

static int
bytescmp(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	if (alen != blen)
		return alen < blen ? -1 : 1;
	return memcmp(a, b, alen);
}

static int
ixcmp(const void *va, const void *vb)
{
	const struct ix *a = va, *b = vb;
	int r = bytescmp(a->p, a->len, b->p, b->len);

	return r != 0 ? r : (a->i > b->i) - (a->i < b->i);
}

/* The first entry of ix[0..n) holding p[0..len), or NONE. */
static size_t
lookup(const struct ix *ix, size_t n, const uint8_t *p, size_t len)
{
	size_t lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (bytescmp(ix[mid].p, ix[mid].len, p, len) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && bytescmp(ix[lo].p, ix[lo].len, p, len) == 0 ? lo : NONE;
}

static int
push(struct walk *w, X509 *x, const char *src)
{
	X509 **nq;
	const char **ns;

	if (w->nq == w->qcap) {
		w->qcap = w->qcap ? w->qcap * 2 : 16;
		if ((nq = realloc(w->q, w->qcap * sizeof(*nq))) == NULL)
			return -1;
		w->q = nq;
		if ((ns = realloc(w->qsrc, w->qcap * sizeof(*ns))) == NULL)
			return -1;
		w->qsrc = ns;
	}
	w->q[w->nq] = x;
	w->qsrc[w->nq++] = src;
	return 0;
}

/*
 * The key of a DER SubjectPublicKeyInfo. RSA keys are read from their PKCS#1
 * bytes: d2i_PUBKEY goes through OpenSSL 3's decoders, two orders of magnitude
 * slower, and a search over every key of a store would feel it.
 */
static EVP_PKEY *
pubkey(const uint8_t *spki, size_t len)
{
	static const uint8_t rsa[] = {	/* OID 1.2.840.113549.1.1.1 */
		0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01
	};
	const unsigned char *p = spki, *k;
	struct der_span seq, alg, bits;
	size_t left = len;
	uint8_t id;

	if (der_next(&p, &left, &id, &seq) != 0 || id != 0x30)
		goto other;
	p = seq.p;
	left = seq.len;
	if (der_next(&p, &left, &id, &alg) != 0 || id != 0x30 || alg.len < sizeof(rsa) ||
	    memcmp(alg.p, rsa, sizeof(rsa)) != 0 || der_next(&p, &left, &id, &bits) != 0 ||
	    id != 0x03 || bits.len < 2 || bits.p[0] != 0 || bits.len - 1 > LONG_MAX)
		goto other;
	k = bits.p + 1;
	return d2i_PublicKey(EVP_PKEY_RSA, NULL, &k, (long)(bits.len - 1));
other:
	p = spki;
	return len <= LONG_MAX ? d2i_PUBKEY(NULL, &p, (long)len) : NULL;
}

/* 1 when the key in the DER SubjectPublicKeyInfo spki verifies x's signature. */
static int
verifies(X509 *x, const uint8_t *spki, size_t len)
{
	EVP_PKEY *k = pubkey(spki, len);
	int ok = k != NULL && X509_verify(x, k) == 1;

	EVP_PKEY_free(k);
	ERR_clear_error();
	return ok;
}

/* Where in w->bykey the key that verifies x starts, or NONE. */
static size_t
find_key(struct walk *w, X509 *x)
{
	unsigned char *der = NULL;
	struct trust_cert *t;
	size_t pos = NONE, i;
	int n;

	if (X509_verify(x, X509_get0_pubkey(x)) == 1) {	/* self-signed */
		if ((n = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(x), &der)) > 0)
			pos = lookup(w->bykey, w->n, der, (size_t)n);
		goto out;
	}
	ERR_clear_error();
	/* The certificates named as its issuer first: that is where the key almost always is. */
	if ((n = i2d_X509_NAME(X509_get_issuer_name(x), &der)) > 0)
		for (i = lookup(w->byname, w->n, der, (size_t)n); i != NONE && i < w->n &&
		    bytescmp(w->byname[i].p, w->byname[i].len, der, (size_t)n) == 0; i++) {
			t = &w->ts->certs[w->byname[i].i];
			if (verifies(x, t->dc.spki.p, t->dc.spki.len)) {
				pos = lookup(w->bykey, w->n, t->dc.spki.p, t->dc.spki.len);
				goto out;
			}
		}
	/* Then every distinct key: a renamed issuer still counts. */
	for (i = 0; i < w->n; i++)
		if ((i == 0 || bytescmp(w->bykey[i].p, w->bykey[i].len, w->bykey[i - 1].p,
		    w->bykey[i - 1].len) != 0) && verifies(x, w->bykey[i].p, w->bykey[i].len)) {
			pos = i;
			break;
		}
out:
	OPENSSL_free(der);
	ERR_clear_error();
	return pos;
}

/* Mark every certificate holding the key at w->bykey[pos], and queue it as a signer. */
static int
mark(struct walk *w, size_t pos, const char *src)
{
	const struct ix *k = &w->bykey[pos];
	struct trust_cert *t;
	size_t i;
	X509 *x;

	for (i = pos; i < w->n && bytescmp(w->bykey[i].p, w->bykey[i].len, k->p, k->len) == 0;
	    i++) {
		t = &w->ts->certs[w->bykey[i].i];
		if (t->keep & w->flag)
			continue;
		t->keep |= w->flag;
		t->issuer_of = src;
		if ((x = cert_from_der(t->der, t->dc.len)) == NULL)
			continue;	/* OpenSSL refuses what the DER walk took: no further link */
		if (push(w, x, src) != 0) {
			X509_free(x);
			return -1;
		}
	}
	return 0;
}

/* Record pem (given to is) as an own certificate that could not be read. */
static void
bad(struct issuer *is, char *pem, const char *why)
{
	struct issuer_bad *nb;

	if ((nb = realloc(is->bad, (is->nbad + 1) * sizeof(*nb))) == NULL) {
		free(pem);
		return;
	}
	is->bad = nb;
	is->bad[is->nbad++] = (struct issuer_bad){ pem, why };
}

/*
 * The certificates of the own file pem, or NULL after a diagnostic (pem then
 * goes to is->bad). A link is not followed: the chain it hides stays unknown.
 */
static STACK_OF(X509) *
load(struct issuer *is, char *pem)
{
	STACK_OF(X509) *sk = NULL;
	const char *why = "unreadable";
	struct stat st;
	uint8_t *buf;
	size_t len;

	if (lstat(pem, &st) == 0 && !S_ISREG(st.st_mode)) {
		why = S_ISLNK(st.st_mode) ? "symbolic link: not followed" : "not a regular file";
		warnf("%s: %s", pem, why);
	} else if ((buf = io_slurp(pem, IO_MAX, &len)) != NULL) {
		if (cert_load(buf, len, NULL, &sk, &why) <= 0)
			warnf("%s: %s", pem, why);
		OPENSSL_cleanse(buf, len);
		free(buf);
	}
	if (sk == NULL)
		bad(is, pem, why);
	return sk;
}

/* Queue every certificate of UNIT/UNIT.pem for every non-trust unit. 0, or -1 if one is unreadable. */
static int
load_own(struct issuer *is, struct walk *w)
{
	STACK_OF(X509) *sk;
	struct stat st;
	char **names = NULL, **no, *dir = NULL, *file = NULL, *pem = NULL;
	size_t n = 0, i;
	int rc = 0;

	if (store_list(w->ts->store, 0, &names, &n) != 0)
		return -1;
	for (i = 0; i < n; i++, free(dir), free(file), free(pem), dir = file = pem = NULL) {
		if (store_is_trust(names[i]))
			continue;
		dir = store_join(w->ts->store, names[i], NULL);
		file = malloc(strlen(names[i]) * 2 + 6);
		if (dir == NULL || file == NULL)
			goto nomem;
		sprintf(file, "%s/%s.pem", names[i], names[i]);
		if ((pem = store_join(w->ts->store, file, NULL)) == NULL)
			goto nomem;
		if (!store_isdir(dir) || lstat(pem, &st) != 0)
			continue;	/* no own certificate in this unit */
		if ((sk = load(is, pem)) == NULL) {
			rc = -1;
			pem = NULL;	/* owned by is->bad now, or freed */
			continue;
		}
		if ((no = realloc(is->own, (is->nown + 1) * sizeof(*no))) == NULL) {
			cert_free_all(sk);
			goto nomem;
		}
		is->own = no;
		is->own[is->nown++] = file;
		while (sk_X509_num(sk) > 0) {
			X509 *x = sk_X509_shift(sk);

			if (push(w, x, file) != 0) {
				X509_free(x);
				cert_free_all(sk);
				file = NULL;
				goto nomem;
			}
		}
		cert_free_all(sk);
		file = NULL;	/* owned by is now */
	}
	store_list_free(names, n);
	return rc;
nomem:
	warnf("%s: out of memory", w->ts->store);
	free(dir);
	free(file);
	free(pem);
	store_list_free(names, n);
	return -1;
}

int
issuer_mark(struct issuer *is, struct trust_set *ts, unsigned flag)
{
	struct walk w;
	size_t i, pos;
	int rc = -1;

	memset(&w, 0, sizeof(w));
	w.ts = ts;
	w.flag = flag;
	w.n = ts->ncerts;
	if ((w.byname = calloc(w.n + 1, sizeof(*w.byname))) == NULL ||
	    (w.bykey = calloc(w.n + 1, sizeof(*w.bykey))) == NULL) {
		warnf("%s: out of memory", ts->store);
		goto out;
	}
	for (i = 0; i < w.n; i++) {
		w.byname[i] = (struct ix){ ts->certs[i].dc.subject.p, ts->certs[i].dc.subject.len, i };
		w.bykey[i] = (struct ix){ ts->certs[i].dc.spki.p, ts->certs[i].dc.spki.len, i };
	}
	qsort(w.byname, w.n, sizeof(*w.byname), ixcmp);
	qsort(w.bykey, w.n, sizeof(*w.bykey), ixcmp);
	rc = load_own(is, &w);
	/* w.q grows while it is walked: each trust certificate is queued once at most. */
	for (i = 0; i < w.nq; i++)
		if ((pos = find_key(&w, w.q[i])) != NONE && mark(&w, pos, w.qsrc[i]) != 0) {
			warnf("%s: out of memory", ts->store);
			rc = -1;
			break;
		}
out:
	for (i = 0; i < w.nq; i++)
		X509_free(w.q[i]);
	free(w.q);
	free(w.qsrc);
	free(w.byname);
	free(w.bykey);
	return rc;
}

void
issuer_free(struct issuer *is)
{
	size_t i;

	for (i = 0; i < is->nown; i++)
		free(is->own[i]);
	for (i = 0; i < is->nbad; i++)
		free(is->bad[i].path);
	free(is->own);
	free(is->bad);
	memset(is, 0, sizeof(*is));
}
