/* ctljson.h: a parsed CTL/ITL as one JSON document (the keys issue #2 promises scripts). */
#ifndef CTK_CTLJSON_H
#define CTK_CTLJSON_H

#include "tl/ctl.h"
#include "core/json.h"

struct ctljson_trust {
	int		 accepted;
	int		 record;	/* 0-based SAST record of the old file, or -1 */
	const char	*reason;
	const char	*old;		/* the old file's name */
	int		 cluster;	/* judged with a cluster: path and via are printed */
	const char	*path;		/* "direct", "tvs", or NULL when rejected */
	const char	*via;		/* the TVS node that vouches, or NULL */
	const char	*stranded;	/* CallManager groups stranded, ", "-separated; NULL: none */
};

/*
 * One document for c: file, type, size, hashes, header, records, signature
 * (v NULL when damaged: "error" with message and offset instead), trust (t may be NULL).
 */
void ctljson_print(struct json *j, const struct ctl *c, const char *file, int itl,
    const struct ctl_verify *v, const struct ctljson_trust *t);
/* The same members into an object the caller opened (and closes, after members of its own). */
void ctljson_members(struct json *j, const struct ctl *c, const char *file, int itl,
    const struct ctl_verify *v, const struct ctljson_trust *t);

/*
 * The "header" member alone (key and object). sgn: c is a signed file, whose
 * encryption tags (16 to 27) the caller prints rather than "unknown".
 */
void ctljson_header(struct json *j, const struct ctl *c, int sgn);
/* "stranded_groups": the CallManager groups in s (", "-separated) as an array. */
void ctljson_stranded(struct json *j, const char *s);
/* The "error" member ({"message", "offset"}) when c is damaged; nothing otherwise. */
void ctljson_error(struct json *j, const struct ctl *c);

#endif
