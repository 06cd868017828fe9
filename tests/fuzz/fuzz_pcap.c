/*
 * fuzz_pcap.c: libFuzzer target for ctl-dump --pcap's reader: the input is a capture (pcap or
 * pcapng, through libpcap from memory), decoded, TCP put in order, TFTP and HTTP followed;
 * every transfer's bytes read back must be as long as it says and the list text safe.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cap/capture.h"
#include "core/diag.h"
#include "check.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct xfer_list l;
	uint8_t *p;
	size_t i, n;
	FILE *fp;

	if (len == 0 || (fp = fmemopen((void *)data, len, "rb")) == NULL)
		return 0;
	memset(&l, 0, sizeof(l));
	if (capture_read_fp(fp, "fuzz.pcap", &l) >= 0)
		for (i = 0; i < l.n; i++) {
			if (l.v[i]->total < l.v[i]->len || l.v[i]->len > XFER_MAX)
				abort();
			if ((p = xfer_read(&l, l.v[i], &n)) == NULL)
				continue;
			if (n != l.v[i]->len)
				abort();
			free(p);
		}
	xfer_free(&l);
	return 0;
}
