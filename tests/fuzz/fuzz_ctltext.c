/*
 * fuzz_ctltext.c: libFuzzer target for the show itl / show ctl capture reader: parse,
 * then every listing shown, briefly and as JSON. The text must be safe for a terminal
 * and the JSON valid, whatever the input.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/json.h"
#include "tl/ctltext.h"
#include "tl/ctltextjson.h"
#include "tl/ctltextshow.h"
#include "check.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct ctltext t;
	struct json j;
	char *text = NULL, *js = NULL;
	size_t i, tlen = 0, jlen = 0;
	FILE *tf, *jf;

	if ((tf = open_memstream(&text, &tlen)) == NULL ||
	    (jf = open_memstream(&js, &jlen)) == NULL)
		abort();
	ctltext_kind(data, len);
	json_init(&j, jf);
	if (ctltext_parse(&t, data, len) == 0) {
		if (t.nlists == 0 || t.nlists > CTLTEXT_MAX_LISTINGS)
			abort();
		for (i = 0; i < t.nlists; i++) {
			ctltextshow_print(tf, &t, &t.lists[i]);
			ctltextshow_brief(tf, &t, &t.lists[i], "fuzz");
			ctltextjson_print(&j, &t, &t.lists[i], "fuzz", i + 1);
		}
	} else if (t.err[0] == '\0' || t.err_off > len)
		abort();	/* every failure says what, at a byte of the input */
	ctltext_free(&t);
	if (fclose(tf) != 0 || fclose(jf) != 0)
		abort();
	if (!check_text((const uint8_t *)text, tlen) ||
	    (jlen > 0 && !check_json_lines((const uint8_t *)js, jlen)))
		abort();
	free(text);
	free(js);
	return 0;
}
