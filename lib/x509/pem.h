/* pem.h: iterate the PEM blocks of a buffer and decode their base64, without OpenSSL's BIO layer. */
#ifndef CTK_PEM_H
#define CTK_PEM_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/buf.h"

struct pem_iter {
	const uint8_t	*base;
	size_t		 pos, len;
	size_t		 tstart;	/* where the next block's explanatory text starts */
};

struct pem_block {
	const char	*label;		/* "CERTIFICATE", ...: borrowed, not NUL-terminated */
	size_t		 labellen;
	const uint8_t	*der;		/* decoded bytes, in the caller's scratch buffer */
	size_t		 len;
	size_t		 off;		/* offset of the BEGIN line */
	const uint8_t	*text;		/* RFC 7468 explanatory text: the lines after the previous */
	size_t		 textlen;	/* block's END line (or the start) up to this BEGIN line */
	const char	*source;	/* the PEM_SOURCE line right before it, or NULL: borrowed */
	size_t		 sourcelen;	/* (after the prefix, without the line end) */
};

/*
 * ctlkit names where a block came from in the explanatory text before it
 * (RFC 7468, section 5.2): "Source: ITLFile.tlv#5(TVS)\n-----BEGIN CERTIFICATE-----".
 */
#define PEM_SOURCE "Source: "

void pem_init(struct pem_iter *it, const uint8_t *buf, size_t len);
/*
 * 1: *b filled (b->der points into scratch, valid until the next call);
 * 0: no further BEGIN line; -1: a damaged block, *why says what, b->off where.
 */
int pem_next(struct pem_iter *it, struct pem_block *b, struct buf *scratch, const char **why);
/* 1 when the label is one of the certificate labels OpenSSL accepts. */
int pem_is_cert(const struct pem_block *b);
/* Write the PEM_SOURCE line for text (control bytes as \\xNN, so one line); 0 or -1. */
int pem_write_source(FILE *fp, const char *text);
/* Write der as a PEM block with label ("CERTIFICATE"), 64 columns; 0 or -1 (ferror). */
int pem_write(FILE *fp, const char *label, const uint8_t *der, size_t len);
/* 1 when buf holds a PEM BEGIN line anywhere. */
int pem_sniff(const uint8_t *buf, size_t len);

#endif
