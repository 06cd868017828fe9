/* http.h: HTTP/1.x GET transfers on any TCP port, over streams tcp.c puts in order (Content-Length, chunked, until close; keep-alive). */
#ifndef CTK_HTTP_H
#define CTK_HTTP_H

#include "cap/tcp.h"
#include "cap/xfer.h"

struct http {
	struct xfer_list *l;
	int		 oom;	/* a transfer lost bytes to a failed allocation */
};

/* The tcp_ops that follow HTTP on every connection; arg is an http. */
extern const struct tcp_ops http_ops;

#endif
