/* ctldumptext.c: ctl-dump's run for show itl / show ctl captures, and --compare CAPTURE FILE. */
#include <stdlib.h>

#include "core/diag.h"
#include "core/io.h"
#include "core/out.h"
#include "dump/ctldumptext.h"
#include "tl/ctltext.h"
#include "tl/ctltextcmp.h"
#include "tl/ctltextjson.h"
#include "tl/ctltextshow.h"

/* Read a capture; 0, or 2 after one diagnostic. */
static int
load(struct ctltext *t, const char *name, const uint8_t *buf, size_t len)
{
	int r = ctltext_parse(t, buf, len);

	if (r == 1)
		warnf("%s: not a CTL/ITL file nor a show itl/show ctl capture", name);
	else if (r < 0 && t->err_line == 0)
		warnf("%s: %s", name, t->err);	/* too large to read at all */
	else if (r < 0)
		warnf("%s: %s at byte %zu (line %zu)", name, t->err, t->err_off, t->err_line);
	return r != 0 ? EXIT_TROUBLE : EXIT_OK;
}

static int
show(struct ctldump *d, const struct ctltext *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->nlists; i++)
		switch (d->mode) {
		case CTLDUMP_SHOW:
			ctltextshow_print(d->out, t, &t->lists[i]);
			break;
		case CTLDUMP_JSON:
			ctltextjson_print(&d->js, t, &t->lists[i], name, i + 1);
			break;
		case CTLDUMP_BRIEF:
			ctltextshow_brief(d->out, t, &t->lists[i], name);
			break;
		case CTLDUMP_QUIET:
			break;
		case CTLDUMP_PAYLOAD:
			warnf("%s: not a signed file (a capture of a trust list has no payload)", name);
			return EXIT_TROUBLE;
		case CTLDUMP_CERTS:
		case CTLDUMP_EXTRACT:
			warnf("%s: a text capture holds no certificates, only their SHA-1", name);
			return EXIT_TROUBLE;
		}
	if (d->mode == CTLDUMP_BRIEF)
		warnf("%s: not verified: %s", name, ctltextshow_note + sizeof("ctl-dump: ") - 1);
	return EXIT_FINDINGS;
}

int
ctldump_text(struct ctldump *d, const char *name, const uint8_t *buf, size_t len)
{
	struct ctltext t;
	int rc;

	if ((rc = load(&t, name, buf, len)) == EXIT_OK) {
		if (d->oldpath != NULL || d->signerpath != NULL) {
			warnf("%s: a text capture cannot be judged by --trust or --signer: "
			    "it holds no certificates", name);
			rc = EXIT_TROUBLE;
		} else
			rc = show(d, &t, name);
	}
	ctltext_free(&t);
	return rc;
}

static void
verdict(struct ctldump *d, const char *capture, const char *path, const char *word,
    const char *what, const struct ctltext_list *l)
{
	if (d->mode == CTLDUMP_QUIET)
		return;
	fprintf(d->out, "%s ", word);
	out_str(d->out, io_name(capture));
	fputc(' ', d->out);
	out_str(d->out, io_name(path));
	fputs(": ", d->out);
	out_str(d->out, what);
	if (l != NULL)
		fprintf(d->out, " (the listing at line %zu)", l->line);
	fputc('\n', d->out);
}

int
ctldump_compare(struct ctldump *d, const char *capture, const char *path)
{
	const struct ctltext_list *l;
	struct ctltext t = { 0 };
	struct ctl c = { 0 };
	uint8_t *cbuf = NULL, *fbuf = NULL;
	char why[256];
	size_t len;
	int rc = EXIT_TROUBLE, r;

	if ((cbuf = io_slurp(capture, IO_MAX, &len)) == NULL)
		goto out;
	if (ctltext_kind(cbuf, len) == CTLTEXT_BINARY) {
		warnf("%s: not a show itl/show ctl capture (binary: compare the two files with cmp)",
		    io_name(capture));
		goto out;
	}
	if (load(&t, io_name(capture), cbuf, len) != EXIT_OK || ctl_load(path, &fbuf, &c) != 0)
		goto out;
	if ((l = ctltextcmp_pick(&t, ctl_is_itl(&c, path))) == NULL) {
		snprintf(why, sizeof(why), "the capture lists no %s file",
		    ctl_is_itl(&c, path) ? "ITL" : "CTL");
		r = 1;
	} else if ((r = ctltextcmp(&t, l, &c, why, sizeof(why))) < 0) {
		warnf("%s: out of memory", io_name(capture));
		goto out;
	}
	if (r == 0)
		snprintf(why, sizeof(why), "%zu records, MD5 and SHA-1 alike", c.nrecs);
	verdict(d, capture, path, r == 0 ? "SAME" : "DIFFERENT", why, l);
	rc = r == 0 ? EXIT_OK : EXIT_FINDINGS;
out:
	ctltext_free(&t);
	ctl_free(&c);
	free(fbuf);
	free(cbuf);
	return rc;
}
