/* clitl.c: a cluster's trust lists from its node stores (CUCM.md "Clusters", FORMAT.md section 4). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/afile.h"
#include "core/diag.h"
#include "cucm/clitl.h"
#include "cucm/cucm.h"
#include "cucm/itlstore.h"
#include "core/path.h"
#include "load/itlcerts.h"
#include "tl/itlkey.h"

/* Node k's own unit in role fn, with its name and address; absent optional units are left out. */
static int
own(struct ctlw *w, const struct cluster *c, size_t k, const char *unit, int fn, int need)
{
	if (!need && !cluster_has(c, k, unit))
		return 0;
	return itlstore_add_own(w, c->v[k].dir, unit, fn, c->v[k].name, cluster_ip(c, k));
}

static int
records(struct ctlw *w, const struct cluster *c, size_t i, int ctl, int mixed)
{
	size_t k, p = c->pub;

	if (ctl) {
		if (own(w, c, p, "CallManager", CTL_FN_SAST, 1) != 0 ||
		    own(w, c, p, "ITLRecovery", CTL_FN_SAST, 0) != 0)
			return -1;
		for (k = 0; k < c->n; k++)
			if (own(w, c, k, "CallManager", CTL_FN_CCM_TFTP, 1) != 0)
				return -1;
		return own(w, c, p, "CAPF", CTL_FN_CAPF, 0);
	}
	if (own(w, c, p, "ITLRecovery", CTL_FN_SAST, 0) != 0 ||
	    own(w, c, i, "CallManager", CTL_FN_SAST, 1) != 0 ||
	    own(w, c, i, "CallManager", mixed ? CTL_FN_CCM_TFTP : CTL_FN_TFTP, 1) != 0 ||
	    own(w, c, p, "CAPF", CTL_FN_CAPF, 0) != 0)
		return -1;
	for (k = 0; k < c->n; k++)
		if (own(w, c, k, "TVS", CTL_FN_TVS, 1) != 0)
			return -1;
	return 0;
}

/* The signer's store and unit per release (the CTL's: cucm_ctl_signer's table). */
static const char *
signer(const struct cluster *c, size_t i, int ctl, size_t *k)
{
	*k = ctl ? c->pub : i;
	if (ctl)
		return cucm_ctl_signer(c->version);
	if (cluster_itlrec_signs(c)) {
		*k = c->pub;
		return "ITLRecovery";
	}
	return "CallManager";
}

int
clitl_build(const struct cluster *c, size_t i, int ctl, int mixed, const struct ctlw_opts *o,
    struct buf *out)
{
	struct itlcerts x = ITLCERTS_ZERO;
	struct ctlw_opts so = *o;
	struct ctlw_key key;
	struct ctlw w;
	struct ctl nc;
	EVP_PKEY *pkey = NULL;
	const uint8_t *der;
	const char *unit = NULL, *why = NULL;
	char file[64], *kp = NULL, *cp = NULL;
	size_t k, len;
	int s, rc = -1;

	memset(&key, 0, sizeof(key));
	memset(&nc, 0, sizeof(nc));
	ctlw_init(&w, CTLW_CUCM);
	unit = signer(c, i, ctl, &k);
	snprintf(file, sizeof(file), "%s.key", unit);
	if ((kp = path_join(c->v[k].dir, unit, file, NULL)) == NULL ||
	    (snprintf(file, sizeof(file), "%s.pem", unit), cp = path_join(c->v[k].dir, unit,
	    file, NULL)) == NULL) {
		warnf("%s: out of memory", c->dir);
		goto out;
	}
	if (records(&w, c, i, ctl, mixed) != 0 || itlcerts_load(&x, cp) != 0 ||
	    (pkey = itlkey_load(kp, NULL)) == NULL)
		goto out;
	if (ctlw_key_init(&key, pkey, &why) != 0)
		goto out;
	der = itlcerts_get(&x, 0, &len);
	if ((s = ctlw_find_signer(&w, &key, der, len)) < 0) {
		warnf("%s: does not match %s", kp, cp);
		goto out;
	}
	so.filename = ctl ? "CTLFile.tlv" : "ITLFile.tlv";
	so.signer = (size_t)s;
	rc = ctlw_sign(&w, &so, &key, out, &nc, &why);
out:
	if (why != NULL)
		warnf("%s: %s", kp, why);
	ctl_free(&nc);
	ctlw_free(&w);
	ctlw_key_free(&key);
	EVP_PKEY_free(pkey);
	itlcerts_free(&x);
	free(kp);
	free(cp);
	return rc;
}

/* The built ITL b of node name against the phones' limits. */
static void
size_warn(const char *name, const struct buf *b)
{
	struct ctl nc;

	if (ctl_parse(&nc, b->p, b->len) == 0)
		clitl_size_warn(name, nc.nrecs, b->len);
	ctl_free(&nc);
}

int
clitl_size_warn(const char *who, size_t ncerts, size_t len)
{
	char size[48] = "";

	if (ncerts <= CLITL_MAX_CERTS && len <= CLITL_MAX_BYTES)
		return 0;
	if (len > 0)
		snprintf(size, sizeof(size), " in %zu bytes", len);
	warnf("warning: %s: the ITL holds %zu certificates%s: phones refuse an ITL of more "
	    "than %d certificates or %d KB (15 security guide)", who, ncerts, size,
	    CLITL_MAX_CERTS, CLITL_MAX_BYTES / 1024);
	return 1;
}

int
clitl_serve(const struct cluster *c, const struct ctlw_opts *o, int mixed, int overwrite,
    int dry)
{
	struct buf b = BUF_ZERO;
	char *p = NULL;
	size_t i;
	int k, rc = cluster_tftp_safe(c);

	for (i = 0; rc == 0 && i < c->n; i++)
		for (k = 0; rc == 0 && k <= mixed && c->v[i].tftp; k++) {
			free(p);
			rc = -1;
			if ((p = path_join(c->v[i].tftpdir, k ? "CTLFile.tlv" : "ITLFile.tlv",
			    NULL)) == NULL || clitl_build(c, i, k, mixed, o, &b) != 0)
				break;
			if (!k)
				size_warn(c->v[i].name, &b);
			if (!dry && path_mkdirs(c->v[i].tftpdir, 0755) != 0 &&
			    !path_isdir(c->v[i].tftpdir))
				warnf("%s:", c->v[i].tftpdir);
			else if (dry || afile_write(p, b.p, b.len, AFILE_MODE_DEFAULT, overwrite) == 0)
				rc = 0;
			buf_free(&b);
		}
	free(p);
	return rc;
}
