/* ctldump.c: ctl-dump's run: each file read, verified, judged (--trust, --signer, --cluster) and shown. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/crypto.h>

#include "core/diag.h"
#include "core/hash.h"
#include "core/io.h"
#include "core/out.h"
#include "dump/ctldump.h"
#include "dump/ctldumptext.h"
#include "cucm/phone.h"
#include "cucm/phonesgn.h"
#include "core/path.h"
#include "tl/ctlbrief.h"
#include "tl/ctlcerts.h"
#include "tl/ctljson.h"
#include "tl/ctlshow.h"
#include "tl/ctltext.h"
#include "tl/itlkey.h"
#include "tl/sgn.h"
#include "tl/sgnenc.h"
#include "tl/sgnjson.h"
#include "tl/sgnshow.h"
#include "tl/signerid.h"

/* --trust: the one verdict (lib/cucm/phone), with --cluster the TVS path too. */
static int
judge_tl(struct ctldump *d, const struct ctl *c, struct ctljson_trust *tr)
{
	static struct phone_verdict pv;

	if (phone_judge_files(&d->old, d->heldbuf != NULL ? &d->held : NULL, c,
	    d->clusterdir != NULL ? &d->view : NULL, &pv) != 0) {
		pv.accepted = 0;
		snprintf(pv.reason, sizeof(pv.reason), "out of memory");
	}
	tr->cluster = d->clusterdir != NULL;
	tr->record = pv.record;
	tr->path = pv.path;
	tr->via = pv.via[0] != '\0' ? pv.via : NULL;
	tr->stranded = pv.stranded;
	tr->reason = pv.reason;
	return tr->accepted = pv.accepted;
}

static const char *
base_name(const char *path)
{
	const char *b = strrchr(path, '/');

	return b != NULL ? b + 1 : path;
}

/* --payload --phone-key: the configuration, decrypted and checked against its digest; nothing written on failure. */
static int
decrypt(struct ctldump *d, const char *name, const struct ctl *c)
{
	const char *why;
	uint8_t *p;
	size_t n;

	if (sgnenc_decrypt(c, d->phone, &p, &n, &why) != 0) {
		warnf("%s: %s", name, why);
		return EXIT_TROUBLE;
	}
	fwrite(p, 1, n, d->out);
	OPENSSL_cleanse(p, n);
	free(p);
	return EXIT_OK;
}

/*
 * A signed file: checked against --signer or --trust (the phone's direct rule,
 * and with --cluster the TVS path), then shown.
 */
static int
dump_sgn(struct ctldump *d, const char *name, const struct ctl *c)
{
	struct sgn_verdict v;
	size_t off, len;

	memset(&v, 0, sizeof(v));
	v.src = d->signerpath != NULL ? io_name(d->signerpath) : d->oldpath != NULL ? io_name(d->oldpath) : NULL;
	v.by_cert = d->signerpath != NULL;
	if (!c->damaged && d->signerpath != NULL)
		sgn_verify_cert(c, d->signer.key, d->signer.der, d->signer.len, &v);
	else if (!c->damaged && d->oldpath != NULL &&
	    phonesgn_judge(&d->old, d->heldbuf != NULL ? &d->held : NULL, c,
	    d->clusterdir != NULL ? &d->view : NULL, &v) != 0) {
		warnf("%s: out of memory", name);
		return EXIT_TROUBLE;
	}
	if (d->mode == CTLDUMP_SHOW)
		sgnshow_print(d->out, c, &v);
	else if (d->mode == CTLDUMP_JSON)
		sgnjson_print(&d->js, c, name, &v);
	if (c->damaged) {
		warnf("%s: %s at byte %zu", name, c->err, c->err_off);
		return EXIT_TROUBLE;
	}
	if (d->mode == CTLDUMP_PAYLOAD && sgn_kind(c) == SGN_ENCRYPTED && d->phonekey == NULL) {
		warnf("%s: the payload is encrypted (version 2.0): only the phone's key decrypts it "
		    "(--phone-key)", name);
		return EXIT_TROUBLE;
	}
	if (v.checked && !v.verified && d->mode != CTLDUMP_SHOW && d->mode != CTLDUMP_JSON && d->mode != CTLDUMP_QUIET)
		warnf("%s: %s: %s", name, v.by_cert ? "not verified" : "a phone would reject it",
		    v.error);
	if (d->mode == CTLDUMP_BRIEF)
		sgnshow_brief(d->out, c, &v, name);
	else if (d->mode == CTLDUMP_PAYLOAD && (!v.checked || v.verified) &&
	    sgn_kind(c) == SGN_ENCRYPTED)
		return decrypt(d, name, c);
	else if (d->mode == CTLDUMP_PAYLOAD && (!v.checked || v.verified)) {
		off = sgn_payload(c, &len);
		fwrite(c->buf + off, 1, len, d->out);
	}
	return v.checked && !v.verified ? EXIT_FINDINGS : EXIT_OK;
}

