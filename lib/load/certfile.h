/* certfile.h: every certificate in one file's bytes (PEM, DER, PKCS#7, PKCS#12, CTL/ITL), fast. */
#ifndef CTK_CERTFILE_H
#define CTK_CERTFILE_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "x509/der.h"

struct certfile_cert {
	const uint8_t	*der;		/* the DER certificate: borrowed, see certfile_read */
	size_t		 len;
	size_t		 auxlen;	/* CERTFILE_AUX: trust data at der[len .. len + auxlen) */
	const char	*text;		/* PEM: the text between the previous block and this one */
	size_t		 textlen;	/* (RFC 7468 explanatory text; borrowed from the input) */
	struct der_cert	 c;		/* its fields (spans point into der) */
	size_t		 index;		/* 1-based position in the file */
	int		 record;	/* CTL/ITL record number (1-based), 0 for other files */
	int		 function;	/* CTL/ITL FUNCTION code, -1 when none */
	const char	*source;	/* PEM: its "Source:" line's text (x509/pem.h), or NULL; */
	size_t		 sourcelen;	/* borrowed from the bytes read */
};

struct certfile_loc;

/* certfile.flags: what a caller needs besides the certificates. */
#define CERTFILE_AUX	0x1	/* keep a TRUSTED CERTIFICATE's trust data (auxlen) */
#define CERTFILE_TL	0x2	/* read CTL/ITL files (record, function); else they are no certificate file */

struct certfile {
	const char		*pass;		/* PKCS#12 password, NULL for none */
	int			 flags;		/* CERTFILE_* */
	struct certfile_cert	*certs;		/* after certfile_read */
	size_t			 ncerts;
	int			 haskey;	/* a private key was seen (PEM block or PKCS#12) */
	const char		*nocert;	/* readable, no certificate: why (also when !named) */
	long			 budget;	/* PKCS#12 key derivation work left (lib/load/pkcs) */
	/* private */
	const uint8_t		*data;
	uint8_t			*wdata;		/* certfile_read_over: data, writable */
	size_t			 wpos;		/* the DER written over wdata so far */
	struct buf		 scratch, ders;
	struct certfile_loc	*locs;
	size_t			 ncap;
	char			 why[192];
};

void certfile_init(struct certfile *cf, const char *pass, int flags);
/*
 * The one code that turns a file's bytes into certificates (every tool reads
 * through it). Read the certificates of p[0..n) into cf->certs[0..cf->ncerts):
 * PEM blocks (CERTIFICATE, X509 CERTIFICATE, TRUSTED CERTIFICATE, PKCS7) and DER
 * certificates with der_cert_parse (no X509 built), CTL/ITL records by content
 * (CERTFILE_TL), PKCS#7 and PKCS#12 through lib/load/pkcs under a work budget
 * per call. The certificates borrow p and
 * cf's buffers until the next call. Returns NULL, or why the bytes are damaged
 * (the certificates before the damage are kept). named: the caller named this
 * input, so holding no certificate is an error too; otherwise keys, requests and
 * other files come back as NULL with no certificate.
 */
const char *certfile_read(struct certfile *cf, const uint8_t *p, size_t n, int named);
/*
 * certfile_read for bytes the caller gives up: each PEM certificate is decoded
 * over its own base64 text (DER is shorter), so a bundle takes no second
 * buffer. The certificates' text and source are then NULL.
 */
const char *certfile_read_over(struct certfile *cf, uint8_t *p, size_t n, int named);
/* Release the buffers (the scratch one wiped: it may have held keys). */
void certfile_free(struct certfile *cf);

#endif
