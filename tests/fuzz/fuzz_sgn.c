/*
 * fuzz_sgn.c: libFuzzer target for signed TFTP files (.sgn, .enc.sgn): parse, the phone's
 * rule against a trust list, name matching, show, brief and JSON. The input is a 2-byte
 * big-endian length N, a trust list of N bytes, then the signed file; text must be safe for
 * a terminal and the JSON valid, whatever the bytes.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/json.h"
#include "tl/cucmname.h"
#include "tl/sgn.h"
#include "tl/sgnjson.h"
#include "tl/sgnshow.h"
#include "check.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct sgn_verdict v = { .record = -1, .function = -1, .src = "ITLFile.tlv" };
	struct ctl tl, s;
	struct json j;
	const struct tlv *a, *b;
	char *text = NULL, *js = NULL;
	size_t tlen = 0, jlen = 0, n;
	FILE *tf, *jf;

	if (len < 2)
		return 0;
	n = (size_t)data[0] << 8 | data[1];
	if (n > len - 2)
		n = len - 2;
	if ((tf = open_memstream(&text, &tlen)) == NULL ||
	    (jf = open_memstream(&js, &jlen)) == NULL)
		abort();
	sgn_parse_any(&tl, data + 2, n);
	sgn_parse_any(&s, data + 2 + n, len - 2 - n);
	if (!s.damaged && !tl.damaged)
		sgn_accepts(&tl, &s, &v);
	a = &s.hf[CTL_H_CANAME];
	b = &s.hf[CTL_H_SIGNERNAME];
	if (a->val != NULL && b->val != NULL)
		cucmname_eq(a->val, ctl_strlen(a), b->val, ctl_strlen(b));
	sgnshow_print(tf, &s, &v);
	if (!s.damaged)
		sgnshow_brief(tf, &s, &v, "fuzz.sgn");
	json_init(&j, jf);
	sgnjson_print(&j, &s, "fuzz.sgn", &v);
	ctl_free(&tl);
	ctl_free(&s);
	if (fclose(tf) != 0 || fclose(jf) != 0)
		abort();
	if (!check_text((const uint8_t *)text, tlen) ||
	    !check_json_lines((const uint8_t *)js, jlen))
		abort();
	free(text);
	free(js);
	return 0;
}
