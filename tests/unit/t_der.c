/*
 * t_der.c: certificates read straight from DER (lib/x509/der) and PEM (lib/x509/pem): the one
 * serial printer (long and negative serials, committed fixtures), truncations, and damaged
 * PEM blocks.
 */
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "x509/der.h"
#include "x509/pem.h"
#include "test.h"

static void
serial_bytes(void)
{
	static const uint8_t pos[] = { 0x00, 0xAB, 0xCD }, neg[] = { 0xED, 0xCC }, m1[] = { 0xFF },
	    zero[] = { 0x00 }, min[] = { 0x80, 0x00 };
	char *s;

	assert_str(s = der_serial_text(pos, sizeof(pos), 1), "ABCD");
	free(s);
	assert_str(s = der_serial_text(pos, sizeof(pos), 0), "abcd");
	free(s);
	assert_str(s = der_serial_text(neg, sizeof(neg), 1), "-1234");	/* -0x1234, two's complement */
	free(s);
	assert_str(s = der_serial_text(m1, sizeof(m1), 1), "-01");
	free(s);
	assert_str(s = der_serial_text(zero, sizeof(zero), 1), "00");
	free(s);
	assert_str(s = der_serial_text(min, sizeof(min), 1), "-8000");
	free(s);
}

/* The first certificate of a PEM file, as DER in *b. */
static void
pem_cert(const char *path, struct buf *b, struct der_cert *c)
{
	struct pem_iter it;
	struct pem_block blk;
	struct buf scratch = { 0 };
	const char *why = NULL, *bad;
	uint8_t *p;
	size_t n;

	p = t_read(path, &n);
	pem_init(&it, p, n);
	assert_int(pem_next(&it, &blk, &scratch, &why), 1);
	assert_true(pem_is_cert(&blk));
	memset(b, 0, sizeof(*b));
	assert_int(buf_add(b, blk.der, blk.len), 0);
	assert_int(pem_next(&it, &blk, &scratch, &why), 0);
	buf_free(&scratch);
	free(p);
	if ((bad = der_cert_parse(b->p, b->len, c)) != NULL)
		t_fail(__FILE__, __LINE__, "%s: %s", path, bad);
}

static void
serial_fixtures(void)
{
	struct der_cert c;
	struct buf b;
	char *s, want[141];
	int i;

	for (i = 0; i < 70; i++)
		memcpy(want + 2 * i, "7F", 2);
	want[140] = '\0';
	pem_cert(t_fixture("long.pem"), &b, &c);
	assert_int(c.serial.len, 70);
	assert_str(s = der_serial_text(c.serial.p, c.serial.len, 1), want);	/* in full, past 64 bytes */
	free(s);
	buf_free(&b);
	pem_cert(t_fixture("neg.pem"), &b, &c);
	assert_str(s = der_serial_text(c.serial.p, c.serial.len, 1), "-1234");
	free(s);
	buf_free(&b);
}

static void
der_truncated(void)
{
	static const uint8_t huge[] = { 0x30, 0x84, 0xFF, 0xFF, 0xFF, 0xFF, 0x30, 0x00 };
	struct der_cert c;
	uint8_t *p;
	size_t n, k;

	p = t_read(t_fixture("neg.der"), &n);
	assert_true(der_cert_parse(p, n, &c) == NULL);
	assert_int(c.len, n);
	/* every cut of it is refused with a reason, never read past */
	for (k = 0; k < n; k++) {
		uint8_t *cut = malloc(k ? k : 1);

		memcpy(cut, p, k);
		if (der_cert_parse(cut, k, &c) == NULL)
			t_fail(__FILE__, __LINE__, "a cut at %zu bytes of %zu parsed", k, n);
		free(cut);
	}
	free(p);
	assert_true(der_cert_parse(huge, sizeof(huge), &c) != NULL);
}

/* pem_next over text: its result, and why when damaged. */
static int
pem_first(const char *text, const char **why)
{
	struct pem_iter it;
	struct pem_block blk;
	struct buf scratch = { 0 };
	int r;

	*why = NULL;
	pem_init(&it, (const uint8_t *)text, strlen(text));
	r = pem_next(&it, &blk, &scratch, why);
	buf_free(&scratch);
	return r;
}

static void
pem_damaged(void)
{
	const char *why;

	assert_int(pem_first("-----BEGIN CERTIFICATE-----\nMII*not*base64\n-----END CERTIFICATE-----\n", &why), -1);
	assert_true(why != NULL && *why != '\0');
	assert_int(pem_first("-----BEGIN CERTIFICATE-----\nMIIB\n", &why), -1);	/* no END line */
	assert_true(why != NULL);
	assert_int(pem_first("no block here\n", &why), 0);
	assert_int(pem_first("", &why), 0);
	assert_int(pem_sniff((const uint8_t *)"x\n-----BEGIN CERTIFICATE-----\n", 30), 1);
	assert_int(pem_sniff((const uint8_t *)"-----BEGIN", 10), 0);
}

static void
pem_source(void)
{
	static const char text[] = "Source: ITLFile.tlv#5(TVS)\n-----BEGIN CERTIFICATE-----\nAAEC\n-----END CERTIFICATE-----\n";
	struct pem_iter it;
	struct pem_block blk;
	struct buf scratch = { 0 };
	const char *why = NULL;

	pem_init(&it, (const uint8_t *)text, strlen(text));
	assert_int(pem_next(&it, &blk, &scratch, &why), 1);
	assert_mem(blk.der, blk.len, "\x00\x01\x02", 3);
	assert_true(blk.source != NULL);
	assert_mem(blk.source, blk.sourcelen, "ITLFile.tlv#5(TVS)", 18);
	assert_mem(blk.label, blk.labellen, "CERTIFICATE", 11);
	buf_free(&scratch);
}

const struct t_case t_der[] = {
	{ "der: serials in full, negative ones with a '-' (the one serial printer)", serial_bytes },
	{ "der: serials over 64 bytes and negative ones from certificates (fixtures long.pem, neg.pem)", serial_fixtures },
	{ "der: every cut of a certificate and a 4 GB length are refused, never read past", der_truncated },
	{ "pem: bad base64 and a missing END line are damage; no BEGIN line is no block", pem_damaged },
	{ "pem: a block's Source: line and label", pem_source },
	{ NULL, NULL }
};
