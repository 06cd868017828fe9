/*
 * sockrecv: a stand-in syslog daemon. Bind a Unix datagram socket at PATH, touch
 * PATH.ready, print each of the first N datagrams received on its own line, exit.
 * Gives up after 10 seconds (exit 1) so a test never hangs.
 * usage: sockrecv PATH N
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int
main(int argc, char *argv[])
{
	struct sockaddr_un sa;
	char buf[8192], ready[4096];
	ssize_t n;
	long want, i;
	FILE *fp;
	int fd;

	if (argc != 3 || strlen(argv[1]) >= sizeof(sa.sun_path) || (want = atol(argv[2])) < 1) {
		fprintf(stderr, "usage: sockrecv PATH N\n");
		return 2;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, argv[1], strlen(argv[1]));
	if ((fd = socket(AF_UNIX, SOCK_DGRAM, 0)) < 0 ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		perror(argv[1]);
		return 2;
	}
	snprintf(ready, sizeof(ready), "%s.ready", argv[1]);
	if ((fp = fopen(ready, "w")) == NULL || fclose(fp) != 0)
		return 2;
	alarm(10);
	for (i = 0; i < want; i++) {
		if ((n = recv(fd, buf, sizeof(buf) - 1, 0)) < 0)
			return 1;
		buf[n] = '\0';	/* a stream sender's NUL ends it too */
		printf("%s\n", buf);
		fflush(stdout);
	}
	return 0;
}
