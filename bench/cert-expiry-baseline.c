/*
 * cert-expiry-baseline.c: fixtures and baselines for bench/cert-expiry.sh.
 *   gen DIR N [DERDIR]  N single-certificate PEM files DIR/cNNNNNN.pem (and DER copies):
 *                       one RSA-2048 subject key, serial, CN and notAfter patched into a
 *                       template TBS, each re-signed with one P-256 key (fast to sign)
 *   genbig DIR N        the same, the size of a CUCM unit certificate (about 1,400 bytes of
 *                       PEM: RSA-4096 subject key, ST and OU, CUCM's extensions), so that
 *                       100,000 of them make a bundle of about 138 MB (issue 17)
 *   pem DIR             PEM_read_X509 + X509_get0_notAfter over every file of DIR
 *   d2i DIR             read, base64-decode (EVP_DecodeUpdate), d2i_X509 + X509_get0_notAfter
 *                       over every file of DIR
 *   pemfile FILE        PEM_read_X509 + X509_get0_notAfter over every block of one bundle
 *   time CMD [ARG...]   run CMD with its stdout on /dev/null;
 *                       print "seconds maxrss_kib status cpu_seconds"
 * The loops print "certs seconds rate maxrss_kib cpu_seconds".
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/sha.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* User plus system seconds. */
static double
cpu(const struct rusage *ru)
{
	return (double)(ru->ru_utime.tv_sec + ru->ru_stime.tv_sec) +
	    (double)(ru->ru_utime.tv_usec + ru->ru_stime.tv_usec) / 1e6;
}

/* DER length octets for n into p; returns their count. */
static size_t
derlen(unsigned char *p, size_t n)
{
	if (n < 0x80) {
		p[0] = (unsigned char)n;
		return 1;
	}
	if (n < 0x100) {
		p[0] = 0x81;
		p[1] = (unsigned char)n;
		return 2;
	}
	p[0] = 0x82;
	p[1] = (unsigned char)(n >> 8);
	p[2] = (unsigned char)n;
	return 3;
}

static unsigned char *
find(unsigned char *p, size_t n, const void *s, size_t k)
{
	for (size_t i = 0; i + k <= n; i++)
		if (memcmp(p + i, s, k) == 0)
			return p + i;
	return NULL;
}

static int
put(const char *path, const void *p, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644), ok;

	if (fd < 0)
		return -1;
	ok = write(fd, p, n) == (ssize_t)n;
	return close(fd) == 0 && ok ? 0 : -1;
}

/* Add an extension written in openssl.cnf's words to the template (x issues itself). */
static void
ext(X509 *x, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509_EXTENSION *e;

	X509V3_set_ctx_nodb(&ctx);
	X509V3_set_ctx(&ctx, x, x, NULL, NULL, 0);
	if ((e = X509V3_EXT_nconf_nid(NULL, &ctx, nid, value)) != NULL) {
		X509_add_ext(x, e, -1);
		X509_EXTENSION_free(e);
	}
}

/*
 * One template certificate, then per file: patch serial, CN and notAfter in the
 * TBS (fixed widths), sign it with a reused ECDSA context, write PEM (and DER).
 */
