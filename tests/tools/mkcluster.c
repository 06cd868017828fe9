/*
 * mkcluster: an offline cluster of N nodes in one process, for the planner's scale test and
 * bench/cluster-plan.sh (openssl req per certificate makes 256 nodes a minute's work).
 *   mkcluster DIR N [ec] [tftp=T] [groups=G] [trust=full|own|bundle]
 * Nodes node001..nodeN (node001 the publisher); the first T run TFTP (default 2, "all": every
 * node); groups=G declares G CallManager groups, node i in group i mod G and (i + 1) mod G.
 * Every node: CallManager, tomcat, ipsec, TVS (RSA-2048, one key shared by all: no key
 * generation per certificate), "ec" adds CallManager-ECDSA (one P-256 key); the publisher
 * CAPF and ITLRecovery. trust=full (default): every node's CallManager-trust holds every
 * node's CallManager (and CallManager-ECDSA) and the CAPF, as CUCM replicates it; own: its
 * own, the publisher's and the CAPF; bundle: full, in one file per node (a third of the disk).
 * Keys 0600. Served files: run itl-build --cluster --all.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

static _Noreturn void
die(const char *what)
{
	fprintf(stderr, "mkcluster: %s\n", what);
	exit(2);
}

static void
mkdirs(const char *dir)
{
	if (mkdir(dir, 0755) != 0 && access(dir, F_OK) != 0)
		die(dir);
}

static void
put(const char *path, const void *p, size_t len, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);

	if (fd < 0 || write(fd, p, len) != (ssize_t)len || close(fd) != 0)
		die(path);
}

/* A self-signed certificate /O=Example/OU=unit/CN=cn of key, as PEM text (malloc'd). */
static char *
cert(EVP_PKEY *key, const char *unit, const char *cn, size_t *len)
{
	X509 *x = X509_new();
	X509_NAME *n = X509_get_subject_name(x);
	unsigned char r[8];
	BIGNUM *bn;
	BIO *b = BIO_new(BIO_s_mem());
	char *p, *out;
	long l;

	if (x == NULL || b == NULL || RAND_bytes(r, sizeof(r)) != 1 ||
	    (bn = BN_bin2bn(r, sizeof(r), NULL)) == NULL)
		die("out of memory");
	X509_set_version(x, 2);
	BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x));
	BN_free(bn);
	X509_NAME_add_entry_by_txt(n, "O", MBSTRING_ASC, (const unsigned char *)"Example", -1, -1, 0);
	X509_NAME_add_entry_by_txt(n, "OU", MBSTRING_ASC, (const unsigned char *)unit, -1, -1, 0);
	X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
	X509_set_issuer_name(x, n);
	if (!ASN1_TIME_set_string_X509(X509_getm_notBefore(x), "20260101000000Z") ||
	    !ASN1_TIME_set_string_X509(X509_getm_notAfter(x), "20290101000000Z") ||
	    !X509_set_pubkey(x, key) || !X509_sign(x, key, EVP_sha256()) || !PEM_write_bio_X509(b, x))
		die(cn);
	l = BIO_get_mem_data(b, &p);
	if ((out = malloc((size_t)l)) == NULL)
		die("out of memory");
	memcpy(out, p, (size_t)l);
	*len = (size_t)l;
	BIO_free(b);
	X509_free(x);
	return out;
}

static char *
keypem(EVP_PKEY *k, size_t *len)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *p, *out;
	long l;

	if (b == NULL || !PEM_write_bio_PrivateKey(b, k, NULL, NULL, 0, NULL, NULL))
		die("key");
	l = BIO_get_mem_data(b, &p);
	if ((out = malloc((size_t)l)) == NULL)
		die("out of memory");
	memcpy(out, p, (size_t)l);
	*len = (size_t)l;
	BIO_free(b);
	return out;
}

struct pem {
	char	*p;
	size_t	 len;
};

/* DIR/NODE/UNIT/UNIT.pem and .key. */
static void
unit(const char *dir, const char *node, const char *u, const struct pem *c, const struct pem *k)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s/%s", dir, node, u);
	mkdirs(path);
	snprintf(path, sizeof(path), "%s/%s/%s/%s.pem", dir, node, u, u);
	put(path, c->p, c->len, 0644);
	snprintf(path, sizeof(path), "%s/%s/%s/%s.key", dir, node, u, u);
	put(path, k->p, k->len, 0600);
}

static const char *const units[] = { "CallManager", "tomcat", "ipsec", "TVS" };