/* The verdict line of a trust list judged against --trust (and --cluster). */
static void
trust_line(const struct ctldump *d, const char *name, const struct ctljson_trust *tr, int trusted)
{
	/* both names through out_str, as the -b lines: a name must not forge a verdict line */
	fprintf(d->out, "%s ", trusted ? "ACCEPTED" : "REJECTED");
	out_str(d->out, name);
	fputs(": ", d->out);
	if (tr->cluster && tr->path != NULL) {
		fputs(strcmp(tr->path, "tvs") == 0 ? "through TVS via " : "directly", d->out);
		out_str(d->out, tr->via != NULL ? tr->via : "");
		fputs(": ", d->out);
	}
	out_str(d->out, tr->reason);
	if (tr->record >= 0) {
		fprintf(d->out, " (record #%d of ", tr->record + 1);
		out_str(d->out, io_name(d->oldpath));
		putc(')', d->out);
	}
	putc('\n', d->out);
}

/* A trust list: verified, and with --trust judged as a rollover from the old one. */
static int
dump_tl(struct ctldump *d, const char *path, const struct ctl *c, int onfile)
{
	const char *name = io_name(path), *why = NULL;
	struct ctljson_trust tr = { .record = -1, .old = d->oldpath };
	struct ctl_verify v = { 0, -1, NULL };
	struct stat st;
	time_t mt;
	int itl, trusted = 1;

	itl = ctl_is_itl(c, path);
	if (!c->damaged) {
		ctl_verify(c, &v);
		if (d->oldpath != NULL)
			trusted = judge_tl(d, c, &tr);
	}
	mt = onfile && strcmp(path, "-") != 0 && stat(path, &st) == 0 ? st.st_mtime : 0;
	switch (d->mode) {
	case CTLDUMP_SHOW:
		ctlshow_print(d->out, c, itl, mt ? &mt : NULL, c->damaged ? NULL : &v);
		break;
	case CTLDUMP_JSON:
		ctljson_print(&d->js, c, name, itl, c->damaged ? NULL : &v,
		    d->oldpath != NULL && !c->damaged ? &tr : NULL);
		break;
	case CTLDUMP_BRIEF:
		ctlbrief_print(d->out, c, name);
		break;
	case CTLDUMP_CERTS:
		ctlcerts_pem(d->out, c, name);
		break;
	case CTLDUMP_EXTRACT:
		if (ctlcerts_extract(c, d->xdir, d->nfiles > 1 ? base_name(path) : NULL, d->force) != 0)
			why = "cannot extract";
		break;
	case CTLDUMP_PAYLOAD:
		warnf("%s: not a signed file (a trust list has no payload)", name);
		return EXIT_TROUBLE;
	case CTLDUMP_QUIET:
		break;
	}
	if (c->damaged) {
		warnf("%s: %s at byte %zu", name, c->err, c->err_off);
		return EXIT_TROUBLE;
	}
	if (why != NULL)
		return EXIT_TROUBLE;
	if (!v.verified && v.error == signerid_split && d->mode != CTLDUMP_SHOW &&
	    d->mode != CTLDUMP_JSON && d->mode != CTLDUMP_QUIET)
		warnf("%s: not verified: %s (record #%d)", name, v.error, v.signer + 1);
	else if (!v.verified && d->mode != CTLDUMP_SHOW && d->mode != CTLDUMP_JSON &&
	    d->mode != CTLDUMP_QUIET)
		warnf("%s: not verified: %s", name, v.error);
	if (d->oldpath != NULL && (d->mode == CTLDUMP_SHOW || d->mode == CTLDUMP_BRIEF))
		trust_line(d, name, &tr, trusted);
	else if (d->oldpath != NULL && !trusted && d->mode != CTLDUMP_JSON && d->mode != CTLDUMP_QUIET)
		warnf("%s: a phone holding %s would reject it: %s", name, io_name(d->oldpath),
		    tr.reason);
	return v.verified && trusted ? EXIT_OK : EXIT_FINDINGS;
}

