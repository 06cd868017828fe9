/* ctl.h: CTL/ITL files (../shared/FORMAT.md): parse, verify, and the rollover rule. */
#ifndef CTK_CTL_H
#define CTK_CTL_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/types.h>

#include "tl/tlv.h"

/*
 * Caps for what CUCM could ever write (real files are under 64 KB): a trust
 * list past either is refused as damaged before anything is allocated for it.
 */
#define CTL_MAX_SIZE	((size_t)1 << 20)
#define CTL_MAX_RECS	1024
#define CTL_MAX_HTAGS	256

/* Header tags (FORMAT.md section 2). */
enum {
	CTL_H_VERSION = 1, CTL_H_HDRLEN = 2, CTL_H_SIGNERID = 3, CTL_H_SIGNERNAME = 4,
	CTL_H_SERIAL = 5, CTL_H_CANAME = 6, CTL_H_SIGINFO = 7, CTL_H_DIGEST = 8,
	CTL_H_ALGOINFO = 9, CTL_H_SIGALG = 10, CTL_H_MODULUS = 11, CTL_H_SIGNATURE = 12,
	CTL_H_PAD = 13, CTL_H_FILENAME = 14, CTL_H_TIMESTAMP = 15, CTL_H_SIGNERVER = 0x1C,
	CTL_H_MAX = 0x20
};
/* Signed TFTP files, version 2.0 (encrypted; FORMAT.md section 7): containers 16, 17, 21. */
enum {
	CTL_H_ENCINFO = 16, CTL_H_IVINFO = 17, CTL_H_IVALG = 18, CTL_H_IV = 19,
	CTL_H_IVPAD = 20, CTL_H_KEYINFO = 21, CTL_H_KEYALG = 22, CTL_H_KEYBITS = 23,
	CTL_H_WRAPALG = 24, CTL_H_WRAPKEY = 25, CTL_H_PTDIGEST = 26, CTL_H_PTHASH = 27
};
/* Record tags (section 3). */
enum {
	CTL_R_LENGTH = 1, CTL_R_DNS = 2, CTL_R_SUBJECT = 3, CTL_R_FUNCTION = 4,
	CTL_R_ISSUER = 5, CTL_R_SERIAL = 6, CTL_R_PUBKEY = 7, CTL_R_SIGNATURE = 8,
	CTL_R_CERT = 9, CTL_R_IP = 10, CTL_R_MAX = 16
};
/* FUNCTION codes. */
enum {
	CTL_FN_SAST = 0, CTL_FN_CCM = 1, CTL_FN_CCM_TFTP = 2, CTL_FN_TFTP = 3,
	CTL_FN_CAPF = 4, CTL_FN_SRST = 5, CTL_FN_APP = 7, CTL_FN_TVS = 21
};

struct ctl_htag {
	struct tlv	t;
	int		depth;		/* 0, or 1..2 inside containers 3, 7, 9 */
};

struct ctl_rec {
	size_t		 off;		/* offset of the record's first byte */
	size_t		 len;		/* RECORDLENGTH (bytes actually present if damaged) */
	struct tlv	*tags;		/* every TLV in file order, RECORDLENGTH first */
	size_t		 ntags;
	struct tlv	 f[CTL_R_MAX];	/* first TLV of each known tag; .val NULL = absent */
	int		 function;	/* FUNCTION code, -1 when absent or malformed */
};

struct ctl {
	const uint8_t	*buf;		/* borrowed: the caller keeps it alive */
	size_t		 len;
	size_t		 hdrlen;	/* HEADERLENGTH, 0 until read */
	struct ctl_htag	*htags;		/* header TLVs in file order, padding left out */
	size_t		 nhtags;
	struct tlv	 hf[CTL_H_MAX];	/* first TLV of each header tag; .val NULL = absent */
	size_t		 npad;		/* bare 0x0D padding bytes */
	struct ctl_rec	*recs;
	size_t		 nrecs;
	struct tlv	*rtags;		/* every record's tags: recs[i].tags point in here */
	int		 damaged;
	int		 oom;		/* the damage is an allocation failure, not the file */	/* err and err_off describe the first damage */
	size_t		 err_off;
	char		 err[160];
};

