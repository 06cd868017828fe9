/* storeid.h: a store's identity: a random id in STORE/.backup/.id, shared by a copy, by no other store. */
#ifndef CTK_STOREID_H
#define CTK_STOREID_H

#define STOREID_LEN	32	/* hex digits: 128 random bits */
#define STOREID_FILE	".id"	/* in STORE/.backup/ (hidden: `ls` lists backups only) */

/*
 * The id of store into id: read from STORE/.backup/.id (never through a link);
 * when it has none and create is set, a new random one is written there first
 * (STORE/.backup must exist). 0; 1 when it has none and !create; -1 after a
 * diagnostic (a damaged id file included).
 */
int storeid_get(const char *store, int create, char id[STOREID_LEN + 1]);
/* 1 when s is an id's text: STOREID_LEN lower-case hex digits. */
int storeid_valid(const char *s);

#endif
