/* regenrun.c: a cert-regen run over one store: CUCM's refusals, the jobs loaded, built and listed as changes. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/diag.h"
#include "cucm/cucm.h"
#include "cucm/profile.h"
#include "regen/regenrun.h"
#include "core/path.h"
#include "store/store.h"

int
regenrun_prepare(const struct regenrun *o, char **units, int n, struct regenjob *r,
    struct txn *t, struct plan *pl)
{
	const struct regenjob_opts *op = &o->job;
	int i, k;

	for (i = 0; i < op->ntrust; i++)
		if (!store_is_trust(op->trust[i]) || strchr(op->trust[i], '/') != NULL) {
			warnf("%s: --trust-stores names trust stores (CallManager-trust,...)",
			    op->trust[i]);
			return -1;
		}
	for (i = 0; i < n; i++) {
		if (o->import != NULL) {
			if ((r[i].p = profile_get(units[i])) == NULL) {
				warnf("%s: unknown unit", units[i]);
				return -1;
			}
			if (regenjob_import(&r[i], o->store, o->import, o->chain, o->job.now, t) != 0)
				return -1;
		} else if (regenjob_load(&r[i], o->store, units[i], op) != 0 ||
		    regenjob_build(&r[i], o->csr) != 0 || regenjob_changes(&r[i], t, o->csr) != 0)
			return -1;
		for (k = 0; k < i; k++)
			if (r[k].p == r[i].p) {
				warnf("%s: unit named twice", r[i].p->unit);
				return -1;
			}
		if (!o->csr)	/* a CSR changes nothing the services use */
			plan_add(pl, r[i].p->unit, 0);
	}
	if (o->csr && t->n > 0 && t->ops[0].kind == TXN_REPLACE && !o->force) {
		warnf("%s: a CSR is pending: --force replaces its key", t->ops[0].rel);
		return -1;
	}
	return 0;
}

int
regenrun_store_ok(const struct regenrun *o, const char *store, struct plan *pl)
{
	char *ctl = path_join(store, "CTLFile.tlv", NULL);
	struct stat st;
	int ok = stat(store, &st) == 0 && S_ISDIR(st.st_mode);

	if (!ok)
		warnf("%s: not a store directory", store);
	pl->mixed = o->mixed || (ctl != NULL && access(ctl, F_OK) == 0);
	free(ctl);
	return ok;
}

int
regenrun_named(char **units, int n, const char *unit)
{
	int i;

	for (i = 0; i < n; i++)
		if (strcasecmp(units[i], unit) == 0)
			return 1;
	return 0;
}

/* 1 when the store has a certificate of unit already: phones may trust it. */
static int
had(const struct regenrun *o, const char *unit)
{
	char name[64], *p;
	int r;

	snprintf(name, sizeof(name), "%s.pem", unit);
	if ((p = path_join(o->store, unit, name, NULL)) == NULL)
		return 1;	/* unknown: the rule applies */
	r = access(p, F_OK) == 0;
	free(p);
	return r;
}

int
regenrun_refused(const struct regenrun *o, char **units, int n)
{
	int version = CUCM_VERSION_OR_DEFAULT(o->job.version);

	/* the rules keep phones trusting a signer: where no certificate was, none trusts one */
	if (o->force || o->import != NULL || o->csr || !regenrun_named(units, n, "CallManager") ||
	    !had(o, "CallManager"))
		return 0;
	if (regenrun_named(units, n, "ITLRecovery") && had(o, "ITLRecovery")) {
		warnf("CallManager and ITLRecovery: both possible ITL signers in one run leave "
		    "phones no signer they trust: regenerate one, rebuild and push the ITL, reset "
		    "the phones, then the other; or sign a transition ITL with the old ITLRecovery "
		    "key from the backup (--force to go on anyway)");
		return -1;
	}
	if (regenrun_named(units, n, "TVS") && had(o, "TVS") &&
	    !cucm_itlrecovery_signs(version)) {
		warnf("CallManager and TVS: never both at once before CUCM 12.0 (--cucm-version "
		    "%d.%d): the new ITL would have neither a signer nor a TVS the phones know: "
		    "regenerate one, reset the phones, then the other (--force to go on anyway)",
		    version / 10, version % 10);
		return -1;
	}
	return 0;
}

