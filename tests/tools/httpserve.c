/*
 * httpserve: a small HTTP/1.1 file server for the capture tests, on one loopback address.
 * usage: httpserve ADDR PORT DIR SECONDS
 * Serves GET /NAME from DIR (NAME without '/'), one connection at a time, keep-alive: each
 * response by Content-Length, or chunked (1000-byte chunks) when the query holds "chunked".
 * Touches DIR/.ready once listening; exits after SECONDS whatever happens (alarm), so a test
 * never hangs.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

static int
sendall(int fd, const void *p, size_t n)
{
	const char *c = p;
	ssize_t w;

	while (n > 0) {
		if ((w = write(fd, c, n)) <= 0)
			return -1;
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

static int
serve(int fd, const char *dir, const char *target)
{
	char path[4096], name[256], h[256];
	const char *q = strchr(target, '?');
	size_t nl = q != NULL ? (size_t)(q - target) : strlen(target), i;
	struct stat st;
	char *buf;
	int f, chunked = q != NULL && strstr(q, "chunked") != NULL;

	if (target[0] == '/') {
		target++;
		nl--;
	}
	if (nl == 0 || nl >= sizeof(name) || memchr(target, '/', nl) != NULL) {
		const char *nf = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n";
		return sendall(fd, nf, strlen(nf));
	}
	memcpy(name, target, nl);
	name[nl] = '\0';
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = open(path, O_RDONLY)) < 0 || fstat(f, &st) != 0 ||
	    (buf = malloc((size_t)st.st_size + 1)) == NULL ||
	    read(f, buf, (size_t)st.st_size) != st.st_size) {
		const char *nf = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n";
		if (f >= 0)
			close(f);
		return sendall(fd, nf, strlen(nf));
	}
	close(f);
	if (!chunked) {
		snprintf(h, sizeof(h), "HTTP/1.1 200 OK\r\nContent-Length: %lld\r\n\r\n",
		    (long long)st.st_size);
		f = sendall(fd, h, strlen(h)) || sendall(fd, buf, (size_t)st.st_size);
	} else {
		snprintf(h, sizeof(h), "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
		f = sendall(fd, h, strlen(h));
		for (i = 0; f == 0 && i < (size_t)st.st_size; i += 1000) {
			size_t k = (size_t)st.st_size - i < 1000 ? (size_t)st.st_size - i : 1000;
			snprintf(h, sizeof(h), "%zx\r\n", k);
			f = sendall(fd, h, strlen(h)) || sendall(fd, buf + i, k) ||
			    sendall(fd, "\r\n", 2);
		}
		f = f || sendall(fd, "0\r\n\r\n", 5);
	}
	free(buf);
	return f ? -1 : 0;
}

/* Requests on one connection until the client closes it. */
static void
conn(int fd, const char *dir)
{
	char req[8192], target[4096];
	size_t have = 0;
	ssize_t r;
	char *end;

	req[0] = '\0';
	for (;;) {
		while ((end = strstr(req, "\r\n\r\n")) == NULL || have == 0) {
			if (have + 1 >= sizeof(req) ||
			    (r = read(fd, req + have, sizeof(req) - 1 - have)) <= 0)
				return;
			have += (size_t)r;
			req[have] = '\0';
		}
		if (sscanf(req, "GET %4095s HTTP/1.1", target) != 1 || serve(fd, dir, target) != 0)
			return;
		end += 4;
		have -= (size_t)(end - req);
		memmove(req, end, have);
		req[have] = '\0';
	}
}

int
main(int argc, char *argv[])
{
	struct sockaddr_in sa;
	char ready[4096];
	int s, c, one = 1;
	FILE *fp;

	if (argc != 5) {
		fprintf(stderr, "usage: httpserve ADDR PORT DIR SECONDS\n");
		return 2;
	}
	alarm((unsigned)atoi(argv[4]));
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)atoi(argv[2]));
	if (inet_pton(AF_INET, argv[1], &sa.sin_addr) != 1 ||
	    (s = socket(AF_INET, SOCK_STREAM, 0)) < 0 ||
	    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
	    bind(s, (struct sockaddr *)&sa, sizeof(sa)) != 0 || listen(s, 8) != 0) {
		perror("httpserve");
		return 2;
	}
	snprintf(ready, sizeof(ready), "%s/.ready", argv[3]);
	if ((fp = fopen(ready, "w")) == NULL)
		return 2;
	fclose(fp);
	while ((c = accept(s, NULL, NULL)) >= 0) {
		conn(c, argv[3]);
		close(c);
	}
	return 0;
}
