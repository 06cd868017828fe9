/* t_tlv.c: the CTL/ITL TLV codec (lib/tl/tlv): what it reads, where it stops, what it writes. */
#include <string.h>

#include "core/buf.h"
#include "tl/tlv.h"
#include "test.h"

static void
reader(void)
{
	/* a TLV, a padding byte (header mode), a TLV with an empty value */
	static const uint8_t in[] = { 0x01, 0x00, 0x02, 0x01, 0x02, 0x0D, 0x04, 0x00, 0x00 };
	struct tlv_reader r;
	struct tlv t;

	tlv_init(&r, in, 0, sizeof(in), 1);
	assert_int(tlv_next(&r, &t), 1);
	assert_int(t.tag, 1);
	assert_int(t.len, 2);
	assert_int(t.off, 0);
	assert_int(tlv_u16(t.val), 0x0102);
	assert_int(tlv_next(&r, &t), 1);
	assert_int(t.tag, TLV_PAD);
	assert_int(t.len, 0);
	assert_int(t.off, 5);
	assert_int(tlv_next(&r, &t), 1);
	assert_int(t.tag, 4);
	assert_int(t.len, 0);
	assert_int(tlv_next(&r, &t), 0);
	/* outside the header 0x0D is a tag like any other: its "length" runs past the end */
	tlv_init(&r, in, 5, sizeof(in), 0);
	assert_int(tlv_next(&r, &t), -1);
	assert_int(r.pos, 5);
}

static void
truncated(void)
{
	static const uint8_t in[] = { 0x01, 0x00, 0x03, 0x41, 0x42, 0x43 };
	struct tlv_reader r;
	struct tlv t;
	size_t end;

	/* every cut inside the TLV is truncation at its first byte, never a read past end */
	for (end = 1; end < sizeof(in); end++) {
		tlv_init(&r, in, 0, end, 0);
		if (tlv_next(&r, &t) != -1 || r.pos != 0)
			t_fail(__FILE__, __LINE__, "a cut at %zu: not truncated at byte 0", end);
	}
	tlv_init(&r, in, 0, sizeof(in), 0);
	assert_int(tlv_next(&r, &t), 1);
	assert_mem(t.val, t.len, "ABC", 3);
	/* a reader that starts mid-buffer reports offsets from the buffer's start */
	tlv_init(&r, in, 3, sizeof(in), 0);
	assert_int(tlv_next(&r, &t), -1);
	assert_int(r.pos, 3);
}

static void
writer(void)
{
	struct buf b = { 0 };
	static uint8_t big[0x10000];

	assert_int(tlv_put16(&b, 2, 0x0140), 0);
	assert_int(tlv_put8(&b, 4, 7), 0);
	assert_int(tlv_put32(&b, 15, 0x6B1A2C00), 0);
	assert_int(tlv_putstr(&b, 14, "CTLFile.tlv"), 0);
	assert_mem(b.p, b.len, "\x02\x00\x02\x01\x40" "\x04\x00\x01\x07" "\x0F\x00\x04\x6B\x1A\x2C\x00"
	    "\x0E\x00\x0C" "CTLFile.tlv", 31);	/* the NUL counted */
	assert_int(tlv_put(&b, 9, big, 0xFFFF), 0);
	assert_int(tlv_put(&b, 9, big, 0x10000), -1);	/* a length over u16 is refused */
	assert_int(b.len, 31 + 3 + 0xFFFF);
	buf_free(&b);
}

const struct t_case t_tlv[] = {
	{ "tlv: tags, lengths, header padding, a clean end", reader },
	{ "tlv: every cut of a TLV is truncation at its first byte", truncated },
	{ "tlv: the writer's bytes; lengths over 0xFFFF refused", writer },
	{ NULL, NULL }
};
