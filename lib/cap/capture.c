/* capture.c: one pass over a capture: each frame decoded, UDP to the TFTP follower, TCP through reassembly to HTTP. */
#include <pcap/pcap.h>
#include <string.h>
#include <unistd.h>

#include "core/diag.h"
#include "core/io.h"
#include "cap/capture.h"
#include "cap/http.h"
#include "cap/pkt.h"
#include "cap/tcp.h"
#include "cap/tftp.h"

static int
run(pcap_t *pc, const char *name, struct xfer_list *l)
{
	struct http hp = { l, 0 };
	struct tftp tf;
	struct tcp tc;
	struct pcap_pkthdr *ph;
	const u_char *p;
	struct pkt k;
	int dlt = pcap_datalink(pc), r, rc = 0, oom = 0;
	long at;

	memset(&tf, 0, sizeof(tf));
	memset(&tc, 0, sizeof(tc));
	tc.ops = http_ops;
	tc.ops.arg = &hp;
	while ((r = pcap_next_ex(pc, &ph, &p)) == 1) {
		memset(&k, 0, sizeof(k));
		if (pkt_decode(dlt, p, ph->caplen, &k) != 0)
			continue;
		k.sec = (long long)ph->ts.tv_sec;
		k.usec = (long)ph->ts.tv_usec;
		if ((k.proto == PKT_UDP ? tftp_packet(&tf, l, &k) : tcp_segment(&tc, &k)) != 0) {
			oom = 1;
			break;
		}
	}
	if (oom || hp.oom) {
		warnf("%s: out of memory", name);
		rc = 1;
	} else if (r == PCAP_ERROR) {
		at = pcap_file(pc) != NULL ? ftell(pcap_file(pc)) : -1;
		warnf("%s: %s at byte %ld", name, pcap_geterr(pc), at < 0 ? 0L : at);
		rc = 1;
	}
	tcp_finish(&tc);
	tftp_finish(&tf, l);
	if (l->err != 0) {
		warnf("%s: the temporary file for the transfers: %s", name, strerror(l->err));
		rc = -1;
	}
	return rc;
}

int
capture_read_fp(FILE *fp, const char *name, struct xfer_list *l)
{
	char eb[PCAP_ERRBUF_SIZE];
	pcap_t *pc;
	int rc;

	eb[0] = '\0';
	if ((pc = pcap_fopen_offline(fp, eb)) == NULL) {
		fclose(fp);
		warnf("%s: not a capture (pcap or pcapng): %s at byte 0", name, eb);
		return -1;
	}
	rc = run(pc, name, l);
	pcap_close(pc);
	return rc;
}

int
capture_read(const char *path, struct xfer_list *l)
{
	const char *name = io_name(path), *why;
	FILE *fp;
	int fd;

	if (strcmp(path, "-") == 0)
		fp = stdin;
	else if ((fd = io_open(path, 0, &why)) < 0) {
		warnf("%s: %s", name, why);
		return -1;
	} else if ((fp = fdopen(fd, "rb")) == NULL) {
		warnf("%s:", name);
		close(fd);
		return -1;
	}
	return capture_read_fp(fp, name, l);
}
