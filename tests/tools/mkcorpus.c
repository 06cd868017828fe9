/*
 * mkcorpus: write malformed variants of a valid CTL/ITL file into a directory (for
 * tests/fuzz/seeds.sh; the unit tests check the same variants in memory: tests/unit/corpus.c).
 * usage: mkcorpus SEED DIR   (prints the number of files written)
 */
#include <stdio.h>
#include <stdlib.h>

#include "core/io.h"
#include "corpus.h"

static void
emit(void *arg, const char *kind, size_t at, const uint8_t *p, size_t n)
{
	static int count;
	char path[4096];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%03d-%s-%zu.tlv", (const char *)arg, count++, kind, at);
	if ((fp = fopen(path, "wb")) == NULL || fwrite(p, 1, n, fp) != n || fclose(fp) != 0) {
		perror(path);
		exit(2);
	}
}

int
main(int argc, char *argv[])
{
	uint8_t *seed;
	size_t len;
	int n;

	if (argc != 3 || (seed = io_slurp(argv[1], IO_MAX, &len)) == NULL) {
		fprintf(stderr, "usage: mkcorpus SEED DIR\n");
		return 2;
	}
	if ((n = corpus_make(seed, len, emit, argv[2])) < 0) {
		fprintf(stderr, "mkcorpus: %s: seed does not parse\n", argv[1]);
		return 2;
	}
	free(seed);
	printf("%d\n", n);
	return 0;
}
