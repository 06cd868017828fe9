/* ctldump.h: ctl-dump's run: each file read, verified, judged (--trust, --signer, --cluster) and shown. */
#ifndef CTK_CTLDUMP_H
#define CTK_CTLDUMP_H

#include <stdint.h>
#include <stdio.h>

#include <openssl/types.h>

#include "core/json.h"
#include "cucm/clview.h"
#include "cucm/cluster.h"
#include "load/sgncert.h"
#include "tl/ctl.h"

enum ctldump_mode {
	CTLDUMP_SHOW, CTLDUMP_JSON, CTLDUMP_BRIEF, CTLDUMP_CERTS, CTLDUMP_EXTRACT,
	CTLDUMP_QUIET, CTLDUMP_PAYLOAD
};

/* What ctl-dump was asked for (its options, checked), and what they loaded. */
struct ctldump {
	FILE		*out;		/* the data: stdout */
	enum ctldump_mode mode;
	int		 force;		/* --extract may replace files */
	int		 nfiles;	/* more than one: --extract names files per input */
	const char	*xdir, *oldpath, *signerpath, *clusterdir;
	int		 cucmver;	/* --cucm-version (cucm_version), 0: not given */
	const char	*pcap;		/* --pcap: the capture read instead of files */
	const char	*phonekey;	/* --phone-key: decrypts .enc.sgn payloads */
	/* loaded by ctldump_open */
	struct ctl	 old;
	uint8_t		*oldbuf;
	struct sgn_cert	 signer;
	EVP_PKEY	*phone;		/* --phone-key's key */
	struct json	 js;
	struct cluster	 cl;
	struct clview	 view;
};

/* Load what the options name (--trust, --cluster, --signer, -x's directory); 0, or -1 diagnosed. */
int ctldump_open(struct ctldump *d);
/* One file ("-" is stdin): shown in d->mode; 0 verified (and trusted), 1 not, 2 trouble. */
int ctldump_file(struct ctldump *d, const char *path);
/* The same for bytes in memory (a file out of a capture), shown under name. */
int ctldump_mem(struct ctldump *d, const char *name, const uint8_t *buf, size_t len);
/* --pcap: every transfer of a capture listed, each complete trust file shown (ctldumpcap.c). */
int ctldump_capture(struct ctldump *d, const char *path);
/* Free what ctldump_open loaded. */
void ctldump_close(struct ctldump *d);

#endif
