/* clmember.h: is a store one node of an offline cluster (CLUSTER/nodes naming its directory)? */
#ifndef CTK_CLMEMBER_H
#define CTK_CLMEMBER_H

/*
 * 1 when store's parent directory holds a nodes file (cluster.h) naming store's
 * directory, with the cluster's directory as the user would type it (from
 * store's own spelling) in *cluster (malloc'd); 0 when it does not (no nodes
 * file, or one not naming it); -1 after a diagnostic (a nodes file that cannot
 * be read: whether the store is a node is unknown).
 */
int clmember_of(const char *store, char **cluster);
/*
 * The refusal of a single-store restore (tool's -r) on a node: 0 when store is
 * no node of a cluster; else -1 after a diagnostic naming the cluster and
 * "TOOL --cluster CLUSTER -r", and -f for this store alone.
 */
int clmember_refuse(const char *store, const char *tool);

#endif
