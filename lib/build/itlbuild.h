/* itlbuild.h: itl-build's runs: records collected, signed, checked as phones would, written; signed files. */
#ifndef CTK_ITLBUILD_H
#define CTK_ITLBUILD_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "build/itlspec.h"

/* What itl-build was asked for (its options, checked). */
struct itlbuild {
	FILE		*out;		/* --json's document: stdout */
	struct itlspec	*specs;		/* records by role, in order */
	size_t		 nspecs;
	int		 force, json, dry, ctl, mixed, all;
	int		 layout;	/* CTLW_*, or -1: the --resign file's, else CUCM's */
	int		 digest_code, modcode, sigver;	/* -1: the default */
	int		 digest_given;
	int		 hasip;
	uint8_t		 nodeip[4];
	const char	*keyspec, *outpath, *store, *host, *signerpath, *resign, *trusted;
	const char	*digest, *module;
	const char	*nowopt;	/* --now, or NULL: SOURCE_DATE_EPOCH, else the clock */
	int		 wait;		/* --wait, for the store's lock */
	const char	*clusterdir, *nodename;
	int		 cucmver;	/* --cucm-version (cucm_version), 0: not given */
	char		**files;	/* --sign-file's operands */
	const char	*encryptfor;	/* --encrypt-for: the phone's certificate (.enc.sgn) */
	int		 nfiles;
};

/*
 * Build, sign and write a trust list: from --resign, --store and the roles, or
 * with clusterdir one node's file (or, all, every TFTP node's); refused (exit 1)
 * when trusted is set and phones holding it would reject it, unless force. The
 * exit status: 0 written, 1 refused, 2 trouble (diagnosed).
 */
int itlbuild_run(struct itlbuild *b);
/* --sign-file: each of files into FILE.sgn (or outpath, or the node's tftp/); exit status. */
int itlbuild_sign_files(struct itlbuild *b);

#endif
