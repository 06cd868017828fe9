/*
 * storecerts: the certificates of the store tests' fixtures in one process, as helpers.bash's
 * mkcert_dates makes them one by one with openssl req + openssl ca (same fields, extensions
 * and encodings: version 3, a random 8-byte serial, sha256, "root": basicConstraints critical
 * CA:TRUE, keyUsage digitalSignature, keyCertSign, cRLSign, subject key identifier; "leaf":
 * basicConstraints CA:FALSE, subject and authority key identifiers).
 *   storecerts DIR <SPEC
 * SPEC: one certificate a line, tab-separated: NAME NOTBEFORE NOTAFTER SUBJECT [ISSUER], dates
 * as YYYYMMDDHHMMSSZ, SUBJECT as /CN=x/O=y; the key DIR/NAME.key (helpers.bash mkkey), or when
 * there is none a fresh P-256 key written there (0600: EC keys cost nothing to make, no pool);
 * writes DIR/NAME.pem, self-signed, or signed by DIR/ISSUER.pem and its key.
 */

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

static _Noreturn void
die(const char *what)
{
	fprintf(stderr, "storecerts: %s\n", what);
	exit(2);
}

static void *
load(const char *dir, const char *name, const char *ext, int key)
{
	char path[4096];
	void *p;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.%s", dir, name, ext);
	if ((f = fopen(path, "r")) == NULL)
		die(path);
	p = key ? (void *)PEM_read_PrivateKey(f, NULL, NULL, NULL) : (void *)PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	if (p == NULL)
		die(path);
	return p;
}

/* DIR/NAME.key, made (P-256, 0600) when absent. */
static EVP_PKEY *
key_of(const char *dir, const char *name)
{
	char path[4096];
	EVP_PKEY *k;
	FILE *f;
	int fd;

	snprintf(path, sizeof(path), "%s/%s.key", dir, name);
	if (access(path, F_OK) == 0)
		return load(dir, name, "key", 1);
	if ((k = EVP_EC_gen("P-256")) == NULL || (fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600)) < 0 ||
	    (f = fdopen(fd, "w")) == NULL || !PEM_write_PrivateKey(f, k, NULL, NULL, 0, NULL, NULL) ||
	    fclose(f) != 0)
		die(path);
	return k;
}

/* "/CN=a/O=b" into n, in that order. */
static void
subject(X509_NAME *n, char *s)
{
	char *field, *v;

	for (field = strtok(s, "/"); field != NULL; field = strtok(NULL, "/")) {
		if ((v = strchr(field, '=')) == NULL)
			die("subject: no =");
		*v++ = '\0';
		if (!X509_NAME_add_entry_by_txt(n, field, MBSTRING_ASC, (unsigned char *)v, -1, -1, 0))
			die("subject");
	}
}

static void
ext(X509 *x, X509V3_CTX *ctx, const char *name, const char *value)
{
	X509_EXTENSION *e = X509V3_EXT_conf(NULL, ctx, name, value);

	if (e == NULL || !X509_add_ext(x, e, -1))
		die(name);
	X509_EXTENSION_free(e);
}

static void
serial(X509 *x)
{
	unsigned char r[8];
	BIGNUM *bn;

	if (RAND_bytes(r, sizeof(r)) != 1 || (bn = BN_bin2bn(r, sizeof(r), NULL)) == NULL ||
	    BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)) == NULL)
		die("serial");
	BN_free(bn);
}

/* One line of SPEC: NAME NOTBEFORE NOTAFTER SUBJECT [ISSUER]. */
static void
make(const char *dir, char *line)
{
	char *f[5] = { 0 }, path[4096];
	int n = 0;
	X509 *x = X509_new(), *ca = NULL;
	EVP_PKEY *key, *cakey;
	X509V3_CTX ctx;
	FILE *out;

	for (char *p = strtok(line, "\t\n"); p != NULL && n < 5; p = strtok(NULL, "\t\n"))
		f[n++] = p;
	if (n < 4)
		die("a line needs NAME NOTBEFORE NOTAFTER SUBJECT");
	key = cakey = key_of(dir, f[0]);
	if (f[4] != NULL) {
		ca = load(dir, f[4], "pem", 0);
		cakey = load(dir, f[4], "key", 1);
	}
	X509_set_version(x, 2);
	serial(x);
	subject(X509_get_subject_name(x), f[3]);
	X509_set_issuer_name(x, ca != NULL ? X509_get_subject_name(ca) : X509_get_subject_name(x));
	if (!ASN1_TIME_set_string_X509(X509_getm_notBefore(x), f[1]) ||
	    !ASN1_TIME_set_string_X509(X509_getm_notAfter(x), f[2]) || !X509_set_pubkey(x, key))
		die(f[0]);
	X509V3_set_ctx(&ctx, ca != NULL ? ca : x, x, NULL, NULL, 0);
	if (ca != NULL) {
		ext(x, &ctx, "basicConstraints", "CA:FALSE");
		ext(x, &ctx, "subjectKeyIdentifier", "hash");
		ext(x, &ctx, "authorityKeyIdentifier", "keyid");
	} else {
		ext(x, &ctx, "basicConstraints", "critical,CA:TRUE");
		ext(x, &ctx, "keyUsage", "keyCertSign, cRLSign, digitalSignature");
		ext(x, &ctx, "subjectKeyIdentifier", "hash");
	}
	if (!X509_sign(x, cakey, EVP_sha256()))
		die(f[0]);
	snprintf(path, sizeof(path), "%s/%s.pem", dir, f[0]);
	if ((out = fopen(path, "w")) == NULL || !PEM_write_X509(out, x) || fclose(out) != 0)
		die(path);
	if (ca != NULL) {
		X509_free(ca);
		EVP_PKEY_free(cakey);
	}
	EVP_PKEY_free(key);
	X509_free(x);
}

int
main(int argc, char **argv)
{
	char line[4096];

	if (argc != 2)
		die("usage: storecerts DIR <SPEC");
	while (fgets(line, sizeof(line), stdin) != NULL)
		if (line[strspn(line, " \t\n")] != '\0')
			make(argv[1], line);
	return 0;
}