static int
gen(const char *dir, long n, const char *derdir, int big)
{
	static const unsigned char alg[] = { 0x30, 0x0A, 0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE,
	    0x3D, 0x04, 0x03, 0x02 };	/* ecdsa-with-SHA256 */
	EVP_PKEY *ca = EVP_EC_gen("P-256"), *subj = EVP_RSA_gen(big ? 4096 : 2048);
	EVP_PKEY_CTX *sctx;
	X509_NAME *in = X509_NAME_new(), *sn = X509_NAME_new();
	X509 *x = X509_new();
	unsigned char *tbs = NULL, *ser, *cnp, *na, md[32], sig[256], cert[4096], pem[8192];
	char path[4096], cn[32], t[16];
	size_t tlen, slen, clen, k, plen;
	long i;
	int r;

	if (ca == NULL || subj == NULL || in == NULL || sn == NULL || x == NULL)
		return 1;
	X509_NAME_add_entry_by_txt(in, "CN", MBSTRING_ASC, (unsigned char *)"bench CA", -1, -1, 0);
	X509_NAME_add_entry_by_txt(sn, "C", MBSTRING_ASC, (unsigned char *)"US", -1, -1, 0);
	if (big)
		X509_NAME_add_entry_by_txt(sn, "ST", MBSTRING_ASC, (unsigned char *)"California",
		    -1, -1, 0);
	X509_NAME_add_entry_by_txt(sn, "O", MBSTRING_ASC, (unsigned char *)"Example", -1, -1, 0);
	if (big)
		X509_NAME_add_entry_by_txt(sn, "OU", MBSTRING_ASC,
		    (unsigned char *)"Unified Communications", -1, -1, 0);
	X509_NAME_add_entry_by_txt(sn, "CN", MBSTRING_ASC,
	    (unsigned char *)"hostXXXXXX.example.com", -1, -1, 0);
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 0x7EADBEEFL);
	X509_set_issuer_name(x, in);
	X509_set_subject_name(x, sn);
	ASN1_TIME_set_string(X509_getm_notBefore(x), "260101000000Z");
	ASN1_TIME_set_string(X509_getm_notAfter(x), "491231235959Z");
	X509_set_pubkey(x, subj);
	if (big) {
		ext(x, NID_basic_constraints, "critical,CA:FALSE");
		ext(x, NID_key_usage, "critical,digitalSignature,keyEncipherment,dataEncipherment,"
		    "keyAgreement");
		ext(x, NID_ext_key_usage, "serverAuth,clientAuth,ipsecEndSystem");
		ext(x, NID_subject_key_identifier, "hash");
		ext(x, NID_subject_alt_name, "DNS:cucm-pub.example.com");
	}
	X509_sign(x, ca, EVP_sha256());		/* fills the TBS signature algorithm */
	if ((r = i2d_re_X509_tbs(x, &tbs)) <= 0)
		return 1;
	tlen = (size_t)r;
	ser = find(tbs, tlen, "\x02\x04\x7E\xAD\xBE\xEF", 6) + 2;
	cnp = find(tbs, tlen, "XXXXXX", 6);
	na = find(tbs, tlen, "491231235959Z", 13);
	if ((sctx = EVP_PKEY_CTX_new(ca, NULL)) == NULL || EVP_PKEY_sign_init(sctx) <= 0)
		return 1;
	for (i = 0; i < n; i++) {
		time_t when = time(NULL) + 86400L * (i % 100 == 0 ? 10 : 40 + i % 360);
		struct tm tm;

		/* one in a hundred inside the 30-day window, the rest 40..400 days out */
		ser[0] = 0x40 | (unsigned char)(i >> 24 & 0x3F);
		ser[1] = (unsigned char)(i >> 16);
		ser[2] = (unsigned char)(i >> 8);
		ser[3] = (unsigned char)i;
		snprintf(cn, sizeof(cn), "%06ld", i);
		memcpy(cnp, cn, 6);
		gmtime_r(&when, &tm);
		strftime(t, sizeof(t), "%y%m%d%H%M%SZ", &tm);
		memcpy(na, t, 13);
		SHA256(tbs, tlen, md);
		slen = sizeof(sig);
		if (EVP_PKEY_sign(sctx, sig, &slen, md, sizeof(md)) <= 0)
			return 1;
		/* Certificate ::= SEQUENCE { tbs, alg, BIT STRING { 0, sig } } */
		k = tlen + sizeof(alg) + 1 + derlen(cert, slen + 1) + 1 + slen;
		clen = 1 + derlen(cert + 1, k);
		cert[0] = 0x30;
		memcpy(cert + clen, tbs, tlen);
		clen += tlen;
		memcpy(cert + clen, alg, sizeof(alg));
		clen += sizeof(alg);
		cert[clen++] = 0x03;
		clen += derlen(cert + clen, slen + 1);
		cert[clen++] = 0;
		memcpy(cert + clen, sig, slen);
		clen += slen;
		plen = (size_t)sprintf((char *)pem, "-----BEGIN CERTIFICATE-----\n");
		for (k = 0; k < clen; k += 48) {
			plen += (size_t)EVP_EncodeBlock(pem + plen, cert + k,
			    (int)(clen - k < 48 ? clen - k : 48));
			pem[plen++] = '\n';
		}
		plen += (size_t)sprintf((char *)pem + plen, "-----END CERTIFICATE-----\n");
		snprintf(path, sizeof(path), "%s/c%06ld.pem", dir, i);
		if (put(path, pem, plen) != 0)
			return 1;
		snprintf(path, sizeof(path), "%s/c%06ld.der", derdir, i);
		if (derdir != NULL && put(path, cert, clen) != 0)
			return 1;
	}
	OPENSSL_free(tbs);
	EVP_PKEY_CTX_free(sctx);
	X509_free(x);
	X509_NAME_free(in);
	X509_NAME_free(sn);
	EVP_PKEY_free(ca);
	EVP_PKEY_free(subj);
	return 0;
}

