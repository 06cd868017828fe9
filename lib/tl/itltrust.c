/* itltrust.c: the rollover check that keeps itl-build from stranding phones. */
#include <stdlib.h>
#include <string.h>

#include "core/diag.h"
#include "core/io.h"
#include "tl/itltrust.h"

int
itltrust_check(const char *oldpath, const struct ctl *nc, int force,
    struct ctljson_trust *tr)
{
	struct ctl oc;
	uint8_t *buf = NULL;
	int ok = -1;

	memset(tr, 0, sizeof(*tr));
	tr->old = oldpath;
	tr->record = -1;
	if (ctl_load(oldpath, &buf, &oc) == 0) {
		tr->accepted = ok = ctl_trusts(&oc, nc, &tr->record, &tr->reason);
		if (!ok && !force)
			warnf("%s: a phone holding it would reject the new file: %s; "
			    "nothing written", io_name(oldpath), tr->reason);
		else if (!ok)
			warnf("warning: %s: %s: writing anyway (--force); phones holding it "
			    "keep it and reject signed configuration files until a TVS "
			    "vouches for the new signer or the trust list is deleted on "
			    "each phone", io_name(oldpath), tr->reason);
	}
	ctl_free(&oc);
	free(buf);
	return ok;
}
