/*
 * fuzz_ctl.c: libFuzzer target for the CTL/ITL reader: parse, verify, trust, show and JSON.
 * The show text must be safe for a terminal and the JSON valid, whatever the input.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "tl/ctl.h"
#include "tl/ctljson.h"
#include "tl/ctlshow.h"
#include "core/json.h"
#include "check.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct ctljson_trust tr = { .record = -1, .old = "old" };
	struct ctl_verify v = { 0, -1, NULL };
	struct json j;
	struct ctl c;
	time_t mt = 0;
	char *text = NULL, *js = NULL;
	size_t tlen = 0, jlen = 0;
	FILE *tf, *jf;
	int itl;

	if ((tf = open_memstream(&text, &tlen)) == NULL ||
	    (jf = open_memstream(&js, &jlen)) == NULL)
		abort();
	ctl_parse(&c, data, len);
	itl = ctl_is_itl(&c, "ITLFile.tlv");
	if (!c.damaged) {
		ctl_verify(&c, &v);
		ctl_find_signer(&c);
		tr.accepted = ctl_trusts(&c, &c, &tr.record, &tr.reason);
	}
	ctlshow_print(tf, &c, itl, &mt, c.damaged ? NULL : &v);
	json_init(&j, jf);
	ctljson_print(&j, &c, "fuzz", itl, c.damaged ? NULL : &v, c.damaged ? NULL : &tr);
	ctl_free(&c);
	if (fclose(tf) != 0 || fclose(jf) != 0)
		abort();
	if (!check_text((const uint8_t *)text, tlen) ||
	    !check_json_lines((const uint8_t *)js, jlen))
		abort();
	free(text);
	free(js);
	return 0;
}