static int
loop(const char *dir, int pem)
{
	static unsigned char buf[1 << 16], der[1 << 16];
	struct rusage ru;
	struct dirent *e;
	char path[4096];
	long n = 0, late = 0;
	double t0 = now(), t;
	DIR *d;
	FILE *fp;
	X509 *x;
	int fd;
	ssize_t len;

	if ((d = opendir(dir)) == NULL)
		return 1;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		x = NULL;
		if (pem) {
			if ((fp = fopen(path, "r")) != NULL) {
				x = PEM_read_X509(fp, NULL, NULL, NULL);
				fclose(fp);
			}
		} else if ((fd = open(path, O_RDONLY)) >= 0) {
			if ((len = read(fd, buf, sizeof(buf) - 1)) > 0) {
				const unsigned char *p = der;
				EVP_ENCODE_CTX *ctx = EVP_ENCODE_CTX_new();
				char *b, *e;
				int k = 0, k2 = 0;

				buf[len] = '\0';
				b = strstr((char *)buf, "-----\n");
				e = strstr((char *)buf, "\n-----END");
				if (ctx != NULL && b != NULL && e != NULL && (b += 6) < e) {
					EVP_DecodeInit(ctx);
					if (EVP_DecodeUpdate(ctx, der, &k, (unsigned char *)b,
					    (int)(e - b)) >= 0 && EVP_DecodeFinal(ctx, der + k, &k2) > 0)
						x = d2i_X509(NULL, &p, k + k2);
				}
				EVP_ENCODE_CTX_free(ctx);
			}
			close(fd);
		}
		if (x == NULL)
			return 1;
		if (X509_cmp_time(X509_get0_notAfter(x), NULL) < 0)
			late++;
		X509_free(x);
		n++;
	}
	closedir(d);
	t = now() - t0;
	getrusage(RUSAGE_SELF, &ru);
	printf("%ld %.3f %.0f %ld %.3f\n", n, t, (double)n / t, ru.ru_maxrss, cpu(&ru));
	return late < 0;
}

/* The PEM_read_X509 loop over one bundle: what a careful C program does with it. */
static int
pemfile(const char *path)
{
	struct rusage ru;
	double t0 = now(), t;
	long n = 0, late = 0;
	FILE *fp;
	X509 *x;

	if ((fp = fopen(path, "r")) == NULL)
		return 1;
	while ((x = PEM_read_X509(fp, NULL, NULL, NULL)) != NULL) {
		if (X509_cmp_time(X509_get0_notAfter(x), NULL) < 0)
			late++;
		X509_free(x);
		n++;
	}
	fclose(fp);
	t = now() - t0;
	getrusage(RUSAGE_SELF, &ru);
	printf("%ld %.3f %.0f %ld %.3f\n", n, t, (double)n / t, ru.ru_maxrss, cpu(&ru));
	return late < 0;
}

/* Wall time and peak memory of a child (wait4 gives its own rusage, not ours). */
static int
timeit(char **argv)
{
	struct rusage ru;
	double t0 = now();
	int status, fd;
	pid_t pid;

	if ((pid = fork()) < 0)
		return 1;
	if (pid == 0) {
		if ((fd = open("/dev/null", O_WRONLY)) >= 0)
			dup2(fd, 1);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) != pid)
		return 1;
	printf("%.3f %ld %d %.3f\n", now() - t0, ru.ru_maxrss,
	    WIFEXITED(status) ? WEXITSTATUS(status) : 128, cpu(&ru));
	return 0;
}

int
main(int argc, char *argv[])
{
	if (argc >= 4 && strcmp(argv[1], "gen") == 0)
		return gen(argv[2], atol(argv[3]), argc > 4 ? argv[4] : NULL, 0);
	if (argc == 4 && strcmp(argv[1], "genbig") == 0)
		return gen(argv[2], atol(argv[3]), NULL, 1);
	if (argc == 3 && strcmp(argv[1], "pem") == 0)
		return loop(argv[2], 1);
	if (argc == 3 && strcmp(argv[1], "d2i") == 0)
		return loop(argv[2], 0);
	if (argc == 3 && strcmp(argv[1], "pemfile") == 0)
		return pemfile(argv[2]);
	if (argc >= 3 && strcmp(argv[1], "time") == 0)
		return timeit(argv + 2);
	fprintf(stderr, "usage: cert-expiry-baseline gen dir n [derdir] | genbig dir n | pem dir | d2i dir |"
	    " pemfile file | time cmd [arg ...]\n");
	return 2;
}
