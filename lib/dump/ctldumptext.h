/* ctldumptext.h: ctl-dump's run for text: show itl / show ctl captures shown, and --compare. */
#ifndef CTK_CTLDUMPTEXT_H
#define CTK_CTLDUMPTEXT_H

#include <stddef.h>
#include <stdint.h>

#include "dump/ctldumpopt.h"

/*
 * buf (text, not a trust list: lib/tl/ctltext.h) shown in d->mode, each
 * listing in turn. 1 (text is never verified), or 2 after a diagnostic: no
 * listing in it, damaged, or a form a capture cannot give (certificates, --trust).
 */
int ctldump_text(struct ctldump *d, const char *name, const uint8_t *buf, size_t len);
/*
 * Does the capture list exactly the trust list at path (its last listing of
 * the file's kind)? 0 yes, 1 no (the first difference on d->out unless quiet), 2 trouble.
 */
int ctldump_compare(struct ctldump *d, const char *capture, const char *path);

#endif
