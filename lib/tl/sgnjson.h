/* sgnjson.h: a signed TFTP file as one JSON document (the keys issue #13 promises scripts). */
#ifndef CTK_SGNJSON_H
#define CTK_SGNJSON_H

#include "core/json.h"
#include "tl/sgn.h"

/*
 * {"file", "type": "SGN"|"ENC", "size", "header", "payload", "encryption",
 * "signature": {"verified": true|false|null, "signer", "error"}}; a damaged
 * file has "error": {"message", "offset"} and no payload (v is then ignored).
 */
void sgnjson_print(struct json *j, const struct ctl *c, const char *file,
    const struct sgn_verdict *v);

#endif