struct ctl_verify {
	int		 verified;	/* 1: the signature checks out */
	int		 signer;	/* index into recs of the SAST record named by the header, or -1 */
	const char	*error;		/* static text when not verified */
};

/*
 * Parse buf (borrowed). Returns 0, or -1 when the file is damaged: c->err and
 * c->err_off say what and where, and everything before the damage stays in *c.
 * Allocation is bounded by a small multiple of len. ctl_free() in either case.
 */
int ctl_parse(struct ctl *c, const uint8_t *buf, size_t len);
/*
 * The same for the header alone (what a signed TFTP file has: lib/tl/sgn.h).
 * In a version 2.x header tags 16, 17 and 21 are containers too.
 */
int ctl_parse_header(struct ctl *c, const uint8_t *buf, size_t len);
void ctl_free(struct ctl *c);
/*
 * Read and parse the file at path ("-" = stdin): *buf holds the bytes c borrows
 * (the caller frees it, and ctl_free(c), in any case). 0, or -1 after one
 * diagnostic "path: what at byte N" (lib/ctlload.c).
 */
int ctl_load(const char *path, uint8_t **buf, struct ctl *c);
/* 1 when the file is an ITL (FILENAME tag, else the name ITL*), 0 for a CTL. */
int ctl_is_itl(const struct ctl *c, const char *path);
/* Length of a string value without its terminating NUL. */
size_t ctl_strlen(const struct tlv *t);
/* Check the signature (FORMAT.md section 2). Returns v->verified. */
int ctl_verify(const struct ctl *c, struct ctl_verify *v);
/*
 * The signature check alone, with key (borrowed): NULL when it verifies, else
 * a static reason (no signature, unknown digest code, does not match ...).
 */
const char *ctl_verify_key(const struct ctl *c, EVP_PKEY *key);
/*
 * ctl_verify_key at most once per distinct key over a loop's records: what
 * an equal key gave before is in m (CTLKEY_MEMO_ZERO first, ctlkey_memo_free
 * after: tl/ctlkey.h).
 */
struct ctlkey_memo;
const char *ctl_verify_key_once(const struct ctl *c, EVP_PKEY *key, struct ctlkey_memo *m);
/* 1 when two SERIALNUMBER values are the same number (leading zero bytes ignored). */
int ctl_serial_eq(const struct tlv *a, const struct tlv *b);
/* Free the cache of decoded signer keys that ctl_verify keeps (optional, for leak checkers). */
void ctl_verify_cleanup(void);
/* Index of the record whose serial and issuer name the header's signer, or -1. */
int ctl_find_signer(const struct ctl *c);
/*
 * Would a phone holding old accept nw? 1 yes, 0 no; *rec is old's SAST record
 * that matches nw's signer (or -1) and *why a static reason.
 */
int ctl_trusts(const struct ctl *old, const struct ctl *nw, int *rec, const char **why);
/* Role names as in the JSON ("SAST", "CCM+TFTP", ...); NULL for unknown codes. */
const char *ctl_role_name(int function);
/* The role name of a FUNCTION code, or "UNKNOWN-<code>" in buf (32 bytes will do); never NULL. */
const char *ctl_role_text(int function, char *buf, size_t n);
/* CUCM's CLI text for a FUNCTION ("System Administrator Security Token"); NULL if unknown. */
const char *ctl_function_text(int function);
/* Role name to code (case-insensitive), -1 if unknown. */
int ctl_role_code(const char *name);
/* Digest name for a header DIGESTALGORTITHM code ("sha1"...), NULL if unknown. */
const char *ctl_digest_name(int code);

#endif
