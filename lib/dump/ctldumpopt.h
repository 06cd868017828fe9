/*
 * ctldumpopt.h: ctl-dump's options (what its main fills) and what ctldump_open
 * loads from them: the state each part of the run shares (ctldump, ctldumpcap, ctldumptext).
 */
#ifndef CTK_CTLDUMPOPT_H
#define CTK_CTLDUMPOPT_H

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
	const char	*compare;	/* --compare CAPTURE: its listing against the one file */
	/* loaded by ctldump_open */
	struct ctl	 old;
	uint8_t		*oldbuf;
	struct sgn_cert	 signer;
	EVP_PKEY	*phone;		/* --phone-key's key */
	struct json	 js;
	struct cluster	 cl;
	struct clview	 view;
	struct ctl	 held;		/* --cluster in mixed mode: the CTL its TFTP nodes serve */
	uint8_t		*heldbuf;	/* its bytes; NULL: not mixed */
};

#endif
