/* fuzz_ctl.c: libFuzzer target for the CTL/ITL reader: parse, verify, trust, show and JSON. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "ctl.h"
#include "ctljson.h"
#include "ctlshow.h"
#include "json.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static FILE *devnull;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct ctljson_trust tr = { 0, -1, NULL, "old" };
	struct ctl_verify v = { 0, -1, NULL };
	struct json j;
	struct ctl c;
	time_t mt = 0;
	int itl;

	if (devnull == NULL && (devnull = fopen("/dev/null", "w")) == NULL)
		return 0;
	ctl_parse(&c, data, len);
	itl = ctl_is_itl(&c, "ITLFile.tlv");
	if (!c.damaged) {
		ctl_verify(&c, &v);
		ctl_find_signer(&c);
		tr.accepted = ctl_trusts(&c, &c, &tr.record, &tr.reason);
	}
	ctlshow_print(devnull, &c, itl, &mt, c.damaged ? NULL : &v);
	json_init(&j, devnull);
	ctljson_print(&j, &c, "fuzz", itl, c.damaged ? NULL : &v, c.damaged ? NULL : &tr);
	ctl_free(&c);
	return 0;
}
