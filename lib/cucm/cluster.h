/* cluster.h: an offline cluster: CLUSTER/nodes (name, address, roles) and one store per node (CUCM.md). */
#ifndef CTK_CLUSTER_H
#define CTK_CLUSTER_H

#include <stddef.h>
#include <stdint.h>

#include "cucm/clserved.h"

#define CLUSTER_NAME 64		/* a node name, NUL included */
#define CLUSTER_MAX 256		/* nodes */
#define CLUSTER_GROUPS 64	/* CallManager groups (a bit each) */
#define CLUSTER_ADDR 256	/* an address or host name, NUL included */

struct cluster_node {
	char	 name[CLUSTER_NAME];	/* also its directory: CLUSTER/<name> */
	char	 addr[CLUSTER_ADDR];	/* as written: IPv4, IPv6 or a host name */
	int	 family;		/* 4, 6, or 0 for a host name */
	uint8_t	 ip[4];			/* family 4: the ITL records' IPADDRESS */
	int	 publisher, tftp;
	uint64_t groups;		/* bit g: in CallManager group g (groups=NAME,...) */
	int	 line;			/* its line in CLUSTER/nodes */
	char	*dir;			/* CLUSTER/<name> */
	char	*tftpdir;		/* CLUSTER/<name>/tftp */
	int	 keyless;		/* no private key in its store: certificates only (a live node) */
};

struct cluster {
	char			*dir;
	char			*nodesfile;	/* CLUSTER/nodes */
	struct cluster_node	*v;
	size_t			 n;
	size_t			 pub;		/* index of the publisher */
	char			 gname[CLUSTER_GROUPS][CLUSTER_NAME];	/* declared groups */
	size_t			 ng;
	int			 version;	/* CUCM release, major * 10 + minor: 115, 125, 140 */
	char			 vtext[8];	/* its family: "11.5", "14" */
	const char		*vnote;		/* static: how it was inferred, NULL when given */
	size_t			 nkeyless;	/* key-less nodes */
	struct clserved		 served;	/* with nkeyless: what the served files show */
	struct clserved_node	*svn;		/* the nodes as clserved names them */
};

/*
 * Read CLUSTER/nodes and check every node: '#' comments, one node a line
 * (name, address: IPv4, IPv6 or a host name, then any of "publisher", "tftp" and
 * "groups=NAME[,NAME...]", the CallManager groups it is in), exactly one
 * publisher, a directory per node holding the units every node has
 * (CallManager, tomcat, ipsec, TVS), unless the node is key-less (no
 * UNIT/UNIT.key in its store): then what it lacks is read from the trust
 * lists the TFTP nodes serve (lib/cucm/clserved). 0, or -1 after one diagnostic
 * "CLUSTER/nodes:LINE: what". version: --cucm-version's (cucm_version),
 * 0 when not given (lib/cucm/clrelease). cluster_free in either case.
 */
int cluster_load(struct cluster *c, const char *dir, int version);
void cluster_free(struct cluster *c);
/*
 * The CallManager groups a phone may be in: the declared ones, or, with none
 * declared, every node a group of its own (CUCM.md: the conservative reading).
 * Their count; cluster_in_group says whether node k serves group g, and
 * cluster_group_name names it.
 */
size_t cluster_ngroups(const struct cluster *c);
int cluster_in_group(const struct cluster *c, size_t k, size_t g);
const char *cluster_group_name(const struct cluster *c, size_t g);
/* Index of the node called name, or -1. */
int cluster_find(const struct cluster *c, const char *name);
/* Node i's IPv4 address for an ITL record, or NULL (IPv6, a host name: no IPADDRESS). */
const uint8_t *cluster_ip(const struct cluster *c, size_t i);
/* 1 when the ITL is signed by ITLRecovery (12.0 and later), 0 when by the node's CallManager. */
int cluster_itlrec_signs(const struct cluster *c);
/*
 * 1 when node i's store has UNIT/UNIT.pem (a regular file; key-less: or
 * UNIT/UNIT.der) or, key-less, a served file shows the unit; else 0.
 */
int cluster_has(const struct cluster *c, size_t i, const char *unit);
/* The file of node i's certificate of unit (cluster_has's, served files aside): malloc'd, or NULL. */
char *cluster_unit_file(const struct cluster *c, size_t i, const char *unit);
/*
 * s, set up for c's nodes, from the trust lists itl[i] and ctl[i] (paths;
 * NULL: none) of each TFTP node i (lib/cucm/clserved); clserved_free it in
 * any case. 0, or -1 out of memory.
 */
int cluster_served(const struct cluster *c, struct clserved *s, char *const *itl,
    char *const *ctl);
/*
 * The units of key-less nodes the plan cannot see ("NODE:UNIT, ..." into out):
 * those ops ask for ("UNIT", "NODE:UNIT"; none: every unit every node has, and
 * the publisher's CAPF and ITLRecovery) that neither the node's store nor a
 * served file holds.
 */
void cluster_unseen(const struct cluster *c, char **ops, int nops, char *out, size_t n);
/*
 * 0 when no node's tftp/ is, or holds at any depth, a symbolic link (or
 * anything but directories and regular files); else -1 after one diagnostic
 * naming it: served files and their history are written there, never
 * through a link out of the cluster.
 */
int cluster_tftp_safe(const struct cluster *c);
/* 1 when the cluster is in mixed mode: a tftp/CTLFile.tlv on some TFTP node. */
int cluster_mixed(const struct cluster *c);
/*
 * The CTL the cluster serves (every TFTP node serves the same one): the first
 * TFTP node's tftp/CTLFile.tlv, a new string; NULL when none does (errno 0)
 * or out of memory (errno ENOMEM).
 */
char *cluster_ctl_path(const struct cluster *c);
/*
 * The CTL the cluster's phones hold beside their ITL (mixed mode): the served
 * one (cluster_ctl_path) read into *buf and parsed into *ctl; *buf NULL when
 * none is served. 0, or -1 after a diagnostic (nothing kept).
 */
struct ctl;
int cluster_ctl_held(const struct cluster *c, uint8_t **buf, struct ctl *ctl);

#endif
