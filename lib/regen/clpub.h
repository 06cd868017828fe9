/* clpub.h: a step's served files published all or nothing across the cluster's TFTP nodes. */
#ifndef CTK_CLPUB_H
#define CTK_CLPUB_H

#include <stddef.h>
#include <stdint.h>

struct clpub_file {
	char		*dir;		/* NODE/tftp */
	const char	*name;		/* "ITLFile.tlv", "CTLFile.tlv", "x.cnf.xml.sgn" (static or borrowed) */
	const uint8_t	*p, *old;	/* the new bytes and what is served now (borrowed) */
	size_t		 len, oldlen;
	int		 keep;		/* 1: the served bytes go to NODE/tftp/history/NNN-name first */
	char		*hist;		/* that history copy once written, or NULL */
};

struct clpub {
	struct clpub_file	*f;
	size_t			 n;
};

/*
 * Add a file to publish (dir copied; name, p and old borrowed until
 * clpub_free); keep: its served bytes go to the history first. 0, or -1.
 */
int clpub_add(struct clpub *pb, const char *dir, const char *name, const uint8_t *p, size_t len,
    const uint8_t *old, size_t oldlen, int keep);
/*
 * Publish every file: the previous bytes kept as dir/history/<step - 1>-name
 * (files added with keep), every new file written beside its target, then all
 * renamed over their targets. A failure at any point puts back every file
 * already renamed (the bytes served before) and removes the history copies
 * made: every node serves what it served before, and a line says so (or names
 * what could not be put back). 0, or -1 after the diagnostics.
 */
int clpub_commit(struct clpub *pb, int step);
void clpub_free(struct clpub *pb);

#endif
