/*
 * t_text.c: text that can never break a line, a TSV field or a terminal (lib/core/out), and
 * JSON valid whatever bytes it is given (lib/core/json): control bytes, invalid UTF-8 and the
 * bidi controls that reorder what a terminal shows ("invoice<U+202E>fdp.exe" reads "invoiceexe.pdf").
 */
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/out.h"
#include "test.h"
#include "unit.h"

/* CN "invoice<U+202E>fdp.exe<U+2066>x<U+2069><U+200F>" */
static const char bidi_cn[] = "invoice\342\200\256fdp.exe\342\201\246x\342\201\251\342\200\217";

static char *
text(const char *s, size_t n)
{
	struct t_mem m;

	out_text(t_mem_open(&m), s, n);
	return t_mem_close(&m);
}

static char *
json(const char *s, size_t n)
{
	struct t_mem m;
	struct json j;

	json_init(&j, t_mem_open(&m));
	json_strn(&j, s, n);
	return t_mem_close(&m);
}

static void
bidi_escaped(void)
{
	char *t = text(bidi_cn, strlen(bidi_cn)), *j = json(bidi_cn, strlen(bidi_cn));

	assert_str(t, "invoice\\xE2\\x80\\xAEfdp.exe\\xE2\\x81\\xA6x\\xE2\\x81\\xA9\\xE2\\x80\\x8F");
	assert_str(j, "\"invoice\\u202efdp.exe\\u2066x\\u2069\\u200f\"\n");
	assert_int(t_json_lines(j, strlen(j)), 1);
	free(t);
	free(j);
}

static void
bidi_table(void)
{
	static const uint32_t yes[] = { 0x061C, 0x200E, 0x200F, 0x2028, 0x2029, 0x202A, 0x202E,
	    0x2066, 0x2067, 0x2068, 0x2069 };
	static const uint32_t no[] = { 0x061B, 0x200D, 0x2010, 0x2027, 0x202F, 0x2065, 0x206A, 'a' };
	size_t i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		assert_int(out_bidi(yes[i]), 1);
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		assert_int(out_bidi(no[i]), 0);
}

static void
controls(void)
{
	/* ESC [31m, BEL, a C1 CSI (U+009B), a tab, an overlong '/', a lone lead byte, DEL, NUL */
	static const char s[] = "ev\033[31mRED\a\302\2332J\tend\300\257\303\177\000z";
	char *t = text(s, sizeof(s) - 1), *j = json(s, sizeof(s) - 1);

	assert_str(t, "ev\\x1B[31mRED\\x07\\xC2\\x9B2J\\x09end\\xC0\\xAF\\xC3\\x7F\\x00z");
	assert_int(t_json_lines(j, strlen(j)), 1);
	/* JSON: U+009B as its code point, each byte that is not UTF-8 as U+FFFD (ctlkit(7)) */
	assert_str(j, "\"ev\\u001b[31mRED\\u0007\\u009b2J\\u0009end\\ufffd\\ufffd\\ufffd\\u007f\\u0000z\"\n");
	free(t);
	free(j);
	/* valid UTF-8 passes whole: é, €, 😀 */
	t = text("\303\251\342\202\254\360\237\230\200", 9);
	assert_str(t, "\303\251\342\202\254\360\237\230\200");
	free(t);
}

const struct t_case t_text[] = {
	{ "text: bidi controls (U+202E, U+2066, ...) are escaped in text, kept as \\u in JSON", bidi_escaped },
	{ "text: the bidi and line-breaking controls, and their neighbours that are not", bidi_table },
	{ "text: control bytes, C1 and invalid UTF-8 as \\xNN in text, JSON valid", controls },
	{ NULL, NULL }
};
