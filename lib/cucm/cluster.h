/* cluster.h: an offline cluster: CLUSTER/nodes (name, IPv4, roles) and one store per node (CUCM.md). */
#ifndef CTK_CLUSTER_H
#define CTK_CLUSTER_H

#include <stddef.h>
#include <stdint.h>

#define CLUSTER_NAME 64		/* a node name, NUL included */
#define CLUSTER_MAX 256		/* nodes */

struct cluster_node {
	char	 name[CLUSTER_NAME];	/* also its directory: CLUSTER/<name> */
	char	 addr[16];		/* dotted IPv4 text */
	uint8_t	 ip[4];
	int	 publisher, tftp;
	int	 line;			/* its line in CLUSTER/nodes */
	char	*dir;			/* CLUSTER/<name> */
	char	*tftpdir;		/* CLUSTER/<name>/tftp */
};

struct cluster {
	char			*dir;
	char			*nodesfile;	/* CLUSTER/nodes */
	struct cluster_node	*v;
	size_t			 n;
	size_t			 pub;		/* index of the publisher */
	int			 version;	/* CUCM release, major * 10 + minor: 115, 125, 140 */
	char			 vtext[8];	/* as given: "11.5", "14" */
};

/*
 * "11.5", "12.5", "14" into *v (major * 10 + minor, as cucm_version reads it)
 * and vtext ("11.5", "14"). 0, or -1 when cucm_version refuses it (no diagnostic).
 */
int cluster_version(const char *s, int *v, char vtext[8]);
/*
 * Read CLUSTER/nodes and check every node: '#' comments, one node a line
 * (name, IPv4 address, then any of "publisher", "tftp"), exactly one
 * publisher, a directory per node holding the units every node has
 * (CallManager, tomcat, ipsec, TVS). 0, or -1 after one diagnostic
 * "CLUSTER/nodes:LINE: what". version: --cucm-version's text ("11.5").
 * cluster_free in either case.
 */
int cluster_load(struct cluster *c, const char *dir, const char *version);
void cluster_free(struct cluster *c);
/* Index of the node called name, or -1. */
int cluster_find(const struct cluster *c, const char *name);
/* 1 when the ITL is signed by ITLRecovery (12.0 and later), 0 when by the node's CallManager. */
int cluster_itlrec_signs(const struct cluster *c);
/* 1 when node i's store has UNIT/UNIT.pem (a regular file), else 0. */
int cluster_has(const struct cluster *c, size_t i, const char *unit);
/* 1 when the cluster is in mixed mode: a tftp/CTLFile.tlv on some TFTP node. */
int cluster_mixed(const struct cluster *c);

#endif