int
main(int argc, char **argv)
{
	struct pem rk, ek, *cm, *ecm, capf, itlrec, x;
	char path[4096], node[32], line[256], *dir;
	int n, i, k, u, ec = 0, tftp = 2, groups = 0, full = 1, bundle = 0;
	EVP_PKEY *rsa, *p256 = NULL;
	FILE *nf;

	if (argc < 3 || (n = atoi(argv[2])) < 1 || n > 999)
		die("usage: mkcluster DIR N [ec] [tftp=T|all] [groups=G] [trust=full|own]");
	dir = argv[1];
	for (i = 3; i < argc; i++)
		if (strcmp(argv[i], "ec") == 0)
			ec = 1;
		else if (strcmp(argv[i], "tftp=all") == 0)
			tftp = n;
		else if (strncmp(argv[i], "tftp=", 5) == 0)
			tftp = atoi(argv[i] + 5);
		else if (strncmp(argv[i], "groups=", 7) == 0)
			groups = atoi(argv[i] + 7);
		else if (strcmp(argv[i], "trust=own") == 0)
			full = 0;
		else if (strcmp(argv[i], "trust=bundle") == 0)
			bundle = 1;
		else if (strcmp(argv[i], "trust=full") != 0)
			die(argv[i]);
	if ((rsa = EVP_RSA_gen(2048)) == NULL || (ec && (p256 = EVP_EC_gen("P-256")) == NULL))
		die("key generation");
	rk.p = keypem(rsa, &rk.len);
	ek.p = ec ? keypem(p256, &ek.len) : NULL;
	if ((cm = calloc((size_t)n, sizeof(*cm))) == NULL || (ecm = calloc((size_t)n, sizeof(*ecm))) == NULL)
		die("out of memory");
	mkdirs(dir);
	snprintf(path, sizeof(path), "%s/nodes", dir);
	if ((nf = fopen(path, "w")) == NULL)
		die(path);
	for (i = 0; i < n; i++) {
		snprintf(node, sizeof(node), "node%03d", i + 1);
		snprintf(path, sizeof(path), "%s/%s", dir, node);
		mkdirs(path);
		for (u = 0; u < 4; u++) {
			x.p = cert(rsa, units[u], node, &x.len);
			unit(dir, node, units[u], &x, &rk);
			if (u == 0)
				cm[i] = x;
			else
				free(x.p);
		}
		if (ec) {
			ecm[i].p = cert(p256, "CallManager-ECDSA", node, &ecm[i].len);
			unit(dir, node, "CallManager-ECDSA", &ecm[i], &ek);
		}
		snprintf(line, sizeof(line), "%s 10.%d.%d.%d%s%s", node, (i + 1) / 65536,
		    (i + 1) / 256 % 256, (i + 1) % 256, i == 0 ? " publisher" : "",
		    i < tftp ? " tftp" : "");
		if (groups > 0)
			snprintf(line + strlen(line), sizeof(line) - strlen(line), " groups=g%d,g%d",
			    i % groups, (i + 1) % groups);
		fprintf(nf, "%s\n", line);
	}
	if (fclose(nf) != 0)
		die("nodes");
	capf.p = cert(rsa, "CAPF", "CAPF-1a2b3c4d", &capf.len);
	unit(dir, "node001", "CAPF", &capf, &rk);
	itlrec.p = cert(rsa, "ITLRecovery", "ITLRECOVERY_node001", &itlrec.len);
	unit(dir, "node001", "ITLRecovery", &itlrec, &rk);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/node%03d/CallManager-trust", dir, i + 1);
		mkdirs(path);
		if (bundle) {
			snprintf(path, sizeof(path), "%s/node%03d/CallManager-trust/cluster.pem", dir,
			    i + 1);
			if ((nf = fopen(path, "w")) == NULL)
				die(path);
			for (k = 0; k < n; k++) {
				fwrite(cm[k].p, 1, cm[k].len, nf);
				if (ec)
					fwrite(ecm[k].p, 1, ecm[k].len, nf);
			}
			fwrite(capf.p, 1, capf.len, nf);
			if (ferror(nf) || fclose(nf) != 0)
				die(path);
			continue;
		}
		for (k = 0; k < n; k++) {
			if (!full && k != i && k != 0)
				continue;
			snprintf(path, sizeof(path), "%s/node%03d/CallManager-trust/node%03d.pem", dir,
			    i + 1, k + 1);
			put(path, cm[k].p, cm[k].len, 0644);
			if (ec) {
				snprintf(path, sizeof(path), "%s/node%03d/CallManager-trust/node%03d-EC.pem",
				    dir, i + 1, k + 1);
				put(path, ecm[k].p, ecm[k].len, 0644);
			}
		}
		snprintf(path, sizeof(path), "%s/node%03d/CallManager-trust/CAPF-1a2b3c4d.pem", dir,
		    i + 1);
		put(path, capf.p, capf.len, 0644);
	}
	for (i = 0; i < n; i++) {
		free(cm[i].p);
		free(ecm[i].p);
	}
	free(cm);
	free(ecm);
	free(capf.p);
	free(itlrec.p);
	free(rk.p);
	free(ek.p);
	EVP_PKEY_free(rsa);
	EVP_PKEY_free(p256);
	return 0;
}
