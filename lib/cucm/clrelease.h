/* clrelease.h: a cluster's release: given (--cucm-version), or inferred from who signs its served ITLs. */
#ifndef CTK_CLRELEASE_H
#define CTK_CLRELEASE_H

/* Who signs a served ITL (CUCM.md, "What changes by release"). */
enum { CLRELEASE_NONE, CLRELEASE_CM, CLRELEASE_ITLREC };

/* Who signs the ITL a TFTP directory serves (its ITLFile.tlv): NONE when none or unreadable. */
int clrelease_signer(const char *tftpdir);
/*
 * A cluster's release in tenths (given: --cucm-version's, 0: not given), its
 * family's text in vtext and *vnote. Not given: who signs the served ITLs
 * (the first TFTP node's found: clrelease_signer) says the family (CUCM.md,
 * "What changes by release"): ITLRecovery, 12.0 or later (14's rules);
 * CallManager, before 12.0 (11.5's rules); none served, the default (14).
 * *vnote is the line saying so (NULL when nothing was inferred). Given and
 * contradicted by the signer of the ITL node at serves: a warning on stderr
 * naming both. Never fails.
 */
int clrelease_settle(int given, int who, const char *at, char vtext[8], const char **vnote);

#endif
