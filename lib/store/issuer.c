/* issuer.c: chains by signature. A signature verifies under one key only, so the search stops there. */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/err.h>
#include <openssl/x509.h>

#include "x509/cert.h"
#include "load/certx509.h"
#include "x509/der.h"
#include "x509/ecrecover.h"
#include "x509/keyid.h"
#include "core/diag.h"
#include "core/io.h"
#include "store/issuer.h"
#include "core/path.h"
#include "store/store.h"

struct ix {
	const uint8_t	*p;
	size_t		 len;
	size_t		 i;	/* index into ts->certs */
};

/* A signer whose issuer is still to find: an own certificate (x, der), or trust certificate ti. */
struct qent {
	X509		*x;	/* own: read at load; trust: parsed only when a signature must be checked */
	uint8_t		*der;	/* own: its DER, for the name and key identifier lookups */
	size_t		 dlen;
	size_t		 ti;	/* trust: index into ts->certs; NONE for an own certificate */
	const char	*src;
	struct ecrecover *rec;	/* the EC keys its signature can verify under (many candidates) */
	int		 ectries;	/* EC candidates checked by signature so far */
	int		 recst;		/* rec: 0 not tried, 1 known, -1 unknown (verify each) */
};

struct walk {
	struct trust_set *ts;
	struct ix	 *byname, *bykey, *byski;	/* sorted by subject, by SPKI, by SKI */
	size_t		  n, nski;
	size_t		 *grp;		/* ts index -> start of its key's run in bykey */
	EVP_PKEY	**key;		/* bykey run start -> its key, decoded once */
	unsigned char	 *done;		/* bykey run start -> that key's certificates are marked */
	struct qent	 *q;
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
push(struct walk *w, struct qent e)
{
	struct qent *nq;

	if (w->nq == w->qcap) {
		w->qcap = w->qcap ? w->qcap * 2 : 16;
		if ((nq = realloc(w->q, w->qcap * sizeof(*nq))) == NULL)
			return -1;
		w->q = nq;
	}
	w->q[w->nq++] = e;
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
	const struct der_span in = { spki, len };
	const unsigned char *p, *k;
	struct der_span alg, bits;

	if (der_spki(&in, &alg, &bits) != 0 || alg.len < sizeof(rsa) ||
	    memcmp(alg.p, rsa, sizeof(rsa)) != 0 || bits.len < 1 || bits.len > LONG_MAX)
		goto other;
	k = bits.p;
	return d2i_PublicKey(EVP_PKEY_RSA, NULL, &k, (long)bits.len);
other:
	p = spki;
	return len <= LONG_MAX ? d2i_PUBKEY(NULL, &p, (long)len) : NULL;
}

/* 1 when the key of key run g (certificate ci's SPKI), decoded once, verifies x's signature. */
static int
verifies(struct walk *w, X509 *x, size_t g, size_t ci)
{
	const struct der_span *spki = &w->ts->certs[ci].dc.spki;
	int ok;

	if (w->key[g] == NULL)
		w->key[g] = pubkey(spki->p, spki->len);
	ok = w->key[g] != NULL && X509_verify(x, w->key[g]) == 1;
	ERR_clear_error();
	return ok;
}

/*
 * 0 when candidate ci surely does not verify e: from the third EC candidate on, the
 * keys e's ECDSA signature can verify under are recovered once and each candidate's
 * point is compared with them (issue #28: many namesakes of an absent issuer). 1: maybe.
 */
static int
ec_maybe(struct walk *w, struct qent *e, size_t ci)
{
	const struct trust_cert *t = &w->ts->certs[ci];
	struct der_cert own;
	const struct der_cert *c = &own;
	const uint8_t *der = e->der;
	size_t dlen = e->dlen, k;
	struct der_span curve, point;

	if (ecrecover_spki(&t->dc.spki, &curve, &point) != 0 || e->ectries++ < 2 || e->recst < 0)
		return 1;
	if (e->recst == 0) {
		if (e->ti != NONE) {
			der = w->ts->certs[e->ti].der;
			dlen = w->ts->certs[e->ti].dc.len;
			c = &w->ts->certs[e->ti].dc;
		} else if (der_cert_parse(der, dlen, &own) != NULL) {
			e->recst = -1;
			return 1;
		}
		if ((e->rec = malloc(sizeof(*e->rec))) == NULL ||
		    ecrecover_keys(der, dlen, c, curve.p, curve.len, e->rec) != 0) {
			free(e->rec);
			e->rec = NULL;
			e->recst = -1;
			return 1;
		}
		e->recst = 1;
	}
	if (curve.len != e->rec->ncurve || memcmp(curve.p, e->rec->curve, curve.len) != 0 ||
	    point.len == 0 || point.p[0] != 0x04)
		return 1;	/* another curve, or a compressed point: verify */
	for (k = 0; k < e->rec->n; k++)
		if (point.len == e->rec->len[k] && memcmp(point.p, e->rec->pt[k], point.len) == 0)
			return 1;
	return 0;
}

/*
 * Try the candidate issuer ts->certs[ci] for e: NONE when its key's certificates are
 * already marked (nothing to gain) or its key does not verify e, else the start of
 * its key's run in bykey. e->x is parsed here, the first time a signature must be checked.
 */
static size_t
try_issuer(struct walk *w, struct qent *e, size_t ci)
{
	size_t g = w->grp[ci];

	if (w->done[g] || !ec_maybe(w, e, ci))
		return NONE;
	if (e->x == NULL) {
		struct trust_cert *s = &w->ts->certs[e->ti];

		if ((e->x = cert_from_der(s->der, s->dc.len)) == NULL)
			return NONE;	/* OpenSSL refuses what the DER walk took: no further link */
	}
	return verifies(w, e->x, g, ci) ? g : NONE;
}

/*
 * Where in w->bykey the key that verifies e starts, or NONE. Only the certificates
 * named as its issuer (issuer name = subject) or holding its authority key identifier
 * as their subject key identifier are tried: an issuer absent from the store costs
 * two binary searches, and a key whose certificates are all marked costs nothing.
 */
static size_t
find_key(struct walk *w, struct qent *e)
{
	struct der_cert own;
	const struct der_cert *c;
	struct der_span ski, aki;
	size_t pos = NONE, i;

	if (e->x != NULL) {	/* an own certificate */
		if (der_cert_parse(e->der, e->dlen, &own) != NULL)
			return NONE;
		if (X509_verify(e->x, X509_get0_pubkey(e->x)) == 1) {	/* self-signed */
			ERR_clear_error();
			i = lookup(w->bykey, w->n, own.spki.p, own.spki.len);
			return i != NONE && !w->done[i] ? i : NONE;
		}
		ERR_clear_error();
		c = &own;
	} else {		/* a marked trust certificate: its own key's run is done */
		c = &w->ts->certs[e->ti].dc;
	}
	keyid_get(c, &ski, &aki);
	for (i = lookup(w->byname, w->n, c->issuer.p, c->issuer.len); pos == NONE && i != NONE &&
	    i < w->n && bytescmp(w->byname[i].p, w->byname[i].len, c->issuer.p, c->issuer.len) == 0; i++)
		pos = try_issuer(w, e, w->byname[i].i);
	if (aki.len > 0)
		for (i = lookup(w->byski, w->nski, aki.p, aki.len); pos == NONE && i != NONE &&
		    i < w->nski && bytescmp(w->byski[i].p, w->byski[i].len, aki.p, aki.len) == 0; i++)
			pos = try_issuer(w, e, w->byski[i].i);
	ERR_clear_error();
	return pos;
}

/*
 * Mark every certificate holding the key whose run starts at w->bykey[pos], and queue
 * each as a signer. A run is marked once: each certificate is visited once in all.
 */
static int
mark(struct walk *w, size_t pos, const char *src)
{
	const struct ix *k = &w->bykey[pos];
	struct trust_cert *t;
	size_t i;

	if (w->done[pos])
		return 0;
	w->done[pos] = 1;
	for (i = pos; i < w->n && bytescmp(w->bykey[i].p, w->bykey[i].len, k->p, k->len) == 0;
	    i++) {
		t = &w->ts->certs[w->bykey[i].i];
		if (t->keep & w->flag)
			continue;
		t->keep |= w->flag;
		t->issuer_of = src;
		if (push(w, (struct qent){ NULL, NULL, 0, w->bykey[i].i, src, NULL, 0, 0 }) != 0)
			return -1;
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
		if (certx509_load(buf, len, NULL, &sk, &why) <= 0)
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

	if (path_list(w->ts->store, 0, &names, &n) != 0)
		return -1;
	for (i = 0; i < n; i++, free(dir), free(file), free(pem), dir = file = pem = NULL) {
		if (store_is_trust(names[i]))
			continue;
		dir = path_join(w->ts->store, names[i], NULL);
		file = malloc(strlen(names[i]) * 2 + 6);
		if (dir == NULL || file == NULL)
			goto nomem;
		sprintf(file, "%s/%s.pem", names[i], names[i]);
		if ((pem = path_join(w->ts->store, file, NULL)) == NULL)
			goto nomem;
		if (!path_isdir(dir) || lstat(pem, &st) != 0)
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
			unsigned char *der = NULL;
			int len = i2d_X509(x, &der);

			if (len <= 0 || push(w, (struct qent){ x, der, (size_t)len, NONE, file, NULL, 0, 0 }) != 0) {
				X509_free(x);
				OPENSSL_free(der);
				cert_free_all(sk);
				file = NULL;
				goto nomem;
			}
		}
		cert_free_all(sk);
		file = NULL;	/* owned by is now */
	}
	path_list_free(names, n);
	return rc;
nomem:
	warnf("%s: out of memory", w->ts->store);
	free(dir);
	free(file);
	free(pem);
	path_list_free(names, n);
	return -1;
}

/* The indexes of w: by subject, by key (with each key's run), by subject key identifier. */
static int
index_all(struct walk *w)
{
	struct trust_set *ts = w->ts;
	struct der_span ski, aki;
	size_t i;

	if ((w->byname = calloc(w->n + 1, sizeof(*w->byname))) == NULL ||
	    (w->bykey = calloc(w->n + 1, sizeof(*w->bykey))) == NULL ||
	    (w->byski = calloc(w->n + 1, sizeof(*w->byski))) == NULL ||
	    (w->grp = calloc(w->n + 1, sizeof(*w->grp))) == NULL ||
	    (w->key = calloc(w->n + 1, sizeof(*w->key))) == NULL ||
	    (w->done = calloc(w->n + 1, 1)) == NULL)
		return -1;
	for (i = 0; i < w->n; i++) {
		w->byname[i] = (struct ix){ ts->certs[i].dc.subject.p, ts->certs[i].dc.subject.len, i };
		w->bykey[i] = (struct ix){ ts->certs[i].dc.spki.p, ts->certs[i].dc.spki.len, i };
		keyid_get(&ts->certs[i].dc, &ski, &aki);
		if (ski.len > 0)
			w->byski[w->nski++] = (struct ix){ ski.p, ski.len, i };
	}
	qsort(w->byname, w->n, sizeof(*w->byname), ixcmp);
	qsort(w->bykey, w->n, sizeof(*w->bykey), ixcmp);
	qsort(w->byski, w->nski, sizeof(*w->byski), ixcmp);
	for (i = 0; i < w->n; i++)
		w->grp[w->bykey[i].i] = i > 0 && bytescmp(w->bykey[i].p, w->bykey[i].len,
		    w->bykey[i - 1].p, w->bykey[i - 1].len) == 0 ? w->grp[w->bykey[i - 1].i] : i;
	return 0;
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
	if (index_all(&w) != 0) {
		warnf("%s: out of memory", ts->store);
		goto out;
	}
	rc = load_own(is, &w);
	/*
	 * w.q grows while it is walked: each trust certificate is queued once at most, and
	 * its X509 (when one was needed) is freed as soon as its issuer is known.
	 */
	for (i = 0; i < w.nq; i++) {
		pos = find_key(&w, &w.q[i]);
		X509_free(w.q[i].x);
		OPENSSL_free(w.q[i].der);
		free(w.q[i].rec);
		w.q[i].x = NULL;
		w.q[i].der = NULL;
		w.q[i].rec = NULL;
		if (pos != NONE && mark(&w, pos, w.q[i].src) != 0) {
			warnf("%s: out of memory", ts->store);
			rc = -1;
			break;
		}
	}
out:
	for (i = 0; i < w.nq; i++) {
		X509_free(w.q[i].x);
		OPENSSL_free(w.q[i].der);
		free(w.q[i].rec);
	}
	for (i = 0; w.key != NULL && i < w.n; i++)
		EVP_PKEY_free(w.key[i]);
	free(w.key);
	free(w.q);
	free(w.byname);
	free(w.bykey);
	free(w.byski);
	free(w.grp);
	free(w.done);
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