/* A file's bytes, named path (a file on disk when onfile: its time is shown). */
static int
dump_buf(struct ctldump *d, const char *path, const uint8_t *buf, size_t len, int onfile)
{
	struct ctl c;
	const char *clash;
	int rc, kind;

	if ((kind = sgn_parse_any(&c, buf, len)) != SGN_NONE)
		rc = dump_sgn(d, io_name(path), &c);
	else if (c.oom) {
		/* Printing what was parsed would need memory too: stop here, and say so. */
		warnf("%s: %s at byte %zu", io_name(path), c.err, c.err_off);
		rc = EXIT_TROUBLE;
	} else
		rc = dump_tl(d, path, &c, onfile);
	if (!c.damaged && (clash = sgn_kind_clash(&c, kind)) != NULL) {
		warnf("%s: %s", io_name(path), clash);
		rc = EXIT_TROUBLE;
	}
	ctl_free(&c);
	return rc;
}

int
ctldump_mem(struct ctldump *d, const char *name, const uint8_t *buf, size_t len)
{
	return dump_buf(d, name, buf, len, 0);
}

int
ctldump_file(struct ctldump *d, const char *path)
{
	uint8_t *buf;
	size_t len;
	int rc;

	if ((buf = io_slurp(path, IO_MAX, &len)) == NULL)
		return EXIT_TROUBLE;
	if (ctltext_kind(buf, len) != CTLTEXT_BINARY)
		/* text: a show itl / show ctl capture, or a clear "neither" */
		rc = ctldump_text(d, io_name(path), buf, len);
	else
		rc = dump_buf(d, path, buf, len, 1);
	free(buf);
	return rc;
}

int
ctldump_open(struct ctldump *d)
{
	json_init(&d->js, d->out);
	if (d->mode == CTLDUMP_EXTRACT && !path_isdir(d->xdir)) {
		warnf("%s: not a directory", d->xdir);
		return -1;
	}
	if (d->oldpath != NULL && ctl_load(d->oldpath, &d->oldbuf, &d->old) != 0)
		return -1;
	if (d->clusterdir != NULL && (cluster_load(&d->cl, d->clusterdir, d->cucmver) != 0 ||
	    clview_load(&d->view, &d->cl, cluster_mixed(&d->cl)) != 0 ||
	    cluster_ctl_held(&d->cl, &d->heldbuf, &d->held) != 0))
		return -1;
	if (d->signerpath != NULL && sgn_cert_load(&d->signer, d->signerpath) != 0)
		return -1;
	if (d->phonekey != NULL && (d->phone = itlkey_load(d->phonekey, NULL)) == NULL)
		return -1;
	return 0;
}

void
ctldump_close(struct ctldump *d)
{
	ctl_free(&d->old);
	free(d->oldbuf);
	d->oldbuf = NULL;
	ctl_free(&d->held);
	free(d->heldbuf);
	d->heldbuf = NULL;
	sgn_cert_free(&d->signer);
	if (d->phone != NULL) {
		EVP_PKEY_free(d->phone);
		d->phone = NULL;
		itlkey_cleanup();
	}
	if (d->view.c != NULL)
		clview_free(&d->view);
	cluster_free(&d->cl);
}

int
ctldump_run(struct ctldump *d, char **files)
{
	int r, rc = EXIT_OK;

	/* Fetched now, while memory is plentiful: OpenSSL's fetch does not survive a failed malloc. */
	if (hash_md("md5") == NULL || hash_md("sha1") == NULL || hash_md("sha256") == NULL) {
		warnssl("fetching the digests");
		return EXIT_TROUBLE;
	}
	if (ctldump_open(d) != 0)
		rc = EXIT_TROUBLE;
	else if (d->compare != NULL)
		rc = ctldump_compare(d, d->compare, files[0]);
	else if (d->pcap != NULL)
		rc = ctldump_capture(d, d->pcap);
	else if (d->nfiles == 0)
		rc = ctldump_file(d, "-");
	else
		for (; *files != NULL; files++)	/* a damaged file does not stop the others */
			if ((r = ctldump_file(d, *files)) > rc)
				rc = r;
	ctldump_close(d);
	return rc;
}
