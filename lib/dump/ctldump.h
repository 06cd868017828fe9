/* ctldump.h: ctl-dump's run: each file read, verified, judged (--trust, --signer, --cluster) and shown. */
#ifndef CTK_CTLDUMP_H
#define CTK_CTLDUMP_H

#include <stddef.h>
#include <stdint.h>

#include "dump/ctldumpopt.h"

/* Load what the options name (--trust, --cluster, --signer, -x's directory); 0, or -1 diagnosed. */
int ctldump_open(struct ctldump *d);
/* One file ("-" is stdin): shown in d->mode; 0 verified (and trusted), 1 not, 2 trouble. */
int ctldump_file(struct ctldump *d, const char *path);
/* The same for bytes in memory (a file out of a capture), shown under name. */
int ctldump_mem(struct ctldump *d, const char *name, const uint8_t *buf, size_t len);
/* --pcap: every transfer of a capture listed, each complete trust file shown (ctldumpcap.c). */
int ctldump_capture(struct ctldump *d, const char *path);
/* Free what ctldump_open loaded. */
void ctldump_close(struct ctldump *d);
/*
 * ctl-dump's run as its main calls it: opened, then --compare CAPTURE against
 * files[0], --pcap, stdin (no files) or each of the NULL-ended files, closed.
 * The exit status: the worst of the files'.
 */
int ctldump_run(struct ctldump *d, char **files);

#endif
