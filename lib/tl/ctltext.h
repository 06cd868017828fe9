/* ctltext.h: CUCM's `show itl` / `show ctl` listings read back from text (a capture, a log). */
#ifndef CTK_CTLTEXT_H
#define CTK_CTLTEXT_H

#include <stddef.h>
#include <stdint.h>

/*
 * Caps for what a real log holds (CUCM lists a few dozen records): a capture
 * past any of them is refused as damaged, and nothing grows beyond them.
 */
#define CTLTEXT_MAX_LISTINGS	256
#define CTLTEXT_MAX_RECS	4096	/* in all listings together */
#define CTLTEXT_MAX_ROWS	65536	/* header and record rows together */
#define CTLTEXT_MAX_SIG		4096	/* bytes of one header's signature dump */
#define CTLTEXT_MAX_SERIAL	64
#define CTLTEXT_MAX_SIZE	((size_t)16 << 20)	/* a session log, not a disk image */

enum ctltext_kind { CTLTEXT_BINARY, CTLTEXT_CAPTURE, CTLTEXT_OTHER };
enum ctltext_verdict {
	CTLTEXT_NONE, CTLTEXT_VERIFIED, CTLTEXT_UNVERIFIED, CTLTEXT_ERROR, CTLTEXT_NOTFOUND
};

struct ctltext_span {
	const char	*p;		/* into ctltext.text; NULL: absent */
	size_t		 n;
};

/* One BYTEPOS TAG LENGTH VALUE row. */
struct ctltext_row {
	int		 tag;
	int		 known;		/* 0: printed as UNKNOWN */
	unsigned	 len;
	struct ctltext_span val;	/* as printed, blanks around it cut */
};

struct ctltext_rec {
	size_t		 num;		/* "Record #:N" */
	size_t		 row, nrows;	/* its rows: ctltext.rows[row .. row + nrows) */
	int		 function;	/* FUNCTION code, -1 when not listed */
	int		 signer;	/* the etoken line: 1 used, 0 not used, -1 none */
	int		 gap;		/* an elision ("[...]") comes before it */
	int		 has_sha1;	/* the CERTIFICATE row's "(SHA1 Hash HEX)" */
	uint8_t		 sha1[20];
	int		 has_serial;
	uint8_t		 serial[CTLTEXT_MAX_SERIAL];
	size_t		 serlen;
	struct ctltext_span dns, subject, issuer;
};

/* One listing: what `show itl` or `show ctl` printed once. */
struct ctltext_list {
	int		 itl;
	size_t		 off, line;	/* where it starts in the input */
	int		 summed;	/* it opens with "The checksum value of the ITL file:" */
	int		 has_md5, has_sha1, has_size;
	uint8_t		 md5[16], sha1[20];
	size_t		 size;		/* "Length of ITL file: N" */
	struct ctltext_span mtime;	/* "last modified on" text, as printed */
	int		 parsed;	/* "Parse ITL File" came */
	int		 has_version;
	unsigned	 vmaj, vmin;
	int		 has_hdrlen;
	size_t		 hdrlen;
	size_t		 row, nrows;	/* header rows */
	int		 has_serial;	/* the signer's SERIALNUMBER */
	uint8_t		 serial[CTLTEXT_MAX_SERIAL];
	size_t		 serlen;
	size_t		 sig, siglen;	/* the header's signature dump: ctltext.sigs[sig ..] */
	size_t		 rec, nrecs;	/* ctltext.recs[rec .. rec + nrecs) */
	int		 gap_end;	/* an elision after the last record */
	enum ctltext_verdict verdict;
	struct ctltext_span why;	/* "could not be verified: WHY." */
};

struct ctltext_seg;

struct ctltext {
	char		*text;		/* the input, CRs dropped, wrapped lines joined */
	size_t		 len;
	struct ctltext_list *lists;
	size_t		 nlists;
	struct ctltext_rec *recs;
	size_t		 nrecs;
	struct ctltext_row *rows;
	size_t		 nrows;
	uint8_t		*sigs;
	size_t		 nsigs;
	struct ctltext_seg *segs;	/* text offset -> input offset and line */
	size_t		 nsegs;
	char		 err[160];	/* the first damage: what, at byte err_off of line err_line */
	size_t		 err_off, err_line;
};

/*
 * What buf is: text holding a listing (CAPTURE), other text (OTHER: no control
 * byte but blanks, line ends and ESC; no listing), or anything else (BINARY: a
 * CTL/ITL to parse as such).
 */
enum ctltext_kind ctltext_kind(const uint8_t *buf, size_t len);
/*
 * Read every listing of buf (copied: t does not borrow it). 0; 1 when buf
 * holds no listing; -1 damaged, with t->err, t->err_off (a byte of buf) and
 * t->err_line set (0 when buf is over CTLTEXT_MAX_SIZE). ctltext_free() in any case.
 */
int ctltext_parse(struct ctltext *t, const uint8_t *buf, size_t len);
void ctltext_free(struct ctltext *t);
/* The row of tag in a header (rec NULL) or a record; NULL when not listed. */
const struct ctltext_row *ctltext_row(const struct ctltext *t, const struct ctltext_list *l,
    const struct ctltext_rec *rec, int tag);

#endif
