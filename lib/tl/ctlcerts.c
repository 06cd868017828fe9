/* ctlcerts.c: ctl-dump --certs and --extract. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/afile.h"
#include "core/buf.h"
#include "core/diag.h"
#include "tl/ctlbrief.h"
#include "tl/ctlcerts.h"
#include "x509/pem.h"

void
ctlcerts_pem(FILE *fp, const struct ctl *c, const char *name)
{
	struct buf src = BUF_ZERO;
	char rb[32];
	size_t i;

	for (i = 0; i < c->nrecs; i++) {
		if (c->recs[i].f[CTL_R_CERT].val == NULL)
			continue;
		/* the explanatory line names file, record and role (cert-expiry reads it) */
		src.len = 0;
		src.err = 0;
		buf_printf(&src, "%s#%zu(%s)", name, i + 1,
		    ctlbrief_role(&c->recs[i], rb, sizeof(rb)));
		pem_write_source(fp, src.err ? "" : (const char *)src.p);
		pem_write(fp, "CERTIFICATE", c->recs[i].f[CTL_R_CERT].val,
		    c->recs[i].f[CTL_R_CERT].len);
	}
	buf_free(&src);
}

int
ctlcerts_extract(const struct ctl *c, const char *dir, const char *prefix, int force)
{
	struct afile af;
	char cn[256], rb[32], fname[512], *full;
	size_t i, n;
	int rc = 0;

	for (i = 0; i < c->nrecs; i++) {
		const struct tlv *ct = &c->recs[i].f[CTL_R_CERT];

		if (ct->val == NULL)
			continue;
		ctlbrief_cn(&c->recs[i], cn, sizeof(cn), 1);
		snprintf(fname, sizeof(fname), "%s%s%02zu-%s-%s.pem", prefix ? prefix : "",
		    prefix ? "-" : "", i + 1, ctlbrief_role(&c->recs[i], rb, sizeof(rb)),
		    cn[0] ? cn : "nocn");
		n = strlen(dir) + strlen(fname) + 2;
		if ((full = malloc(n)) == NULL) {
			warnf("out of memory");
			return -1;
		}
		snprintf(full, n, "%s%s%s", dir, dir[0] && dir[strlen(dir) - 1] != '/' ? "/" : "",
		    fname);
		if (afile_open(&af, full, AFILE_MODE_DEFAULT) != 0) {
			free(full);
			return -1;
		}
		pem_write(af.fp, "CERTIFICATE", ct->val, ct->len);
		if (afile_commit(&af, force) != 0)
			rc = -1;
		free(full);
	}
	return rc;
}
