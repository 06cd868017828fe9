/*
 * mkp12.c: hostile PKCS#12 files for the work-budget tests (no MAC, empty password).
 *   mkp12 CERT.pem OUT pbkdf2 SAFES ITER   SAFES encrypted safes of ITER PBKDF2 iterations
 *   mkp12 CERT.pem OUT scrypt N R P        one safe whose key comes from scrypt(N, r, p)
 * Only the first PBKDF2 safe is encrypted for real (it holds CERT): a reader that obeys
 * the counts pays for every safe, and one within its budget still reads the first.
 */
#include <stdio.h>
#include <stdlib.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/rand.h>

/* An encrypted safe under alg whose content is random bytes (never decrypted by a careful reader). */
static PKCS7 *
fake_safe(X509_ALGOR *alg)
{
	unsigned char junk[64];
	PKCS7 *p7 = PKCS7_new();

	if (p7 == NULL || !PKCS7_set_type(p7, NID_pkcs7_encrypted) || RAND_bytes(junk, 64) != 1)
		exit(2);
	X509_ALGOR_free(p7->d.encrypted->enc_data->algorithm);
	p7->d.encrypted->enc_data->algorithm = alg;
	if ((p7->d.encrypted->enc_data->enc_data = ASN1_OCTET_STRING_new()) == NULL ||
	    !ASN1_OCTET_STRING_set(p7->d.encrypted->enc_data->enc_data, junk, 64))
		exit(2);
	return p7;
}

int
main(int argc, char *argv[])
{
	STACK_OF(PKCS12_SAFEBAG) *bags = sk_PKCS12_SAFEBAG_new_null();
	STACK_OF(PKCS7) *safes = sk_PKCS7_new_null();
	unsigned char salt[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	X509_ALGOR *alg;
	PKCS12 *p12;
	FILE *fp;
	X509 *x;
	PKCS7 *p7;
	long a, b, c, i;

	if (argc != 6 && argc != 7) {
		fprintf(stderr, "usage: mkp12 CERT OUT pbkdf2 SAFES ITER | scrypt N R P\n");
		return 2;
	}
	if ((fp = fopen(argv[1], "r")) == NULL || (x = PEM_read_X509(fp, NULL, NULL, NULL)) == NULL)
		return 2;
	fclose(fp);
	a = atol(argv[4]);
	b = atol(argv[5]);
	c = argc > 6 ? atol(argv[6]) : 0;
	if (argv[3][0] == 'p') {
		if (sk_PKCS12_SAFEBAG_push(bags, PKCS12_SAFEBAG_create_cert(x)) <= 0 ||
		    (p7 = PKCS12_pack_p7encdata(NID_aes_256_cbc, "", -1, salt, 8, (int)b,
		    bags)) == NULL || sk_PKCS7_push(safes, p7) <= 0)
			return 2;
		for (i = 1; i < a; i++)
			if ((alg = PKCS5_pbe2_set_iv(EVP_aes_256_cbc(), (int)b, salt, 8, NULL,
			    NID_hmacWithSHA256)) == NULL || sk_PKCS7_push(safes, fake_safe(alg)) <= 0)
				return 2;
	} else if ((alg = PKCS5_pbe2_set_scrypt(EVP_aes_256_cbc(), salt, 8, NULL,
	    (uint64_t)a, (uint64_t)b, (uint64_t)c)) == NULL ||
	    sk_PKCS7_push(safes, fake_safe(alg)) <= 0)
		return 2;
	if ((p12 = PKCS12_add_safes(safes, 0)) == NULL || (fp = fopen(argv[2], "wb")) == NULL ||
	    i2d_PKCS12_fp(fp, p12) != 1 || fclose(fp) != 0)
		return 2;
	/* freed, so that the tests may run it under LeakSanitizer */
	PKCS12_free(p12);
	sk_PKCS7_pop_free(safes, PKCS7_free);
	sk_PKCS12_SAFEBAG_pop_free(bags, PKCS12_SAFEBAG_free);
	X509_free(x);
	return 0;
}
