/* phoneview.h: a trust list (or signed file) as a phone sees it, for the phone rule and the cluster view. */
#ifndef CTK_PHONEVIEW_H
#define CTK_PHONEVIEW_H

#include <stddef.h>
#include <stdint.h>

#include "tl/ctl.h"

/* A certificate: DER bytes, or a planner's token standing for one not made yet. Owned. */
struct phone_cert {
	uint8_t	*p;
	size_t	 len;
};

struct phone_rec {
	int			 fn;		/* FUNCTION code */
	struct phone_cert	 cert;
	char			 dns[64];	/* DNSNAME, "" when none */
};

/* What a file hands over: a phone judges each kind against the one it holds. */
enum { PHONE_ITL, PHONE_CTL, PHONE_SGN };

/* A trust list (or signed file) as a phone sees it: the records and the signer's certificate. */
struct phone_itl {
	struct phone_rec	*r;
	size_t			 n;
	struct phone_cert	 signer;	/* len 0: no signer found */
	char			 signer_name[128];
	int			 kind;		/* PHONE_ITL, PHONE_CTL, PHONE_SGN */
	const struct ctl	*file;		/* borrowed: the file itself; NULL when simulated */
	/* the phone's side, mixed mode: the CTL it holds beside this ITL (borrowed), or NULL */
	const struct phone_itl	*ctl;
};

/* Copy len bytes into a new certificate. 0, or -1 out of memory. */
int phone_cert_set(struct phone_cert *c, const void *p, size_t len);
void phone_cert_free(struct phone_cert *c);
int phone_cert_eq(const struct phone_cert *a, const struct phone_cert *b);
/* Append a record (copies cert). 0, or -1 out of memory. */
int phone_itl_add(struct phone_itl *l, int fn, const struct phone_cert *cert, const char *dns);
/* The records and signer of a parsed file (CERTIFICATE of each record). 0, or -1 out of memory. */
int phone_itl_from_ctl(struct phone_itl *l, const struct ctl *c);
void phone_itl_free(struct phone_itl *l);
/* 1 when a and b hold the same records (role and certificate) in the same order. */
int phone_itl_same(const struct phone_itl *a, const struct phone_itl *b);
/* The kind of a parsed trust list (its FILENAME; ctl_is_itl). */
int phone_kind(const struct ctl *c);

#endif
